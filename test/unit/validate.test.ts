import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { shapesOf } from '../../src/model/board-doc'
import { readAllShapes } from '../../src/model/board-json'
import { encodePoints } from '../../src/model/point-codec'
import { readShape } from '../../src/model/validate'

const validFields = (): Record<string, unknown> => ({
  type: 'stroke',
  x: 10,
  y: 20,
  rotation: 0,
  z: 'a0',
  color: '#1e1e1e',
  strokeWidth: 4,
  opacity: 1,
  pressure: false,
  points: encodePoints([[0, 0], [5, 5]], false),
})

/** Writes a shape the way a hostile or buggy peer could: any field, any value. */
function shapeWith(fields: Record<string, unknown>): Y.Map<unknown> {
  const doc = new Y.Doc()
  const map = new Y.Map<unknown>()
  for (const [key, value] of Object.entries(fields)) map.set(key, value)
  shapesOf(doc).set('shape1', map)
  return map
}

describe('readShape', () => {
  it('accepts a well-formed stroke', () => {
    const shape = readShape('shape1', shapeWith(validFields()))
    expect(shape).toMatchObject({ id: 'shape1', type: 'stroke', x: 10, y: 20, color: '#1e1e1e', complete: true })
    expect(shape?.type === 'stroke' && Array.from(shape.points)).toEqual([0, 0, 0.5, 5, 5, 0.5])
  })

  it('reads a stroke known valid with the same points, decoded when first read, and still copied by a spread', () => {
    const map = shapeWith(validFields())
    const known = readShape('shape1', map, { knownValid: true })
    expect(known).toEqual(readShape('shape1', map))
    expect(known?.type === 'stroke' && Array.from({ ...known }.points)).toEqual([0, 0, 0.5, 5, 5, 0.5])
  })

  const hostile: [string, Record<string, unknown>][] = [
    ['an unknown type', { type: 'script' }],
    ['a missing type', { type: undefined }],
    ['NaN coordinates', { x: Number.NaN }],
    ['infinite coordinates', { y: Number.POSITIVE_INFINITY }],
    ['coordinates far off the board', { x: 1e12 }],
    ['a string coordinate', { x: '10' }],
    ['a CSS injection as colour', { color: 'red;background:url(http://evil)' }],
    ['a colour object', { color: { r: 1 } }],
    ['a zero stroke width', { strokeWidth: 0 }],
    ['a huge stroke width', { strokeWidth: 1e6 }],
    ['a negative opacity', { opacity: -1 }],
    ['a non-boolean pressure flag', { pressure: 'yes' }],
    ['points as a string', { points: 'AAAA' }],
    ['points as a number array', { points: [1, 2, 3] }],
    ['truncated points', { points: new Uint8Array([0x80]) }],
    ['no points at all', { points: undefined }],
    ['a z that is not a fractional index', { z: '<script>' }],
    ['an endless z', { z: 'a'.repeat(10_000) }],
    ['a non-numeric rotation', { rotation: 'left' }],
  ]
  for (const [what, override] of hostile) {
    it(`rejects ${what}`, () => {
      const fields = { ...validFields(), ...override }
      for (const [key, value] of Object.entries(fields)) if (value === undefined) delete fields[key]
      expect(readShape('shape1', shapeWith(fields))).toBeNull()
    })
  }

  it('rejects values that are not shape maps and ids that are not ids', () => {
    expect(readShape('shape1', 'stroke')).toBeNull()
    expect(readShape('shape1', null)).toBeNull()
    expect(readShape('shape1', { type: 'stroke' })).toBeNull()
    expect(readShape('../../etc', shapeWith(validFields()))).toBeNull()
    expect(readShape('', shapeWith(validFields()))).toBeNull()
  })

  it('rejects live batches that are not byte arrays', () => {
    const fields = validFields()
    delete fields.points
    fields.live = Y.Array.from([new Uint8Array([0, 0]), 'oops'])
    expect(readShape('shape1', shapeWith(fields))).toBeNull()
  })

  it('skips and counts invalid shapes next to valid ones', () => {
    const doc = new Y.Doc()
    const shapes = shapesOf(doc)
    const good = new Y.Map<unknown>()
    for (const [key, value] of Object.entries(validFields())) good.set(key, value)
    shapes.set('good', good)
    shapes.set('bad1', 42)
    const bad2 = new Y.Map<unknown>()
    bad2.set('type', 'stroke')
    shapes.set('bad2', bad2)
    const { shapes: valid, invalid } = readAllShapes(doc)
    expect(valid.map((shape) => shape.id)).toEqual(['good'])
    expect(invalid).toBe(2)
  })
})
