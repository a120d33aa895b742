/**
 * Z-order on fractional indices (DESIGN.md §3): inserting or reordering writes only the `z` of
 * the shapes that move, never anyone else's. Two people reordering at once each write their own
 * shapes' `z`; the last write of each field wins everywhere, so every peer ends with one order.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing'
import * as Y from 'yjs'
import { shapesOf, transactLocal } from './board-doc'
import type { ShapeId } from './ids'
import { compareZ } from './shapes'
import { isZ } from './validate'

/** The highest valid z in the map, or null for an empty board. Invalid entries are ignored. */
export function topZ(shapes: Y.Map<unknown>): string | null {
  let top: string | null = null
  shapes.forEach((value) => {
    const z = (value as Y.Map<unknown>)?.get?.('z')
    if (isZ(z) && (top === null || z > top)) top = z
  })
  return top
}

export function zAbove(below: string | null): string {
  return generateKeyBetween(below, null)
}

export function zSequenceAbove(below: string | null, count: number): string[] {
  return generateNKeysBetween(below, null, count)
}

export type Reorder = 'front' | 'forward' | 'backward' | 'back'

/** Moves shapes in the stacking order, keeping their order among themselves. One transaction. */
export function reorderShapes(doc: Y.Doc, ids: Iterable<ShapeId>, to: Reorder): void {
  const shapes = shapesOf(doc)
  const order = stackingOrder(shapes)
  const moving = new Set(ids)
  const selected = order.filter((entry) => moving.has(entry.id))
  const others = order.filter((entry) => !moving.has(entry.id))
  if (selected.length === 0 || others.length === 0) return
  const slot = slotFor(order, moving, others, to)
  if (slot === null) return
  const zs = keysBetween(slot.below, slot.above, selected.length)
  transactLocal(doc, () => selected.forEach((entry, index) => (shapes.get(entry.id) as Y.Map<unknown>).set('z', zs[index]!)))
}

interface Stacked {
  readonly id: ShapeId
  readonly z: string
}

/** Every shape with a valid z, bottom first. */
function stackingOrder(shapes: Y.Map<unknown>): Stacked[] {
  const order: Stacked[] = []
  shapes.forEach((value, id) => {
    const z = value instanceof Y.Map ? value.get('z') : undefined
    if (isZ(z)) order.push({ id: id as ShapeId, z })
  })
  return order.sort(compareZ)
}

/** Between which z values the moving shapes go; null when they are already there. */
function slotFor(order: Stacked[], moving: Set<ShapeId>, others: Stacked[], to: Reorder): { below: string | null; above: string | null } | null {
  const topIndex = order.findLastIndex((entry) => moving.has(entry.id))
  const bottomIndex = order.findIndex((entry) => moving.has(entry.id))
  switch (to) {
    case 'front':
      return { below: others.at(-1)!.z, above: null }
    case 'back':
      return { below: null, above: others[0]!.z }
    case 'forward': {
      // Just above the first other shape over the topmost moving one.
      const next = order.findIndex((entry, index) => index > topIndex && !moving.has(entry.id))
      if (next === -1) return null
      const after = order.slice(next + 1).find((entry) => !moving.has(entry.id))
      return { below: order[next]!.z, above: after?.z ?? null }
    }
    case 'backward': {
      const previous = order.findLastIndex((entry, index) => index < bottomIndex && !moving.has(entry.id))
      if (previous === -1) return null
      const before = order.slice(0, previous).findLast((entry) => !moving.has(entry.id))
      return { below: before?.z ?? null, above: order[previous]!.z }
    }
  }
}

/** `count` keys strictly between two z values; equal neighbours (concurrent inserts) fall back to above the lower. */
function keysBetween(below: string | null, above: string | null, count: number): string[] {
  if (below !== null && above !== null && below >= above) return generateNKeysBetween(below, null, count)
  return generateNKeysBetween(below, above, count)
}
