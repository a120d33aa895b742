/**
 * The contract of src/wire/wire-internals.ts with the packages it reaches into: the installed
 * versions are the ones it was written against, and real y-webrtc providers (BoardConnection, each
 * on its own y-webrtc instance, over @roamhq/wrtc and the real signaling server on 127.0.0.1) do
 * through its hooks what the modules built on them promise (the listeners BoardConnection puts on
 * peers: board-connection.test.ts):
 * - chunking (chunked-channel.ts): a change far over a data channel's message limit goes in frames
 *   of at most CHUNK_BYTES and arrives whole, byte for byte;
 * - pieces (joiner-answers.ts, update-pieces.ts): a joiner gets a big board as several updates;
 * - the relay filter (relay-filter.ts): a change a peer got from another goes on to every other
 *   peer, once, and never back to the one it came from;
 * - quiet tabs (tab-channel.ts): a tab alone posts nothing of the board to other tabs, and once
 *   another tab (a worker thread running plain y-webrtc) speaks, announces the whole board, posts
 *   changes, and screens what comes from there;
 * - simple-peer's connection (ice-recovery.ts): `_pc` is the @roamhq/wrtc RTCPeerConnection, one
 *   end is the initiator, and negotiate() and _createOffer() renegotiate through signaling;
 * - lib0's signaling client (signaling-sends.ts): `ws` is its socket, every send of y-webrtc's goes
 *   through an intercepted `send`, and one sent while a new socket connects is dropped, not thrown.
 * The Yjs hooks are checked against real documents in yjs-internals.test.ts.
 * Nothing waits for time to pass: every wait is for a condition, with a timeout.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import wrtc from '@roamhq/wrtc'
import * as decoding from 'lib0/decoding'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync'
import * as Y from 'yjs'
import { shapesOf } from '../../src/model/board-doc'
import { CHUNK_BYTES } from '../../src/net/chunked-channel'
import { PIECE_BYTES } from '../../src/net/joiner-answers'
import { encodeStateInPieces } from '../../src/net/update-pieces'
import { dropSendsWhileConnecting } from '../../src/net/signaling-sends'
import {
  dataChannelOf,
  interceptSignalingSends,
  isInitiator,
  MESSAGE_SYNC,
  negotiate,
  offerAgain,
  openTabMessage,
  peerConnectionOf,
  signalingClientOf,
  signalingSocketOf,
  whenRoom,
  WIRED_AGAINST,
  type SignalingClient,
  type SimplePeer,
} from '../../src/wire/wire-internals'
import {
  addStrokes,
  BOARD_KEY,
  closePeers,
  holdsText,
  joinBoard,
  leaveBoard,
  NativeDataChannel,
  startSignaling,
  waitFor,
  type SignalingHandle,
  type WirePeer,
} from '../helpers/wire-peers'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

let signaling: SignalingHandle
let topics = 0
const newTopic = () => `wire-contract-${process.pid}-${++topics}`

/** Every frame handed to a native data channel, and every message a chunked channel delivered, in order. */
type WireEvent = { kind: 'sent'; channel: RTCDataChannel; bytes: Uint8Array } | { kind: 'delivered'; channel: RTCDataChannel; bytes: Uint8Array }
let wire: WireEvent[] = []

beforeAll(async () => {
  signaling = await startSignaling()
})

afterAll(async () => {
  await signaling.stop()
})

beforeEach(() => {
  wire = []
  const original = NativeDataChannel.prototype.send
  // In place before any channel exists: the chunked layer keeps the channel's send from then.
  vi.spyOn(NativeDataChannel.prototype, 'send').mockImplementation(function (this: RTCDataChannel, data: unknown) {
    original.call(this, data)
    wire.push({ kind: 'sent', channel: this, bytes: data as Uint8Array })
  })
})

afterEach(async () => {
  await closePeers()
  vi.restoreAllMocks()
})

/** Both ends of every open connection between these peers: whose end it is, and whose the other. */
function channelEnds(peers: readonly WirePeer[]): Map<RTCDataChannel, { from: string; to: string }> {
  const ends = new Map<RTCDataChannel, { from: string; to: string }>()
  for (const peer of peers) {
    for (const { peerId, peer: simplePeer } of peer.connection.connectedPeers()) {
      const channel = dataChannelOf(simplePeer)
      if (channel) ends.set(channel, { from: peer.id, to: peerId })
    }
  }
  return ends
}

async function connectedMesh(peers: readonly WirePeer[]): Promise<void> {
  await waitFor(`${peers.length} peers connected to each other`, () => peers.every((peer) => peer.connection.peerCount === peers.length - 1))
}

