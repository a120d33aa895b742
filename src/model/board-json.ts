/**
 * The portable JSON form of a board: what `exportJSON()` returns, `importJSON()` accepts and a
 * `.meshboard` file holds. Strokes list their points in board coordinates as [x, y] or
 * [x, y, pressure]; rectangles, ellipses, text, notes and images are boxes (x, y, width, height);
 * lines and arrows list their two ends as points. Image bytes travel base64 in `assets`.
 */
import { msg, str } from '@lit/localize'
import { formatNumber } from '../i18n/format'
import { fromBase64, toBase64 } from './base64'
import * as Y from 'yjs'
import { assetsOf, imageMimeType, isAssetHash, MAX_ASSET_BYTES, readAsset } from './assets'
import { isShapeId, newShapeId, type ShapeId } from './ids'
import { decodeBoardPoints, decodePoints, encodePoints, MAX_POINTS_PER_STROKE, MAX_RELATIVE_COORDINATE, POINT_STRIDE, PRESSURE_STEPS } from './point-codec'
import { replaceAllShapes, type ShapeFields } from './ops'
import { transactLocal } from './board-doc'
import { makeRoom } from './board-budget'
import { shapesOf } from './board-doc'
import { compareZ, STYLE_LIMITS, type Shape, type StrokeShape } from './shapes'
import { isColor, isCoordinate, isExtent, isFontSize, isOpacity, isRotation, isSize, isStrokeWidth, isText, readShape, strokeBytes } from './validate'

/** The format `exportJSON()` gives: every point listed. */
export const BOARD_JSON_VERSION = 1
/** The format of `.meshboard` files since strokes' points are kept encoded (EncodedStrokeJSON); files of format 1 still open. */
export const BOARD_FILE_VERSION = 2

interface CommonJSON {
  id: string
  x: number
  y: number
  rotation: number
  opacity: number
}

interface InkJSON extends CommonJSON {
  color: string
  strokeWidth: number
}

export interface StrokeJSON extends InkJSON {
  type: 'stroke'
  /** Present (true) for highlighter strokes only. */
  highlight?: true
  points: number[][]
}

export interface BoxJSON extends InkJSON {
  type: 'rectangle' | 'ellipse'
  width: number
  height: number
  fill: string | null
}

export interface LineJSON extends InkJSON {
  type: 'line' | 'arrow'
  /** Start and end in board coordinates. */
  points: [[number, number], [number, number]]
}

export interface TextJSON extends CommonJSON {
  type: 'text'
  color: string
  text: string
  fontSize: number
  width: number
  height: number
  /** Present (true) while the text box grows with its text instead of wrapping. */
  autoWidth?: true
}

export interface StickyJSON extends CommonJSON {
  type: 'sticky'
  color: string
  fill: string
  text: string
  fontSize: number
  width: number
  height: number
}

export interface ImageJSON extends CommonJSON {
  type: 'image'
  width: number
  height: number
  /** SHA-256 (hex) of the image bytes, a key of `assets`. */
  asset: string
}

export type ShapeJSON = StrokeJSON | BoxJSON | LineJSON | TextJSON | StickyJSON | ImageJSON

export interface BoardJSON {
  version: number
  shapes: ShapeJSON[]
  /** Image bytes by hash, base64. Only the images the shapes use. */
  assets?: Record<string, string>
}

/**
 * A stroke as a `.meshboard` file keeps it: its points in the document's compact stream
 * (point-codec.ts: relative to x, y before rotation, in quarter units, each coordinate, and the
 * pressure step when `pressure`, as a lib0 signed varint delta from the point before), base64.
 */
export interface EncodedStrokeJSON extends Omit<StrokeJSON, 'points'> {
  pressure: boolean
  encodedPoints: string
}

/** What a `.meshboard` file holds (format BOARD_FILE_VERSION): strokes with encoded points. */
export interface BoardFileJSON {
  version: number
  shapes: (ShapeJSON | EncodedStrokeJSON)[]
  assets?: Record<string, string>
}

