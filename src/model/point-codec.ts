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
import * as decoding from 'lib0/decoding'

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
 */
export function decodePoints(bytes: Uint8Array, withPressure: boolean): Float32Array | null {
  const decoder = decoding.createDecoder(bytes)
  // Every point takes at least one byte per coordinate, so this bounds the output size up front.
  const upperBound = Math.min(MAX_POINTS_PER_STROKE, Math.floor(bytes.length / (withPressure ? 3 : 2)))
  const out = new Float32Array(upperBound * POINT_STRIDE)
  const limit = MAX_RELATIVE_COORDINATE * POINT_PRECISION
  let qx = 0
  let qy = 0
  let qp = 0
  let count = 0
  try {
    while (decoder.pos < bytes.length) {
      if (count >= upperBound) return null
      qx += decoding.readVarInt(decoder)
      qy += decoding.readVarInt(decoder)
      if (withPressure) qp += decoding.readVarInt(decoder)
      // lib0 reads past the end as zeros instead of throwing: a truncated point is caught here.
      if (decoder.pos > bytes.length) return null
      if (Math.abs(qx) > limit || Math.abs(qy) > limit || qp < 0 || qp > PRESSURE_STEPS) return null
      const at = count * POINT_STRIDE
      out[at] = qx / POINT_PRECISION
      out[at + 1] = qy / POINT_PRECISION
      out[at + 2] = withPressure ? qp / PRESSURE_STEPS : DEFAULT_PRESSURE
      count++
    }
  } catch {
    return null
  }
  return out.subarray(0, count * POINT_STRIDE)
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
