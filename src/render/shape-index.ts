/**
 * Where every valid shape of the board is: an R-tree (rbush) of their bounds as drawn. Culling,
 * hit tests, marquee selection and tile invalidation ask it instead of walking every shape, so
 * their cost follows what is near, not the size of the board (DESIGN.md §4, "Big boards").
 */
import RBush from 'rbush'
import { shapeBounds, type Box } from '../model/geometry'
import type { Shape } from '../model/shapes'

export interface IndexedShape {
  readonly minX: number
  readonly minY: number
  readonly maxX: number
  readonly maxY: number
  readonly shape: Shape
}

export class ShapeIndex {
  private readonly tree = new RBush<IndexedShape>()
  private readonly byId = new Map<string, IndexedShape>()
  /** New entries not yet in the tree: added in bulk (rbush's load), which is far faster for many. */
  private batch: IndexedShape[] = []

  get size(): number {
    return this.byId.size
  }

  get(id: string): IndexedShape | undefined {
    return this.byId.get(id)
  }

  /**
   * Puts `shape` in the index (replacing its previous version); returns the replaced entry.
   * `bounds`, when known already (a kept view of the board), saves computing them.
   */
  set(shape: Shape, bounds: Box = shapeBounds(shape)): IndexedShape | undefined {
    const previous = this.remove(shape.id)
    const box = bounds
    const entry: IndexedShape = { minX: box.x, minY: box.y, maxX: box.x + box.width, maxY: box.y + box.height, shape }
    this.byId.set(shape.id, entry)
    this.batch.push(entry)
    return previous
  }

  /** Every entry, in no particular order. */
  entries(): IterableIterator<IndexedShape> {
    return this.byId.values()
  }

  remove(id: string): IndexedShape | undefined {
    const entry = this.byId.get(id)
    if (!entry) return undefined
    this.byId.delete(id)
    const pending = this.batch.indexOf(entry)
    if (pending >= 0) this.batch.splice(pending, 1)
    else this.tree.remove(entry)
    return entry
  }

  /** Entries whose bounds meet `area` (in no particular order). */
  search(area: Box): IndexedShape[] {
    this.commit()
    return this.tree.search({ minX: area.x, minY: area.y, maxX: area.x + area.width, maxY: area.y + area.height })
  }

  clear(): void {
    this.tree.clear()
    this.byId.clear()
    this.batch = []
  }

  private commit(): void {
    if (this.batch.length === 0) return
    // One at a time is cheaper for a few (a stroke being drawn); bulk loading wins for many.
    if (this.batch.length < 32) for (const entry of this.batch) this.tree.insert(entry)
    else this.tree.load(this.batch)
    this.batch = []
  }
}

export function boxOf(entry: IndexedShape): Box {
  return { x: entry.minX, y: entry.minY, width: entry.maxX - entry.minX, height: entry.maxY - entry.minY }
}