/** Every valid shape of the document, bottom first. */
export function readAllShapes(doc: Y.Doc): { shapes: Shape[]; invalid: number } {
  const shapes: Shape[] = []
  let invalid = 0
  shapesOf(doc).forEach((value, id) => {
    const shape = readShape(id, value)
    if (shape) shapes.push(shape)
    else invalid++
  })
  shapes.sort(compareZ)
  return { shapes, invalid }
}

/**
 * The whole board as `exportJSON()` gives it. Strokes' points are decoded straight into the
 * arrays listed, not through the shapes' own decoding first (10,000 strokes in Node: 230-430 ms
 * against 340-580 in the same runs; allocating the million lists alone takes 135-180).
 */
export function exportBoard(doc: Y.Doc): BoardJSON {
  return exportWith(doc, (stroke, bytes) => {
    const points = decodeBoardPoints(bytes, stroke.pressure, stroke.x, stroke.y, stroke.rotation)
    return points && { ...strokeFields(stroke), points }
  })
}

/**
 * The whole board as a `.meshboard` file holds it (format BOARD_FILE_VERSION): as exportBoard,
 * but a stroke's points are the document's own compact stream (point-codec.ts), base64, in
 * `encodedPoints`: a sixth of the bytes of listed points (10,000 strokes: 35.5 MB → 5.5 MB), and
 * nothing decoded but to check it. importJSON takes both forms.
 */
export function exportBoardFile(doc: Y.Doc): BoardFileJSON {
  const board = exportWith(doc, (stroke, bytes) => {
    if (!decodePoints(bytes, stroke.pressure)?.length) return null
    return { ...strokeFields(stroke), pressure: stroke.pressure, encodedPoints: toBase64(bytes) }
  })
  return { ...board, version: BOARD_FILE_VERSION }
}

/** Every valid shape of the board, bottom first, strokes as `strokeJSON` makes them (null: invalid, left out), with their images. */
function exportWith<S>(doc: Y.Doc, strokeJSON: (stroke: StrokeShape, bytes: Uint8Array) => S | null): { version: number; shapes: (ShapeJSON | S)[]; assets?: Record<string, string> } {
  const read: { shape: Shape; map: Y.Map<unknown> }[] = []
  shapesOf(doc).forEach((map, id) => {
    if (!(map instanceof Y.Map)) return
    // Points are checked as they are decoded below, not here.
    const shape = readShape(id, map, { knownValid: true })
    if (shape) read.push({ shape, map })
  })
  read.sort((a, b) => compareZ(a.shape, b.shape))
  const shapes: (ShapeJSON | S)[] = []
  const kept: Shape[] = []
  for (const { shape, map } of read) {
    const bytes = shape.type === 'stroke' ? strokeBytes(map) : null
    const json = shape.type === 'stroke' ? bytes && strokeJSON(shape, bytes) : shapeToJSON(shape)
    if (!json) continue
    shapes.push(json)
    kept.push(shape)
  }
  const assets = assetsFor(doc, kept)
  return { version: BOARD_JSON_VERSION, shapes, ...(assets ? { assets } : {}) }
}

/** The images `shapes` use, by hash, base64; undefined when they use none. */
function assetsFor(doc: Y.Doc, shapes: readonly Shape[]): Record<string, string> | undefined {
  const assets: Record<string, string> = {}
  for (const shape of shapes) {
    if (shape.type !== 'image' || shape.asset in assets) continue
    const bytes = readAsset(doc, shape.asset)
    if (bytes) assets[shape.asset] = toBase64(bytes)
  }
  return Object.keys(assets).length > 0 ? assets : undefined
}

/** Some shapes of the board (bottom first) with the images they use: a file, or the clipboard. */
export function exportShapes(doc: Y.Doc, shapes: readonly Shape[]): BoardJSON {
  const assets = assetsFor(doc, shapes)
  return { version: BOARD_JSON_VERSION, shapes: shapes.map(shapeToJSON), ...(assets ? { assets } : {}) }
}

