// The keyboard's way through a board: rows top to bottom, each left to right, as a page is read;
// and what a screen reader hears of each shape.
import { describe, expect, it } from 'vitest'
import { readingOrder, stepThrough } from '../../src/editor/reading-order'
import { describeShape } from '../../src/editor/shape-description'
import type { ShapeId } from '../../src/model/ids'
import type { Shape } from '../../src/model/shapes'

const at = (id: string, x: number, y: number, width = 100, height = 60) => ({ id: id as ShapeId, box: { x, y, width, height } })

describe('readingOrder', () => {
  it('reads rows top to bottom and each row left to right, however the shapes were made', () => {
    // Two rows, the second row's shapes a little out of line with each other.
    const shapes = [at('d', 300, 210), at('a', 400, 0), at('c', 0, 200), at('b', 10, 20), at('e', 150, 190, 100, 80)]
    expect(readingOrder(shapes)).toEqual(['b', 'a', 'c', 'e', 'd'])
  })

  it('puts a shape below a tall one in the next row when its middle is lower', () => {
    expect(readingOrder([at('tall', 0, 0, 50, 300), at('right', 100, 100), at('low', 100, 280)])).toEqual(['tall', 'right', 'low'])
  })
})

describe('stepThrough', () => {
  const order = ['a', 'b', 'c'] as ShapeId[]
  it('starts at either end and stops there', () => {
    expect(stepThrough(order, null, 1)).toBe('a')
    expect(stepThrough(order, null, -1)).toBe('c')
    expect(stepThrough(order, 'b' as ShapeId, 1)).toBe('c')
    expect(stepThrough(order, 'c' as ShapeId, 1)).toBe('c')
    expect(stepThrough(order, 'a' as ShapeId, -1)).toBe('a')
    expect(stepThrough(order, 'gone' as ShapeId, 1)).toBe('a')
    expect(stepThrough([], null, 1)).toBeNull()
  })
})

describe('describeShape', () => {
  const base = { id: 's' as ShapeId, x: 0, y: 0, rotation: 0, z: 'a0', opacity: 1, color: '#000000', strokeWidth: 2 }
  it('says what a shape is and how big', () => {
    expect(describeShape({ ...base, type: 'rectangle', width: 200.4, height: 120, fill: null } as Shape)).toBe('Rectangle, 200 by 120')
    expect(describeShape({ ...base, type: 'arrow', dx: 300, dy: 400 } as Shape)).toBe('Arrow, 500 long')
    expect(describeShape({ ...base, type: 'sticky', fill: '#fff', text: 'Ship it\nthen rest', fontSize: 20, width: 200, height: 200 } as Shape)).toBe('Sticky note: Ship it')
    expect(describeShape({ ...base, type: 'text', text: '', fontSize: 20, width: 10, height: 20, autoWidth: true } as Shape)).toBe('Empty text')
  })
})
