/**
 * Validators: the only way a value read from the document becomes a Shape. A peer can write
 * anything into the shared doc; an invalid shape is reported as null (and counted by the caller),
 * never thrown into the render loop or an observer.
 */
import { generateKeyBetween } from 'fractional-indexing'
import * as Y from 'yjs'
import { shapesOf } from './board-doc'
import { isShapeId, type ShapeId } from './ids'
import { concatBytes, decodePoints } from './point-codec'
import { isAssetHash } from './assets'
import { compareZ, STYLE_LIMITS, type BoxShape, type ImageShape, type LineShape, type Shape, type StickyShape, type StrokeShape, type TextShape } from './shapes'

const COLOR_PATTERN = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i
/** fractional-indexing's base-62 alphabet; the length cap stops a peer from growing keys without bound. */
const Z_PATTERN = /^[0-9A-Za-z]{1,128}$/

export function isColor(value: unknown): value is string {
  return typeof value === 'string' && COLOR_PATTERN.test(value)
}

export function isCoordinate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= STYLE_LIMITS.maxCoordinate
}

export function isStrokeWidth(value: unknown): value is number {
  return typeof value === 'number' && value >= STYLE_LIMITS.minWidth && value <= STYLE_LIMITS.maxWidth
}

export function isOpacity(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1
}

export function isSize(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= STYLE_LIMITS.maxSize
}

export function isExtent(value: unknown): value is number {
  return typeof value === 'number' && Math.abs(value) <= STYLE_LIMITS.maxSize
}

export function isRotation(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/**
 * A fractional index that z-order can stack a new shape above. The pattern alone let `'zzzz'`
 * through (its head promises a 27-character integer part), and every creation on every peer then
 * threw "invalid order key"; fractional-indexing's own check is the one that counts.
 */
export function isZ(value: unknown): value is string {
  if (typeof value !== 'string' || !Z_PATTERN.test(value)) return false
  try {
    generateKeyBetween(value, null)
    return true
  } catch {
    return false
  }
}

export function isFontSize(value: unknown): value is number {
  return typeof value === 'number' && value >= STYLE_LIMITS.minFontSize && value <= STYLE_LIMITS.maxFontSize
}

export function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= STYLE_LIMITS.maxTextLength
}

export interface ReadOptions {
  /**
   * The shape is known to be valid as it is (a kept view of the board indexed exactly this
   * version of it): a stroke's points are decoded when first read instead of now, unchecked. A
   * reopened board of 10,000 strokes then decodes only the ones drawn, not a million points.
   */
  readonly knownValid?: boolean
}

/** Reads one entry of the `shapes` map, or null if it is not a valid shape. */
export function readShape(id: string, value: unknown, options: ReadOptions = {}): Shape | null {
  if (!isShapeId(id) || !(value instanceof Y.Map)) return null
  switch (value.get('type')) {
    case 'stroke':
      return readStroke(id, value, options.knownValid ?? false)
    case 'rectangle':
    case 'ellipse':
      return readBox(id, value)
    case 'line':
    case 'arrow':
      return readLine(id, value)
    case 'text':
      return readText(id, value)
    case 'sticky':
      return readSticky(id, value)
    case 'image':
      return readImage(id, value)
    default:
      return null
  }
}

/** The valid shapes among `ids`, bottom first (missing and invalid ones are left out). */
export function readShapes(doc: Y.Doc, ids: Iterable<string>): Shape[] {
  const map = shapesOf(doc)
  const shapes: Shape[] = []
  for (const id of ids) {
    const shape = readShape(id, map.get(id))
    if (shape) shapes.push(shape)
  }
  return shapes.sort(compareZ)
}

type Common = Pick<Shape, 'id' | 'x' | 'y' | 'rotation' | 'z' | 'opacity'>
type Ink = { color: string; strokeWidth: number }

/** The fields every shape has; null if any is invalid. */
function readCommon(id: ShapeId, map: Y.Map<unknown>): Common | null {
  const x = map.get('x')
  const y = map.get('y')
  const rotation = map.get('rotation') ?? 0
  const z = map.get('z')
  const opacity = map.get('opacity') ?? 1
  if (!isCoordinate(x) || !isCoordinate(y) || !isZ(z) || !isRotation(rotation) || !isOpacity(opacity)) return null
  return { id, x, y, rotation, z, opacity }
}

