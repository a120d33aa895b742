/**
 * Validators: the only way a value read from the document becomes a Shape. A peer can write
 * anything into the shared doc; an invalid shape is reported as null (and counted by the caller),
 * never thrown into the render loop or an observer.
 */
import * as Y from 'yjs'
import { isShapeId, type ShapeId } from './ids'
import { concatBytes, decodePoints } from './point-codec'
import { STYLE_LIMITS, type BoxShape, type LineShape, type Shape, type StrokeShape } from './shapes'

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

export function isZ(value: unknown): value is string {
  return typeof value === 'string' && Z_PATTERN.test(value)
}

/** Reads one entry of the `shapes` map, or null if it is not a valid shape. */
export function readShape(id: string, value: unknown): Shape | null {
  if (!isShapeId(id) || !(value instanceof Y.Map)) return null
  switch (value.get('type')) {
    case 'stroke':
      return readStroke(id, value)
    case 'rectangle':
    case 'ellipse':
      return readBox(id, value)
    case 'line':
    case 'arrow':
      return readLine(id, value)
    default:
      return null
  }
}

type Common = Pick<Shape, 'id' | 'x' | 'y' | 'rotation' | 'z' | 'color' | 'strokeWidth' | 'opacity'>

/** The fields every shape has; null if any is invalid. */
function readCommon(id: ShapeId, map: Y.Map<unknown>): Common | null {
  const x = map.get('x')
  const y = map.get('y')
  const rotation = map.get('rotation') ?? 0
  const z = map.get('z')
  const color = map.get('color')
  const strokeWidth = map.get('strokeWidth')
  const opacity = map.get('opacity') ?? 1
  if (!isCoordinate(x) || !isCoordinate(y) || !isZ(z) || !isRotation(rotation)) return null
  if (!isColor(color) || !isStrokeWidth(strokeWidth) || !isOpacity(opacity)) return null
  return { id, x, y, rotation, z, color, strokeWidth, opacity }
}

function readBox(id: ShapeId, map: Y.Map<unknown>): BoxShape | null {
  const common = readCommon(id, map)
  const type = map.get('type') as BoxShape['type']
  const width = map.get('width')
  const height = map.get('height')
  const fill = map.get('fill') ?? null
  if (!common || !isSize(width) || !isSize(height) || (fill !== null && !isColor(fill))) return null
  return { ...common, type, width, height, fill }
}

function readLine(id: ShapeId, map: Y.Map<unknown>): LineShape | null {
  const common = readCommon(id, map)
  const type = map.get('type') as LineShape['type']
  const dx = map.get('dx')
  const dy = map.get('dy')
  if (!common || !isExtent(dx) || !isExtent(dy)) return null
  return { ...common, type, dx, dy }
}

function readStroke(id: ShapeId, map: Y.Map<unknown>): StrokeShape | null {
  const common = readCommon(id, map)
  const pressure = map.get('pressure')
  const highlight = map.get('highlight') ?? false
  if (!common || typeof pressure !== 'boolean' || typeof highlight !== 'boolean') return null
  const bytes = strokeBytes(map)
  if (bytes === null) return null
  const points = decodePoints(bytes, pressure)
  if (points === null || points.length === 0) return null
  return { ...common, type: 'stroke', highlight, pressure, points, complete: !map.has('live') }
}

/**
 * A finished stroke keeps its points in one `points` byte array; while it is drawn they grow as
 * `live`, an array of batches (see ops.ts). Both may be present for a moment, in that order.
 */
function strokeBytes(map: Y.Map<unknown>): Uint8Array | null {
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
