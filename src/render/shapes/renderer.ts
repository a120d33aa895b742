import type Konva from 'konva'
import type { Shape, ShapeType } from '../../model/shapes'

/** How the board is shown, beyond the shapes themselves. */
export interface RenderView {
  readonly dark: boolean
}

/** One per shape type (DESIGN.md §11): builds a Konva node for a shape and keeps it up to date. */
export interface ShapeRenderer<S extends Shape = Shape> {
  create(shape: S, view: RenderView): Konva.Shape | Konva.Group
  update(node: Konva.Shape | Konva.Group, shape: S, view: RenderView): void
  /**
   * Draws the shape straight onto a canvas whose transform maps board units to its pixels, as its
   * node would, with no node at all. For the shapes big boards are made of (strokes): making and
   * drawing a Konva node per stroke cost more than the fill itself.
   */
  draw?(context: CanvasRenderingContext2D, shape: S, view: RenderView, opacity: number): void
}

export type RendererRegistry = { readonly [T in ShapeType]: ShapeRenderer<Extract<Shape, { type: T }>> }
