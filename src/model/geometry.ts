/** Where shapes are, in board coordinates: bounds and distances, for exports, fitting and erasing. */
import { POINT_STRIDE } from './point-codec'
import { inkWidth, type Shape } from './shapes'

/** A point in board coordinates (or screen coordinates, where a caller says so). */
export interface Point {
  readonly x: number
  readonly y: number
}

export interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** A point in the shape's own frame (origin at x, y, unrotated) to board coordinates. */
export function toBoard(shape: Shape, lx: number, ly: number): [number, number] {
  const cos = Math.cos(shape.rotation)
  const sin = Math.sin(shape.rotation)
  return [shape.x + lx * cos - ly * sin, shape.y + lx * sin + ly * cos]
}

/** A board point into the shape's own frame. */
export function toLocal(shape: Shape, x: number, y: number): [number, number] {
  const cos = Math.cos(-shape.rotation)
  const sin = Math.sin(-shape.rotation)
  const dx = x - shape.x
  const dy = y - shape.y
  return [dx * cos - dy * sin, dx * sin + dy * cos]
}

/** The points outlining the shape in its own frame, flat, and their stride: enough to bound it once rotated. */
function localHull(shape: Shape): [points: ArrayLike<number>, stride: number] {
  switch (shape.type) {
    case 'stroke':
      // The stroke's own points, read in place: a big board indexes tens of thousands of them at once.
      return [shape.points, POINT_STRIDE]
    case 'rectangle':
    case 'ellipse':
    case 'text':
    case 'sticky':
    case 'image':
      return [[0, 0, shape.width, 0, shape.width, shape.height, 0, shape.height], 2]
    case 'line':
    case 'arrow':
      return [[0, 0, shape.dx, shape.dy], 2]
  }
}

/** The axis-aligned box around a shape as drawn (rotation and line thickness included). */
export function shapeBounds(shape: Shape): Box {
  return hullBox(shape, Math.cos(shape.rotation), Math.sin(shape.rotation), shape.x, shape.y)
}

/** The box around a shape in its own frame (unrotated, relative to its origin), ink included. */
export function localBox(shape: Shape): Box {
  return hullBox(shape, 1, 0, 0, 0)
}

/** The box around the shape's hull turned by (cos, sin) and moved to (x, y), grown by its ink. */
function hullBox(shape: Shape, cos: number, sin: number, x: number, y: number): Box {
  const [points, stride] = localHull(shape)
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (let i = 0; i < points.length; i += stride) {
    const lx = points[i]!
    const ly = points[i + 1]!
    const bx = lx * cos - ly * sin
    const by = lx * sin + ly * cos
    if (bx < minX) minX = bx
    if (bx > maxX) maxX = bx
    if (by < minY) minY = by
    if (by > maxY) maxY = by
  }
  const pad = inkPad(shape)
  return { x: x + minX - pad, y: y + minY - pad, width: maxX - minX + 2 * pad, height: maxY - minY + 2 * pad }
}

/** How far ink reaches past the geometry: half the line, plus an arrowhead past a line's end. */
function inkPad(shape: Shape): number {
  const width = inkWidth(shape)
  return width / 2 + (shape.type === 'arrow' ? arrowHeadLength(width) : 0)
}

/** The box around several shapes, or null for none. */
export function unionBounds(shapes: readonly Shape[]): Box | null {
  if (shapes.length === 0) return null
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const shape of shapes) {
    const box = shapeBounds(shape)
    minX = Math.min(minX, box.x)
    minY = Math.min(minY, box.y)
    maxX = Math.max(maxX, box.x + box.width)
    maxY = Math.max(maxY, box.y + box.height)
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY }
}

/** Length of an arrowhead for a given line thickness. */
export function arrowHeadLength(strokeWidth: number): number {
  return 8 + strokeWidth * 3
}

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax
  const vy = by - ay
  const lengthSquared = vx * vx + vy * vy
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / lengthSquared))
  return Math.hypot(px - (ax + t * vx), py - (ay + t * vy))
}

/**
 * How far a board point is from the ink of a shape (0 on or inside filled ink). Used to decide
 * what an eraser touches.
 */
export function distanceToShape(shape: Shape, x: number, y: number): number {
  const [px, py] = toLocal(shape, x, y)
  const half = inkWidth(shape) / 2
  switch (shape.type) {
    case 'text':
    case 'sticky':
    case 'image': {
      // Solid boxes: anywhere inside is on them.
      return Math.hypot(Math.max(0, -px, px - shape.width), Math.max(0, -py, py - shape.height))
    }
    case 'stroke': {
      const p = shape.points
      if (p.length === POINT_STRIDE) return Math.max(0, Math.hypot(px - p[0]!, py - p[1]!) - half)
      let best = Infinity
      for (let i = POINT_STRIDE; i < p.length; i += POINT_STRIDE) {
        best = Math.min(best, distanceToSegment(px, py, p[i - POINT_STRIDE]!, p[i - POINT_STRIDE + 1]!, p[i]!, p[i + 1]!))
      }
      return Math.max(0, best - half)
    }
    case 'line':
    case 'arrow':
      return Math.max(0, distanceToSegment(px, py, 0, 0, shape.dx, shape.dy) - half)
    case 'rectangle': {
      const inside = px >= 0 && px <= shape.width && py >= 0 && py <= shape.height
      if (inside && shape.fill) return 0
      const edge = Math.min(
        distanceToSegment(px, py, 0, 0, shape.width, 0),
        distanceToSegment(px, py, shape.width, 0, shape.width, shape.height),
        distanceToSegment(px, py, shape.width, shape.height, 0, shape.height),
        distanceToSegment(px, py, 0, shape.height, 0, 0),
      )
      return Math.max(0, edge - half)
    }
    case 'ellipse': {
      const rx = shape.width / 2
      const ry = shape.height / 2
      const ex = px - rx
      const ey = py - ry
      if (rx === 0 || ry === 0) return Math.max(0, distanceToSegment(px, py, 0, 0, shape.width, shape.height) - half)
      // Radial distance to the outline, scaled by the nearer radius: close to exact for the
      // round-ish ellipses people draw, and never claims a hit that is far away.
      const normalized = Math.hypot(ex / rx, ey / ry)
      if (normalized <= 1 && shape.fill) return 0
      return Math.max(0, Math.abs(normalized - 1) * Math.min(rx, ry) - half)
    }
  }
}
