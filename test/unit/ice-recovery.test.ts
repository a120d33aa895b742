/**
 * Connections that survive the network (issue 19): what ice-recovery.ts does with a connection
 * whose ICE path is lost, against a fake RTCPeerConnection and simple-peer on fake timers. The
 * real thing behind real NATs is test/e2e/nat.test.ts.
 */
import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IceRecovery } from '../../src/net/ice-recovery'
import type { SimplePeer } from '../../src/wire/wire-internals'

class FakeConnection extends EventTarget {
  iceConnectionState: RTCIceConnectionState = 'new'
  signalingState: RTCSignalingState = 'stable'
  readonly sctp = null
  configuration: RTCConfiguration = { iceServers: [{ urls: 'turn:old.example.org', username: 'expired', credential: 'x' }] }
  readonly restartIce = vi.fn()
  getConfiguration = () => this.configuration
  setConfiguration = (configuration: RTCConfiguration) => void (this.configuration = configuration)
  getStats = () => Promise.resolve(new Map() as unknown as RTCStatsReport)

  ice(state: RTCIceConnectionState): void {
    this.iceConnectionState = state
    this.dispatchEvent(new Event('iceconnectionstatechange'))
  }

  signaling(state: RTCSignalingState): void {
    this.signalingState = state
    this.dispatchEvent(new Event('signalingstatechange'))
  }
}

function fakePeer(initiator: boolean) {
  const pc = new FakeConnection()
  // Its listeners, as simple-peer's EventEmitter keeps them; `emit` stays a spy (no signal is sent).
  const events = new EventEmitter()
  const peer = {
    initiator,
    connected: false,
    destroyed: false,
    _pc: pc as unknown as RTCPeerConnection,
    negotiate: vi.fn(),
    _createOffer: vi.fn(),
    destroy: vi.fn(() => void (peer.destroyed = true)),
    emit: vi.fn(() => true),
    send: vi.fn(),
    on: vi.fn((event: string, listener: () => void) => void events.on(event, listener)),
    off: vi.fn((event: string, listener: () => void) => void events.off(event, listener)),
    /** What simple-peer does last when the connection is destroyed. */
    close: () => events.emit('close'),
    listeners: (event: string) => events.listenerCount(event),
    addStream: vi.fn(),
    removeStream: vi.fn(),
  }
  return { pc, peer: peer as typeof peer & SimplePeer }
}

const FRESH: RTCIceServer[] = [{ urls: 'turn:turn.example.org', username: 'fresh', credential: 'y' }]

describe('ICE recovery', () => {
  let recovery: IceRecovery
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    // A page's clock is never at 0 when it connects (0 means "not lost" to ice-recovery.ts).
    vi.advanceTimersByTime(60_000)
    recovery = new IceRecovery({ iceServers: FRESH }, () => {})
  })
  afterEach(() => {
    recovery.destroy()
    vi.useRealTimers()
  })

  it('leaves a blip that heals by itself alone', () => {
    const { pc, peer } = fakePeer(true)
    pc.ice('connected')
    recovery.watch(peer)
    pc.ice('disconnected')
    vi.advanceTimersByTime(1000)
    pc.ice('connected')
    vi.advanceTimersByTime(30_000)
    expect(pc.restartIce).not.toHaveBeenCalled()
    expect(peer.destroy).not.toHaveBeenCalled()
  })

  it('restarts ICE on a connection that stays disconnected, with the freshest credentials, and closes it once it is not coming back', () => {
    const { pc, peer } = fakePeer(true)
    pc.ice('connected')
    recovery.watch(peer)
    pc.ice('disconnected')
    vi.advanceTimersByTime(1500)
    expect(pc.restartIce).toHaveBeenCalledTimes(1)
    expect(peer.negotiate).toHaveBeenCalledTimes(1)
    expect(pc.configuration.iceServers).toEqual(FRESH)
    vi.advanceTimersByTime(17_000)
    expect(pc.restartIce).toHaveBeenCalledTimes(4)
    expect(peer.destroy).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1500)
    expect(peer.destroy).toHaveBeenCalled()
  })

  it('offers the restart again, replacing an offer lost with signaling, until it is answered, even while ICE says connected', () => {
    const { pc, peer } = fakePeer(true)
    pc.ice('connected')
    recovery.watch(peer)
    pc.ice('disconnected')
    vi.advanceTimersByTime(1500)
    pc.signaling('have-local-offer')
    // What was left of the old path answers this side's checks; the other side still has none.
    pc.ice('connected')
    vi.advanceTimersByTime(5000)
    expect(pc.restartIce).toHaveBeenCalledTimes(2)
    // simple-peer's negotiate() would wait for the lost offer's answer for good.
    expect(peer._createOffer).toHaveBeenCalledTimes(1)
    pc.signaling('stable')
    vi.advanceTimersByTime(30_000)
    expect(pc.restartIce).toHaveBeenCalledTimes(2)
    expect(peer.destroy).not.toHaveBeenCalled()
  })

  it('leaves restarts to the side that made the offer, and still closes a connection that is not coming back', () => {
    const { pc, peer } = fakePeer(false)
    pc.ice('connected')
    recovery.watch(peer)
    pc.ice('disconnected')
    vi.advanceTimersByTime(19_000)
    expect(pc.restartIce).not.toHaveBeenCalled()
    expect(peer.negotiate).not.toHaveBeenCalled()
    expect(peer.emit).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1000)
    expect(peer.destroy).toHaveBeenCalled()
  })

  it('takes its close listener off the peer once the recovery is destroyed', () => {
    const { pc, peer } = fakePeer(true)
    pc.ice('connected')
    recovery.watch(peer)
    expect(peer.listeners('close')).toBe(1)
    recovery.destroy()
    expect(peer.listeners('close')).toBe(0)
    // Nothing of it is left watching the connection either.
    pc.ice('disconnected')
    vi.advanceTimersByTime(30_000)
    expect(pc.restartIce).not.toHaveBeenCalled()
    expect(peer.destroy).not.toHaveBeenCalled()
  })

  it('takes its close listener off the peer once the connection closed, and can watch it again', () => {
    const { pc, peer } = fakePeer(true)
    pc.ice('connected')
    recovery.watch(peer)
    peer.close()
    expect(peer.listeners('close')).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    pc.ice('disconnected')
    vi.advanceTimersByTime(30_000)
    expect(pc.restartIce).not.toHaveBeenCalled()
    // Watched again (not possible while the first watch held on), it has one listener again.
    recovery.watch(peer)
    expect(peer.listeners('close')).toBe(1)
  })

  it('closes a connection that never connects (its offer or answer lost), without restarting it, but gives a slow one time', () => {
    const { pc, peer } = fakePeer(true)
    recovery.watch(peer)
    pc.ice('checking')
    // A busy machine's big mesh takes tens of seconds to connect.
    vi.advanceTimersByTime(59_000)
    expect(peer.destroy).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1000)
    expect(peer.destroy).toHaveBeenCalled()
    expect(pc.restartIce).not.toHaveBeenCalled()
  })
})