function shapeToJSON(shape: Shape): ShapeJSON {
  const common: CommonJSON = { id: shape.id, x: shape.x, y: shape.y, rotation: shape.rotation, opacity: shape.opacity }
  switch (shape.type) {
    case 'stroke':
      return strokeToJSON(shape)
    case 'rectangle':
    case 'ellipse':
      return { ...common, type: shape.type, color: shape.color, strokeWidth: shape.strokeWidth, width: shape.width, height: shape.height, fill: shape.fill }
    case 'line':
    case 'arrow': {
      const cos = Math.cos(shape.rotation)
      const sin = Math.sin(shape.rotation)
      const end: [number, number] = [shape.x + shape.dx * cos - shape.dy * sin, shape.y + shape.dx * sin + shape.dy * cos]
      return { ...common, type: shape.type, color: shape.color, strokeWidth: shape.strokeWidth, points: [[shape.x, shape.y], end] }
    }
    case 'text': {
      const { color, text, fontSize, width, height } = shape
      return { ...common, type: 'text', color, text, fontSize, width, height, ...(shape.autoWidth ? { autoWidth: true as const } : {}) }
    }
    case 'sticky': {
      const { color, fill, text, fontSize, width, height } = shape
      return { ...common, type: 'sticky', color, fill, text, fontSize, width, height }
    }
    case 'image':
      return { ...common, type: 'image', width: shape.width, height: shape.height, asset: shape.asset }
  }
}

function strokeToJSON(stroke: StrokeShape): StrokeJSON {
  const cos = Math.cos(stroke.rotation)
  const sin = Math.sin(stroke.rotation)
  const points: number[][] = []
  const p = stroke.points
  for (let i = 0; i < p.length; i += POINT_STRIDE) {
    const dx = p[i]!
    const dy = p[i + 1]!
    const x = stroke.x + dx * cos - dy * sin
    const y = stroke.y + dx * sin + dy * cos
    // Decoded pressure is a float32; re-derive the exact step so exports read 0.2, not 0.2000000029.
    points.push(stroke.pressure ? [x, y, Math.round(p[i + 2]! * PRESSURE_STEPS) / PRESSURE_STEPS] : [x, y])
  }
  return { ...strokeFields(stroke), points }
}

/** A stroke's fields in its JSON, all but its points. */
function strokeFields(stroke: StrokeShape): Omit<StrokeJSON, 'points'> {
  return {
    id: stroke.id,
    type: 'stroke',
    x: stroke.x,
    y: stroke.y,
    rotation: stroke.rotation,
    color: stroke.color,
    strokeWidth: stroke.strokeWidth,
    opacity: stroke.opacity,
    ...(stroke.highlight ? { highlight: true as const } : {}),
  }
}

/** Thrown by `importBoard` for input that is not a board; the document is left untouched. */
export class BoardImportError extends Error {
  override name = 'BoardImportError'
}

/**
 * Replaces the board's content with `json` in two transactions: its images are stored first
 * (`storeAssets`, not part of undo), then the shapes are replaced (`replaceAllShapes`, one undo
 * step). The whole input is validated first, and a file whose images would not fit the board's
 * budget is refused before either, so a bad file changes nothing. Shapes without an id get a new one.
 */
export function importBoard(doc: Y.Doc, json: unknown): ShapeId[] {
  const board = parseBoard(json)
  storeAssets(doc, board.assets)
  replaceAllShapes(doc, board.shapes)
  return board.shapes.map((shape) => shape.id)
}

/** A board JSON (object or string) validated into shapes ready to insert and the images they use (not stored: see storeAssets). */
export function parseBoard(json: unknown): { shapes: { id: ShapeId; fields: ShapeFields }[]; assets: Map<string, Uint8Array> } {
  const parsed = typeof json === 'string' ? parseJSON(json) : json
  if (!isRecord(parsed) || !Array.isArray(parsed.shapes)) {
    throw new BoardImportError(msg('Not a meshboard file: expected an object with a "shapes" array.', { id: 'import.not-a-board' }))
  }
  if (typeof parsed.version === 'number' && parsed.version > BOARD_FILE_VERSION) {
    const format = parsed.version
    throw new BoardImportError(msg(str`This board was saved by a newer meshboard (format ${format}).`, { id: 'import.newer-format', desc: 'opening a file; the placeholder is the number of its file format' }))
  }
  const assets = assetsFromJSON(parsed.assets)
  const seen = new Set<string>()
  const shapes = parsed.shapes.map((shape, index) => {
    const result = shapeFromJSON(shape, index)
    if (seen.has(result.id)) {
      const [position, id] = [figure(index), result.id]
      throw new BoardImportError(msg(str`Shape ${position}: duplicate id "${id}".`, { id: 'import.duplicate-id', desc: "opening a file; the placeholders are the shape's position in the file (from 0) and its id" }))
    }
    seen.add(result.id)
    const asset = result.fields.asset
    if (typeof asset === 'string' && !assets.has(asset)) {
      const [position, image] = [figure(index), asset.slice(0, 12)]
      throw new BoardImportError(msg(str`Shape ${position}: the image ${image}… is not in "assets".`, { id: 'import.missing-image', desc: `opening a file; the placeholders are the shape's position in the file (from 0) and the start of the image's hash; "assets" is the name of a field in the file` }))
    }
    return result
  })
  return { shapes, assets }
}