/** Package versions as installed (the copy each importer resolves: simple-peer is y-webrtc's). */
function installedVersion(name: string): string {
  const nested = join(REPO_ROOT, 'node_modules', 'y-webrtc', 'node_modules', name, 'package.json')
  const paths = name === 'simple-peer' ? [nested, join(REPO_ROOT, 'node_modules', name, 'package.json')] : [join(REPO_ROOT, 'node_modules', name, 'package.json')]
  for (const path of paths) {
    try {
      return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
    } catch {
      // Not there: the next place.
    }
  }
  throw new Error(`${name} is not installed`)
}

/** Whether two byte arrays hold the same bytes (expect's deep equality takes seconds on a board). */
function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}

/** Whether `doc` holds every struct `of` holds, and no other (their state vectors are the same). */
function sameState(doc: Y.Doc, of: Y.Doc): boolean {
  return sameBytes(Y.encodeStateVector(doc), Y.encodeStateVector(of))
}

/** The sync message type and update of a y-webrtc message, or null if it is not a sync update or step 2. */
function syncUpdateIn(message: Uint8Array): { type: number; update: Uint8Array } | null {
  if (message[0] !== MESSAGE_SYNC || (message[1] !== messageYjsUpdate && message[1] !== messageYjsSyncStep2)) return null
  const decoder = decoding.createDecoder(message)
  decoding.readVarUint(decoder)
  const type = decoding.readVarUint(decoder)
  return { type, update: decoding.readVarUint8Array(decoder) }
}

