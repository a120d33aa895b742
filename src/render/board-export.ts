/**
 * Exports of the whole board (or some shapes) that do not depend on what is on screen: SVG is
 * built from the same outlines the canvas fills, PNG is painted on an offscreen canvas.
 */
import type { Shape } from '../model/shapes'
import type { Rect } from './camera'
import { displayColor } from './ink'
import { strokeOutlinePath } from './stroke-outline'

/** Space around the shapes in an export, in board units. */
export const EXPORT_MARGIN = 16

/** The box around `shapes` (rotation included), or null for none. */
export function shapesBounds(shapes: readonly Shape[]): Rect | null {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const shape of shapes) {
    const cos = Math.cos(shape.rotation)
    const sin = Math.sin(shape.rotation)
    const pad = shape.strokeWidth / 2
    const p = shape.points
    for (let i = 0; i < p.length; i += 3) {
      const x = shape.x + p[i]! * cos - p[i + 1]! * sin
      const y = shape.y + p[i]! * sin + p[i + 1]! * cos
      minX = Math.min(minX, x - pad)
      minY = Math.min(minY, y - pad)
      maxX = Math.max(maxX, x + pad)
      maxY = Math.max(maxY, y + pad)
    }
  }
  return minX === Infinity ? null : { x: minX, y: minY, width: maxX - minX, height: maxY - minY }
}

function exportArea(shapes: readonly Shape[]): Rect {
  const box = shapesBounds(shapes) ?? { x: 0, y: 0, width: 0, height: 0 }
  return { x: box.x - EXPORT_MARGIN, y: box.y - EXPORT_MARGIN, width: box.width + 2 * EXPORT_MARGIN, height: box.height + 2 * EXPORT_MARGIN }
}

const round = (value: number) => Math.round(value * 100) / 100

/** A standalone SVG document: one `<path>` per shape, in z-order, on the board's background. */
export function exportSvg(shapes: readonly Shape[], options: { background: string; dark: boolean }): string {
  const area = exportArea(shapes)
  const elements = shapes.map((shape) => {
    const transform = `translate(${round(shape.x)} ${round(shape.y)})${shape.rotation ? ` rotate(${round((shape.rotation * 180) / Math.PI)})` : ''}`
    const opacity = shape.opacity < 1 ? ` fill-opacity="${shape.opacity}"` : ''
    return `<path data-id="${shape.id}" transform="${transform}" fill="${displayColor(shape.color, options.dark)}"${opacity} d="${strokeOutlinePath(shape)}"/>`
  })
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${round(area.x)} ${round(area.y)} ${round(area.width)} ${round(area.height)}" width="${Math.ceil(area.width)}" height="${Math.ceil(area.height)}">`,
    `<rect x="${round(area.x)}" y="${round(area.y)}" width="${round(area.width)}" height="${round(area.height)}" fill="${options.background}"/>`,
    ...elements,
    '</svg>',
  ].join('\n')
}

/** A PNG of the shapes at `pixelRatio` (2: crisp on high-density screens and in documents). */
export function exportPng(shapes: readonly Shape[], options: { background: string; dark: boolean; pixelRatio: number }): Promise<Blob> {
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
    context.fillStyle = displayColor(shape.color, options.dark)
    context.fill(new Path2D(strokeOutlinePath(shape)))
    context.restore()
  }
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'))
}
