/**
 * The compact point encoding of strokes (DESIGN.md §3).
 *
 * Points are stored relative to the stroke's origin, quantised to 1/POINT_PRECISION of a board
 * unit and delta-encoded as lib0 signed varints: a hand-drawn point moves a few units between
 * pointer events, so each coordinate usually fits in one byte. Pressure, when the device gives it,
 * is quantised to 0..PRESSURE_STEPS and delta-encoded the same way.
 *
 * The stream has no header and no per-chunk framing: a stroke grows by appending encoded batches,
 * and the concatenation of the batches is itself a valid stream.
 */
import * as encoding from 'lib0/encoding'

/** Quantisation steps per board unit: a quarter unit is below what perfect-freehand's smoothing shows. */
export const POINT_PRECISION = 4
export const PRESSURE_STEPS = 255
/** The most points one stroke may hold; a peer sending more is hostile or broken. */
export const MAX_POINTS_PER_STROKE = 100_000
/** Relative coordinates beyond this are rejected: no hand draws a stroke a million units long. */
export const MAX_RELATIVE_COORDINATE = 1_000_000
/** Stride of the decoded flat array: x, y, pressure. */
export const POINT_STRIDE = 3
/** Pressure reported for points of devices that give none; perfect-freehand then simulates it. */
export const DEFAULT_PRESSURE = 0.5

/** Appends points to a stroke's stream batch by batch; remembers the last point across batches. */
export class PointStreamEncoder {
  private lastX = 0
  private lastY = 0
  private lastPressure = 0
  private encoder = encoding.createEncoder()
  private pending = 0

  constructor(readonly withPressure: boolean) {}

  /** `x`, `y` relative to the stroke origin; `pressure` in 0..1, ignored unless `withPressure`. */
  push(x: number, y: number, pressure = DEFAULT_PRESSURE): void {
    const qx = Math.round(x * POINT_PRECISION)
    const qy = Math.round(y * POINT_PRECISION)
    encoding.writeVarInt(this.encoder, qx - this.lastX)
    encoding.writeVarInt(this.encoder, qy - this.lastY)
    this.lastX = qx
    this.lastY = qy
    if (this.withPressure) {
      const qp = Math.round(clamp01(pressure) * PRESSURE_STEPS)
      encoding.writeVarInt(this.encoder, qp - this.lastPressure)
      this.lastPressure = qp
    }
    this.pending++
  }

  get pendingPoints(): number {
    return this.pending
  }

  /** The bytes of the points pushed since the last call. */
  takeBatch(): Uint8Array {
    const bytes = encoding.toUint8Array(this.encoder)
    this.encoder = encoding.createEncoder()
    this.pending = 0
    return bytes
  }
}

export function encodePoints(points: ArrayLike<readonly number[]>, withPressure: boolean): Uint8Array {
  const encoder = new PointStreamEncoder(withPressure)
  for (let i = 0; i < points.length; i++) {
    const [x, y, pressure] = points[i]!
    encoder.push(x!, y!, pressure)
  }
  return encoder.takeBatch()
}

/**
 * Decodes a stream into a flat [x, y, pressure, ...] array of relative coordinates, or returns
 * null when the bytes are not a valid stream (truncated, too many points, absurd coordinates).
 * Never throws: the bytes may come from any peer.
 *
 * Reads lib0's signed varints itself: a joiner of a 10,000-stroke board decodes a million points,
 * and lib0's decoder took three times as long (90 ms in Node, 180 ms of a join).
 */
export function decodePoints(bytes: Uint8Array, withPressure: boolean): Float32Array | null {
  // Every point takes at least one byte per coordinate, so this bounds the output size up front.
  const upperBound = Math.min(MAX_POINTS_PER_STROKE, Math.floor(bytes.length / (withPressure ? 3 : 2)))
  const out = new Float32Array(upperBound * POINT_STRIDE)
  const limit = MAX_RELATIVE_COORDINATE * POINT_PRECISION
  let qx = 0
  let qy = 0
  let qp = 0
  let count = 0
  cursor = 0
  while (cursor < bytes.length) {
    if (count >= upperBound) return null
    qx += readVarInt(bytes)
    qy += readVarInt(bytes)
    if (withPressure) qp += readVarInt(bytes)
    // A truncated or overlong number leaves the cursor past the end.
    if (cursor > bytes.length) return null
    if (Math.abs(qx) > limit || Math.abs(qy) > limit || qp < 0 || qp > PRESSURE_STEPS) return null
    const at = count * POINT_STRIDE
    out[at] = qx / POINT_PRECISION
    out[at + 1] = qy / POINT_PRECISION
    out[at + 2] = withPressure ? qp / PRESSURE_STEPS : DEFAULT_PRESSURE
    count++
  }
  return out.subarray(0, count * POINT_STRIDE)
}

/**
 * Decodes a stream straight into board coordinates, as `exportJSON()` lists them: `[x, y]`, or
 * `[x, y, pressure]` with pressure an exact step (k / PRESSURE_STEPS), for a stroke at `x`, `y`
 * turned by `rotation`. The same checks as decodePoints (null when invalid or empty); one pass, no
 * intermediate array: a 10,000-stroke export is a million points.
 */
export function decodeBoardPoints(bytes: Uint8Array, withPressure: boolean, x: number, y: number, rotation: number): number[][] | null {
  const upperBound = Math.min(MAX_POINTS_PER_STROKE, Math.floor(bytes.length / (withPressure ? 3 : 2)))
  const limit = MAX_RELATIVE_COORDINATE * POINT_PRECISION
  const cos = Math.cos(rotation)
  const sin = Math.sin(rotation)
  const points: number[][] = []
  let qx = 0
  let qy = 0
  let qp = 0
  cursor = 0
  while (cursor < bytes.length) {
    if (points.length >= upperBound) return null
    qx += readVarInt(bytes)
    qy += readVarInt(bytes)
    if (withPressure) qp += readVarInt(bytes)
    if (cursor > bytes.length) return null
    if (Math.abs(qx) > limit || Math.abs(qy) > limit || qp < 0 || qp > PRESSURE_STEPS) return null
    const dx = qx / POINT_PRECISION
    const dy = qy / POINT_PRECISION
    const px = x + dx * cos - dy * sin
    const py = y + dx * sin + dy * cos
    points.push(withPressure ? [px, py, qp / PRESSURE_STEPS] : [px, py])
  }
  return points.length > 0 ? points : null
}

/** Where readVarInt reads next (module state: one decode runs at a time, and a closure costs more). */
let cursor = 0

/**
 * lib0's signed varint at `cursor`: the first byte holds a continuation bit, the sign and 6 bits,
 * each further byte a continuation bit and 7 bits. Malformed input moves the cursor past the end.
 */
function readVarInt(bytes: Uint8Array): number {
  if (cursor >= bytes.length) {
    cursor = bytes.length + 1
    return 0
  }
  let byte = bytes[cursor++]!
  let value = byte & 0x3f
  const negative = (byte & 0x40) !== 0
  let scale = 64
  while (byte & 0x80) {
    if (cursor >= bytes.length || value > Number.MAX_SAFE_INTEGER) {
      cursor = bytes.length + 1
      return 0
    }
    byte = bytes[cursor++]!
    value += (byte & 0x7f) * scale
    scale *= 128
  }
  return negative ? -value : value
}

/** Concatenates a stroke's stored batches into one stream. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!
  let length = 0
  for (const part of parts) length += part.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : DEFAULT_PRESSURE
}