describe('the wire adapter against the packages it reaches into', { timeout: 60_000 }, () => {
  it('runs on exactly the versions it was written against, pinned in package.json', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
      devDependencies: Record<string, string>
      peerDependencies: Record<string, string>
      overrides: Record<string, string>
    }
    for (const [name, version] of Object.entries(WIRED_AGAINST)) {
      expect(installedVersion(name), name).toBe(version)
      if (name === 'simple-peer') expect(manifest.overrides[name], name).toBe(version)
      else if (name === 'yjs') {
        // The app's own Yjs, shared with the board: a peer, at this very version (and this repository's).
        expect(manifest.peerDependencies[name], name).toBe(version)
        expect(manifest.devDependencies[name], name).toBe(version)
      } else expect(manifest.dependencies[name], name).toBe(version)
    }
  })

  it('chunking: a change over the data channel limit goes in frames of at most CHUNK_BYTES and arrives whole', async () => {
    const topic = newTopic()
    const alice = await joinBoard(signaling.url, topic)
    const bob = await joinBoard(signaling.url, topic)
    await connectedMesh([alice, bob])
    const sentUpdates: Uint8Array[] = []
    alice.doc.on('update', (update: Uint8Array) => sentUpdates.push(update))
    const receivedUpdates: Uint8Array[] = []
    bob.doc.on('update', (update: Uint8Array) => receivedUpdates.push(update))
    const [toBob] = [...channelEnds([alice])].find(([, end]) => end.to === bob.id)!
    const before = wire.length

    // Over @roamhq/wrtc's SCTP max-message-size (256 KiB), which closes a plain channel.
    addStrokes(alice.doc, 'big', 800, 1)
    const change = sentUpdates.at(-1)!
    expect(change.byteLength).toBeGreaterThan(256 * 1024)
    await waitFor('the change at bob', () => shapesOf(bob.doc).size === 800)

    // Whole, byte for byte: what alice's document emitted is what bob's emitted.
    expect(receivedUpdates).toHaveLength(1)
    expect(sameBytes(receivedUpdates[0], change)).toBe(true)
    expect(sameState(bob.doc, alice.doc)).toBe(true)
    // In chunks: several frames, none over CHUNK_BYTES, headers 0b1100_z_t_pp (some 'more', one 'last').
    const frames = wire.slice(before).filter((event) => event.kind === 'sent' && event.channel === toBob).map((event) => event.bytes)
    expect(frames.length).toBeGreaterThan(1)
    expect(Math.max(...frames.map((frame) => frame.byteLength))).toBeLessThanOrEqual(CHUNK_BYTES)
    expect(frames.every((frame) => (frame[0]! & 0xf0) === 0xc0)).toBe(true)
    expect(frames.filter((frame) => (frame[0]! & 0b11) === 1).length).toBeGreaterThan(0)
    expect(frames.filter((frame) => (frame[0]! & 0b11) === 2).length).toBe(1)
  })

  it('pieces: a joiner gets a big board as several updates, each applied as it arrives', async () => {
    const topic = newTopic()
    const holder = await joinBoard(signaling.url, topic, (doc) => addStrokes(doc, 'board', 1100, 2))
    const pieces = encodeStateInPieces(holder.doc, PIECE_BYTES)
    // Structs in pieces, then the deletions: what joiner-answers.ts sends for a board of more than two pieces.
    expect(pieces.length).toBeGreaterThan(3)
    const received: Uint8Array[] = []
    const joiner = await joinBoard(signaling.url, topic, (doc) => doc.on('update', (update: Uint8Array) => received.push(update)))
    await waitFor('the whole board at the joiner', () => shapesOf(joiner.doc).size === 1100)
    await waitFor('the board no longer arriving', () => !joiner.connection.boardArriving)

    expect(sameState(joiner.doc, holder.doc)).toBe(true)
    // One update per piece of structs (the deletions piece is empty here: nothing was deleted).
    expect(received).toHaveLength(pieces.length - 1)
    // Big pieces are passed on as they arrived (relay-filter.ts): the very pieces the holder made.
    for (const [i, piece] of pieces.slice(0, -1).entries()) if (piece.byteLength >= 64 * 1024) expect(sameBytes(received[i], piece), `piece ${i}`).toBe(true)
    // An answer is sent in pieces only while the board is big; each is small enough to be one message.
    expect(Math.max(...received.map((update) => update.byteLength))).toBeLessThan(2 * PIECE_BYTES)
  })

  it('relay filter: a change goes on to every other peer once, never back to the peer it came from', async () => {
    const topic = newTopic()
    const peers = [await joinBoard(signaling.url, topic), await joinBoard(signaling.url, topic), await joinBoard(signaling.url, topic)]
    await connectedMesh(peers)
    const [author, ...relays] = peers as [WirePeer, WirePeer, WirePeer]
    const ends = channelEnds(peers)
    // What each chunked channel delivers to simple-peer (after simple-peer and y-webrtc had it).
    for (const channel of ends.keys()) {
      channel.addEventListener('message', (event) => wire.push({ kind: 'delivered', channel, bytes: new Uint8Array((event as MessageEvent<ArrayBuffer>).data) }))
    }
    const before = wire.length

    addStrokes(author.doc, 'relayed-marker', 1, 3)
    await waitFor('the change at every peer', () => relays.every((peer) => shapesOf(peer.doc).has('relayed-marker-0')))
    const carrying = wire.slice(before).filter((event) => holdsText(event.bytes, 'relayed-marker-0'))
    const sentBy = (peer: WirePeer) =>
      carrying
        .filter((event) => event.kind === 'sent' && ends.get(event.channel)?.from === peer.id)
        .map((event) => ends.get(event.channel)!.to)
        .sort()
    const others = (peer: WirePeer) => peers.filter((other) => other !== peer).map((other) => other.id).sort()

    // The author sends its change to everyone, once each.
    expect(sentBy(author)).toEqual(others(author))
    for (const relay of relays) {
      // The peer whose message the relay applied: the first to deliver the change to it.
      const first = carrying.find((event) => event.kind === 'delivered' && ends.get(event.channel)?.from === relay.id)!
      const source = ends.get(first.channel)!.to
      expect(sentBy(relay), 'sent on by a peer that had it from another').toEqual(others(relay).filter((id) => id !== source))
    }
  })

  it('quiet tabs: alone, a tab posts nothing of the board; once another tab speaks it announces the board, posts changes and screens what comes', async () => {
    const topic = newTopic()
    const posted: { channel: BroadcastChannel; data: ArrayBuffer }[] = []
    const postMessage = BroadcastChannel.prototype.postMessage
    vi.spyOn(BroadcastChannel.prototype, 'postMessage').mockImplementation(function (this: BroadcastChannel, data: unknown) {
      posted.push({ channel: this, data: data as ArrayBuffer })
      return postMessage.call(this, data)
    })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const tab = await joinBoard(signaling.url, topic, (doc) => addStrokes(doc, 'before', 3, 4))
    const room = (await whenRoom(tab.provider))!
    // Alone, so connected only to signaling (its lib0 client's state, read through signalingClientOf).
    await waitFor('signaling connected', () => tab.connection.status === 'connected')
    expect(tab.connection.peerCount).toBe(0)
    /** What this tab posted to other tabs of its board, opened. */
    const postedHere = async () => {
      const opened = await Promise.all(posted.filter((post) => post.channel.name === topic).map((post) => openTabMessage(room, post.data)))
      return opened.filter((message): message is Uint8Array => message !== null)
    }
    const sync = (messages: Uint8Array[]) => messages.map(syncUpdateIn).filter((message) => message !== null)

    // Connected alone: it announced itself with an empty board.
    await waitFor('the tab announced to other tabs', async () => sync(await postedHere()).some((message) => message.type === messageYjsSyncStep2))
    for (const { update } of sync(await postedHere())) {
      const seen = new Y.Doc()
      Y.applyUpdate(seen, update)
      expect(shapesOf(seen).size).toBe(0)
    }
    // A change while alone is posted to nobody (checked below, once another tab has the board).
    addStrokes(tab.doc, 'alone', 1, 5)

    const other = new Worker(new URL('../helpers/other-tab.mjs', import.meta.url), { workerData: { topic, key: BOARD_KEY } })
    try {
      const otherShapes = new Set<string>()
      other.on('message', (message: { type: string; ids?: string[] }) => {
        if (message.type === 'shapes') for (const id of message.ids!) otherShapes.add(id)
      })
      // The other tab speaks on connecting; this one then announces the whole board.
      await waitFor('the board at the other tab', () => ['before-0', 'before-1', 'before-2', 'alone-0'].every((id) => otherShapes.has(id)))
      const announced = sync(await postedHere())
      expect(announced.some(({ type, update }) => type === messageYjsSyncStep2 && holdsText(update, 'alone-0'))).toBe(true)
      // The change made alone was never posted as a change: only inside the announcement.
      expect(announced.some(({ type, update }) => type === messageYjsUpdate && holdsText(update, 'alone-0'))).toBe(false)

      // From now on changes are posted.
      addStrokes(tab.doc, 'together', 1, 6)
      await waitFor('a change at the other tab', () => otherShapes.has('together-0'))
      expect(sync(await postedHere()).some(({ type, update }) => type === messageYjsUpdate && holdsText(update, 'together-0'))).toBe(true)

      // What the other tab sends is read, once screened: a shape arrives, a hostile change does not.
      const honest = new Y.Doc()
      addStrokes(honest, 'from-the-other-tab', 1, 7)
      other.postMessage({ type: 'apply', update: Y.encodeStateAsUpdate(honest) })
      await waitFor('the other tab\'s shape here', () => shapesOf(tab.doc).has('from-the-other-tab-0'))
      const hostile = new Y.Doc()
      hostile.transact(() => {
        const shape = new Y.Map<unknown>()
        shapesOf(hostile).set('hostile', shape)
        shape.set('deeper', new Y.Map())
      })
      other.postMessage({ type: 'apply', update: Y.encodeStateAsUpdate(hostile) })
      await waitFor('the hostile change refused', () => warn.mock.calls.some(([message]) => String(message).includes('a change from another tab of this browser was refused')))
      expect(shapesOf(tab.doc).has('hostile')).toBe(false)
    } finally {
      await other.terminate()
    }
  })
})

