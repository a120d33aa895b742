/**
 * Writes to the document's shapes: strokes, new shapes, patches, deletions, a whole board
 * replaced. The other local writers are all in src/model too: z-order.ts (reordering, a shape's
 * `z`), assets.ts and board-json.ts's `storeAssets` (image bytes in `assets`) and versions.ts
 * (restoring a version). Every write is one `transactLocal` transaction, so the undo manager sees
 * it (it tracks the shapes, not the images in `assets`) and peers receive it as one update.
 */
import * as Y from 'yjs'
import { newShapeId, type ShapeId } from './ids'
import { shapesOf, transactLocal } from './board-doc'
import { concatBytes } from './point-codec'
import type { StrokeStyle } from './shapes'
import type { ShapePatch } from './transform'
import { topZ, zAbove, zSequenceAbove } from './z-order'

export interface NewStroke {
  readonly x: number
  readonly y: number
  readonly style: StrokeStyle
  readonly pressure: boolean
  /** A highlighter stroke (see StrokeShape). */
  readonly highlight?: boolean
  /** The first encoded points, so a stroke is never empty. */
  readonly firstBatch: Uint8Array
}

/** Creates a stroke on top of everything and returns its id. Its points then grow through `live`. */
export function beginStroke(doc: Y.Doc, stroke: NewStroke): ShapeId {
  const id = newShapeId()
  transactLocal(doc, () => {
    const shapes = shapesOf(doc)
    const map = new Y.Map<unknown>()
    map.set('type', 'stroke')
    map.set('x', stroke.x)
    map.set('y', stroke.y)
    map.set('rotation', 0)
    map.set('z', zAbove(topZ(shapes)))
    map.set('color', stroke.style.color)
    map.set('strokeWidth', stroke.style.strokeWidth)
    map.set('opacity', stroke.style.opacity)
    map.set('pressure', stroke.pressure)
    if (stroke.highlight) map.set('highlight', true)
    map.set('live', Y.Array.from([stroke.firstBatch]))
    shapes.set(id, map)
  })
  return id
}

/** Appends one batch of encoded points (at most one call per animation frame while drawing). */
export function appendStrokePoints(doc: Y.Doc, id: ShapeId, batch: Uint8Array): void {
  const live = liveBatches(doc, id)
  if (live === null || batch.length === 0) return
  transactLocal(doc, () => live.push([batch]))
}

/**
 * Replaces the live batches by one byte array. Yjs cannot merge binary items, so a stroke left as
 * batches would cost an item header per batch forever; once compacted, the deleted batches are
 * garbage-collected into a single range and the stroke costs its point bytes plus a few fields.
 */
export function finishStroke(doc: Y.Doc, id: ShapeId): void {
  const map = shapesOf(doc).get(id)
  const live = liveBatches(doc, id)
  if (!(map instanceof Y.Map) || live === null) return
  const previous = map.get('points')
  const parts = previous instanceof Uint8Array ? [previous, ...live.toArray()] : live.toArray()
  const bytes = concatBytes(parts)
  transactLocal(doc, () => {
    map.set('points', bytes)
    map.delete('live')
  })
}

/** Adds a shape on top of everything (fields already valid for its type) and returns its id. */
export function addShape(doc: Y.Doc, fields: ShapeFields): ShapeId {
  const id = newShapeId()
  transactLocal(doc, () => {
    const shapes = shapesOf(doc)
    const map = new Y.Map<unknown>()
    for (const [key, value] of Object.entries(fields)) map.set(key, value)
    map.set('z', zAbove(topZ(shapes)))
    shapes.set(id, map)
  })
  return id
}

/** Changes some fields of a shape (null removes a field); concurrent edits of other fields all win. */
export function updateShape(doc: Y.Doc, id: ShapeId, patch: Readonly<Record<string, ShapeFields[string] | null>>): void {
  const map = shapesOf(doc).get(id)
  if (!(map instanceof Y.Map)) return
  transactLocal(doc, () => {
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) map.delete(key)
      else if (map.get(key) !== value) map.set(key, value)
    }
  })
}

/** Patches several shapes in one transaction: one undo step, one update for peers. */
export function updateShapes(doc: Y.Doc, patches: ReadonlyMap<ShapeId, ShapePatch>): void {
  const shapes = shapesOf(doc)
  transactLocal(doc, () => {
    for (const [id, patch] of patches) {
      const map = shapes.get(id)
      if (!(map instanceof Y.Map)) continue
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) map.delete(key)
        else if (map.get(key) !== value) map.set(key, value)
      }
    }
  })
}

/** Adds shapes on top of everything, keeping their order (bottom first), and returns their ids. */
export function insertShapes(doc: Y.Doc, shapes: readonly { id: ShapeId; fields: ShapeFields }[]): ShapeId[] {
  if (shapes.length === 0) return []
  transactLocal(doc, () => {
    const map = shapesOf(doc)
    const zs = zSequenceAbove(topZ(map), shapes.length)
    shapes.forEach(({ id, fields }, index) => {
      const shape = new Y.Map<unknown>()
      for (const [key, value] of Object.entries(fields)) shape.set(key, value)
      shape.set('z', zs[index]!)
      map.set(id, shape)
    })
  })
  return shapes.map((shape) => shape.id)
}

export function deleteShapes(doc: Y.Doc, ids: Iterable<ShapeId>): void {
  transactLocal(doc, () => {
    const shapes = shapesOf(doc)
    for (const id of ids) shapes.delete(id)
  })
}

/** Field values of a shape to insert, as produced by importJSON (already validated). */
export type ShapeFields = Readonly<Record<string, string | number | boolean | Uint8Array>>

/**
 * Replaces the whole board with `shapes` (in z-order, bottom first) in one transaction: one
 * undo step. Fresh z keys are assigned so imported order holds whatever the input's z values.
 */
export function replaceAllShapes(doc: Y.Doc, shapes: readonly { id: ShapeId; fields: ShapeFields }[]): void {
  transactLocal(doc, () => {
    const map = shapesOf(doc)
    for (const key of [...map.keys()]) map.delete(key)
    const zs = shapes.length > 0 ? zSequenceAbove(null, shapes.length) : []
    shapes.forEach(({ id, fields }, index) => {
      const shape = new Y.Map<unknown>()
      for (const [key, value] of Object.entries(fields)) shape.set(key, value)
      shape.set('z', zs[index]!)
      map.set(id, shape)
    })
  })
}

function liveBatches(doc: Y.Doc, id: ShapeId): Y.Array<Uint8Array> | null {
  const map = shapesOf(doc).get(id)
  const live = map instanceof Y.Map ? map.get('live') : undefined
  return live instanceof Y.Array ? (live as Y.Array<Uint8Array>) : null
}
