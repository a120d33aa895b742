/**
 * Bytes per point of a 200-point stroke: meshboard's Yjs update beside the same stroke as an
 * Excalidraw freedraw element (`points: [[x, y], ...]` plus `pressures`), measured in one run.
 * Target (DESIGN.md §3): at most 5 bytes per point in the Yjs update.
 */
import * as Y from 'yjs'
import { StrokeWriter } from '../src/model/stroke-writer'
import type { BenchResult } from './bench-result'
import { round } from './stats'

const POINTS = 200

/** A hand-like stroke: a loose cursive curve sampled at 120 Hz, speed varying along the way. */
function typicalStroke(withPressure: boolean): { x: number; y: number; pressure: number | null }[] {
  return Array.from({ length: POINTS }, (_, i) => {
    const t = i / POINTS
    const speed = 1 + 0.6 * Math.sin(t * Math.PI * 3)
    return {
      x: 140 + i * 2.6 * speed + Math.sin(i / 9) * 18,
      y: 320 + Math.sin(i / 14) * 70 + Math.cos(i / 5) * 6,
      pressure: withPressure ? 0.45 + 0.3 * Math.sin(t * Math.PI) + 0.05 * Math.sin(i / 3) : null,
    }
  })
}

function meshboardBytes(points: ReturnType<typeof typicalStroke>): { state: number; wire: number; updates: number } {
  const doc = new Y.Doc()
  let wire = 0
  let updates = 0
  doc.on('update', (update: Uint8Array) => {
    wire += update.length
    updates++
  })
  const [first, ...rest] = points
  const writer = new StrokeWriter(doc, first!.x, first!.y, first!.pressure, { color: '#1e1e1e', strokeWidth: 4, opacity: 1 })
  // Pointer events at 120 Hz, flushed once per 60 Hz animation frame: two points per batch.
  rest.forEach((point, i) => {
    writer.add(point.x, point.y, point.pressure)
    if (i % 2 === 1) writer.flush()
  })
  writer.finish()
  return { state: Y.encodeStateAsUpdate(doc).length, wire, updates }
}

/**
 * The element as Excalidraw saves it: points relative to x/y as JSON numbers, pressures beside.
 * Its best case is measured: whole-pixel coordinates (zoom 1, integer mouse positions) and
 * pressures to three decimals; at other zooms its coordinates carry long fractions.
 */
function excalidrawBytes(points: ReturnType<typeof typicalStroke>): { element: number; pointData: number } {
  const x = Math.round(points[0]!.x)
  const y = Math.round(points[0]!.y)
  const relative = points.map((point) => [Math.round(point.x) - x, Math.round(point.y) - y])
  const pressures = points.map((point) => Math.round((point.pressure ?? 0.5) * 1000) / 1000)
  const xs = relative.map(([px]) => px!)
  const ys = relative.map(([, py]) => py!)
  const element = {
    id: 'Zf0qWb4bJ1pQn0T1YtA3x',
    type: 'freedraw',
    x,
    y,
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
    angle: 0,
    strokeColor: '#1e1e1e',
    backgroundColor: 'transparent',
    fillStyle: 'solid',
    strokeWidth: 2,
    strokeStyle: 'solid',
    roughness: 1,
    opacity: 100,
    groupIds: [],
    frameId: null,
    roundness: null,
    seed: 1968410350,
    version: 212,
    versionNonce: 1418346162,
    isDeleted: false,
    boundElements: null,
    updated: 1732190000000,
    link: null,
    locked: false,
    points: relative,
    pressures,
    simulatePressure: points[0]!.pressure === null,
    lastCommittedPoint: relative.at(-1),
  }
  const pointData = JSON.stringify(relative).length + JSON.stringify(pressures).length
  return { element: JSON.stringify(element).length, pointData }
}

export async function run(): Promise<BenchResult> {
  const rows: Record<string, string | number>[] = []
  const figures: Record<string, unknown> = {}
  for (const device of ['mouse', 'pen'] as const) {
    const points = typicalStroke(device === 'pen')
    const ours = meshboardBytes(points)
    const theirs = excalidrawBytes(points)
    const perPoint = ours.state / POINTS
    rows.push({
      device,
      'meshboard B/pt (Yjs state)': round(perPoint, 2),
      'meshboard B/pt (sent while drawing)': round(ours.wire / POINTS, 2),
      'Excalidraw B/pt (element JSON)': round(theirs.element / POINTS, 2),
      'Excalidraw B/pt (points+pressures)': round(theirs.pointData / POINTS, 2),
      'Excalidraw / meshboard': round(theirs.element / ours.state, 2),
      'target ≤5 B/pt': perPoint <= 5 ? 'met' : 'MISSED',
    })
    figures[device] = { points: POINTS, meshboard: ours, excalidraw: theirs }
  }
  return { rows, figures }
}

