/** What a screen reader says of a shape: its kind and size, or its text ("Rectangle, 200 by 120"). */
import { msg, str } from '@lit/localize'
import { formatNumber } from '../i18n/format'
import { shapeBounds } from '../model/geometry'
import type { Shape } from '../model/shapes'

/** The first line of a text, cut to a few words. */
function excerpt(text: string): string {
  const line = text.trim().split('\n')[0] ?? ''
  return line.length > 40 ? `${line.slice(0, 39)}…` : line
}

const size = (value: number) => formatNumber(Math.round(value))

export function describeShape(shape: Shape): string {
  switch (shape.type) {
    case 'rectangle': {
      const [width, height] = [size(shape.width), size(shape.height)]
      return msg(str`Rectangle, ${width} by ${height}`, { id: 'shape.rectangle', desc: 'a shape, for screen readers: its width and height in board units' })
    }
    case 'ellipse': {
      const [width, height] = [size(shape.width), size(shape.height)]
      return msg(str`Ellipse, ${width} by ${height}`, { id: 'shape.ellipse' })
    }
    case 'image': {
      const [width, height] = [size(shape.width), size(shape.height)]
      return msg(str`Image, ${width} by ${height}`, { id: 'shape.image' })
    }
    case 'stroke': {
      const box = shapeBounds(shape)
      const [width, height] = [size(box.width), size(box.height)]
      return shape.highlight
        ? msg(str`Highlighter stroke, ${width} by ${height}`, { id: 'shape.highlight' })
        : msg(str`Pen stroke, ${width} by ${height}`, { id: 'shape.stroke' })
    }
    case 'line':
    case 'arrow': {
      const length = size(Math.hypot(shape.dx, shape.dy))
      return shape.type === 'arrow'
        ? msg(str`Arrow, ${length} long`, { id: 'shape.arrow' })
        : msg(str`Line, ${length} long`, { id: 'shape.line' })
    }
    case 'text': {
      const text = excerpt(shape.text)
      return text ? msg(str`Text: ${text}`, { id: 'shape.text' }) : msg('Empty text', { id: 'shape.text-empty' })
    }
    case 'sticky': {
      const text = excerpt(shape.text)
      return text ? msg(str`Sticky note: ${text}`, { id: 'shape.sticky' }) : msg('Empty sticky note', { id: 'shape.sticky-empty' })
    }
  }
}
