/**
 * The keyboard's place on a board: the shape the arrow keys went to while nothing is selected
 * (Enter selects it), in reading order (reading-order.ts). The order is worked out again after
 * the document changes, at the next step.
 */
import { shapeBounds } from '../model/geometry'
import type { ShapeId } from '../model/ids'
import type { Shape } from '../model/shapes'
import { readingOrder, stepThrough } from './reading-order'

export interface WalkStop {
  readonly shape: Shape
  /** 1-based place in the order, and the number of shapes. */
  readonly index: number
  readonly count: number
}

export class KeyboardWalk {
  private order: ShapeId[] | null = null
  private shapes = new Map<ShapeId, Shape>()
  /** The shape the keyboard is on; null before the first step or after a reset. */
  focused: ShapeId | null = null

  /** The document changed. */
  invalidate(): void {
    this.order = null
  }

  /** Goes to the next (1) or previous (-1) shape of `all`; null on an empty board. */
  step(all: () => readonly Shape[], step: 1 | -1): WalkStop | null {
    if (!this.order) {
      const shapes = all()
      this.shapes = new Map(shapes.map((shape) => [shape.id, shape]))
      this.order = readingOrder(shapes.map((shape) => ({ id: shape.id, box: shapeBounds(shape) })))
    }
    const id = stepThrough(this.order, this.focused, step)
    this.focused = id
    if (id === null) return null
    return { shape: this.shapes.get(id)!, index: this.order.indexOf(id) + 1, count: this.order.length }
  }

  reset(): void {
    this.focused = null
    this.order = null
  }
}
