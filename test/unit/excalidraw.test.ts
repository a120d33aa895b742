// Excalidraw's scenes to and from the board's JSON: a round trip keeps every shape's geometry within
// a pixel, Excalidraw's turn about the middle becomes meshboard's about the corner, and what has no
// meshboard equivalent is named. Scenes made by the real Excalidraw: test/e2e/excalidraw.test.ts.
import { describe, expect, it } from 'vitest'
import { BOARD_JSON_VERSION, type BoardJSON, type ShapeJSON } from '../../src/model/board-json'
import { fromExcalidraw, toExcalidraw, type ExcalidrawElement } from '../../src/model/excalidraw'
import { isExcalidraw } from '../../src/model/excalidraw-kind'
import { toBase64 } from '../../src/model/base64'
import { hashAsset } from '../../src/model/assets'

// A 1x1 PNG.
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0))

async function everyShape(): Promise<BoardJSON> {
  const asset = await hashAsset(PNG)
  const shapes: ShapeJSON[] = [
    { id: 'stroke', type: 'stroke', x: 10, y: 20, rotation: 0, opacity: 1, color: '#e03131', strokeWidth: 4, points: [[10, 20, 0.3], [40, 60, 0.6], [90, 35, 0.9]] },
    { id: 'box', type: 'rectangle', x: 100, y: 100, rotation: 0.5, opacity: 0.8, color: '#1971c2', strokeWidth: 2, width: 200, height: 120, fill: '#a5d8ff' },
    { id: 'oval', type: 'ellipse', x: -50, y: 300, rotation: -1.2, opacity: 1, color: '#2f9e44', strokeWidth: 8, width: 80, height: 40, fill: null },
    { id: 'line', type: 'line', x: 0, y: 0, rotation: 0, opacity: 1, color: '#1e1e1e', strokeWidth: 2, points: [[5, 5], [205, 105]] },
    { id: 'arrow', type: 'arrow', x: 0, y: 0, rotation: 0, opacity: 1, color: '#1e1e1e', strokeWidth: 2, points: [[300, 10], [250, 90]] },
    { id: 'label', type: 'text', x: 400, y: 50, rotation: 0.25, opacity: 1, color: '#1e1e1e', text: 'Hello\nthere', fontSize: 24, width: 80, height: 60, autoWidth: true },
    { id: 'note', type: 'sticky', x: 500, y: 200, rotation: 0, opacity: 1, color: '#1e1e1e', fill: '#ffec99', text: 'Ship it', fontSize: 20, width: 200, height: 200 },
    { id: 'picture', type: 'image', x: 600, y: 500, rotation: 0.1, opacity: 1, width: 64, height: 48, asset },
  ]
  return { version: BOARD_JSON_VERSION, shapes, assets: { [asset]: toBase64(PNG) } }
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1
const samePoints = (a: number[][], b: number[][]) => a.length === b.length && a.every((p, i) => near(p[0]!, b[i]![0]!) && near(p[1]!, b[i]![1]!))

describe('Excalidraw scenes', () => {
  it('come back from a round trip with every shape where it was, within a pixel', async () => {
    const board = await everyShape()
    const scene = JSON.parse(JSON.stringify(toExcalidraw(board)))
    expect(isExcalidraw(scene)).toBe(true)
    const { board: back, lost } = await fromExcalidraw(scene)
    expect(lost).toEqual(['fonts and text alignment'])
    const byId = new Map(back.shapes.map((shape) => [shape.id, shape]))
    for (const shape of board.shapes) {
      const again = byId.get(shape.id)!
      if (shape.type === 'sticky') {
        // A note goes as a filled box with its text inside.
        expect(again).toMatchObject({ type: 'rectangle', fill: shape.fill })
        expect(back.shapes.find((other) => other.type === 'text' && other.text === shape.text)).toBeTruthy()
      } else {
        expect(again.type).toBe(shape.type)
      }
      if ('points' in shape && 'points' in again) expect(samePoints(again.points, shape.points), shape.id).toBe(true)
      if ('width' in shape && 'width' in again) {
        for (const field of ['x', 'y', 'width', 'height'] as const) expect(near(again[field], shape[field]), `${shape.id}.${field}`).toBe(true)
        expect(Math.cos(again.rotation)).toBeCloseTo(Math.cos(shape.rotation))
        expect(Math.sin(again.rotation)).toBeCloseTo(Math.sin(shape.rotation))
      }
    }
    expect(back.shapes.map((shape) => shape.id).slice(0, 7)).toEqual(['stroke', 'box', 'oval', 'line', 'arrow', 'label', 'note'])
    expect(back.assets).toEqual(board.assets)
    const stroke = byId.get('stroke') as Extract<ShapeJSON, { type: 'stroke' }>
    expect(stroke.points.map((point) => point[2])).toEqual([0.3, 0.6, 0.9])
  })

  const element = (fields: Partial<ExcalidrawElement>) => ({ id: 'e', x: 0, y: 0, width: 100, height: 100, angle: 0, strokeColor: '#1e1e1e', backgroundColor: 'transparent', fillStyle: 'solid', strokeWidth: 2, strokeStyle: 'solid', opacity: 100, groupIds: [], isDeleted: false, ...fields })

  it('turns a box Excalidraw turned about its middle about its top left corner instead', async () => {
    // A 100 x 40 box at (0, 0) turned a quarter about its middle (50, 20): its top left corner is at (70, -30).
    const { board } = await fromExcalidraw({ type: 'excalidraw', elements: [element({ type: 'rectangle', width: 100, height: 40, angle: Math.PI / 2 })] } as never)
    expect(board.shapes[0]).toMatchObject({ type: 'rectangle', width: 100, height: 40, rotation: Math.PI / 2 })
    expect(board.shapes[0]!.x).toBeCloseTo(70)
    expect(board.shapes[0]!.y).toBeCloseTo(-30)
  })

  it('names what has no meshboard equivalent, keeping what it can of it', async () => {
    const { board, lost } = await fromExcalidraw({
      elements: [
        element({ id: 'd', type: 'diamond', backgroundColor: '#ffc9c9' }),
        element({ id: 'l', type: 'line', points: [[0, 0], [50, 20], [100, 0]], roundness: { type: 2 }, strokeStyle: 'dashed' }),
        element({ id: 'a', type: 'arrow', points: [[0, 0], [80, 0]], startArrowhead: 'arrow', endArrowhead: 'triangle', groupIds: ['g'] }),
        element({ id: 'f', type: 'frame' }),
        element({ id: 'i', type: 'image', fileId: 'missing' }),
        element({ id: 'gone', type: 'rectangle', isDeleted: true }),
      ],
    })
    expect(board.shapes.map((shape) => [shape.id, shape.type])).toEqual([['d', 'stroke'], ['l', 'stroke'], ['a', 'arrow']])
    expect(lost).toEqual([
      'diamonds (drawn as outlines, without their fill)',
      'dashed and dotted lines',
      'lines with bends (now pen strokes)',
      'curved lines (now straight)',
      'groups',
      'arrowheads at the start of arrows',
      'frames and embedded pages',
      'images whose picture is missing or too big',
    ])
  })
})
