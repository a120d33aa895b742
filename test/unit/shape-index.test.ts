import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { importBoard, readAllShapes } from '../../src/model/board-json'
import { shapeBounds } from '../../src/model/geometry'
import type { Shape } from '../../src/model/shapes'
import { levelFor } from '../../src/render/tile-cache'
import { boxOf, ShapeIndex } from '../../src/render/shape-index'
import { generateBoard } from '../helpers/boards'

function shapesOfBoard(strokes: number): Shape[] {
  const doc = new Y.Doc()
  importBoard(doc, generateBoard({ strokes, pointsPerStroke: 20, seed: 3 }))
  return readAllShapes(doc).shapes
}

const meets = (shape: Shape, area: { x: number; y: number; width: number; height: number }) => {
  const box = shapeBounds(shape)
  return box.x <= area.x + area.width && box.x + box.width >= area.x && box.y <= area.y + area.height && box.y + box.height >= area.y
}

describe('shape index', () => {
  const shapes = shapesOfBoard(2000)

  it('finds exactly the shapes whose drawn bounds meet an area, loaded one by one or in bulk', () => {
    const index = new ShapeIndex()
    for (const shape of shapes) index.set(shape)
    for (const area of [
      { x: 0, y: 0, width: 500, height: 400 },
      { x: 1234.5, y: 777, width: 10, height: 10 },
      { x: -100, y: -100, width: 5000, height: 4000 },
      { x: 9000, y: 9000, width: 10, height: 10 },
    ]) {
      const found = index.search(area).map((entry) => entry.shape.id).sort()
      expect(found).toEqual(shapes.filter((shape) => meets(shape, area)).map((shape) => shape.id).sort())
    }
    expect(index.size).toBe(shapes.length)
  })

  it('follows moves and removals, and reports what it replaced', () => {
    const index = new ShapeIndex()
    for (const shape of shapes.slice(0, 10)) index.set(shape)
    const first = shapes[0]!
    const before = boxOf(index.get(first.id)!)
    const moved = { ...first, x: first.x + 10_000 } as Shape
    expect(boxOf(index.set(moved)!)).toEqual(before)
    expect(index.search(before).some((entry) => entry.shape.id === first.id)).toBe(false)
    expect(index.search(shapeBounds(moved)).map((entry) => entry.shape)).toContain(moved)
    expect(index.remove(first.id)?.shape).toBe(moved)
    expect(index.search(shapeBounds(moved))).toEqual([])
    expect(index.size).toBe(9)
  })
})

describe('tile levels', () => {
  it('draw tiles at the first resolution at or above the screen, so they are never enlarged', () => {
    expect(levelFor(1)).toBe(0)
    expect(levelFor(1.5)).toBe(1)
    expect(levelFor(2)).toBe(1)
    expect(levelFor(0.3)).toBe(-1)
    expect(levelFor(0.25)).toBe(-2)
    for (const resolution of [0.07, 0.2, 0.9, 1.01, 3, 7.9]) {
      const level = levelFor(resolution)
      expect(2 ** level).toBeGreaterThanOrEqual(resolution)
      expect(2 ** level).toBeLessThan(2 * resolution)
    }
  })
})
