/** Stroke geometry: the filled outline perfect-freehand computes from the points, as SVG path data or a canvas path. */
import { getStroke } from 'perfect-freehand'
import { POINT_STRIDE } from '../model/point-codec'
import type { StrokeShape } from '../model/shapes'

/** Outline of a stroke in its own (origin-relative) coordinates, as SVG path data. */
export function strokeOutlinePath(stroke: StrokeShape): string {
  return outlineToPathData(strokeOutline(stroke))
}

/**
 * The same outline as a canvas path, built directly: making and then parsing path text costs
 * more than perfect-freehand itself, and boards draw thousands of these. Unrounded: the rounding
 * only keeps path text short.
 */
export function strokeOutlinePath2D(stroke: StrokeShape): Path2D {
  const points = strokeOutline(stroke)
  const path = new Path2D()
  if (points.length < 3) return path
  const mid = (a: number, b: number) => (a + b) / 2
  const [a, b, c] = points as [number[], number[], number[]]
  path.moveTo(a[0]!, a[1]!)
  path.quadraticCurveTo(b[0]!, b[1]!, mid(b[0]!, c[0]!), mid(b[1]!, c[1]!))
  // SVG's T: each curve's control point mirrors the previous one's through their common end.
  let controlX = b[0]!
  let controlY = b[1]!
  let endX = mid(b[0]!, c[0]!)
  let endY = mid(b[1]!, c[1]!)
  for (let i = 2; i < points.length - 1; i++) {
    const p = points[i]!
    const q = points[i + 1]!
    controlX = 2 * endX - controlX
    controlY = 2 * endY - controlY
    endX = mid(p[0]!, q[0]!)
    endY = mid(p[1]!, q[1]!)
    path.quadraticCurveTo(controlX, controlY, endX, endY)
  }
  path.closePath()
  return path
}

function strokeOutline(stroke: StrokeShape): number[][] {
  const input: [number, number, number][] = []
  const p = stroke.points
  for (let i = 0; i < p.length; i += POINT_STRIDE) input.push([p[i]!, p[i + 1]!, p[i + 2]!])
  return getStroke(input, {
    size: stroke.strokeWidth,
    // A highlighter is a felt tip: the same width all along, whatever the speed or pressure.
    thinning: stroke.highlight ? 0 : 0.6,
    smoothing: 0.5,
    streamline: 0.45,
    simulatePressure: !stroke.pressure && !stroke.highlight,
    last: stroke.complete,
  })
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
