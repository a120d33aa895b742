/**
 * Which shapes this user has selected: session state (DESIGN.md §2), never in the document. The
 * board shows it, the style panel edits it, and presence tells the others.
 */
import type { ShapeId } from '../../model/ids'

export class Selection {
  private current: readonly ShapeId[] = []
  private readonly listeners = new Set<(ids: readonly ShapeId[]) => void>()

  get ids(): readonly ShapeId[] {
    return this.current
  }

  get size(): number {
    return this.current.length
  }

  has(id: ShapeId): boolean {
    return this.current.includes(id)
  }

  set(ids: Iterable<ShapeId>): void {
    const next = [...new Set(ids)]
    if (next.length === this.current.length && next.every((id, index) => id === this.current[index])) return
    this.current = next
    for (const listener of this.listeners) listener(next)
  }

  toggle(id: ShapeId): void {
    this.set(this.has(id) ? this.current.filter((selected) => selected !== id) : [...this.current, id])
  }

  clear(): void {
    this.set([])
  }

  /** Keeps only the ids for which `exists` holds (shapes deleted by anyone leave the selection). */
  prune(exists: (id: ShapeId) => boolean): void {
    if (this.current.some((id) => !exists(id))) this.set(this.current.filter(exists))
  }

  onChange(listener: (ids: readonly ShapeId[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