/** Writes parsed images into the board's assets (they are not part of undo: unused ones are harmless). */
export function storeAssets(doc: Y.Doc, assets: ReadonlyMap<string, Uint8Array>): void {
  if (assets.size === 0) return
  const map = assetsOf(doc)
  let bytes = 0
  for (const [hash, image] of assets) if (!(map.get(hash) instanceof Uint8Array)) bytes += image.byteLength
  makeRoom(doc, bytes)
  transactLocal(doc, () => {
    for (const [hash, bytes] of assets) if (!(map.get(hash) instanceof Uint8Array)) map.set(hash, bytes)
  })
}

function assetsFromJSON(value: unknown): Map<string, Uint8Array> {
  const assets = new Map<string, Uint8Array>()
  if (value === undefined) return assets
  if (!isRecord(value)) throw new BoardImportError(msg('"assets" must map image hashes to base64.', { id: 'import.assets-not-map', desc: 'opening a file; "assets" is the name of a field in the file' }))
  for (const [hash, data] of Object.entries(value)) {
    const image = hash.slice(0, 12)
    if (!isAssetHash(hash) || typeof data !== 'string') {
      const key = hash.slice(0, 16)
      throw new BoardImportError(msg(str`Asset "${key}": expected a SHA-256 hex key and base64 bytes.`, { id: 'import.asset-key', desc: "opening a file; the placeholder is the start of the image's key in the file" }))
    }
    let bytes: Uint8Array
    try {
      bytes = fromBase64(data)
    } catch {
      throw new BoardImportError(msg(str`Asset ${image}…: not valid base64.`, { id: 'import.asset-base64', desc: "opening a file; the placeholder is the start of the image's hash" }))
    }
    if (bytes.length > MAX_ASSET_BYTES) {
      const limit = figure(MAX_ASSET_BYTES)
      throw new BoardImportError(msg(str`Asset ${image}…: larger than ${limit} bytes.`, { id: 'import.asset-too-big', desc: "opening a file; the placeholders are the start of the image's hash and the most bytes an image may take" }))
    }
    if (imageMimeType(bytes) === null) {
      throw new BoardImportError(msg(str`Asset ${image}…: not a PNG, JPEG, GIF or WebP image.`, { id: 'import.asset-not-image', desc: "opening a file; the placeholder is the start of the image's hash" }))
    }
    assets.set(hash, bytes)
  }
  return assets
}

function shapeFromJSON(value: unknown, index: number): { id: ShapeId; fields: ShapeFields } {
  const fail = (why: string): never => {
    const position = figure(index)
    // The reasons name the file's fields and values: they stay as written here, in English.
    throw new BoardImportError(msg(str`Shape ${position}: ${why}.`, { id: 'import.invalid-shape', desc: "opening a file; the placeholders are the shape's position in the file (from 0) and what is wrong with it (technical, in English)" }))
  }
  if (!isRecord(value)) return fail('not an object')
  const id = value.id === undefined ? newShapeId() : value.id
  if (!isShapeId(id)) return fail('id must be 1-64 characters of A-Z a-z 0-9 _ -')
  switch (value.type) {
    case 'stroke':
      return { id, fields: strokeFieldsFromJSON(value, fail) }
    case 'rectangle':
    case 'ellipse':
      return { id, fields: boxFieldsFromJSON(value, fail) }
    case 'line':
    case 'arrow':
      return { id, fields: lineFieldsFromJSON(value, fail) }
    case 'text':
    case 'sticky':
      return { id, fields: textFieldsFromJSON(value, fail) }
    case 'image':
      return { id, fields: imageFieldsFromJSON(value, fail) }
    default:
      return fail(`unknown type ${JSON.stringify(value.type)}`)
  }
}

