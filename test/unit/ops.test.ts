import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { syncDocs } from '../helpers/boards'
import { shapesOf } from '../../src/model/board-doc'
import { BoardImportError, exportBoard, importBoard, type StrokeJSON } from '../../src/model/board-json'
import { History } from '../../src/model/history'
import { deleteShapes } from '../../src/model/ops'
import { StrokeWriter } from '../../src/model/stroke-writer'

const style = { color: '#e03131', strokeWidth: 4, opacity: 1 }

/** The board's shapes, all strokes in these tests. */
const strokesOf = (doc: Y.Doc) => exportBoard(doc).shapes as StrokeJSON[]

function drawStroke(doc: Y.Doc, history: History | null, points: [number, number][], flushEvery = 3): string {
  history?.beginGesture()
  const [first, ...rest] = points
  const writer = new StrokeWriter(doc, first![0], first![1], null, style)
  rest.forEach(([x, y], i) => {
    writer.add(x, y, null)
    if (i % flushEvery === 0) writer.flush()
  })
  writer.finish()
  return writer.id
}

describe('strokes', () => {
  it('grow batch by batch and export their points in board coordinates', () => {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    const points: [number, number][] = [[100.3, 200], [110, 205.5], [120.25, 210], [130, 230], [150, 260]]
    drawStroke(doc, null, points, 2)
    // begin + two flushes of two points + finish: the stroke grew in visible steps.
    expect(updates.length).toBeGreaterThanOrEqual(3)
    const [stroke] = strokesOf(doc)
    expect(stroke).toMatchObject({ type: 'stroke', color: '#e03131', strokeWidth: 4 })
    expect(stroke!.points).toEqual(points.map(([x, y]) => [Math.round(x * 4) / 4, Math.round(y * 4) / 4]))
  })

  it('are compacted into one byte array when finished', () => {
    const doc = new Y.Doc()
    const id = drawStroke(doc, null, Array.from({ length: 50 }, (_, i) => [i * 3, i * 2] as [number, number]), 1)
    const map = shapesOf(doc).get(id) as Y.Map<unknown>
    expect(map.has('live')).toBe(false)
    expect(map.get('points')).toBeInstanceOf(Uint8Array)
  })

  it('a peer that sees a stroke mid-drawing renders what exists so far', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const writer = new StrokeWriter(a, 0, 0, 0.5, style)
    writer.add(10, 10, 0.7)
    writer.flush()
    syncDocs(a, b)
    const [partial] = strokesOf(b)
    expect(partial!.points).toHaveLength(2)
    writer.add(20, 20, 0.9)
    writer.finish()
    syncDocs(a, b)
    expect(exportBoard(b)).toEqual(exportBoard(a))
    expect(strokesOf(b)[0]!.points[2]![2]).toBeCloseTo(0.9, 2)
  })
})

describe('undo', () => {
  it('undoes one whole gesture per step, however many batches it wrote', () => {
    const doc = new Y.Doc()
    const history = new History(doc)
    drawStroke(doc, history, [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 5]], 1)
    const second = drawStroke(doc, history, [[50, 50], [60, 60], [70, 70]], 1)
    history.undo()
    expect(strokesOf(doc)).toHaveLength(1)
    history.undo()
    expect(strokesOf(doc)).toHaveLength(0)
    history.redo()
    history.redo()
    expect(strokesOf(doc).map((shape) => shape.id)).toContain(second)
  })

  it('never undoes another user\'s work', () => {
    const alice = new Y.Doc()
    const bob = new Y.Doc()
    const aliceHistory = new History(alice)
    const bobHistory = new History(bob)
    const aliceStroke = drawStroke(alice, aliceHistory, [[0, 0], [10, 10]])
    syncDocs(alice, bob)
    const bobStroke = drawStroke(bob, bobHistory, [[100, 0], [110, 10]])
    syncDocs(alice, bob)
    expect(aliceHistory.undo()).toBe(true)
    expect(aliceHistory.undo()).toBe(false)
    syncDocs(alice, bob)
    expect(strokesOf(bob).map((shape) => shape.id)).toEqual([bobStroke])
    expect(strokesOf(alice).map((shape) => shape.id)).not.toContain(aliceStroke)
  })

  it('undoes a deletion', () => {
    const doc = new Y.Doc()
    const history = new History(doc)
    const id = drawStroke(doc, history, [[0, 0], [10, 10]])
    const before = exportBoard(doc)
    history.beginGesture()
    deleteShapes(doc, [id as never])
    expect(strokesOf(doc)).toHaveLength(0)
    history.undo()
    expect(exportBoard(doc)).toEqual(before)
  })
})

