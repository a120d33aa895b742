/**
 * BoardConnection takes off every listener it puts on a peer (issue 21, item 5): its stream, data,
 * connect and close listeners and the peer's chain of screens (wire-internals.ts chainPeerData)
 * are gone once the peer closes, or at once when the connection is destroyed. Real peers: each on
 * its own y-webrtc instance, over @roamhq/wrtc and the signaling server (helpers/wire-peers.ts).
 * What stays is y-webrtc's own: ice-recovery.ts's close listener (the connection's IceRecovery) goes too.
 */
import { deflateRawSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { SimplePeer } from '../../src/net/board-connection'
import { FRAME_COMPRESSED_FLAG, FRAME_WHOLE, MAX_QUEUED_MESSAGES } from '../../src/net/chunked-channel'
import { dataChannelOf } from '../../src/wire/wire-internals'
import { closePeers, joinBoard, leaveBoard, startSignaling, waitFor, type SignalingHandle, type WirePeer } from '../helpers/wire-peers'

const EVENTS = ['data', 'stream', 'connect', 'close'] as const
type Counts = Record<(typeof EVENTS)[number], number>

let signaling: SignalingHandle
let topics = 0
const newTopic = () => `board-connection-${process.pid}-${++topics}`

beforeAll(async () => {
  signaling = await startSignaling()
})
afterAll(async () => {
  await signaling.stop()
})
afterEach(async () => {
  await closePeers()
})

/** Listeners on the peer by event (simple-peer is an EventEmitter). */
function listenersOn(peer: SimplePeer): Counts {
  const emitter = peer as unknown as { listenerCount(event: string): number }
  return Object.fromEntries(EVENTS.map((event) => [event, emitter.listenerCount(event)])) as Counts
}

/** BoardConnection's own: one listener of each event, and its IceRecovery's close listener. */
function withoutOurs(counts: Counts): Counts {
  return { data: counts.data - 1, stream: counts.stream - 1, connect: counts.connect - 1, close: counts.close - 2 }
}

/** Whether the peer's emit is its own again (the chain replaced it with an own property). */
const chained = (peer: SimplePeer) => Object.prototype.hasOwnProperty.call(peer, 'emit')

async function connectedPair(): Promise<[WirePeer, WirePeer, SimplePeer]> {
  const topic = newTopic()
  const alice = await joinBoard(signaling.url, topic)
  const bob = await joinBoard(signaling.url, topic)
  await waitFor('alice and bob connected', () => alice.connection.peerCount === 1 && bob.connection.peerCount === 1)
  return [alice, bob, alice.connection.connectedPeers()[0]!.peer]
}

describe('BoardConnection and the listeners it puts on peers', { timeout: 60_000 }, () => {
  it('takes them off a peer whose connection closed', async () => {
    const [, bob, peer] = await connectedPair()
    const watched = listenersOn(peer)
    expect(chained(peer)).toBe(true)
    expect(watched.stream).toBe(1)

    // Bob goes: alice's peer closes from the other end.
    bob.connection.connectedPeers()[0]!.peer.destroy()
    await waitFor("alice's peer closed", () => peer.destroyed && !chained(peer))
    expect(listenersOn(peer)).toEqual(withoutOurs(watched))
    expect(listenersOn(peer).stream).toBe(0)
  })

  it('takes them off every peer when the connection is destroyed', async () => {
    const [alice, , peer] = await connectedPair()
    const watched = listenersOn(peer)
    await leaveBoard(alice)
    expect(chained(peer)).toBe(false)
    expect(listenersOn(peer)).toEqual(withoutOurs(watched))
  })
})

describe('BoardConnection and a peer the chunked layer refused', { timeout: 60_000 }, () => {
  it('keeps it away, and says so once, like a peer whose change was refused', async () => {
    const refused: string[] = []
    const topic = newTopic()
    const alice = await joinBoard(signaling.url, topic, undefined, (peerId) => refused.push(peerId))
    const bob = await joinBoard(signaling.url, topic)
    await waitFor('alice and bob connected', () => alice.connection.peerCount === 1 && bob.connection.peerCount === 1)
    const channel = dataChannelOf(alice.connection.connectedPeers()[0]!.peer)!
    // What a hostile bob's bytes are on arrival: a deflate bomb, and more messages behind it than
    // may wait for it. Dispatched on alice's real channel the way wrtc delivers what arrives (in
    // order, a tick each, all before the inflation can end); sent from bob they would race it.
    const arrive = (header: number, payload = new Uint8Array(0)) => {
      const bytes = new Uint8Array(payload.byteLength + 1)
      bytes[0] = header
      bytes.set(payload, 1)
      channel.dispatchEvent(new MessageEvent('message', { data: bytes.buffer }))
    }
    arrive(FRAME_WHOLE | FRAME_COMPRESSED_FLAG, deflateRawSync(new Uint8Array(1024 * 1024)))
    for (let i = 0; i <= MAX_QUEUED_MESSAGES; i++) arrive(FRAME_WHOLE)
    await waitFor('bob refused', () => refused.length > 0)
    expect(refused).toEqual([bob.id])
    expect(alice.connection.announcedPeerIds()).not.toContain(bob.id)
    // Bob's side sees the connection go, and alice closes every new one from him at once.
    await waitFor('bob lost alice', () => bob.connection.peerCount === 0)
    expect(alice.connection.peerCount).toBe(0)
    expect(refused).toEqual([bob.id])
  })
})
