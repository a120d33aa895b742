/**
 * Versions of a board: its whole state at a moment (a Yjs update), and bringing a board back to
 * one. Restoring is an ordinary local change (one transaction): it reaches everyone like any
 * edit, and the one who restored can undo it. Shapes made since the version are removed, shapes
 * removed since are made again under their own ids, and changed ones get their fields back; the
 * images they use come back with them.
 */
import * as Y from 'yjs'
import { clockOf, indexOfClock, structsByClient } from '../wire/wire-internals'
import { assetsOf } from './assets'
import { shapesOf, transactLocal } from './board-doc'
import type { DeleteSet } from './update-screen'

export interface RestoreCounts {
  readonly added: number
  readonly removed: number
  readonly changed: number
}

/** The board a version holds, as a document of its own (for a preview or a restore). */
export function openVersion(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return doc
}

/** Makes `doc`'s shapes what they are in `version`, as one undoable local change. */
export function restoreVersion(doc: Y.Doc, version: Y.Doc): RestoreCounts {
  const shapes = shapesOf(doc)
  const wanted = shapesOf(version)
  let added = 0
  let removed = 0
  let changed = 0
  transactLocal(doc, () => {
    for (const id of Array.from(shapes.keys())) {
      if (!wanted.has(id)) {
        shapes.delete(id)
        removed++
      }
    }
    wanted.forEach((value, id) => {
      const current = shapes.get(id)
      if (current instanceof Y.Map && value instanceof Y.Map) {
        if (restoreFields(current, value)) changed++
      } else {
        shapes.set(id, copyValue(value))
        added++
      }
    })
    const assets = assetsOf(doc)
    assetsOf(version).forEach((bytes, hash) => {
      if (!assets.has(hash)) assets.set(hash, bytes)
    })
  })
  return { added, removed, changed }
}

/** Sets `target`'s fields to `source`'s; whether anything differed. */
function restoreFields(target: Y.Map<unknown>, source: Y.Map<unknown>): boolean {
  let differed = false
  for (const key of Array.from(target.keys())) {
    if (!source.has(key)) {
      target.delete(key)
      differed = true
    }
  }
  source.forEach((value, key) => {
    if (sameValue(target.get(key), value)) return
    target.set(key, copyValue(value))
    differed = true
  })
  return differed
}

/** A value of another document, made anew for this one (Yjs types belong to one document). */
function copyValue(value: unknown): unknown {
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>()
    value.forEach((field, key) => map.set(key, copyValue(field)))
    return map
  }
  if (value instanceof Y.Array) return Y.Array.from(value.toArray().map(copyValue) as Parameters<typeof Y.Array.from>[0])
  return value
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Y.Array && b instanceof Y.Array) {
    return a.length === b.length && a.toArray().every((item, index) => sameValue(item, b.get(index)))
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, index) => byte === b[index])
  }
  if (a instanceof Y.AbstractType || b instanceof Y.AbstractType) return false
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return JSON.stringify(a) === JSON.stringify(b)
  return Object.is(a, b)
}

/**
 * How many whole shapes of `doc` the delete set `deleteSet` would delete (stopping at `enough`):
 * a change that deletes many is worth keeping the board as it was just before it.
 */
export function shapesDeletedBy(doc: Y.Doc, deleteSet: DeleteSet, enough: number): number {
  const shapes = shapesOf(doc)
  let count = 0
  for (const [client, ranges] of deleteSet.clients) {
    const structs = structsByClient(doc).get(client)
    if (!structs) continue
    for (const range of ranges) {
      if (range.clock >= clockOf(doc, client)) continue
      let index = indexOfClock(structs, range.clock)
      for (; index < structs.length; index++) {
        const struct = structs[index]!
        if (struct.id.clock >= range.clock + range.len) break
        if (struct instanceof Y.Item && !struct.deleted && struct.parent === shapes && struct.parentSub !== null) {
          if (++count >= enough) return count
        }
      }
    }
  }
  return count
}
