/**
 * Excalidraw's scenes (`.excalidraw` files, and what Excalidraw puts on the clipboard) to and from
 * the board's JSON (board-json.ts), as faithfully as meshboard's shapes allow. What has no
 * meshboard equivalent is named (`lost`), never dropped silently: diamonds become pen outlines,
 * lines with bends become strokes, dashes, hatching, fonts, groups and links go.
 *
 * Excalidraw turns an element about its middle and keeps line and stroke points relative to its
 * (x, y); meshboard turns a box about its top left corner and lists stroke and line points in
 * board coordinates. Both keep z-order as the order of the list, bottom first.
 *
 * Loaded when a drawing from Excalidraw arrives or one is exported (excalidraw-kind.ts tells them apart).
 */
import { msg } from '@lit/localize'
import { generateNKeysBetween } from 'fractional-indexing'
import { hashAsset, imageMimeType, MAX_ASSET_BYTES } from './assets'
import { fromBase64, toBase64 } from './base64'
import { BOARD_JSON_VERSION, type BoardJSON, type ShapeJSON } from './board-json'
import { EXCALIDRAW_FILE } from './excalidraw-kind'
import { isShapeId, newShapeId } from './ids'
import { STYLE_LIMITS } from './shapes'

type Point = readonly [number, number]

/** The fields of an Excalidraw element this module reads or writes (Excalidraw 0.18). */
export interface ExcalidrawElement {
  id: string
  type: string
  x: number
  y: number
  width: number
  height: number
  angle: number
  strokeColor: string
  backgroundColor: string
  fillStyle: string
  strokeWidth: number
  strokeStyle: string
  roughness: number
  opacity: number
  groupIds: string[]
  frameId: string | null
  index: string | null
  roundness: { type: number } | null
  seed: number
  version: number
  versionNonce: number
  isDeleted: boolean
  boundElements: { id: string; type: string }[] | null
  updated: number
  link: string | null
  locked: boolean
  points?: number[][]
  pressures?: number[]
  simulatePressure?: boolean
  startArrowhead?: string | null
  endArrowhead?: string | null
  startBinding?: unknown
  endBinding?: unknown
  lastCommittedPoint?: number[] | null
  elbowed?: boolean
  text?: string
  originalText?: string
  fontSize?: number
  fontFamily?: number
  textAlign?: string
  verticalAlign?: string
  containerId?: string | null
  autoResize?: boolean
  lineHeight?: number
  fileId?: string | null
  status?: string
  scale?: [number, number]
  crop?: unknown
}

export interface ExcalidrawFile {
  mimeType: string
  id: string
  dataURL: string
  created: number
}

export interface ExcalidrawScene {
  type: typeof EXCALIDRAW_FILE
  version: 2
  source: string
  elements: ExcalidrawElement[]
  appState: { viewBackgroundColor: string; gridSize: null }
  files: Record<string, ExcalidrawFile>
}

