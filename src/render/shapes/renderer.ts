import type Konva from 'konva'
import type { Shape, ShapeType } from '../../model/shapes'

/** One per shape type (DESIGN.md §11): builds a Konva node for a shape and keeps it up to date. */
export interface ShapeRenderer<S extends Shape = Shape> {
  create(shape: S): Konva.Shape | Konva.Group
  update(node: Konva.Shape | Konva.Group, shape: S): void
}

export type RendererRegistry = { readonly [T in ShapeType]: ShapeRenderer<Extract<Shape, { type: T }>> }