/** Common fields plus the outline ink of strokes, boxes and lines. */
function readInked(id: ShapeId, map: Y.Map<unknown>): (Common & Ink) | null {
  const common = readCommon(id, map)
  const color = map.get('color')
  const strokeWidth = map.get('strokeWidth')
  if (!common || !isColor(color) || !isStrokeWidth(strokeWidth)) return null
  return { ...common, color, strokeWidth }
}

/** A laid-out box from the origin: width and height within limits. */
function readSize(map: Y.Map<unknown>): { width: number; height: number } | null {
  const width = map.get('width')
  const height = map.get('height')
  return isSize(width) && isSize(height) ? { width, height } : null
}

function readText(id: ShapeId, map: Y.Map<unknown>): TextShape | null {
  const common = readCommon(id, map)
  const size = readSize(map)
  const color = map.get('color')
  const text = map.get('text') ?? ''
  const fontSize = map.get('fontSize')
  const autoWidth = map.get('autoWidth') ?? false
  if (!common || !size || !isColor(color) || !isText(text) || !isFontSize(fontSize) || typeof autoWidth !== 'boolean') return null
  return { ...common, ...size, type: 'text', color, text, fontSize, autoWidth }
}

function readSticky(id: ShapeId, map: Y.Map<unknown>): StickyShape | null {
  const common = readCommon(id, map)
  const size = readSize(map)
  const color = map.get('color')
  const fill = map.get('fill')
  const text = map.get('text') ?? ''
  const fontSize = map.get('fontSize')
  if (!common || !size || !isColor(color) || !isColor(fill) || !isText(text) || !isFontSize(fontSize)) return null
  return { ...common, ...size, type: 'sticky', color, fill, text, fontSize }
}

function readImage(id: ShapeId, map: Y.Map<unknown>): ImageShape | null {
  const common = readCommon(id, map)
  const size = readSize(map)
  const asset = map.get('asset')
  if (!common || !size || !isAssetHash(asset)) return null
  return { ...common, ...size, type: 'image', asset }
}

function readBox(id: ShapeId, map: Y.Map<unknown>): BoxShape | null {
  const common = readInked(id, map)
  const type = map.get('type') as BoxShape['type']
  const width = map.get('width')
  const height = map.get('height')
  const fill = map.get('fill') ?? null
  if (!common || !isSize(width) || !isSize(height) || (fill !== null && !isColor(fill))) return null
  return { ...common, type, width, height, fill }
}

function readLine(id: ShapeId, map: Y.Map<unknown>): LineShape | null {
  const common = readInked(id, map)
  const type = map.get('type') as LineShape['type']
  const dx = map.get('dx')
  const dy = map.get('dy')
  if (!common || !isExtent(dx) || !isExtent(dy)) return null
  return { ...common, type, dx, dy }
}

function readStroke(id: ShapeId, map: Y.Map<unknown>, knownValid: boolean): StrokeShape | null {
  const common = readInked(id, map)
  const pressure = map.get('pressure')
  const highlight = map.get('highlight') ?? false
  if (!common || typeof pressure !== 'boolean' || typeof highlight !== 'boolean') return null
  const bytes = strokeBytes(map)
  if (bytes === null) return null
  const stroke = { ...common, type: 'stroke', highlight, pressure, complete: !map.has('live') } as const
  if (knownValid) {
    let points: Float32Array | null = null
    // An own enumerable getter: spreading or cloning the shape still copies its points.
    return {
      ...stroke,
      get points() {
        return (points ??= decodePoints(bytes, pressure) ?? new Float32Array(0))
      },
    }
  }
  const points = decodePoints(bytes, pressure)
  if (points === null || points.length === 0) return null
  return { ...stroke, points }
}

/**
 * A finished stroke keeps its points in one `points` byte array; while it is drawn they grow as
 * `live`, an array of batches (see ops.ts). Both may be present for a moment, in that order.
 */
export function strokeBytes(map: Y.Map<unknown>): Uint8Array | null {
  const parts: Uint8Array[] = []
  const finished = map.get('points')
  if (finished !== undefined) {
    if (!(finished instanceof Uint8Array)) return null
    parts.push(finished)
  }
  const live = map.get('live')
  if (live !== undefined) {
    if (!(live instanceof Y.Array)) return null
    for (const batch of live) {
      if (!(batch instanceof Uint8Array)) return null
      parts.push(batch)
    }
  }
  return concatBytes(parts)
}
