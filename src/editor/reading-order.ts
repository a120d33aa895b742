/**
 * The order a keyboard walks a board's shapes in: as a page is read, rows from top to bottom and
 * each row from left to right (a shape is in a row when its middle is level with the row's first
 * shape). Pure: shapes and their boxes in, ids out.
 */
import type { Box } from '../model/geometry'
import type { ShapeId } from '../model/ids'

export interface Placed {
  readonly id: ShapeId
  readonly box: Box
}

export function readingOrder(shapes: readonly Placed[]): ShapeId[] {
  const byTop = [...shapes].sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x)
  const order: ShapeId[] = []
  let row: Placed[] = []
  let rowBottom = -Infinity
  const closeRow = () => {
    row.sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y)
    for (const shape of row) order.push(shape.id)
    row = []
  }
  for (const shape of byTop) {
    const middle = shape.box.y + shape.box.height / 2
    if (row.length > 0 && middle > rowBottom) closeRow()
    if (row.length === 0) rowBottom = shape.box.y + shape.box.height
    row.push(shape)
  }
  closeRow()
  return order
}

/**
 * The shape after (`step` 1) or before (-1) `from` in `order`; from nothing (or a shape no longer
 * there), the first or the last. Stops at the ends rather than wrapping, so a person hears where a
 * board ends.
 */
export function stepThrough(order: readonly ShapeId[], from: ShapeId | null, step: 1 | -1): ShapeId | null {
  if (order.length === 0) return null
  const at = from === null ? -1 : order.indexOf(from)
  if (at === -1) return step === 1 ? order[0]! : order[order.length - 1]!
  return order[Math.min(order.length - 1, Math.max(0, at + step))]!
}
