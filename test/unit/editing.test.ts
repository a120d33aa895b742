/**
 * The document side of editing: text, note and image shapes and their validation, resize and
 * rotate math, layer order (and two people reordering at once), copy and paste, and board files
 * carrying images.
 */
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { syncDocs } from '../helpers/boards'
import { MAX_ASSET_BYTES } from '../../src/model/assets'
import { shapesOf } from '../../src/model/board-doc'
import { BoardImportError, exportBoard, importBoard, readAllShapes, type BoardJSON } from '../../src/model/board-json'
import { copyShapes, pasteShapes } from '../../src/model/clipboard'
import { frameOf } from '../../src/model/frame'
import type { ShapeId } from '../../src/model/ids'
import { addShape, updateShapes } from '../../src/model/ops'
import type { BoxShape, Shape } from '../../src/model/shapes'
import { movePatch, resizePatch, rotatePatch } from '../../src/model/transform'
import { encodePoints } from '../../src/model/point-codec'
import { readShape, readShapes } from '../../src/model/validate'
import { reorderShapes } from '../../src/model/z-order'

/** A 1×1 PNG, base64: the smallest real image. */
const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
const PIXEL_HASH = 'a'.repeat(64)

const box = (x: number, y: number, extra: Record<string, unknown> = {}) =>
  ({ type: 'rectangle', x, y, rotation: 0, color: '#1e1e1e', strokeWidth: 4, opacity: 1, width: 100, height: 50, ...extra }) as const

const ids = (doc: Y.Doc) => readAllShapes(doc).shapes.map((shape) => shape.id)
const read = (doc: Y.Doc, id: ShapeId) => readShapes(doc, [id])[0]!
/** Monospace stand-in for font measurement: 0.5 em per character, 1.25 lines. */
const layout = (text: string, fontSize: number, width: number | null) => {
  const lines = text.split('\n')
  const widest = Math.max(...lines.map((line) => line.length)) * fontSize * 0.5
  const wrapped = width === null ? lines.length : lines.reduce((sum, line) => sum + Math.max(1, Math.ceil((line.length * fontSize * 0.5) / width)), 0)
  return { width: width ?? widest, height: wrapped * fontSize * 1.25 }
}

describe('text, notes and images in the document', () => {
  it('reads valid text, notes and images and refuses hostile ones', () => {
    const doc = new Y.Doc()
    const text = addShape(doc, { type: 'text', x: 0, y: 0, rotation: 0, opacity: 1, color: '#1e1e1e', text: 'Hi', fontSize: 24, width: 24, height: 30, autoWidth: true })
    const note = addShape(doc, { type: 'sticky', x: 0, y: 0, rotation: 0, opacity: 1, color: '#1e1e1e', fill: '#ffec99', text: '', fontSize: 24, width: 200, height: 200 })
    const image = addShape(doc, { type: 'image', x: 0, y: 0, rotation: 0, opacity: 1, width: 10, height: 10, asset: PIXEL_HASH })
    expect(readShapes(doc, [text, note, image]).map((shape) => shape.type)).toEqual(['text', 'sticky', 'image'])
    const hostile: [string, Record<string, unknown>][] = [
      ['text that is not a string', { type: 'text', text: 42 }],
      ['text too long', { type: 'text', text: 'x'.repeat(20_001) }],
      ['a font size of zero', { type: 'text', fontSize: 0 }],
      ['a note without its colour', { type: 'sticky', fill: 'yellow' }],
      ['an image whose asset is not a hash', { type: 'image', asset: '../../etc/passwd' }],
      ['a negative width', { type: 'image', width: -5 }],
    ]
    for (const [why, patch] of hostile) {
      const map = (shapesOf(doc).get(patch.type === 'text' ? text : patch.type === 'sticky' ? note : image) as Y.Map<unknown>).clone()
      for (const [key, value] of Object.entries(patch)) map.set(key, value)
      const scratch = new Y.Doc()
      shapesOf(scratch).set('shape1', map)
      expect(readShape('shape1', shapesOf(scratch).get('shape1')), why).toBeNull()
    }
  })

  it('round-trips every type through a board file, images included, and refuses a file with a bad image', () => {
    const doc = new Y.Doc()
    const board: BoardJSON = {
      version: 1,
      shapes: [
        { id: 't1', type: 'text', x: 1, y: 2, rotation: 0, opacity: 1, color: '#1e1e1e', text: 'Hello\nworld', fontSize: 24, width: 80, height: 60 },
        { id: 'n1', type: 'sticky', x: 3, y: 4, rotation: 0.5, opacity: 0.8, color: '#1e1e1e', fill: '#a5d8ff', text: 'Note', fontSize: 24, width: 200, height: 200 },
        { id: 'i1', type: 'image', x: 5, y: 6, rotation: 0, opacity: 1, width: 64, height: 64, asset: PIXEL_HASH },
      ],
      assets: { [PIXEL_HASH]: PIXEL_PNG },
    }
    importBoard(doc, board)
    expect(exportBoard(doc)).toEqual(board)
    const before = exportBoard(doc)
    const notAnImage = { ...board, assets: { [PIXEL_HASH]: btoa('<svg onload="alert(1)"/>') } }
    expect(() => importBoard(doc, notAnImage)).toThrow(BoardImportError)
    const tooBig = { ...board, assets: { [PIXEL_HASH]: btoa('\x89PNG' + 'x'.repeat(MAX_ASSET_BYTES)) } }
    expect(() => importBoard(doc, tooBig)).toThrow(/larger than/)
    const missing = { ...board, assets: {} }
    expect(() => importBoard(doc, missing)).toThrow(/not in "assets"/)
    expect(exportBoard(doc)).toEqual(before)
  })
})