/** Position, size, rotation and opacity of a boxed shape. */
function placedFieldsFromJSON(value: Record<string, unknown>, fail: (why: string) => never) {
  const opacity = value.opacity ?? 1
  const rotation = value.rotation ?? 0
  if (!isCoordinate(value.x) || !isCoordinate(value.y)) return fail(`a ${String(value.type)} needs numeric x and y`)
  if (!isSize(value.width) || !isSize(value.height)) return fail('width and height must be numbers from 0')
  if (!isOpacity(opacity)) return fail('opacity must be between 0 and 1')
  if (!isRotation(rotation)) return fail('rotation must be a number')
  return { type: value.type as string, x: value.x, y: value.y, width: value.width, height: value.height, rotation, opacity }
}

function textFieldsFromJSON(value: Record<string, unknown>, fail: (why: string) => never): ShapeFields {
  const placed = placedFieldsFromJSON(value, fail)
  const color = value.color ?? '#1e1e1e'
  const text = value.text ?? ''
  const fontSize = value.fontSize ?? 24
  if (!isColor(color)) return fail('color must be a hex colour like #1e1e1e')
  if (!isText(text)) return fail(`text must be a string of at most ${STYLE_LIMITS.maxTextLength} characters`)
  if (!isFontSize(fontSize)) return fail(`fontSize must be from ${STYLE_LIMITS.minFontSize} to ${STYLE_LIMITS.maxFontSize}`)
  if (value.type === 'text') return { ...placed, color, text, fontSize, ...(value.autoWidth === true ? { autoWidth: true } : {}) }
  const fill = value.fill ?? '#ffec99'
  if (!isColor(fill)) return fail('fill must be a hex colour')
  return { ...placed, color, text, fontSize, fill }
}

function imageFieldsFromJSON(value: Record<string, unknown>, fail: (why: string) => never): ShapeFields {
  const placed = placedFieldsFromJSON(value, fail)
  if (!isAssetHash(value.asset)) return fail('asset must be the SHA-256 (hex) of an image in "assets"')
  return { ...placed, asset: value.asset }
}

/** Ink style and rotation, with the defaults a hand-written file may leave out. */
function commonFieldsFromJSON(value: Record<string, unknown>, fail: (why: string) => never) {
  const color = value.color ?? '#1e1e1e'
  const strokeWidth = value.strokeWidth ?? 4
  const opacity = value.opacity ?? 1
  const rotation = value.rotation ?? 0
  if (!isColor(color)) return fail('color must be a hex colour like #1e1e1e')
  if (!isStrokeWidth(strokeWidth)) return fail('strokeWidth is out of range')
  if (!isOpacity(opacity)) return fail('opacity must be between 0 and 1')
  if (!isRotation(rotation)) return fail('rotation must be a number')
  return { type: value.type as string, color, strokeWidth, opacity, rotation }
}

function boxFieldsFromJSON(value: Record<string, unknown>, fail: (why: string) => never): ShapeFields {
  const common = commonFieldsFromJSON(value, fail)
  const fill = value.fill ?? null
  if (!isCoordinate(value.x) || !isCoordinate(value.y)) return fail('a box needs numeric x and y')
  if (!isSize(value.width) || !isSize(value.height)) return fail('width and height must be numbers from 0')
  if (fill !== null && !isColor(fill)) return fail('fill must be a hex colour or null')
  // Yjs maps cannot hold null: no fill is an absent field.
  return { ...common, x: value.x, y: value.y, width: value.width, height: value.height, ...(fill ? { fill } : {}) }
}

