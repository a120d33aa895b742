/**
 * Exports of the whole board (or some shapes) that do not depend on what is on screen: SVG is
 * built from the same geometry and text layout the canvas draws, PNG is painted on an offscreen canvas.
 */
import { toBase64 } from '../model/base64'
import { imageMimeType } from '../model/assets'
import { unionBounds, type Box } from '../model/geometry'
import type { BoxShape, ImageShape, Shape, ShapeType, StickyShape, TextShape } from '../model/shapes'
import { displayColor } from './ink'
import { arrowHead } from './shapes/line'
import { stickyTextBox } from './shapes/text'
import { strokeOutlinePath } from './stroke-outline'
import { drawLines, FONT_FAMILY, fontOf, layoutText, LINE_HEIGHT, type TextLayout } from './text-layout'

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

type InkedShape = Exclude<Shape, TextShape | StickyShape | ImageShape>

/** The shape's geometry as SVG path data in its own frame, and whether it is filled ink. */
function pathOf(shape: InkedShape): { d: string; filledInk: boolean } {
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

/** How text is laid out and coloured, the same way the canvas does it (text-layout, stickyTextBox). */
function textOf(shape: TextShape | StickyShape, dark: boolean): { layout: TextLayout; left: number; top: number; color: string } {
  if (shape.type === 'text') {
    return { layout: layoutText(shape.text, shape.fontSize, shape.autoWidth ? null : shape.width), left: 0, top: 0, color: displayColor(shape.color, dark) }
  }
  const box = stickyTextBox(shape)
  return { layout: layoutText(shape.text, shape.fontSize, box.width), left: box.left, top: box.top, color: shape.color }
}

const escapeXml = (text: string) => text.replace(/[<>&"]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[char]!)

export interface SvgOptions extends ExportOptions {
  /** The bytes of an image asset, embedded as a data URL. */
  readonly asset: (hash: string) => Uint8Array | null
}

/** A standalone SVG document: one element per shape, in z-order, on the board's background. */
export function exportSvg(shapes: readonly Shape[], options: SvgOptions): string {
  const area = exportArea(shapes)
  const elements = shapes.map((shape) => {
    const transform = `translate(${round(shape.x)} ${round(shape.y)})${shape.rotation ? ` rotate(${round((shape.rotation * 180) / Math.PI)})` : ''}`
    const opacity = shape.opacity < 1 ? ` opacity="${shape.opacity}"` : ''
    const attributes = `data-id="${shape.id}" data-type="${shape.type}" transform="${transform}"${opacity}`
    return exporterOf(shape).svg(shape, attributes, options)
  })
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${round(area.x)} ${round(area.y)} ${round(area.width)} ${round(area.height)}" width="${Math.ceil(area.width)}" height="${Math.ceil(area.height)}">`,
    `<rect x="${round(area.x)}" y="${round(area.y)}" width="${round(area.width)}" height="${round(area.height)}" fill="${options.background}"/>`,
    ...elements,
    '</svg>',
  ].join('\n')
}

/** Ink as one <path>: filled (a stroke's outline) or stroked (boxes, lines), a box's fill under it. */
function svgInk(shape: InkedShape, attributes: string, options: SvgOptions): string {
  const color = displayColor(shape.color, options.dark)
  const { d, filledInk } = pathOf(shape)
  const fill = fillOf(shape)
  const paint = filledInk
    ? `fill="${color}"`
    : `fill="${fill ? displayColor(fill, options.dark) : 'none'}" stroke="${color}" stroke-width="${shape.strokeWidth}" stroke-linecap="round" stroke-linejoin="round"`
  return `<path ${attributes} ${paint} d="${d}"/>`
}

/** An image as an <image> with its bytes in a data URL (none when they are missing). */
function svgImage(shape: ImageShape, attributes: string, options: SvgOptions): string {
  const bytes = options.asset(shape.asset)
  const href = bytes ? `data:${imageMimeType(bytes)};base64,${toBase64(bytes)}` : ''
  return `<image ${attributes} width="${round(shape.width)}" height="${round(shape.height)}" preserveAspectRatio="none" href="${href}"/>`
}

/** Text as one <g> element: the note behind it (stickies) and a <text> with a <tspan> per line. */
function svgText(shape: TextShape | StickyShape, attributes: string, options: SvgOptions): string {
  const { layout, left, top, color } = textOf(shape, options.dark)
  const lineHeight = shape.fontSize * LINE_HEIGHT
  const lines = layout.lines
    .map((line, index) => `<tspan x="${round(left)}" y="${round(top + (index + 0.5) * lineHeight)}">${escapeXml(line) || ' '}</tspan>`)
    .join('')
  const note = shape.type === 'sticky' ? `<rect width="${round(shape.width)}" height="${round(shape.height)}" rx="6" fill="${shape.fill}"/>` : ''
  const font = `font-family="${escapeXml(FONT_FAMILY)}" font-size="${shape.fontSize}" dominant-baseline="central" xml:space="preserve"`
  return `<g ${attributes}>${note}<text ${font} fill="${color}">${lines}</text></g>`
}

export interface PngOptions extends ExportOptions {
  readonly pixelRatio: number
  /** Decoded images by asset hash; missing ones are left out. */
  readonly images: ReadonlyMap<string, ImageBitmap>
}

/**
 * The longest canvas side made for a PNG: Chromium's and Firefox's limit (Safari's is higher).
 * Browsers do not say when a canvas is too big: it stays blank, or gives no PNG.
 */
export const MAX_CANVAS_SIDE = 32_767
/**
 * The most pixels of a canvas made for a PNG: under every desktop browser's limit (Chromium and
 * Safari 16384², Firefox 11180²) and 256 MiB of pixels. Where a browser still cannot make the
 * canvas (iOS Safari stops at 4096²) the export is tried again at half the scale (a quarter of
 * the pixels), at most PNG_RETRIES times.
 */
export const MAX_CANVAS_PIXELS = 8192 * 8192
const PNG_RETRIES = 4

/** A PNG export failed: nothing that can be drawn, or no canvas the browser would make. */
export class PngExportError extends Error {
  override name = 'PngExportError'
}

/** The part of the board a PNG shows (board units) and its size in pixels: `scale` pixels a unit. */
export interface PngFrame {
  readonly area: Box
  readonly scale: number
  readonly width: number
  readonly height: number
}

/**
 * Where a PNG of `shapes` is cut from the board (their bounds and a margin) and at what scale:
 * `pixelRatio` pixels a unit, or fewer where that would make a canvas over MAX_CANVAS_SIDE or
 * MAX_CANVAS_PIXELS (shapes 20 million units apart, a board's widest, come out 8,192 pixels wide).
 */
export function pngFrame(shapes: readonly Shape[], pixelRatio: number): PngFrame {
  const area = exportArea(shapes)
  if (![area.x, area.y, area.width, area.height].every(Number.isFinite)) {
    throw new PngExportError('the shapes have no finite bounds')
  }
  if (!(pixelRatio > 0) || !Number.isFinite(pixelRatio)) throw new PngExportError(`pixel ratio ${pixelRatio} is not a positive number`)
  // The area is at least 2 * EXPORT_MARGIN a side, so none of these divides by zero.
  let scale = Math.min(pixelRatio, MAX_CANVAS_SIDE / area.width, MAX_CANVAS_SIDE / area.height, Math.sqrt(MAX_CANVAS_PIXELS / (area.width * area.height)))
  for (;;) {
    const width = Math.max(1, Math.ceil(area.width * scale))
    const height = Math.max(1, Math.ceil(area.height * scale))
    // Rounding up can add a row or a column past a limit: then a little smaller.
    if (width <= MAX_CANVAS_SIDE && height <= MAX_CANVAS_SIDE && width * height <= MAX_CANVAS_PIXELS) return { area, scale, width, height }
    scale *= 0.999
  }
}

/**
 * A PNG of the shapes at `pixelRatio` (2: crisp on high-density screens and in documents), or
 * smaller where the board is too big for a canvas at that (see pngFrame). Drawn with each shape's
 * offset from the area's corner computed first: shapes 10 million units out are drawn near the
 * canvas's origin, never through transforms of ±10⁷ (the canvas's float precision).
 */
export async function exportPng(shapes: readonly Shape[], options: PngOptions): Promise<Blob> {
  let frame = pngFrame(shapes, options.pixelRatio)
  for (let retry = 0; ; retry++) {
    const blob = await paintPng(shapes, frame, options)
    if (blob) return blob
    if (retry === PNG_RETRIES || (frame.width === 1 && frame.height === 1)) {
      throw new PngExportError(`the browser could not make a canvas for the PNG, even at ${frame.width} × ${frame.height} pixels`)
    }
    frame = pngFrame(shapes, frame.scale / 2)
  }
}

/** The PNG of one frame; null where the browser did not make the canvas or its PNG (it was too big for it). */
async function paintPng(shapes: readonly Shape[], frame: PngFrame, options: PngOptions): Promise<Blob | null> {
  const canvas = document.createElement('canvas')
  canvas.width = frame.width
  canvas.height = frame.height
  try {
    const context = canvas.getContext('2d')
    if (!context) return null
    context.fillStyle = options.background
    context.fillRect(0, 0, frame.width, frame.height)
    const { area, scale } = frame
    for (const shape of shapes) {
      context.save()
      context.setTransform(scale, 0, 0, scale, (shape.x - area.x) * scale, (shape.y - area.y) * scale)
      context.rotate(shape.rotation)
      context.globalAlpha = shape.opacity
      exporterOf(shape).paint(context, shape, options)
      context.restore()
    }
    return await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
  } finally {
    // Its pixels go now, not when it is collected: browsers cap the memory of all canvases together.
    canvas.width = 0
    canvas.height = 0
  }
}

function paintImage(context: CanvasRenderingContext2D, shape: ImageShape, options: PngOptions): void {
  const bitmap = options.images.get(shape.asset)
  if (bitmap) context.drawImage(bitmap, 0, 0, shape.width, shape.height)
}

function paintText(context: CanvasRenderingContext2D, shape: TextShape | StickyShape, options: PngOptions): void {
  if (shape.type === 'sticky') {
    context.fillStyle = shape.fill
    context.beginPath()
    context.roundRect(0, 0, shape.width, shape.height, 6)
    context.fill()
  }
  const { layout, left, top, color } = textOf(shape, options.dark)
  context.font = fontOf(shape.fontSize)
  context.fillStyle = color
  drawLines(context, layout, shape.fontSize, left, top)
}

function paintInk(context: CanvasRenderingContext2D, shape: InkedShape, options: PngOptions): void {
  const color = displayColor(shape.color, options.dark)
  const { d, filledInk } = pathOf(shape)
  const path = new Path2D(d)
  if (filledInk) {
    context.fillStyle = color
    context.fill(path)
    return
  }
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

/**
 * How a shape of each type is exported, drawn in its own frame (origin at 0, 0, unrotated): its
 * SVG element, and its painting on a PNG's canvas. One per type, as the canvas's renderers are
 * (render/shapes/renderer.ts): a new shape type does not compile until it can be exported.
 */
interface ShapeExporter<S extends Shape> {
  svg(shape: S, attributes: string, options: SvgOptions): string
  paint(context: CanvasRenderingContext2D, shape: S, options: PngOptions): void
}

const ink: ShapeExporter<InkedShape> = { svg: svgInk, paint: paintInk }
const text: ShapeExporter<TextShape | StickyShape> = { svg: svgText, paint: paintText }

const EXPORTERS: { readonly [T in ShapeType]: ShapeExporter<Extract<Shape, { type: T }>> } = {
  stroke: ink,
  rectangle: ink,
  ellipse: ink,
  line: ink,
  arrow: ink,
  text,
  sticky: text,
  image: { svg: svgImage, paint: paintImage },
}

function exporterOf<S extends Shape>(shape: S): ShapeExporter<S> {
  return EXPORTERS[shape.type] as unknown as ShapeExporter<S>
}