describe('moving, resizing and rotating', () => {
  it('moves only along the axes that change', () => {
    const doc = new Y.Doc()
    const id = addShape(doc, box(10, 20))
    expect(movePatch(read(doc, id), 5, 0)).toEqual({ x: 15 })
    expect(movePatch(read(doc, id), 0, -3)).toEqual({ y: 17 })
  })

  it('resizes a box about the opposite corner, and flips it back to a top-left corner', () => {
    const doc = new Y.Doc()
    const id = addShape(doc, box(0, 0))
    const shape = read(doc, id) as BoxShape
    const frame = frameOf([shape])!
    // Frame of the ink: 2 units of half-stroke around the 100 × 50 box.
    expect(frame).toEqual({ x: -2, y: -2, width: 104, height: 54, rotation: 0 })
    const anchor = { x: 0, y: 0 }
    expect(resizePatch(shape, frame, anchor, 2, 3, layout)).toEqual({ x: -2 + 2 * 2, y: -2 + 2 * 3, width: 200, height: 150 })
    // Dragged past the anchor: the box is mirrored and still described from its top-left corner.
    const flipped = resizePatch(shape, frame, anchor, -1, 1, layout)
    expect(flipped).toEqual({ x: -2 - 2 - 100, y: 0, width: 100, height: 50 })
  })

  it('resizes a rotated shape in its own frame and rotates shapes around a point', () => {
    const doc = new Y.Doc()
    const id = addShape(doc, box(100, 100, { rotation: Math.PI / 2 }))
    const shape = read(doc, id)
    const frame = frameOf([shape])!
    expect(frame.rotation).toBeCloseTo(Math.PI / 2, 12)
    // Twice as wide along its own x, which points down the board: the width doubles, and the origin,
    // 2 units of ink inside the frame's corner, moves to 4 units inside it (down the board).
    const patch = resizePatch(shape, frame, { x: 0, y: 0 }, 2, 1, layout)
    expect(patch.width).toBeCloseTo(200, 9)
    expect(patch.height).toBeCloseTo(50, 9)
    expect(patch.x).toBeCloseTo(100, 9)
    expect(patch.y).toBeCloseTo(102, 9)
    const turned = rotatePatch(shape, { x: 0, y: 0 }, Math.PI / 2)
    expect(turned.x).toBeCloseTo(-100, 9)
    expect(turned.y).toBeCloseTo(100, 9)
    expect(turned.rotation).toBeCloseTo(Math.PI, 12)
  })

  it('re-wraps text instead of stretching it, and scales stroke points', () => {
    const doc = new Y.Doc()
    const text = addShape(doc, { type: 'text', x: 0, y: 0, rotation: 0, opacity: 1, color: '#1e1e1e', text: 'a'.repeat(20), fontSize: 20, width: 200, height: 25, autoWidth: true })
    const shape = read(doc, text)
    const patch = resizePatch(shape, frameOf([shape])!, { x: 0, y: 0 }, 0.5, 3, layout)
    // Half as wide: two lines, the font unchanged, the box no longer growing with the text.
    expect(patch).toEqual({ x: 0, y: 0, width: 100, height: 50, autoWidth: false })
    const stroke = addShape(doc, { type: 'stroke', x: 0, y: 0, rotation: 0, opacity: 1, color: '#1e1e1e', strokeWidth: 2, pressure: false, points: encodePoints([[0, 0], [10, 4]], false) })
    const drawn = read(doc, stroke)
    updateShapes(doc, new Map([[stroke, resizePatch(drawn, frameOf([drawn])!, { x: 1, y: 1 }, 2, 0.5, layout)]]))
    // Anchored at the stroke's start (1 unit of ink inside the frame): it stays, the rest stretches.
    expect(exportBoard(doc).shapes.at(-1)).toMatchObject({ x: 0, y: 0, points: [[0, 0], [20, 2]] })
  })
})

