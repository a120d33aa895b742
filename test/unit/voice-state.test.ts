import { describe, expect, it } from 'vitest'
import type { Presence, PresenceVoice } from '../../src/net/presence'
import {
  COMFORTABLE_VOICE_PEERS,
  LEVEL_STEP,
  SPEAKING_LEVEL,
  VOICE_MESSAGES,
  isTransmitting,
  levelFromSamples,
  quantizeLevel,
  voiceProblemOf,
  voiceTargets,
  type VoiceProblem,
} from '../../src/ui/voice-state'

function peer(clientId: number, peerId: string | null, voice: PresenceVoice | null): Presence {
  return { clientId, user: { name: `P${clientId}`, color: '#1971c2' }, cursor: null, viewport: null, laser: [], selection: [], voice, peerId }
}

/** `length` samples of a sine of amplitude `amplitude`, a whole number of periods. */
function sine(amplitude: number, length = 1024, period = 64): Float32Array {
  return Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * i) / period))
}

/** The level of a signal whose RMS is `dbfs` dB below full scale: a square wave of that amplitude. */
const square = (dbfs: number, length = 1024) => Float32Array.from({ length }, (_, i) => (i % 2 === 0 ? 1 : -1) * 10 ** (dbfs / 20))

describe('voiceTargets', () => {
  const talking = { muted: false, level: 0.4 }
  const muted = { muted: true, level: 0 }
  const peers = [peer(1, 'p1', talking), peer(2, 'p2', null), peer(3, 'p3', muted), peer(4, null, talking), peer(5, 'p5', talking)]

  it('sends to exactly the connected people in voice, muted or not', () => {
    expect(voiceTargets(peers, true)).toEqual(new Set(['p1', 'p3', 'p5']))
  })

  it('sends to nobody while this user is not in voice', () => {
    expect(voiceTargets(peers, false)).toEqual(new Set())
  })

  it('sends to nobody when nobody else is in voice', () => {
    expect(voiceTargets([], true)).toEqual(new Set())
    expect(voiceTargets([peer(1, 'p1', null), peer(2, 'p2', null)], true)).toEqual(new Set())
  })

  it('skips a person in voice whose peer id is unknown (no connection to send on)', () => {
    expect(voiceTargets([peer(4, null, talking)], true)).toEqual(new Set())
  })
})

describe('isTransmitting', () => {
  it('is heard unless muted, and while push-to-talk is held even when muted', () => {
    expect(isTransmitting(false, false)).toBe(true)
    expect(isTransmitting(false, true)).toBe(true)
    expect(isTransmitting(true, true)).toBe(true)
    expect(isTransmitting(true, false)).toBe(false)
  })
})

describe('levelFromSamples', () => {
  it('reads 0 for silence and for no samples at all', () => {
    expect(levelFromSamples(new Float32Array(1024))).toBe(0)
    expect(levelFromSamples([])).toBe(0)
    expect(levelFromSamples(new Float32Array(0))).toBe(0)
  })

  it('reads 1 at full scale and never more', () => {
    expect(levelFromSamples(square(0))).toBe(1)
    expect(levelFromSamples(new Float32Array(512).fill(1))).toBe(1)
    expect(levelFromSamples(new Float32Array(512).fill(-1))).toBe(1)
    // Clipped input (outside -1..1) is still 1.
    expect(levelFromSamples(new Float32Array(512).fill(4))).toBe(1)
  })

  it('follows loudness in decibels: -60 dBFS is 0, -30 dBFS is 0.5', () => {
    expect(levelFromSamples(square(-30))).toBeCloseTo(0.5, 6)
    expect(levelFromSamples(square(-15))).toBeCloseTo(0.75, 6)
    expect(levelFromSamples(square(-45))).toBeCloseTo(0.25, 6)
    expect(levelFromSamples(square(-60))).toBeCloseTo(0, 6)
    // A full-scale sine has an RMS of 1/√2, 3 dB below full scale.
    expect(levelFromSamples(sine(1))).toBeCloseTo((60 + 20 * Math.log10(Math.SQRT1_2)) / 60, 4)
  })

  it('reads 0 below -60 dBFS: hiss and dither are not speech', () => {
    expect(levelFromSamples(square(-61))).toBe(0)
    expect(levelFromSamples(square(-120))).toBe(0)
    expect(levelFromSamples(Float32Array.from({ length: 1024 }, (_, i) => (i === 0 ? 1e-4 : 0)))).toBe(0)
  })

  it('grows with the amplitude and ignores its sign', () => {
    const levels = [0.002, 0.01, 0.05, 0.2, 0.6, 1].map((amplitude) => levelFromSamples(sine(amplitude)))
    for (let i = 1; i < levels.length; i++) expect(levels[i]!).toBeGreaterThan(levels[i - 1]!)
    expect(levelFromSamples(sine(-0.3))).toBe(levelFromSamples(sine(0.3)))
  })

  it('is the RMS of the whole frame: a short loud burst in a silent frame reads lower than the burst alone', () => {
    const burst = Float32Array.from({ length: 1024 }, (_, i) => (i < 64 ? 1 : 0))
    // RMS = 1/4, about -12 dBFS.
    expect(levelFromSamples(burst)).toBeCloseTo((60 + 20 * Math.log10(0.25)) / 60, 6)
    expect(levelFromSamples(burst)).toBeLessThan(1)
  })

  it('calls ordinary speech speaking and quiet room noise not', () => {
    // Speech at -20 dBFS RMS; a quiet room at -55 dBFS.
    expect(levelFromSamples(square(-20))).toBeGreaterThanOrEqual(SPEAKING_LEVEL)
    expect(levelFromSamples(square(-55))).toBeLessThan(SPEAKING_LEVEL)
  })
})

