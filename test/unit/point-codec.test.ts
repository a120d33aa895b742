import { describe, expect, it } from 'vitest'
import {
  DEFAULT_PRESSURE,
  MAX_POINTS_PER_STROKE,
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
  })
})
