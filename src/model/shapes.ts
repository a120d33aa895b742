/** The validated, read-only view of shapes that the rest of the app works with. */
import type { ShapeId } from './ids'

export const SHAPE_TYPES = ['stroke', 'rectangle', 'ellipse', 'line', 'arrow', 'text', 'sticky', 'image'] as const
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
  readonly opacity: number
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

/**
 * Text from its top-left corner. `width` and `height` are the laid-out size, written by whoever
 * edits the text (the document cannot measure fonts); a reader lays the text out again itself.
 */
export interface TextShape extends ShapeBase {
  readonly type: 'text'
  readonly color: string
  readonly text: string
  readonly fontSize: number
  readonly width: number
  readonly height: number
  /** True until the user resizes the box: the text grows with what is typed and wraps only at newlines. */
  readonly autoWidth: boolean
}

/** A sticky note: a coloured square with wrapping text inside. */
export interface StickyShape extends ShapeBase {
  readonly type: 'sticky'
  /** Colour of the text. */
  readonly color: string
  /** Colour of the note. */
  readonly fill: string
  readonly text: string
  readonly fontSize: number
  readonly width: number
  readonly height: number
}

/** An image whose bytes live in the document's `assets` map under `asset` (their SHA-256). */
export interface ImageShape extends ShapeBase {
  readonly type: 'image'
  readonly asset: string
  readonly width: number
  readonly height: number
}

export type Shape = StrokeShape | BoxShape | LineShape | TextShape | StickyShape | ImageShape

export function isBoxShape(shape: Shape): shape is BoxShape {
  return shape.type === 'rectangle' || shape.type === 'ellipse'
}

/** Shapes that hold text edited in place. */
export function hasText(shape: Shape): shape is TextShape | StickyShape {
  return shape.type === 'text' || shape.type === 'sticky'
}

/** The thickness of a shape's outline ink (0 for shapes without one). */
export function inkWidth(shape: Shape): number {
  return 'strokeWidth' in shape ? shape.strokeWidth : 0
}

/** The fill of a filled box: a tint of its outline colour, so the outline stays readable over it. */
export function fillTint(color: string): string {
  return `${color.slice(0, 7)}33`
}

/** Bounds of style values, shared by the validator, the UI and importJSON. */
export const STYLE_LIMITS = {
  minWidth: 0.5,
  maxWidth: 200,
  maxCoordinate: 10_000_000,
  /** Largest box side or line extent. */
  maxSize: 1_000_000,
  minFontSize: 4,
  maxFontSize: 400,
  /** Longest text of one text shape or note, in UTF-16 code units. */
  maxTextLength: 20_000,
} as const

/** Sort order of shapes: by z, then by id so that equal z (concurrent inserts) still agree everywhere. */
export function compareZ(a: { z: string; id: string }, b: { z: string; id: string }): number {
  if (a.z !== b.z) return a.z < b.z ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
