/**
 * PNG export of boards whose shapes are far out (up to STYLE_LIMITS.maxCoordinate, ±10⁷) or far
 * apart: the frame cut from the board, the canvas size, and where shapes are drawn on it. The
 * canvas is a stand-in that records what is drawn (Node has none); real Chromium draws it in
 * test/e2e/tools.test.ts.
 */
import * as Y from 'yjs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { importBoard, readAllShapes, type ShapeJSON } from '../../src/model/board-json'
import { STYLE_LIMITS, type Shape } from '../../src/model/shapes'
import {
  EXPORT_MARGIN,
  MAX_CANVAS_PIXELS,
  MAX_CANVAS_SIDE,
  PngExportError,
  exportPng,
  exportSvg,
  pngFrame,
  type PngOptions,
} from '../../src/render/board-export'

const FAR = STYLE_LIMITS.maxCoordinate

const box = (id: string, x: number, y: number, size = 100, extra: Record<string, unknown> = {}): ShapeJSON =>
  ({ id, type: 'rectangle', x, y, rotation: 0, color: '#1e1e1e', fill: '#e03131', strokeWidth: 4, opacity: 1, width: size, height: size, ...extra }) as ShapeJSON

function shapesOf(shapes: ShapeJSON[]): Shape[] {
  const doc = new Y.Doc()
  importBoard(doc, { version: 1, shapes })
  return readAllShapes(doc).shapes
}

/** What a stand-in canvas was asked to do. */
interface Painted {
  width: number
  height: number
  /** Every setTransform, as [a, b, c, d, e, f]. */
  transforms: number[][]
  filledRects: number[][]
  paths: number
}

/** Stands in for `document.createElement('canvas')`; `makes(width, height)` says whether the "browser" manages that canvas. */
function fakeCanvases(makes: (width: number, height: number) => boolean = () => true): Painted[] {
  const painted: Painted[] = []
  vi.stubGlobal('Path2D', class {
    constructor(readonly d: string) {}
  })
  vi.stubGlobal('document', {
    createElement(tag: string) {
      expect(tag).toBe('canvas')
      const record: Painted = { width: 0, height: 0, transforms: [], filledRects: [], paths: 0 }
      const context = {
        fillStyle: '',
        strokeStyle: '',
        lineWidth: 1,
        lineCap: 'butt',
        lineJoin: 'miter',
        globalAlpha: 1,
        save() {},
        restore() {},
        rotate() {},
        setTransform(...matrix: number[]) {
          record.transforms.push(matrix)
        },
        scale() {
          throw new Error('the export sets whole transforms')
        },
        translate() {
          throw new Error('the export sets whole transforms')
        },
        fillRect(...rect: number[]) {
          record.filledRects.push(rect)
        },
        fill() {
          record.paths++
        },
        stroke() {
          record.paths++
        },
      }
      const canvas = {
        width: 300,
        height: 150,
        getContext: () => {
          // Recorded here: the export sets the size to 0 once done, to let the pixels go.
          record.width = canvas.width
          record.height = canvas.height
          painted.push(record)
          return context
        },
        toBlob(callback: (blob: Blob | null) => void, type: string) {
          expect(type).toBe('image/png')
          setTimeout(() => callback(makes(record.width, record.height) ? new Blob(['png'], { type }) : null))
        },
      }
      return canvas
    },
  })
  return painted
}

const options: PngOptions = { background: '#ffffff', dark: false, pixelRatio: 2, images: new Map() }

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('pngFrame', () => {
  it('cuts the shapes and a margin from the board at the pixel ratio asked for', () => {
    const frame = pngFrame(shapesOf([box('a', 0, 0), box('b', 300, 100)]), 2)
    // The boxes' ink reaches half a line (2) past their edges.
    expect(frame.area).toEqual({ x: -2 - EXPORT_MARGIN, y: -2 - EXPORT_MARGIN, width: 404 + 2 * EXPORT_MARGIN, height: 204 + 2 * EXPORT_MARGIN })
    expect(frame).toMatchObject({ scale: 2, width: 2 * (404 + 2 * EXPORT_MARGIN), height: 2 * (204 + 2 * EXPORT_MARGIN) })
  })

  it('keeps the pixel ratio for shapes ten million units out: only their bounds are exported', () => {
    for (const at of [FAR, -FAR]) {
      const frame = pngFrame(shapesOf([box('far', at, at)]), 2)
      expect(frame.area.x).toBeCloseTo(at - 2 - EXPORT_MARGIN, 6)
      expect(frame).toMatchObject({ scale: 2, width: 2 * (104 + 2 * EXPORT_MARGIN), height: 2 * (104 + 2 * EXPORT_MARGIN) })
    }
  })

  it('scales down a board spanning -10⁷..10⁷ to a canvas every browser makes', () => {
    const frame = pngFrame(shapesOf([box('low', -FAR, -FAR), box('high', FAR, FAR)]), 2)
    expect(frame.area.width).toBeGreaterThan(2 * FAR)
    expect(Number.isFinite(frame.scale)).toBe(true)
    expect(frame.scale).toBeGreaterThan(0)
    expect(frame.scale).toBeLessThan(2)
    expect(frame.width).toBeLessThanOrEqual(MAX_CANVAS_SIDE)
    expect(frame.height).toBeLessThanOrEqual(MAX_CANVAS_SIDE)
    expect(frame.width * frame.height).toBeLessThanOrEqual(MAX_CANVAS_PIXELS)
    // As big as the limits allow (a square board: the pixel budget), not smaller.
    expect(frame.width * frame.height).toBeGreaterThan(0.99 * MAX_CANVAS_PIXELS)
    expect(frame.width).toBe(Math.ceil(frame.area.width * frame.scale))
  })

  it('keeps a long thin board within the longest side', () => {
    const frame = pngFrame(shapesOf([box('left', -FAR, 0, 10), box('right', FAR, 0, 10)]), 2)
    expect(frame.width).toBe(MAX_CANVAS_SIDE)
    expect(frame.height).toBeGreaterThanOrEqual(1)
    expect(frame.scale).toBeCloseTo(MAX_CANVAS_SIDE / frame.area.width, 6)
  })

  it('refuses only what cannot be drawn at all', () => {
    expect(() => pngFrame(shapesOf([box('a', 0, 0)]), Number.NaN)).toThrow(PngExportError)
    expect(() => pngFrame(shapesOf([box('a', 0, 0)]), 0)).toThrow(PngExportError)
    const broken = { ...shapesOf([box('a', 0, 0)])[0]!, x: Number.NaN } as Shape
    expect(() => pngFrame([broken], 2)).toThrow(/no finite bounds/)
    // An empty board is a picture of its background.
    expect(pngFrame([], 2)).toMatchObject({ scale: 2, width: 4 * EXPORT_MARGIN, height: 4 * EXPORT_MARGIN })
  })
})