/** What did not come across, each named once, in the interface's language. */
type Loss = () => string
const LOSSES = {
  diamonds: () => msg('diamonds (drawn as outlines, without their fill)', { id: 'excalidraw.lost.diamonds', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep' }),
  bends: () => msg('lines with bends (now pen strokes)', { id: 'excalidraw.lost.bends', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep: lines and arrows with more than two points' }),
  startHeads: () => msg('arrowheads at the start of arrows', { id: 'excalidraw.lost.start-heads', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep' }),
  curves: () => msg('curved lines (now straight)', { id: 'excalidraw.lost.curves', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep' }),
  dashes: () => msg('dashed and dotted lines', { id: 'excalidraw.lost.dashes', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep' }),
  hatching: () => msg('hatched fills (now solid)', { id: 'excalidraw.lost.hatching', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep' }),
  fonts: () => msg('fonts and text alignment', { id: 'excalidraw.lost.fonts', desc: "in a list of what an Excalidraw file had that meshboard cannot keep: meshboard draws text in one font, aligned left" }),
  groups: () => msg('groups', { id: 'excalidraw.lost.groups', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep (the shapes stay, ungrouped)' }),
  links: () => msg('links', { id: 'excalidraw.lost.links', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep: web links attached to shapes' }),
  frames: () => msg('frames and embedded pages', { id: 'excalidraw.lost.frames', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep' }),
  images: () => msg('images whose picture is missing or too big', { id: 'excalidraw.lost.images', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep' }),
  crops: () => msg('cropped and flipped images (shown whole)', { id: 'excalidraw.lost.crops', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep' }),
  corners: () => msg('rounded corners', { id: 'excalidraw.lost.corners', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep: meshboard draws rectangles with sharp corners' }),
  colours: () => msg('colours meshboard cannot show', { id: 'excalidraw.lost.colours', desc: 'in a list of what an Excalidraw file had that meshboard cannot keep' }),
} satisfies Record<string, Loss>

export interface FromExcalidraw {
  readonly board: BoardJSON
  /** What the scene had that the board cannot keep, in the interface's language. */
  readonly lost: string[]
}

const DEFAULT_INK = '#1e1e1e'

/** #rgb, #rrggbb or #rrggbbaa as #rrggbb; null for "transparent" and what is no colour. */
function hexColour(value: unknown): string | null {
  const hex = typeof value === 'string' ? /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(value.trim())?.[1] : undefined
  if (!hex) return null
  const six = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex.slice(0, 6)
  return `#${six.toLowerCase()}`
}

const finite = (value: unknown, fallback = 0): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback)
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value))

/** p turned by `angle` about `centre`. */
function turn([x, y]: Point, centre: Point, angle: number): [number, number] {
  const cos = Math.cos(angle)
  const sin = Math.sin(angle)
  const dx = x - centre[0]
  const dy = y - centre[1]
  return [centre[0] + dx * cos - dy * sin, centre[1] + dx * sin + dy * cos]
}

/** Excalidraw's id where meshboard can keep it (a round trip keeps ids), else a new one. */
const idOf = (element: ExcalidrawElement) => ({ id: isShapeId(element.id) ? element.id : newShapeId() })

/** `data:image/png;base64,…` as bytes, or null. */
function dataUrlBytes(url: unknown): Uint8Array | null {
  if (typeof url !== 'string') return null
  const match = /^data:[^;,]*;base64,(.*)$/s.exec(url)
  if (!match) return null
  try {
    return fromBase64(match[1]!)
  } catch {
    return null
  }
}

/**
 * An Excalidraw scene or clipboard as a board JSON (for importJSON or a paste), and what it lost.
 * Async: an image's asset is named by the SHA-256 of its bytes.
 */
export async function fromExcalidraw(scene: { elements: unknown[]; files?: unknown }): Promise<FromExcalidraw> {
  const lost = new Set<Loss>()
  const shapes: ShapeJSON[] = []
  const assets: Record<string, string> = {}
  const files = (typeof scene.files === 'object' && scene.files !== null ? scene.files : {}) as Record<string, { dataURL?: unknown }>
  for (const value of scene.elements) {
    if (typeof value !== 'object' || value === null) continue
    const element = value as ExcalidrawElement
    if (element.isDeleted) continue
    if (element.groupIds?.length) lost.add(LOSSES.groups)
    if (element.link) lost.add(LOSSES.links)
    if (element.strokeStyle === 'dashed' || element.strokeStyle === 'dotted') lost.add(LOSSES.dashes)
    const shape = await shapeOf(element, files, assets, lost)
    if (shape) shapes.push(shape)
  }
  const board: BoardJSON = { version: BOARD_JSON_VERSION, shapes, ...(Object.keys(assets).length ? { assets } : {}) }
  return { board, lost: [...lost].map((loss) => loss()) }
}

async function shapeOf(element: ExcalidrawElement, files: Record<string, { dataURL?: unknown }>, assets: Record<string, string>, lost: Set<Loss>): Promise<ShapeJSON | null> {
  const x = finite(element.x)
  const y = finite(element.y)
  const width = Math.abs(finite(element.width))
  const height = Math.abs(finite(element.height))
  const angle = finite(element.angle)
  const centre: Point = [x + width / 2, y + height / 2]
  const opacity = clamp(finite(element.opacity, 100) / 100, 0, 1)
  const ink = hexColour(element.strokeColor) ?? (element.strokeColor === 'transparent' ? null : (lost.add(LOSSES.colours), DEFAULT_INK))
  const color = ink ?? DEFAULT_INK
  const strokeWidth = clamp(finite(element.strokeWidth, 2), STYLE_LIMITS.minWidth, STYLE_LIMITS.maxWidth)
  const background = element.backgroundColor && element.backgroundColor !== 'transparent' ? hexColour(element.backgroundColor) : null
  if (element.backgroundColor && element.backgroundColor !== 'transparent' && !background) lost.add(LOSSES.colours)
  // A box of meshboard turns about its top left corner: where that corner is once Excalidraw's box is turned about its middle.
  const [cornerX, cornerY] = turn([x, y], centre, angle)
  const common = { ...idOf(element), rotation: angle, opacity }
  const absolute = (points: number[][]) => points.map(([px = 0, py = 0]) => turn([x + finite(px), y + finite(py)], centre, angle))
  switch (element.type) {
    case 'rectangle':
    case 'ellipse':
      if (background && element.fillStyle !== 'solid') lost.add(LOSSES.hatching)
      if (element.type === 'rectangle' && element.roundness) lost.add(LOSSES.corners)
      return { ...common, type: element.type, x: cornerX, y: cornerY, width, height, color, strokeWidth, fill: background }
    case 'diamond': {
      if (background) lost.add(LOSSES.diamonds)
      const corners = absolute([[width / 2, 0], [width, height / 2], [width / 2, height], [0, height / 2], [width / 2, 0]])
      return { ...common, rotation: 0, type: 'stroke', x: corners[0]![0], y: corners[0]![1], color, strokeWidth, points: corners }
    }
    case 'line':
    case 'arrow': {
      const points = absolute(Array.isArray(element.points) ? element.points : [])
      if (points.length < 2) return null
      const arrow = element.type === 'arrow' && element.endArrowhead != null
      if (element.type === 'arrow' && element.startArrowhead != null) lost.add(LOSSES.startHeads)
      if (points.length > 2) {
        lost.add(LOSSES.bends)
        if (element.roundness && !element.elbowed) lost.add(LOSSES.curves)
        return { ...common, rotation: 0, type: 'stroke', x: points[0]![0], y: points[0]![1], color, strokeWidth, points }
      }
      return { ...common, rotation: 0, type: arrow ? 'arrow' : 'line', x: points[0]![0], y: points[0]![1], color, strokeWidth, points: [points[0]!, points[1]!] }
    }
    case 'freedraw': {
      const relative = Array.isArray(element.points) ? element.points : []
      if (relative.length === 0) return null
      const pressures = !element.simulatePressure && element.pressures?.length === relative.length ? element.pressures : null
      const points = absolute(relative).map(([px, py], index) => (pressures ? [px, py, clamp(finite(pressures[index], 0.5), 0, 1)] : [px, py]))
      return { ...common, rotation: 0, type: 'stroke', x: points[0]![0]!, y: points[0]![1]!, color, strokeWidth, points }
    }
    case 'text': {
      const text = String(element.originalText ?? element.text ?? '').slice(0, STYLE_LIMITS.maxTextLength)
      if ((element.textAlign && element.textAlign !== 'left') || element.fontFamily !== undefined) lost.add(LOSSES.fonts)
      const fontSize = clamp(finite(element.fontSize, 20), STYLE_LIMITS.minFontSize, STYLE_LIMITS.maxFontSize)
      return { ...common, type: 'text', x: cornerX, y: cornerY, width, height, color, text, fontSize, ...(element.autoResize !== false ? { autoWidth: true as const } : {}) }
    }
    case 'image': {
      const bytes = dataUrlBytes(files[element.fileId ?? '']?.dataURL)
      if (!bytes || bytes.length > MAX_ASSET_BYTES || !imageMimeType(bytes)) {
        lost.add(LOSSES.images)
        return null
      }
      if (element.crop || (element.scale && (element.scale[0] < 0 || element.scale[1] < 0))) lost.add(LOSSES.crops)
      const asset = await hashAsset(bytes)
      assets[asset] = toBase64(bytes)
      return { ...common, type: 'image', x: cornerX, y: cornerY, width, height, asset }
    }
    default:
      // Frames, embedded pages and iframes (and Excalidraw's own helpers such as a selection box).
      if (element.type !== 'selection') lost.add(LOSSES.frames)
      return null
  }
}

/** Random integers Excalidraw uses to vary its hand-drawn look and to order concurrent edits. */
const randomInteger = () => Math.floor(Math.random() * 2 ** 31)

/** The fields every element of a scene has, with Excalidraw's defaults. */
function base(id: string, type: string, x: number, y: number, width: number, height: number, opacity: number, extra: Partial<ExcalidrawElement>): ExcalidrawElement {
  return {
    id,
    type,
    x,
    y,
    width,
    height,
    angle: 0,
    strokeColor: DEFAULT_INK,
    backgroundColor: 'transparent',
    fillStyle: 'solid',
    strokeWidth: 2,
    strokeStyle: 'solid',
    // meshboard draws clean lines: Excalidraw's "architect" look (no sketchiness) is the nearest.
    roughness: 0,
    opacity: Math.round(opacity * 100),
    groupIds: [],
    frameId: null,
    index: null,
    roundness: null,
    seed: randomInteger(),
    version: 1,
    versionNonce: randomInteger(),
    isDeleted: false,
    boundElements: null,
    updated: Date.now(),
    link: null,
    locked: false,
    ...extra,
  }
}

/** An angle in [0, 2π), as Excalidraw keeps them. */
const positive = (angle: number) => ((angle % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)

/** Excalidraw's box for a meshboard box turned about its top left corner: the same box, turned about its middle. */
function boxPlacement(shape: { x: number; y: number; width: number; height: number; rotation: number }) {
  const [cx, cy] = turn([shape.x + shape.width / 2, shape.y + shape.height / 2], [shape.x, shape.y], shape.rotation)
  return { x: cx - shape.width / 2, y: cy - shape.height / 2, angle: positive(shape.rotation) }
}

/** Excalidraw's font that looks most like meshboard's (the system's sans-serif): Helvetica. */
const HELVETICA = 2
const LINE_HEIGHT = 1.25

/** A board JSON (exportJSON's) as an Excalidraw scene, the `.excalidraw` file Excalidraw opens. */
export function toExcalidraw(board: BoardJSON, background = '#ffffff'): ExcalidrawScene {
  const elements: ExcalidrawElement[] = []
  const files: Record<string, ExcalidrawFile> = {}
  const created = Date.now()
  for (const shape of board.shapes) {
    const ink = { strokeColor: 'color' in shape ? shape.color : DEFAULT_INK }
    switch (shape.type) {
      case 'stroke': {
        const [x0, y0] = [Math.min(...shape.points.map((p) => p[0]!)), Math.min(...shape.points.map((p) => p[1]!))]
        const [x1, y1] = [Math.max(...shape.points.map((p) => p[0]!)), Math.max(...shape.points.map((p) => p[1]!))]
        const pressure = shape.points.every((point) => point.length > 2)
        elements.push(
          base(shape.id, 'freedraw', x0, y0, x1 - x0, y1 - y0, shape.highlight ? shape.opacity * 0.4 : shape.opacity, {
            ...ink,
            strokeWidth: shape.strokeWidth,
            points: shape.points.map(([px, py]) => [px! - x0, py! - y0]),
            pressures: pressure ? shape.points.map((point) => point[2]!) : [],
            simulatePressure: !pressure,
            lastCommittedPoint: null,
          }),
        )
        break
      }
      case 'rectangle':
      case 'ellipse':
        elements.push(
          base(shape.id, shape.type, 0, 0, shape.width, shape.height, shape.opacity, {
            ...boxPlacement(shape),
            ...ink,
            strokeWidth: shape.strokeWidth,
            backgroundColor: shape.fill ?? 'transparent',
          }),
        )
        break
      case 'line':
      case 'arrow': {
        const [[x1, y1], [x2, y2]] = shape.points
        elements.push(
          base(shape.id, shape.type, x1, y1, Math.abs(x2 - x1), Math.abs(y2 - y1), shape.opacity, {
            ...ink,
            strokeWidth: shape.strokeWidth,
            points: [[0, 0], [x2 - x1, y2 - y1]],
            lastCommittedPoint: null,
            startBinding: null,
            endBinding: null,
            startArrowhead: null,
            endArrowhead: shape.type === 'arrow' ? 'arrow' : null,
            ...(shape.type === 'arrow' ? { elbowed: false } : {}),
          }),
        )
        break
      }
      case 'text':
        elements.push(textElement(shape.id, shape, shape.color, null))
        break
      case 'sticky': {
        // A note: a filled square with its text bound inside, as Excalidraw draws text in a container.
        const textId = `${shape.id}-text`.slice(0, 64)
        elements.push(
          base(shape.id, 'rectangle', 0, 0, shape.width, shape.height, shape.opacity, {
            ...boxPlacement(shape),
            strokeColor: 'transparent',
            backgroundColor: shape.fill,
            boundElements: [{ id: textId, type: 'text' }],
          }),
        )
        const padding = Math.min(16, shape.width / 8)
        elements.push(textElement(textId, { ...shape, x: shape.x + padding, y: shape.y + padding, width: shape.width - 2 * padding, height: shape.height - 2 * padding }, shape.color, shape.id))
        break
      }
      case 'image': {
        const bytes = board.assets?.[shape.asset] ? fromBase64(board.assets[shape.asset]!) : null
        const mimeType = bytes && imageMimeType(bytes)
        if (!bytes || !mimeType) break
        files[shape.asset] = { mimeType, id: shape.asset, dataURL: `data:${mimeType};base64,${board.assets![shape.asset]}`, created }
        elements.push(base(shape.id, 'image', 0, 0, shape.width, shape.height, shape.opacity, { ...boxPlacement(shape), strokeColor: 'transparent', fileId: shape.asset, status: 'saved', scale: [1, 1], crop: null }))
        break
      }
    }
  }
  const indices = generateNKeysBetween(null, null, elements.length)
  elements.forEach((element, i) => (element.index = indices[i]!))
  return { type: EXCALIDRAW_FILE, version: 2, source: 'https://github.com/meshboard/meshboard', elements, appState: { viewBackgroundColor: background, gridSize: null }, files }
}

function textElement(id: string, shape: { x: number; y: number; width: number; height: number; rotation: number; opacity: number; text: string; fontSize: number; autoWidth?: true }, color: string, containerId: string | null): ExcalidrawElement {
  return base(id, 'text', 0, 0, shape.width, shape.height, shape.opacity, {
    ...boxPlacement(shape),
    strokeColor: color,
    text: shape.text,
    originalText: shape.text,
    fontSize: shape.fontSize,
    fontFamily: HELVETICA,
    textAlign: 'left',
    verticalAlign: 'top',
    containerId,
    autoResize: containerId === null && shape.autoWidth === true,
    lineHeight: LINE_HEIGHT,
  })
}
