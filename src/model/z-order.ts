/** Z-order on fractional indices (DESIGN.md §3): inserting never rewrites other shapes. */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing'
import type * as Y from 'yjs'
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
