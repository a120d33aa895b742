/**
 * Moving, resizing and rotating shapes, as field patches computed from the shapes as they were
 * when the gesture began (so a long drag never accumulates rounding). The select tool writes
 * these through `updateShapes`; one gesture is one undo step.
 */
import { toFrame, type Frame } from './frame'
import type { Point } from './geometry'
import { encodePoints, POINT_STRIDE } from './point-codec'
import type { Shape } from './shapes'

export type ShapePatch = Readonly<Record<string, string | number | boolean | Uint8Array | null>>

/** Lays text out (wrapped at `width`, or at newlines only when null) and returns its size; the render side measures fonts. */
export type TextLayout = (text: string, fontSize: number, width: number | null) => { width: number; height: number }

/** Only the coordinates that change: someone moving the same shape along the other axis keeps their move. */
export function movePatch(shape: Shape, dx: number, dy: number): ShapePatch {
  return { ...(dx !== 0 ? { x: shape.x + dx } : {}), ...(dy !== 0 ? { y: shape.y + dy } : {}) }
}

/** Turns a shape by `angle` radians around a board point. */
export function rotatePatch(shape: Shape, centre: Point, angle: number): ShapePatch {
  const cos = Math.cos(angle)
  const sin = Math.sin(angle)
  const dx = shape.x - centre.x
  const dy = shape.y - centre.y
  return { x: centre.x + dx * cos - dy * sin, y: centre.y + dx * sin + dy * cos, rotation: normalizeAngle(shape.rotation + angle) }
}

/**
 * Scales a shape by (sx, sy) in the frame's own axes, about `anchor` (a point in frame
 * coordinates that stays put). Exact when the shape is turned like the frame (always the case for
 * one shape, and for unrotated shapes in an unrotated frame); a turned shape inside a larger
 * selection keeps its turn and is scaled along its own axes.
 */
export function resizePatch(shape: Shape, frame: Frame, anchor: Point, sx: number, sy: number, layout: TextLayout): ShapePatch {
  // Where the shape's origin goes: p -> frame corner + R(a + S(local(p) - a)).
  const local = toFrame(frame, shape)
  const lx = anchor.x + sx * (local.x - anchor.x)
  const ly = anchor.y + sy * (local.y - anchor.y)
  const cos = Math.cos(frame.rotation)
  const sin = Math.sin(frame.rotation)
  const origin = { x: frame.x + lx * cos - ly * sin, y: frame.y + lx * sin + ly * cos }
  switch (shape.type) {
    case 'stroke':
      // A stroke someone is still drawing keeps growing through its live batches: move it only.
      return shape.complete ? { ...origin, points: scalePoints(shape.points, shape.pressure, sx, sy) } : origin
    case 'line':
    case 'arrow':
      return { ...origin, dx: shape.dx * sx, dy: shape.dy * sy }
    case 'text': {
      // Text never stretches: a wider or narrower box re-wraps it, and its height follows.
      const width = Math.max(shape.fontSize, Math.abs(shape.width * sx))
      const corner = cornerAfterFlip(shape, origin, sx < 0 ? -width : 0, 0)
      return { ...corner, width, height: layout(shape.text, shape.fontSize, width).height, autoWidth: false }
    }
    default: {
      const width = shape.width * sx
      const height = shape.height * sy
      // A box flipped by the drag is still described from its top-left corner.
      return { ...cornerAfterFlip(shape, origin, Math.min(0, width), Math.min(0, height)), width: Math.abs(width), height: Math.abs(height) }
    }
  }
}

function cornerAfterFlip(shape: Shape, origin: Point, offsetX: number, offsetY: number): { x: number; y: number } {
  const cos = Math.cos(shape.rotation)
  const sin = Math.sin(shape.rotation)
  return { x: origin.x + offsetX * cos - offsetY * sin, y: origin.y + offsetX * sin + offsetY * cos }
}

function scalePoints(points: Float32Array, pressure: boolean, sx: number, sy: number): Uint8Array {
  const scaled: number[][] = []
  for (let i = 0; i < points.length; i += POINT_STRIDE) scaled.push([points[i]! * sx, points[i + 1]! * sy, points[i + 2]!])
  return encodePoints(scaled, pressure)
}

/** An angle in (-π, π], so rotations stay small numbers however often a shape is turned. */
export function normalizeAngle(angle: number): number {
  const turned = angle % (2 * Math.PI)
  if (turned > Math.PI) return turned - 2 * Math.PI
  if (turned <= -Math.PI) return turned + 2 * Math.PI
  return turned
}
