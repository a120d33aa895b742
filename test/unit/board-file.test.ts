/**
 * The board's two JSON forms: what `exportJSON()` gives (every point listed) and what a `.meshboard`
 * file holds (strokes' points kept encoded), and that both open again as the same board.
 */
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import {
  BOARD_FILE_VERSION,
  BoardImportError,
  exportBoard,
  exportBoardFile,
  exportShapes,
  importBoard,
  readAllShapes,
  type BoardJSON,
} from '../../src/model/board-json'
import { shapesOf } from '../../src/model/board-doc'
import { generateBoard } from '../../support/boards'

/** A PNG of one pixel. */
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

/** Every kind of shape, strokes turned and not, with pressure and without, a highlighter mark and an image. */
async function everyKind(): Promise<BoardJSON> {
  const bytes = Uint8Array.from(atob(PIXEL), (char) => char.charCodeAt(0))
  const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((byte) => byte.toString(16).padStart(2, '0')).join('')
  const ink = { color: '#1971c2', strokeWidth: 4, opacity: 0.8 }
  return {
    version: 1,
    shapes: [
      { id: 'pressed', type: 'stroke', x: 10.5, y: 20.25, rotation: 0, ...ink, points: [[10.5, 20.25, 0.2], [14, 22.75, 0.6], [19.25, 30, 1]] },
      { id: 'turned', type: 'stroke', x: 100, y: 50, rotation: 0.7, ...ink, highlight: true, points: [[100, 50], [120.5, 61.25], [133, 90]] },
      { id: 'box', type: 'rectangle', x: 5, y: 6, width: 70, height: 40, rotation: 0.3, ...ink, fill: '#ffec99' },
      { id: 'arrow', type: 'arrow', x: 0, y: 0, rotation: 0, ...ink, points: [[0, 0], [30, 40]] },
      { id: 'words', type: 'text', x: 40, y: 40, rotation: 0, opacity: 1, color: '#1e1e1e', text: 'Hello', fontSize: 24, width: 80, height: 30, autoWidth: true },
      { id: 'note', type: 'sticky', x: 200, y: 40, rotation: 0, opacity: 1, color: '#1e1e1e', fill: '#ffec99', text: 'Note', fontSize: 20, width: 160, height: 160 },
      { id: 'picture', type: 'image', x: 300, y: 300, rotation: 0, opacity: 1, width: 10, height: 10, asset: hash },
    ],
    assets: { [hash]: PIXEL },
  } as BoardJSON
}

function boardOf(json: unknown): Y.Doc {
  const doc = new Y.Doc()
  importBoard(doc, json)
  return doc
}

describe('exportJSON', () => {
  it('lists what the shapes themselves read, point for point (its points decoded straight into the lists)', async () => {
    const doc = boardOf(await everyKind())
    const exported = exportBoard(doc)
    expect(exported).toEqual(exportShapes(doc, readAllShapes(doc).shapes))
    expect(exported.shapes.map((shape) => shape.id)).toEqual((await everyKind()).shapes.map((shape) => shape.id))
    expect(exported.shapes[0]).toEqual((await everyKind()).shapes[0])
    const big = boardOf(generateBoard({ strokes: 300, pointsPerStroke: 100, seed: 3 }))
    expect(exportBoard(big)).toEqual(exportShapes(big, readAllShapes(big).shapes))
  })

  it('leaves out a stroke whose stored points are broken, as the board does', async () => {
    const doc = boardOf(await everyKind())
    ;(shapesOf(doc).get('pressed') as Y.Map<unknown>).set('points', new Uint8Array([0xff, 0xff, 0xff]))
    expect(exportBoard(doc).shapes.map((shape) => shape.id)).not.toContain('pressed')
    expect(exportBoardFile(doc).shapes.map((shape) => shape.id)).not.toContain('pressed')
    expect(exportBoard(doc).shapes).toHaveLength(6)
  })
})

describe('.meshboard files', () => {
  it('keep strokes as their encoded points and open as the same board', async () => {
    const doc = boardOf(await everyKind())
    const file = exportBoardFile(doc)
    expect(file.version).toBe(BOARD_FILE_VERSION)
    expect(file.shapes[0]).toEqual(expect.objectContaining({ type: 'stroke', pressure: true, encodedPoints: expect.any(String) }))
    expect(file.shapes[1]).toEqual(expect.objectContaining({ type: 'stroke', pressure: false, highlight: true }))
    expect(file.shapes.some((shape) => 'points' in shape && shape.type === 'stroke')).toBe(false)
    const reopened = boardOf(JSON.stringify(file))
    expect(exportBoard(reopened)).toEqual(exportBoard(doc))
    // The strokes' bytes are the same too: opening a file does not requantise anything.
    for (const id of ['pressed', 'turned']) {
      expect((shapesOf(reopened).get(id) as Y.Map<unknown>).get('points')).toEqual((shapesOf(doc).get(id) as Y.Map<unknown>).get('points'))
    }
  })

  it('are under half the size of the listed points (a generated board of 1,000 strokes: about a tenth)', () => {
    const doc = boardOf(generateBoard({ strokes: 1000, pointsPerStroke: 100, seed: 5 }))
    const listed = JSON.stringify(exportBoard(doc)).length
    const encoded = JSON.stringify(exportBoardFile(doc)).length
    expect(encoded).toBeLessThan(listed / 2)
    expect(exportBoard(boardOf(JSON.stringify(exportBoardFile(doc))))).toEqual(exportBoard(doc))
  })

  it('of format 1 (every point listed) open as before', async () => {
    const doc = boardOf(await everyKind())
    const saved = JSON.stringify(exportBoard(doc))
    expect(exportBoard(boardOf(saved))).toEqual(exportBoard(doc))
  })

  it.each([
    ['invalid base64', { encodedPoints: '@@@', pressure: true }, /not valid base64/],
    ['a truncated stream', { encodedPoints: btoa(String.fromCharCode(0x81)), pressure: false }, /no valid points/],
    ['no points', { encodedPoints: '', pressure: false }, /no valid points/],
    ['no pressure flag', { encodedPoints: btoa(String.fromCharCode(4, 4)) }, /needs "pressure"/],
    ['no origin', { encodedPoints: btoa(String.fromCharCode(4, 4)), pressure: false, x: undefined }, /numeric x and y/],
  ])('refuse a stroke with %s, and change nothing', async (_what, fields, message) => {
    const doc = boardOf(await everyKind())
    const before = exportBoard(doc)
    const stroke = { id: 'bad', type: 'stroke', x: 0, y: 0, rotation: 0, color: '#1e1e1e', strokeWidth: 4, opacity: 1, ...fields }
    const file = { version: BOARD_FILE_VERSION, shapes: [stroke] }
    expect(() => importBoard(doc, JSON.stringify(file))).toThrow(BoardImportError)
    expect(() => importBoard(doc, JSON.stringify(file))).toThrow(message)
    expect(exportBoard(doc)).toEqual(before)
  })

  it('of a newer format say so', () => {
    expect(() => boardOf({ version: BOARD_FILE_VERSION + 1, shapes: [] })).toThrow(/newer meshboard/)
  })
})