function lineFieldsFromJSON(value: Record<string, unknown>, fail: (why: string) => never): ShapeFields {
  const common = commonFieldsFromJSON(value, fail)
  const points = value.points
  const isPoint = (point: unknown): point is number[] => Array.isArray(point) && isCoordinate(point[0]) && isCoordinate(point[1])
  if (!Array.isArray(points) || points.length !== 2 || !points.every(isPoint)) return fail('a line needs "points": [[x1, y1], [x2, y2]]')
  const [[x1, y1], [x2, y2]] = points as number[][]
  const cos = Math.cos(-common.rotation)
  const sin = Math.sin(-common.rotation)
  const ex = x2! - x1!
  const ey = y2! - y1!
  const dx = ex * cos - ey * sin
  const dy = ex * sin + ey * cos
  if (!isExtent(dx) || !isExtent(dy)) return fail('the line is too long')
  return { ...common, x: x1!, y: y1!, dx, dy }
}

function strokeFieldsFromJSON(value: Record<string, unknown>, fail: (why: string) => never): ShapeFields {
  const common = commonFieldsFromJSON(value, fail)
  if (value.encodedPoints !== undefined) return encodedStrokeFieldsFromJSON(value, common, fail)
  const points = value.points
  if (!Array.isArray(points) || points.length === 0) return fail('a stroke needs a non-empty "points" array')
  if (points.length > MAX_POINTS_PER_STROKE) return fail(`more than ${MAX_POINTS_PER_STROKE} points`)
  for (const point of points) {
    if (!Array.isArray(point) || point.length < 2 || !isCoordinate(point[0]) || !isCoordinate(point[1])) {
      return fail('each point must be [x, y] or [x, y, pressure] with finite numbers')
    }
  }
  const pressure = points.every((point) => isOpacity((point as unknown[])[2]))
  const first = points[0] as number[]
  const x = isCoordinate(value.x) ? value.x : first[0]!
  const y = isCoordinate(value.y) ? value.y : first[1]!
  // Points arrive in board coordinates; the document keeps them relative to the unrotated origin.
  const cos = Math.cos(-common.rotation)
  const sin = Math.sin(-common.rotation)
  const relative = (points as number[][]).map(([px, py, pp]) => {
    const dx = px! - x
    const dy = py! - y
    return [dx * cos - dy * sin, dx * sin + dy * cos, pp ?? 0.5]
  })
  if (relative.some(([dx, dy]) => Math.abs(dx!) > MAX_RELATIVE_COORDINATE || Math.abs(dy!) > MAX_RELATIVE_COORDINATE)) {
    return fail(`a stroke may span at most ${MAX_RELATIVE_COORDINATE} units`)
  }
  return {
    ...common,
    x,
    y,
    pressure,
    ...(value.highlight === true ? { highlight: true } : {}),
    points: encodePoints(relative, pressure),
  }
}

/** A stroke of a `.meshboard` file (EncodedStrokeJSON): its stream is checked as the document's are, and stored as it is. */
function encodedStrokeFieldsFromJSON(value: Record<string, unknown>, common: ReturnType<typeof commonFieldsFromJSON>, fail: (why: string) => never): ShapeFields {
  const { encodedPoints, pressure } = value
  if (typeof encodedPoints !== 'string' || typeof pressure !== 'boolean') return fail('a stroke with "encodedPoints" (base64) needs "pressure" (true or false)')
  if (!isCoordinate(value.x) || !isCoordinate(value.y)) return fail('a stroke with "encodedPoints" needs numeric x and y')
  let points: Uint8Array
  try {
    points = fromBase64(encodedPoints)
  } catch {
    return fail('"encodedPoints" is not valid base64')
  }
  if (!decodePoints(points, pressure)?.length) return fail(`"encodedPoints" holds no valid points (at most ${MAX_POINTS_PER_STROKE}, within ${MAX_RELATIVE_COORDINATE} units)`)
  return { ...common, x: value.x, y: value.y, pressure, ...(value.highlight === true ? { highlight: true } : {}), points }
}

function parseJSON(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const reason = (error as Error).message
    throw new BoardImportError(msg(str`Not valid JSON: ${reason}`, { id: 'import.not-json', desc: "opening a file; the placeholder is the JSON parser's own message" }))
  }
}

/** A position or a byte count in an import message: in the language's digits, ungrouped ("Shape 1204", "1048576 bytes"). */
function figure(value: number): string {
  return formatNumber(value, { useGrouping: false })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
