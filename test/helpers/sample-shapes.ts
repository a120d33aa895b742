/** One valid shape of every type, written to a document and read back through the validator. */
import * as Y from 'yjs'
import type { ShapeId } from '../../src/model/ids'
import { addShape } from '../../src/model/ops'
import { encodePoints } from '../../src/model/point-codec'
import { SHAPE_TYPES, type Shape, type ShapeType } from '../../src/model/shapes'
import { readShapes } from '../../src/model/validate'

const common = { x: 10, y: 20, rotation: 0, opacity: 0.8 }

/** The fields of a valid shape of each type (the validator's view: these are all it needs). */
export const SAMPLE_FIELDS: { readonly [T in ShapeType]: Readonly<Record<string, unknown>> } = {
  stroke: { ...common, type: 'stroke', color: '#e03131', strokeWidth: 4, pressure: false, points: encodePoints([[0, 0], [30, 40]], false) },
  rectangle: { ...common, type: 'rectangle', color: '#1971c2', strokeWidth: 2, width: 100, height: 50, fill: '#1971c233' },
  ellipse: { ...common, type: 'ellipse', color: '#2f9e44', strokeWidth: 8, width: 60, height: 40 },
  line: { ...common, type: 'line', color: '#9c36b5', strokeWidth: 2, dx: 50, dy: -20 },
  arrow: { ...common, type: 'arrow', color: '#f08c00', strokeWidth: 16, dx: -30, dy: 30 },
  text: { ...common, type: 'text', color: '#1e1e1e', text: 'Hello', fontSize: 24, width: 70, height: 30, autoWidth: true },
  sticky: { ...common, type: 'sticky', color: '#1e1e1e', fill: '#ffec99', text: 'Note', fontSize: 36, width: 200, height: 200 },
  image: { ...common, type: 'image', asset: 'ab'.repeat(32), width: 64, height: 48 },
}

/** A document with one shape of every type, bottom first in SHAPE_TYPES order. */
export function sampleBoard(): { doc: Y.Doc; ids: { readonly [T in ShapeType]: ShapeId }; shapes: () => Shape[] } {
  const doc = new Y.Doc()
  const ids = Object.fromEntries(SHAPE_TYPES.map((type) => [type, addShape(doc, SAMPLE_FIELDS[type] as never)])) as { [T in ShapeType]: ShapeId }
  return { doc, ids, shapes: () => readShapes(doc, Object.values(ids)) }
}

/** The sample of one type, as the validator reads it. */
export function sampleShape<T extends ShapeType>(type: T): Extract<Shape, { type: T }> {
  const { shapes } = sampleBoard()
  return shapes().find((shape) => shape.type === type) as Extract<Shape, { type: T }>
}