describe('exportPng', () => {
  it('draws shapes ten million units out near the canvas origin, never through huge translations', async () => {
    const painted = fakeCanvases()
    const shapes = shapesOf([box('a', FAR - 300, FAR - 200), box('b', FAR - 150, FAR - 100, 100, { rotation: 0.5 })])
    const blob = await exportPng(shapes, options)
    expect(blob.type).toBe('image/png')
    expect(painted).toHaveLength(1)
    const [canvas] = painted
    const frame = pngFrame(shapes, 2)
    expect(canvas).toMatchObject({ width: frame.width, height: frame.height, paths: 4 })
    expect(canvas!.filledRects[0]).toEqual([0, 0, frame.width, frame.height])
    // One transform per shape: scale 2, translated to where the shape is on the canvas.
    expect(canvas!.transforms).toEqual([
      [2, 0, 0, 2, 2 * (2 + EXPORT_MARGIN), 2 * (2 + EXPORT_MARGIN)],
      [2, 0, 0, 2, 2 * (150 + 2 + EXPORT_MARGIN), 2 * (100 + 2 + EXPORT_MARGIN)],
    ])
  })

  it('exports a board spanning -10⁷..10⁷, both ends on the canvas', async () => {
    const painted = fakeCanvases()
    const shapes = shapesOf([box('low', -FAR, -FAR, 1_000_000), box('high', FAR, FAR, 1_000_000)])
    await exportPng(shapes, options)
    const [canvas] = painted
    expect(canvas!.width * canvas!.height).toBeLessThanOrEqual(MAX_CANVAS_PIXELS)
    const [low, high] = canvas!.transforms
    const scale = low![0]!
    expect(scale).toBeLessThan(2)
    expect(low!.slice(4)).toEqual([(2 + EXPORT_MARGIN) * scale, (2 + EXPORT_MARGIN) * scale])
    // The far square's 1,000,000 units end inside the canvas.
    for (const [offset, side] of [[high![4]!, canvas!.width], [high![5]!, canvas!.height]] as const) {
      expect(offset).toBeGreaterThan(0)
      expect(offset + 1_000_000 * scale).toBeLessThanOrEqual(side)
    }
  })

  it('tries again at half the scale where the browser cannot make the canvas, and says so when it never can', async () => {
    // A browser that makes canvases of at most 4096² (iOS Safari).
    const painted = fakeCanvases((width, height) => width * height <= 4096 * 4096)
    const shapes = shapesOf([box('low', -FAR, -FAR), box('high', FAR, FAR)])
    await exportPng(shapes, options)
    expect(painted).toHaveLength(2)
    expect(painted[1]!.width).toBe(Math.ceil(painted[0]!.width / 2))
    expect(painted[1]!.width * painted[1]!.height).toBeLessThanOrEqual(4096 * 4096)

    vi.unstubAllGlobals()
    const none = fakeCanvases(() => false)
    await expect(exportPng(shapes, options)).rejects.toThrow(PngExportError)
    await expect(exportPng(shapes, options)).rejects.toThrow(/could not make a canvas for the PNG, even at \d+ × \d+ pixels/)
    expect(none.length).toBe(2 * 5) // the first try and PNG_RETRIES more, twice
  })
})

describe('exportSvg', () => {
  it('keeps both ends of a board spanning -10⁷..10⁷ in its view box', () => {
    const svg = exportSvg(shapesOf([box('low', -FAR, -FAR), box('high', FAR, FAR)]), { ...options, asset: () => null })
    const viewBox = /viewBox="([^"]+)"/.exec(svg)![1]!.split(' ').map(Number)
    expect(viewBox.every(Number.isFinite)).toBe(true)
    expect(viewBox[0]).toBeLessThan(-FAR)
    expect(viewBox[0]! + viewBox[2]!).toBeGreaterThan(FAR + 100)
    expect(svg).toContain('data-id="low"')
    expect(svg).toContain('data-id="high"')
  })
})