describe('layer order', () => {
  it('brings forward, backward, to the front and to the back', () => {
    const doc = new Y.Doc()
    const [a, b, c, d] = [0, 1, 2, 3].map((i) => addShape(doc, box(i, i)))
    reorderShapes(doc, [a!], 'forward')
    expect(ids(doc)).toEqual([b, a, c, d])
    reorderShapes(doc, [a!, b!], 'front')
    expect(ids(doc)).toEqual([c, d, b, a])
    reorderShapes(doc, [a!], 'back')
    expect(ids(doc)).toEqual([a, c, d, b])
    reorderShapes(doc, [b!], 'backward')
    expect(ids(doc)).toEqual([a, c, b, d])
    // Already at the top: nothing to do.
    reorderShapes(doc, [d!], 'front')
    expect(ids(doc)).toEqual([a, c, b, d])
  })

  it('converges when two people reorder the same shapes at once', () => {
    for (let seed = 0; seed < 20; seed++) {
      const one = new Y.Doc()
      const shapes = [0, 1, 2, 3, 4].map((i) => addShape(one, box(i, i)))
      const two = new Y.Doc()
      syncDocs(one, two)
      reorderShapes(one, [shapes[seed % 5]!], seed % 2 ? 'front' : 'backward')
      reorderShapes(two, [shapes[(seed * 3) % 5]!, shapes[(seed + 1) % 5]!], seed % 3 ? 'back' : 'forward')
      syncDocs(one, two)
      expect(ids(one)).toEqual(ids(two))
      expect(new Set(ids(one))).toEqual(new Set(shapes))
    }
  })
})

describe('copy and paste', () => {
  it('pastes copies with new ids, moved by the offset chosen from their bounds, images included', () => {
    const from = new Y.Doc()
    importBoard(from, {
      version: 1,
      shapes: [box(10, 10, { id: 'r1' }), { id: 'i1', type: 'image', x: 200, y: 10, rotation: 0, opacity: 1, width: 64, height: 64, asset: PIXEL_HASH }],
      assets: { [PIXEL_HASH]: PIXEL_PNG },
    })
    const clip = copyShapes(from, ids(from))
    const to = new Y.Doc()
    addShape(to, box(0, 0))
    let seen: { x: number; width: number } | null = null
    const pasted = pasteShapes(to, JSON.parse(JSON.stringify(clip)), (bounds) => {
      seen = bounds
      return { dx: 100, dy: 0 }
    })
    expect(seen).toMatchObject({ x: 8, width: 256 })
    expect(pasted).toHaveLength(2)
    expect(pasted.some((id) => ids(from).includes(id))).toBe(false)
    const copies = readShapes(to, pasted)
    expect(copies.map((shape: Shape) => [shape.type, shape.x])).toEqual([
      ['rectangle', 110],
      ['image', 300],
    ])
    // On top of what was there, and the picture came along.
    expect(ids(to).slice(1)).toEqual(pasted)
    expect(exportBoard(to).assets).toEqual({ [PIXEL_HASH]: PIXEL_PNG })
  })

  it('keeps concurrent edits of different fields of one shape', () => {
    const one = new Y.Doc()
    const id = addShape(one, box(0, 0))
    const two = new Y.Doc()
    syncDocs(one, two)
    updateShapes(one, new Map([[id, { x: 50 }]]))
    updateShapes(two, new Map([[id, { color: '#e03131', y: 70 }]]))
    syncDocs(one, two)
    expect(exportBoard(one)).toEqual(exportBoard(two))
    expect(read(one, id)).toMatchObject({ x: 50, y: 70, color: '#e03131' })
  })
})