describe('importBoard', () => {
  it('replaces the content as one undoable step and keeps z-order', () => {
    const doc = new Y.Doc()
    const history = new History(doc)
    const old = drawStroke(doc, history, [[0, 0], [1, 1]])
    history.beginGesture()
    importBoard(doc, {
      version: 1,
      shapes: [
        { id: 'bottom', type: 'stroke', color: '#1971c2', strokeWidth: 2, points: [[0, 0], [10, 0]] },
        { type: 'stroke', points: [[5, 5, 0.2], [6, 6, 0.8]] },
      ],
    })
    const shapes = strokesOf(doc)
    expect(shapes.map((shape) => shape.id)[0]).toBe('bottom')
    expect(shapes).toHaveLength(2)
    expect(shapes[1]!.id).toMatch(/^[A-Za-z0-9_-]{16}$/)
    expect(shapes[1]!.points).toEqual([[5, 5, 0.2], [6, 6, 0.8]].map(([x, y, p]) => [x, y, Math.round(p! * 255) / 255]))
    history.undo()
    expect(strokesOf(doc).map((shape) => shape.id)).toEqual([old])
  })

  it('round-trips its own export', () => {
    const doc = new Y.Doc()
    drawStroke(doc, null, [[3.3, 4.4], [20, 30], [40, 10]])
    importBoard(doc, { version: 1, shapes: [...exportBoard(doc).shapes, { type: 'stroke', rotation: 0.5, x: 100, y: 100, points: [[100, 100], [120, 100]] }] })
    const once = exportBoard(doc)
    const copy = new Y.Doc()
    importBoard(copy, JSON.stringify(once))
    const twice = exportBoard(copy)
    expect(twice.shapes.length).toBe(2)
    const copies = twice.shapes as StrokeJSON[]
    copies.forEach((shape, i) => {
      expect(shape.id).toBe(once.shapes[i]!.id)
      shape.points.forEach((point, j) => point.forEach((value, k) => expect(value).toBeCloseTo((once.shapes[i] as StrokeJSON).points[j]![k]!, 5)))
    })
  })

  it('rejects bad input with a clear error and leaves the board untouched', () => {
    const doc = new Y.Doc()
    drawStroke(doc, null, [[0, 0], [1, 1]])
    const before = exportBoard(doc)
    const bad: [unknown, RegExp][] = [
      ['{not json', /Not valid JSON/],
      [{ shapes: 'none' }, /"shapes" array/],
      [{ version: 99, shapes: [] }, /newer meshboard/],
      [{ shapes: [{ type: 'stroke', points: [] }] }, /Shape 0: a stroke needs/],
      [{ shapes: [{ type: 'stroke', points: [[0, 0]] }, { type: 'blob' }] }, /Shape 1: unknown type/],
      [{ shapes: [{ type: 'stroke', color: 'javascript:alert(1)', points: [[0, 0]] }] }, /color/],
      [{ shapes: [{ type: 'stroke', points: [[0, Number.NaN]] }] }, /finite numbers/],
      [{ shapes: [{ id: 'a', type: 'stroke', points: [[0, 0]] }, { id: 'a', type: 'stroke', points: [[0, 0]] }] }, /duplicate id/],
    ]
    for (const [input, message] of bad) {
      expect(() => importBoard(doc, input)).toThrow(BoardImportError)
      expect(() => importBoard(doc, input)).toThrow(message)
    }
    expect(exportBoard(doc)).toEqual(before)
  })
})
