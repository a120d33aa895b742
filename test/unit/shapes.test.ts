import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { exportBoard, importBoard, readAllShapes, type BoxJSON, type LineJSON } from '../../src/model/board-json'
import { distanceToShape, shapeBounds, unionBounds } from '../../src/model/geometry'
import { History } from '../../src/model/history'
import { addShape, updateShape } from '../../src/model/ops'
import type { ShapeId } from '../../src/model/ids'

const rectangle: Omit<BoxJSON, 'id'> = { type: 'rectangle', x: 10, y: 20, width: 100, height: 50, rotation: 0, color: '#1971c2', strokeWidth: 2, fill: null, opacity: 1 }
const arrow: Omit<LineJSON, 'id'> = { type: 'arrow', x: 0, y: 0, rotation: 0, color: '#e03131', strokeWidth: 4, opacity: 1, points: [[0, 0], [30, 40]] }

function boardWith(...shapes: object[]): Y.Doc {
  const doc = new Y.Doc()
  importBoard(doc, { version: 1, shapes })
  return doc
}

describe('boxes and lines', () => {
  it('round-trip through JSON, rotation included', () => {
    const shapes = [
      { id: 'r', ...rectangle },
      { id: 'e', ...rectangle, type: 'ellipse', fill: '#ffec99', rotation: 0.3 },
      { id: 'l', ...arrow, type: 'line', rotation: 0.5, points: [[100, 100], [160, 180]] },
      { id: 'a', ...arrow },
    ]
    const exported = exportBoard(boardWith(...shapes)).shapes
    expect(exported[0]).toEqual(shapes[0])
    expect(exported[1]).toEqual(shapes[1])
    const line = exported[2] as LineJSON
    expect(line.points[0]).toEqual([100, 100])
    expect(line.points[1][0]).toBeCloseTo(160, 9)
    expect(line.points[1][1]).toBeCloseTo(180, 9)
    expect(exported[3]).toEqual(shapes[3])
  })

  it('are validated like every shape: bad sizes, fills and extents are skipped', () => {
    const doc = new Y.Doc()
    const shapes = doc.getMap('shapes')
    const write = (id: string, fields: Record<string, unknown>) => {
      const map = new Y.Map<unknown>()
      for (const [key, value] of Object.entries({ type: 'rectangle', x: 0, y: 0, width: 10, height: 10, color: '#000000', strokeWidth: 2, z: 'a0', ...fields })) {
        map.set(key, value)
      }
      shapes.set(id, map)
    }
    write('ok', {})
    write('negative', { width: -5 })
    write('huge', { height: 1e9 })
    write('fill', { fill: 'url(#x)' })
    write('line', { type: 'line', dx: 'far', dy: 0 })
    write('arrow', { type: 'arrow', dx: 5, dy: Number.NaN })
    expect(readAllShapes(doc)).toMatchObject({ invalid: 5 })
    expect(readAllShapes(doc).shapes.map((shape) => shape.id)).toEqual(['ok'])
  })

  it('rejects bad JSON with a clear message', () => {
    expect(() => boardWith({ ...rectangle, width: 'wide' })).toThrow(/width and height/)
    expect(() => boardWith({ ...rectangle, fill: 'red' })).toThrow(/fill/)
    expect(() => boardWith({ ...arrow, points: [[0, 0]] })).toThrow(/points/)
  })

  it('are added on top and updated field by field, each one undoable', () => {
    const doc = new Y.Doc()
    const history = new History(doc)
    history.beginGesture()
    const id = addShape(doc, { type: 'rectangle', x: 0, y: 0, width: 10, height: 10, rotation: 0, color: '#000000', strokeWidth: 2, opacity: 1 })
    history.beginGesture()
    updateShape(doc, id, { width: 40, fill: '#ffec99' })
    expect(exportBoard(doc).shapes[0]).toMatchObject({ width: 40, fill: '#ffec99' })
    history.beginGesture()
    updateShape(doc, id, { fill: null })
    expect(exportBoard(doc).shapes[0]).toMatchObject({ fill: null })
    history.undo()
    expect(exportBoard(doc).shapes[0]).toMatchObject({ width: 40, fill: '#ffec99' })
    history.undo()
    expect(exportBoard(doc).shapes[0]).toMatchObject({ width: 10, fill: null })
    updateShape(doc, 'missing' as ShapeId, { width: 5 })
  })
})

describe('geometry', () => {
  it('bounds shapes as drawn, rotation and thickness included', () => {
    const [box, turned] = readAllShapes(boardWith({ id: 'a', ...rectangle }, { id: 'b', ...rectangle, rotation: Math.PI / 2 })).shapes
    expect(shapeBounds(box!)).toEqual({ x: 9, y: 19, width: 102, height: 52 })
    const rotated = shapeBounds(turned!)
    expect(rotated.width).toBeCloseTo(52, 9)
    expect(rotated.height).toBeCloseTo(102, 9)
    expect(unionBounds([box!, turned!])!.x).toBeCloseTo(Math.min(9, rotated.x), 9)
    expect(unionBounds([])).toBeNull()
  })

  it('measures how far a point is from the ink', () => {
    const [open, filled, ellipse, line, stroke] = readAllShapes(
      boardWith(
        { id: 'a', ...rectangle },
        { id: 'b', ...rectangle, fill: '#ffec99' },
        { id: 'c', ...rectangle, type: 'ellipse' },
        { id: 'd', ...arrow, type: 'line' },
        { id: 'e', type: 'stroke', strokeWidth: 4, points: [[0, 100], [100, 100]] },
      ),
    ).shapes
    expect(distanceToShape(open!, 60, 45)).toBeGreaterThan(20) // the middle of an empty rectangle
    expect(distanceToShape(filled!, 60, 45)).toBe(0)
    expect(distanceToShape(open!, 10, 45)).toBe(0) // on its left edge
    expect(distanceToShape(ellipse!, 60, 20)).toBe(0) // the top of the ellipse
    expect(distanceToShape(ellipse!, 60, 45)).toBeGreaterThan(20)
    expect(distanceToShape(line!, 15, 20)).toBe(0)
    expect(distanceToShape(line!, 100, 0)).toBeGreaterThan(50)
    expect(distanceToShape(stroke!, 50, 103)).toBe(1)
  })
})
