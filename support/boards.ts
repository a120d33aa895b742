/** Boards and mouse paths for e2e tests: deterministic, so a failure can be replayed. */
import * as Y from 'yjs'
import { BOARD_JSON_VERSION, exportBoard, importBoard, type BoardJSON, type StrokeJSON } from '../src/model/board-json'
import type { Point } from './browser'

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface GeneratedBoardOptions {
  readonly strokes: number
  readonly pointsPerStroke: number
  readonly seed: number
}

/**
 * Strokes of a random walk with pressure, already on the document's grid (quarter units, pressure
 * in steps of 1/255), so the board exports exactly as generated.
 */
export function generateBoard({ strokes, pointsPerStroke, seed }: GeneratedBoardOptions): BoardJSON {
  const next = random(seed)
  const quarter = (value: number) => Math.round(value * 4) / 4
  const colors = ['#1e1e1e', '#e03131', '#f08c00', '#2f9e44', '#1971c2', '#9c36b5']
  const shapes: StrokeJSON[] = []
  for (let s = 0; s < strokes; s++) {
    let x = quarter(next() * 4000)
    let y = quarter(next() * 3000)
    let pressure = 64 + Math.floor(next() * 128)
    const points: number[][] = []
    for (let p = 0; p < pointsPerStroke; p++) {
      points.push([x, y, pressure / 255])
      x = quarter(x + (next() - 0.5) * 6)
      y = quarter(y + (next() - 0.5) * 6)
      pressure = Math.min(255, Math.max(1, pressure + Math.floor(next() * 7) - 3))
    }
    shapes.push({
      id: `gen-${s}`,
      type: 'stroke',
      x: points[0]![0]!,
      y: points[0]![1]!,
      rotation: 0,
      color: colors[s % colors.length]!,
      strokeWidth: [2, 4, 8][s % 3]!,
      opacity: 1,
      points,
    })
  }
  return { version: BOARD_JSON_VERSION, shapes }
}

/** The board as a Node Y.Doc holds it: its encoded size and its export. */
export function encodeInNode(json: BoardJSON): { bytes: number; exported: BoardJSON } {
  const doc = new Y.Doc()
  try {
    importBoard(doc, json)
    return { bytes: Y.encodeStateAsUpdate(doc).byteLength, exported: exportBoard(doc) }
  } finally {
    doc.destroy()
  }
}

const round = (value: number) => Math.round(value)

/** Removes consecutive duplicates: the mouse does not move, so no pointer event is sent. */
function distinct(points: Point[]): Point[] {
  return points.filter((point, i) => i === 0 || point[0] !== points[i - 1]![0] || point[1] !== points[i - 1]![1])
}

export function wave(x0: number, y0: number, length: number, amplitude: number, step = 8): Point[] {
  const points: Point[] = []
  for (let dx = 0; dx <= length; dx += step) points.push([round(x0 + dx), round(y0 + amplitude * Math.sin(dx / 40))])
  return distinct(points)
}

export function spiral(cx: number, cy: number, radius: number, turns: number, count: number): Point[] {
  const points: Point[] = []
  for (let i = 0; i < count; i++) {
    const t = i / (count - 1)
    const angle = t * turns * 2 * Math.PI
    points.push([round(cx + radius * t * Math.cos(angle)), round(cy + radius * t * Math.sin(angle))])
  }
  return distinct(points)
}

/** A closed polyline through `corners`, `perEdge` points per edge. */
export function polyline(corners: readonly Point[], perEdge: number): Point[] {
  const points: Point[] = []
  for (let i = 0; i < corners.length - 1; i++) {
    const [ax, ay] = corners[i]!
    const [bx, by] = corners[i + 1]!
    for (let k = 0; k < perEdge; k++) points.push([round(ax + ((bx - ax) * k) / perEdge), round(ay + ((by - ay) * k) / perEdge)])
  }
  const [lastX, lastY] = corners[corners.length - 1]!
  points.push([round(lastX), round(lastY)])
  return distinct(points)
}

export function star(cx: number, cy: number, outer: number, inner: number, perEdge = 6): Point[] {
  const corners: Point[] = []
  for (let i = 0; i <= 10; i++) {
    const angle = -Math.PI / 2 + (i * Math.PI) / 5
    const r = i % 2 === 0 ? outer : inner
    corners.push([cx + r * Math.cos(angle), cy + r * Math.sin(angle)])
  }
  return polyline(corners, perEdge)
}

export function arc(cx: number, cy: number, radius: number, from: number, to: number, count: number): Point[] {
  const points: Point[] = []
  for (let i = 0; i < count; i++) {
    const angle = from + ((to - from) * i) / (count - 1)
    points.push([round(cx + radius * Math.cos(angle)), round(cy + radius * Math.sin(angle))])
  }
  return distinct(points)
}

/** Brings two documents to the same state, as a round of sync between two peers does. */
export function syncDocs(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

/**
 * Adds `count` tiny rectangles to `doc` in one transaction, written straight into the shapes map:
 * seven structs each (a map and six fields), the cheapest shapes a hostile peer can send.
 */
export function addTinyShapes(doc: Y.Doc, count: number, prefix = 'tiny'): void {
  const shapes = doc.getMap<Y.Map<unknown>>('shapes')
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const shape = new Y.Map<unknown>()
      for (const [key, value] of Object.entries({ type: 'rectangle', x: i, y: 0, width: 1, height: 1, z: `a${i}` })) shape.set(key, value)
      shapes.set(`${prefix}-${i}`, shape)
    }
  })
}
