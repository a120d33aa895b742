/** The validated, read-only view of shapes that the rest of the app works with. */
import type { ShapeId } from './ids'

export const SHAPE_TYPES = ['stroke', 'rectangle', 'ellipse', 'line', 'arrow'] as const
export type ShapeType = (typeof SHAPE_TYPES)[number]

interface ShapeBase {
  readonly id: ShapeId
  readonly type: ShapeType
  /** Board coordinates of the shape's origin. */
  readonly x: number
  readonly y: number
  /** Radians, around the origin. */
  readonly rotation: number
  /** Fractional index (z-order); ties are broken by id. */
  readonly z: string
}

export interface StrokeStyle {
  readonly color: string
  /** Line thickness in board units (for a freehand stroke, its base diameter). */
  readonly strokeWidth: number
  readonly opacity: number
}

export interface StrokeShape extends ShapeBase, StrokeStyle {
  readonly type: 'stroke'
  /** A highlighter stroke: even width, translucent, drawn under ink colours. */
  readonly highlight: boolean
  /** Whether the points carry device pressure; without it the renderer simulates pressure. */
  readonly pressure: boolean
  /** Flat [x, y, pressure, ...] relative to the origin (see point-codec). */
  readonly points: Float32Array
  /** False while the author is still drawing it. */
  readonly complete: boolean
}

/** A rectangle or an ellipse inscribed in the box: (x, y) is the box's top-left corner. */
export interface BoxShape extends ShapeBase, StrokeStyle {
  readonly type: 'rectangle' | 'ellipse'
  readonly width: number
  readonly height: number
  /** Fill colour, or null for none. */
  readonly fill: string | null
}

/** A straight line or arrow from (x, y) to (x + dx, y + dy), before rotation. */
export interface LineShape extends ShapeBase, StrokeStyle {
  readonly type: 'line' | 'arrow'
  readonly dx: number
  readonly dy: number
}

export type Shape = StrokeShape | BoxShape | LineShape

export function isBoxShape(shape: Shape): shape is BoxShape {
  return shape.type === 'rectangle' || shape.type === 'ellipse'
}

export function isLineShape(shape: Shape): shape is LineShape {
  return shape.type === 'line' || shape.type === 'arrow'
}

/** Bounds of style values, shared by the validator, the UI and importJSON. */
export const STYLE_LIMITS = {
  minWidth: 0.5,
  maxWidth: 200,
  maxCoordinate: 10_000_000,
  /** Largest box side or line extent. */
  maxSize: 1_000_000,
} as const

/** Sort order of shapes: by z, then by id so that equal z (concurrent inserts) still agree everywhere. */
export function compareZ(a: { z: string; id: string }, b: { z: string; id: string }): number {
  if (a.z !== b.z) return a.z < b.z ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
