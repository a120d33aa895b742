/** Stroke geometry: the filled outline perfect-freehand computes from the points, as SVG path data. */
import { getStroke } from 'perfect-freehand'
import { POINT_STRIDE } from '../model/point-codec'
import type { StrokeShape } from '../model/shapes'

/** Outline of a stroke in its own (origin-relative) coordinates. */
export function strokeOutlinePath(stroke: StrokeShape): string {
  const input: [number, number, number][] = []
  const p = stroke.points
  for (let i = 0; i < p.length; i += POINT_STRIDE) input.push([p[i]!, p[i + 1]!, p[i + 2]!])
  const outline = getStroke(input, {
    size: stroke.strokeWidth,
    // A highlighter is a felt tip: the same width all along, whatever the speed or pressure.
    thinning: stroke.highlight ? 0 : 0.6,
    smoothing: 0.5,
    streamline: 0.45,
    simulatePressure: !stroke.pressure && !stroke.highlight,
    last: stroke.complete,
  })
  return outlineToPathData(outline)
}

/** A closed path through the outline points, smoothed with quadratic curves between midpoints. */
export function outlineToPathData(points: number[][]): string {
  if (points.length < 3) return ''
  const mid = (a: number, b: number) => round2((a + b) / 2)
  const [a, b, c] = points as [number[], number[], number[]]
  let d = `M${round2(a[0]!)},${round2(a[1]!)} Q${round2(b[0]!)},${round2(b[1]!)} ${mid(b[0]!, c[0]!)},${mid(b[1]!, c[1]!)} T`
  for (let i = 2; i < points.length - 1; i++) {
    const p = points[i]!
    const q = points[i + 1]!
    d += `${mid(p[0]!, q[0]!)},${mid(p[1]!, q[1]!)} `
  }
  return d + 'Z'
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}
