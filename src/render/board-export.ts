/**
 * Exports of the whole board (or some shapes) that do not depend on what is on screen: SVG is
 * built from the same geometry the canvas draws, PNG is painted on an offscreen canvas.
 */
import { arrowHeadLength, unionBounds, type Box } from '../model/geometry'
import type { BoxShape, LineShape, Shape } from '../model/shapes'
import { displayColor } from './ink'
import { strokeOutlinePath } from './stroke-outline'

/** Space around the shapes in an export, in board units. */
export const EXPORT_MARGIN = 16

export interface ExportOptions {
  readonly background: string
  readonly dark: boolean
}

function exportArea(shapes: readonly Shape[]): Box {
  const box = unionBounds(shapes) ?? { x: 0, y: 0, width: 0, height: 0 }
  return { x: box.x - EXPORT_MARGIN, y: box.y - EXPORT_MARGIN, width: box.width + 2 * EXPORT_MARGIN, height: box.height + 2 * EXPORT_MARGIN }
}

const round = (value: number) => Math.round(value * 100) / 100

/** The two sides of an arrowhead at the end of a line, in the line's own frame. */
function arrowHead(line: LineShape): [[number, number], [number, number], [number, number]] {
  const length = arrowHeadLength(line.strokeWidth)
  const angle = Math.atan2(line.dy, line.dx)
  const side = (turn: number): [number, number] => [line.dx - length * Math.cos(angle + turn), line.dy - length * Math.sin(angle + turn)]
  return [side(Math.PI / 6), [line.dx, line.dy], side(-Math.PI / 6)]
}

/** The shape's geometry as SVG path data in its own frame, and whether it is filled ink. */
function pathOf(shape: Shape): { d: string; filledInk: boolean } {
  switch (shape.type) {
    case 'stroke':
      return { d: strokeOutlinePath(shape), filledInk: true }
    case 'rectangle':
      return { d: `M0,0 H${round(shape.width)} V${round(shape.height)} H0 Z`, filledInk: false }
    case 'ellipse': {
      const rx = round(shape.width / 2)
      const ry = round(shape.height / 2)
      return { d: `M0,${ry} A${rx},${ry} 0 1 0 ${round(shape.width)},${ry} A${rx},${ry} 0 1 0 0,${ry} Z`, filledInk: false }
    }
    case 'line':
      return { d: `M0,0 L${round(shape.dx)},${round(shape.dy)}`, filledInk: false }
    case 'arrow': {
      const [a, tip, b] = arrowHead(shape)
      return { d: `M0,0 L${round(shape.dx)},${round(shape.dy)} M${round(a[0])},${round(a[1])} L${round(tip[0])},${round(tip[1])} L${round(b[0])},${round(b[1])}`, filledInk: false }
    }
  }
}

function fillOf(shape: Shape): string | null {
  return shape.type === 'rectangle' || shape.type === 'ellipse' ? (shape as BoxShape).fill : null
}

/** A standalone SVG document: one element per shape, in z-order, on the board's background. */
export function exportSvg(shapes: readonly Shape[], options: ExportOptions): string {
  const area = exportArea(shapes)
  const elements = shapes.map((shape) => {
    const transform = `translate(${round(shape.x)} ${round(shape.y)})${shape.rotation ? ` rotate(${round((shape.rotation * 180) / Math.PI)})` : ''}`
    const opacity = shape.opacity < 1 ? ` opacity="${shape.opacity}"` : ''
    const color = displayColor(shape.color, options.dark)
    const { d, filledInk } = pathOf(shape)
    const fill = fillOf(shape)
    const paint = filledInk
      ? `fill="${color}"`
      : `fill="${fill ? displayColor(fill, options.dark) : 'none'}" stroke="${color}" stroke-width="${shape.strokeWidth}" stroke-linecap="round" stroke-linejoin="round"`
    return `<path data-id="${shape.id}" data-type="${shape.type}" transform="${transform}"${opacity} ${paint} d="${d}"/>`
  })
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${round(area.x)} ${round(area.y)} ${round(area.width)} ${round(area.height)}" width="${Math.ceil(area.width)}" height="${Math.ceil(area.height)}">`,
    `<rect x="${round(area.x)}" y="${round(area.y)}" width="${round(area.width)}" height="${round(area.height)}" fill="${options.background}"/>`,
    ...elements,
    '</svg>',
  ].join('\n')
}

/** A PNG of the shapes at `pixelRatio` (2: crisp on high-density screens and in documents). */
export function exportPng(shapes: readonly Shape[], options: ExportOptions & { pixelRatio: number }): Promise<Blob> {
  const area = exportArea(shapes)
  const canvas = document.createElement('canvas')
  canvas.width = Math.max(1, Math.ceil(area.width * options.pixelRatio))
  canvas.height = Math.max(1, Math.ceil(area.height * options.pixelRatio))
  const context = canvas.getContext('2d')!
  context.fillStyle = options.background
  context.fillRect(0, 0, canvas.width, canvas.height)
  context.scale(options.pixelRatio, options.pixelRatio)
  context.translate(-area.x, -area.y)
  for (const shape of shapes) {
    context.save()
    context.translate(shape.x, shape.y)
    context.rotate(shape.rotation)
    context.globalAlpha = shape.opacity
    const color = displayColor(shape.color, options.dark)
    const { d, filledInk } = pathOf(shape)
    const path = new Path2D(d)
    if (filledInk) {
      context.fillStyle = color
      context.fill(path)
    } else {
      const fill = fillOf(shape)
      if (fill) {
        context.fillStyle = displayColor(fill, options.dark)
        context.fill(path)
      }
      context.strokeStyle = color
      context.lineWidth = shape.strokeWidth
      context.lineCap = 'round'
      context.lineJoin = 'round'
      context.stroke(path)
    }
    context.restore()
  }
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'))
}