/** The simple-peer of `from`'s connection to `to`. */
function peerTowards(from: WirePeer, to: WirePeer): SimplePeer {
  return from.connection.connectedPeers().find(({ peerId }) => peerId === to.id)!.peer
}

/** lib0's WebsocketClient under `peer`'s provider, with the methods these tests call. */
function signalingOf(peer: WirePeer): SignalingClient & { send(message: unknown): void; connect(): void; disconnect(): void } {
  return signalingClientOf(peer.provider) as SignalingClient & { send(message: unknown): void; connect(): void; disconnect(): void }
}

/** The signaling states `pc` goes through from now on. */
function signalingStates(pc: RTCPeerConnection): RTCSignalingState[] {
  const states: RTCSignalingState[] = []
  pc.addEventListener('signalingstatechange', () => states.push(pc.signalingState))
  return states
}

describe('the simple-peer and lib0 hooks against real peers', { timeout: 60_000 }, () => {
  it('simple-peer: `_pc` is the @roamhq/wrtc RTCPeerConnection of a connection, one end its initiator, and null once destroyed', async () => {
    const topic = newTopic()
    const alice = await joinBoard(signaling.url, topic)
    const bob = await joinBoard(signaling.url, topic)
    await connectedMesh([alice, bob])
    const ends = [peerTowards(alice, bob), peerTowards(bob, alice)]
    for (const end of ends) {
      const pc = peerConnectionOf(end)!
      expect(pc).toBeInstanceOf(wrtc.RTCPeerConnection)
      expect(['connected', 'completed']).toContain(pc.iceConnectionState)
      expect(pc.signalingState).toBe('stable')
      // simple-peer's channel is one of this connection's (its label is simple-peer's random one).
      expect(dataChannelOf(end)!.readyState).toBe('open')
    }
    expect(ends.map(isInitiator).sort()).toEqual([false, true])

    const closed = new Promise<void>((resolve) => ends[0]!.on('close', resolve))
    await leaveBoard(alice)
    await closed
    expect(peerConnectionOf(ends[0]!)).toBeNull()
  })

  it('simple-peer: _createOffer (offerAgain) and negotiate() renegotiate through signaling, from either end, and the connection carries on', async () => {
    const topic = newTopic()
    const alice = await joinBoard(signaling.url, topic)
    const bob = await joinBoard(signaling.url, topic)
    await connectedMesh([alice, bob])
    const [initiator, answerer] = isInitiator(peerTowards(alice, bob)) ? [alice, bob] : [bob, alice]
    const offering = peerTowards(initiator, answerer)
    const answering = peerTowards(answerer, initiator)
    const offeringPc = peerConnectionOf(offering)!
    const answeringPc = peerConnectionOf(answering)!

    // An offer made at once, answered by the other end through signaling.
    let offered = signalingStates(offeringPc)
    let answered = signalingStates(answeringPc)
    offerAgain(offering)
    await waitFor('the new offer answered', () => offered.at(-1) === 'stable' && answered.at(-1) === 'stable')
    expect(offered).toEqual(['have-local-offer', 'stable'])
    expect(answered).toEqual(['have-remote-offer', 'stable'])

    // negotiate() on the initiator offers (on the next task) ...
    offered = signalingStates(offeringPc)
    negotiate(offering)
    await waitFor('the negotiation answered', () => offered.at(-1) === 'stable')
    expect(offered).toEqual(['have-local-offer', 'stable'])
    // ... and on the other end asks the initiator to (simple-peer's 'renegotiate' signal).
    offered = signalingStates(offeringPc)
    answered = signalingStates(answeringPc)
    negotiate(answering)
    await waitFor('the requested negotiation answered', () => offered.at(-1) === 'stable' && answered.at(-1) === 'stable')
    expect(offered).toEqual(['have-local-offer', 'stable'])

    // Still the same connection, carrying changes.
    expect(peerConnectionOf(offering)).toBe(offeringPc)
    addStrokes(initiator.doc, 'after-renegotiation', 1, 8)
    await waitFor('the change at the other end', () => shapesOf(answerer.doc).has('after-renegotiation-0'))
  })

  it('lib0: `ws` is the signaling client\'s open socket, and every send of y-webrtc\'s goes through an intercepted `send`', async () => {
    const topic = newTopic()
    const alice = await joinBoard(signaling.url, topic)
    await waitFor('signaling connected', () => alice.connection.status === 'connected')
    const client = signalingOf(alice)
    const socket = signalingSocketOf(client)!
    expect(socket).toBeInstanceOf(WebSocket)
    expect(socket.readyState).toBe(WebSocket.OPEN)
    expect(socket.url).toBe(signaling.url)

    const sent: unknown[] = []
    interceptSignalingSends(client, (message, send) => {
      sent.push(message)
      send(message)
    })
    const bob = await joinBoard(signaling.url, topic)
    await connectedMesh([alice, bob])
    // Alice's signals to bob (offer or answer, candidates) went through it, and on: they connected.
    expect(sent.some((message) => (message as { type?: string; topic?: string }).type === 'publish' && (message as { topic?: string }).topic === topic)).toBe(true)
    expect(signalingSocketOf(client)).toBe(socket)
  })

  it('lib0: a send while the client\'s new socket connects is dropped (signaling-sends.ts), where the socket itself throws', async () => {
    const topic = newTopic()
    const alice = await joinBoard(signaling.url, topic)
    await waitFor('signaling connected', () => alice.connection.status === 'connected')
    const client = signalingOf(alice)
    // BoardConnection drops them already; once more is a no-op (one client, wrapped once).
    dropSendsWhileConnecting(client)
    client.disconnect()
    await waitFor('the old socket gone', () => signalingSocketOf(client) === null)
    client.connect()
    const connecting = signalingSocketOf(client)!
    expect(connecting.readyState).toBe(WebSocket.CONNECTING)
    expect(() => connecting.send('{}')).toThrow()
    expect(() => client.send({ type: 'ping' })).not.toThrow()
    await waitFor('signaling connected again', () => client.connected)
    expect(signalingSocketOf(client)).toBe(connecting)
    expect(connecting.readyState).toBe(WebSocket.OPEN)
  })
})
