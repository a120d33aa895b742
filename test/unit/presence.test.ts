import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MAX_LASER_POINTS, PRESENCE_UPDATES_PER_SECOND, PresencePublisher, readPresence, remotePresences } from '../../src/net/presence'

const valid = { user: { name: 'Curious Otter', color: '#1971c2' }, cursor: { x: 10, y: 20 }, viewport: { x: 0, y: 0, width: 800, height: 600 }, laser: [[1, 2, 30]], peerId: 'abc' }

describe('readPresence', () => {
  it('reads a well-formed state', () => {
    expect(readPresence(7, valid)).toEqual({ clientId: 7, ...valid, laser: [[1, 2, 30]], selection: [], voice: null })
    expect(readPresence(7, { ...valid, voice: { muted: false, level: 3 } })?.voice).toEqual({ muted: false, level: 1 })
    expect(readPresence(7, { ...valid, voice: { muted: true, level: 0.8 } })?.voice).toEqual({ muted: true, level: 0 })
    expect(readPresence(7, { ...valid, voice: { muted: 'no', level: 0 } })?.voice).toBeNull()
    expect(readPresence(7, { ...valid, selection: ['shape1', 42, '../x', 'shape2'] })?.selection).toEqual(['shape1', 'shape2'])
  })

  it('rejects states without a usable identity', () => {
    for (const state of [null, 'x', {}, { user: 'bob' }, { user: { name: '', color: '#123456' } }, { user: { name: '   ', color: '#123456' } }, { user: { name: 'Bob', color: 'red' } }, { user: { name: 'Bob', color: 'url(javascript:1)' } }, { user: { name: 42, color: '#123456' } }]) {
      expect(readPresence(1, state)).toBeNull()
    }
  })

  it('drops bad optional fields and keeps the rest', () => {
    const presence = readPresence(1, {
      user: { name: `  Bob\n\n the   ${'long'.repeat(30)}`, color: '#AbCdEf' },
      cursor: { x: Number.NaN, y: 3 },
      viewport: { x: 0, y: 0, width: -5, height: 10 },
      laser: [[1, 2, 3], ['a', 2, 3], [1, 2, -1], [Infinity, 0, 0], ...Array.from({ length: 200 }, () => [0, 0, 0])],
      peerId: 'x'.repeat(500),
    })!
    expect(presence.user.name.startsWith('Bob the long')).toBe(true)
    expect(presence.user.name.length).toBeLessThanOrEqual(40)
    expect(presence.cursor).toBeNull()
    expect(presence.viewport).toBeNull()
    expect(presence.laser.length).toBeLessThanOrEqual(MAX_LASER_POINTS)
    expect(presence.laser[0]).toEqual([1, 2, 3])
    expect(presence.peerId).toBeNull()
  })

  it('lists everyone but the local client, skipping invalid states', () => {
    const doc = new Y.Doc()
    const awareness = new Awareness(doc)
    awareness.setLocalState(valid)
    awareness.states.set(1001, valid)
    awareness.states.set(1002, { user: 'hostile' })
    expect(remotePresences(awareness).map((presence) => presence.clientId)).toEqual([1001])
    awareness.destroy()
  })
})

describe('PresencePublisher', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('sends identity at once and pointer-rate fields at most 30 times a second, ending on the latest', () => {
    vi.useFakeTimers()
    const awareness = new Awareness(new Y.Doc())
    const sent: unknown[] = []
    awareness.on('change', () => sent.push(awareness.getLocalState()?.cursor))
    const publisher = new PresencePublisher(awareness)
    publisher.setUser({ name: 'Ann', color: '#e03131' })
    expect(awareness.getLocalState()?.user).toEqual({ name: 'Ann', color: '#e03131' })
    sent.length = 0
    // 120 pointer moves over one second.
    for (let i = 0; i < 120; i++) {
      publisher.setCursor({ x: i, y: i })
      vi.advanceTimersByTime(1000 / 120)
    }
    vi.advanceTimersByTime(100)
    expect(sent.length).toBeGreaterThan(10)
    expect(sent.length).toBeLessThanOrEqual(PRESENCE_UPDATES_PER_SECOND + 1)
    expect(awareness.getLocalState()?.cursor).toEqual({ x: 119, y: 119 })
    publisher.destroy()
    awareness.destroy()
  })
})
