import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_PRESSURE,
  MAX_POINTS_PER_STROKE,
  MAX_RELATIVE_COORDINATE,
  POINT_PRECISION,
  PointStreamEncoder,
  concatBytes,
  decodePoints,
  encodePoints,
} from '../../src/model/point-codec'

const quantise = (value: number) => Math.round(value * POINT_PRECISION) / POINT_PRECISION

function randomWalk(count: number, seed = 1): number[][] {
  let state = seed
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  let x = 0
  let y = 0
  return Array.from({ length: count }, () => {
    x += (random() - 0.5) * 40
    y += (random() - 0.5) * 40
    return [x, y, random()]
  })
}

describe('point codec', () => {
  it('round-trips points to the quantisation grid, with and without pressure', () => {
    const points = randomWalk(500)
    for (const withPressure of [true, false]) {
      const decoded = decodePoints(encodePoints(points, withPressure), withPressure)!
      expect(decoded.length).toBe(points.length * 3)
      points.forEach(([x, y, p], i) => {
        expect(decoded[i * 3]).toBe(quantise(x!))
        expect(decoded[i * 3 + 1]).toBe(quantise(y!))
        const pressure = decoded[i * 3 + 2]!
        if (withPressure) expect(Math.abs(pressure - p!)).toBeLessThanOrEqual(1 / 255)
        else expect(pressure).toBe(DEFAULT_PRESSURE)
      })
    }
  })

  it('streams batches whose concatenation equals encoding everything at once', () => {
    const points = randomWalk(120, 7)
    const encoder = new PointStreamEncoder(true)
    const batches: Uint8Array[] = []
    points.forEach(([x, y, p], i) => {
      encoder.push(x!, y!, p)
      if (i % 7 === 0) batches.push(encoder.takeBatch())
    })
    batches.push(encoder.takeBatch())
    expect(concatBytes(batches)).toEqual(encodePoints(points, true))
  })

  it('stores a typical hand-drawn point in about two bytes per coordinate or less', () => {
    const points = Array.from({ length: 200 }, (_, i) => [i * 4, Math.sin(i / 10) * 60, 0.5])
    expect(encodePoints(points, false).length / points.length).toBeLessThanOrEqual(4)
  })

  it('rejects truncated, oversized and absurd streams without throwing', () => {
    const good = encodePoints(randomWalk(10), true)
    expect(decodePoints(good.subarray(0, good.length - 1), true)).toBeNull()
    expect(decodePoints(new Uint8Array([0x80]), false)).toBeNull()
    // A coordinate of 2^40 units is no stroke anybody drew.
    expect(decodePoints(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0]), false)).toBeNull()
    // Pressure outside 0..255.
    expect(decodePoints(new Uint8Array([0, 0, 0x7f]), true)).toBeNull()
    const tooMany = new Uint8Array((MAX_POINTS_PER_STROKE + 1) * 2)
    expect(decodePoints(tooMany, false)).toBeNull()
    expect(decodePoints(new Uint8Array(0), false)).toEqual(new Float32Array(0))
    // Numbers written longer than need be are still the same numbers (lib0 reads them so).
    expect(decodePoints(new Uint8Array([0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x02]), false)).toEqual(new Float32Array([0.25, 0.5, DEFAULT_PRESSURE]))
  })

  it('reads every number as lib0 writes it, from one byte to the largest coordinates allowed', () => {
    const far = MAX_RELATIVE_COORDINATE - 1
    // Steps of every varint length, both signs, and jumps from one end of the range to the other.
    const points = [[0, 0, 0], [15, -16, 1], [-1000, 1000, 0.5], [40_000, -40_000, 0], [far, -far, 1], [-far, far, 0], [far, far, 0.25]]
    for (const withPressure of [true, false]) {
      const bytes = encodePoints(points, withPressure)
      expect(decodePoints(bytes, withPressure)).toEqual(referenceDecode(bytes, withPressure))
      expect(Array.from(decodePoints(bytes, withPressure)!.filter((_, i) => i % 3 === 0))).toEqual(points.map(([x]) => x))
    }
  })

  it('agrees with lib0 on any bytes a peer may send: the same points, or null for a broken stream', () => {
    let state = 42
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let run = 0; run < 2000; run++) {
      // Mostly small numbers with continuation bits here and there, as a corrupted stream would have.
      const bytes = Uint8Array.from({ length: 1 + Math.floor(random() * 40) }, () => (random() < 0.5 ? 0x80 : 0) | Math.floor(random() * 0x80))
      const withPressure = random() < 0.5
      expect(decodePoints(bytes, withPressure), `bytes ${Array.from(bytes)}`).toEqual(referenceDecode(bytes, withPressure))
    }
  })
})

/** The stream read with lib0's own decoder, with decodePoints' validity rules: what the fast reader must match. */
function referenceDecode(bytes: Uint8Array, withPressure: boolean): Float32Array | null {
  const decoder = decoding.createDecoder(bytes)
  const limit = MAX_RELATIVE_COORDINATE * POINT_PRECISION
  const points: number[] = []
  let [qx, qy, qp] = [0, 0, 0]
  try {
    while (decoder.pos < bytes.length) {
      if (points.length / 3 >= Math.min(MAX_POINTS_PER_STROKE, Math.floor(bytes.length / (withPressure ? 3 : 2)))) return null
      qx += decoding.readVarInt(decoder)
      qy += decoding.readVarInt(decoder)
      if (withPressure) qp += decoding.readVarInt(decoder)
      if (decoder.pos > bytes.length) return null
      if (Math.abs(qx) > limit || Math.abs(qy) > limit || qp < 0 || qp > 255) return null
      points.push(qx / POINT_PRECISION, qy / POINT_PRECISION, withPressure ? qp / 255 : DEFAULT_PRESSURE)
    }
  } catch {
    return null
  }
  return Float32Array.from(points)
}