describe('quantizeLevel', () => {
  it('rounds to the nearest step of LEVEL_STEP', () => {
    expect(LEVEL_STEP).toBe(0.05)
    expect(quantizeLevel(0)).toBe(0)
    expect(quantizeLevel(1)).toBeCloseTo(1, 12)
    expect(quantizeLevel(0.12)).toBeCloseTo(0.1, 12)
    expect(quantizeLevel(0.13)).toBeCloseTo(0.15, 12)
    expect(quantizeLevel(0.024)).toBe(0)
    expect(quantizeLevel(0.026)).toBeCloseTo(0.05, 12)
    expect(quantizeLevel(0.999)).toBeCloseTo(1, 12)
  })

  it('gives at most 21 distinct values on 0..1, each a multiple of the step', () => {
    const values = new Set<number>()
    for (let i = 0; i <= 1000; i++) values.add(quantizeLevel(i / 1000))
    expect(values.size).toBe(21)
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(0)
      expect(value).toBeLessThanOrEqual(1 + 1e-12)
      expect(Math.abs(value / LEVEL_STEP - Math.round(value / LEVEL_STEP))).toBeLessThan(1e-9)
    }
  })

  it('never moves a level by more than half a step', () => {
    for (let i = 0; i <= 1000; i++) expect(Math.abs(quantizeLevel(i / 1000) - i / 1000)).toBeLessThanOrEqual(LEVEL_STEP / 2 + 1e-12)
  })
})

describe('voiceProblemOf', () => {
  const error = (name: string) => new DOMException('getUserMedia failed', name)

  it('classifies the errors getUserMedia rejects with', () => {
    const cases: [string, VoiceProblem][] = [
      ['NotAllowedError', 'denied'],
      ['SecurityError', 'denied'],
      ['NotFoundError', 'no-microphone'],
      ['OverconstrainedError', 'no-microphone'],
      ['NotReadableError', 'busy'],
      ['AbortError', 'busy'],
      ['TypeError', 'failed'],
      ['InvalidStateError', 'failed'],
    ]
    for (const [name, problem] of cases) expect(voiceProblemOf(error(name)), name).toBe(problem)
  })

  it('reads the name of any error-like value', () => {
    expect(voiceProblemOf({ name: 'NotAllowedError' })).toBe('denied')
    // Not every browser (or polyfill) rejects with a DOMException: the name is what counts.
    expect(voiceProblemOf(Object.assign(new Error('no device'), { name: 'NotFoundError' }))).toBe('no-microphone')
    expect(voiceProblemOf(new TypeError('bad constraints'))).toBe('failed')
  })

  it('calls anything else a failure instead of throwing', () => {
    for (const value of [null, undefined, 'NotAllowedError', 42, {}, { name: 42 }, new Error('x')]) expect(voiceProblemOf(value)).toBe('failed')
  })
})

describe('VOICE_MESSAGES', () => {
  const problems: VoiceProblem[] = ['denied', 'no-microphone', 'insecure', 'unplugged', 'busy', 'failed']

  it('has a sentence for every problem, and only those', () => {
    expect(Object.keys(VOICE_MESSAGES).sort()).toEqual([...problems].sort())
    for (const problem of problems) expect(VOICE_MESSAGES[problem], problem).toMatch(/^[A-Z].{10,}\.$/)
  })

  it('tells the user what happened and what to do', () => {
    expect(VOICE_MESSAGES.denied).toMatch(/denied/i)
    expect(VOICE_MESSAGES.denied).toMatch(/allow/i)
    expect(VOICE_MESSAGES['no-microphone']).toMatch(/no microphone/i)
    expect(VOICE_MESSAGES.insecure).toMatch(/https:\/\//)
    expect(VOICE_MESSAGES.unplugged).toMatch(/disconnected/i)
    expect(VOICE_MESSAGES.busy).toMatch(/in use/i)
  })

  it('are all different', () => {
    expect(new Set(Object.values(VOICE_MESSAGES)).size).toBe(problems.length)
  })
})

describe('constants', () => {
  it('matches DESIGN.md §6: a full mesh is fine up to about 8 speakers', () => {
    expect(COMFORTABLE_VOICE_PEERS).toBe(8)
  })

  it('puts the speaking threshold on a step, inside 0..1', () => {
    expect(SPEAKING_LEVEL).toBeGreaterThan(0)
    expect(SPEAKING_LEVEL).toBeLessThan(1)
    expect(quantizeLevel(SPEAKING_LEVEL)).toBeCloseTo(SPEAKING_LEVEL, 12)
    // A level right at the threshold is still speaking once quantized for presence.
    expect(quantizeLevel(SPEAKING_LEVEL)).toBeGreaterThanOrEqual(SPEAKING_LEVEL)
  })
})
