/**
 * One Node peer of the mesh benchmark (bench/mesh.bench.ts), in a process of its own: the app's
 * real networking (BoardConnection: y-webrtc, chunked data channels, our signaling server) over
 * @roamhq/wrtc. One peer per process because y-webrtc keeps its rooms in a module-level map and
 * allows one provider per room per module instance; worker threads would not do either, as
 * y-webrtc would then sync them through Node's process-wide BroadcastChannel instead of WebRTC.
 *
 * Driven over IPC by request and reply (`PeerRequest`, `PeerReply`). Measures what the Chromium
 * peers measure with the same rules (see `PAGE_INSTRUMENTATION` in mesh.bench.ts): when each shape
 * arrives in the doc, wall-clock with sub-ms resolution, and the bytes handed to data channels.
 */
import { createRequire } from 'node:module'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import { shapesOf, transactLocal } from '../src/model/board-doc'
import { signalingTopic } from '../src/net/board-address'
import { BoardConnection } from '../src/net/board-connection'
import { chunkedWrtc, type WrtcImplementation } from '../src/net/chunked-channel'

/** A finished stroke, written as one transaction: what `insertShapes` writes, z chosen by the bench. */
export interface StrokeEdit {
  readonly id: string
  /** Every field but `points`, `z` included. */
  readonly fields: Readonly<Record<string, string | number | boolean>>
  /** The encoded points (a Uint8Array in the doc), as numbers so they cross IPC and page boundaries. */
  readonly points: readonly number[]
}

/** Bytes and messages handed to data channels, by the first three bytes of the frame (see `sendKey`). */
export type SendCounters = Record<string, { bytes: number; messages: number }>

export interface PeerState {
  /**
   * Subscribed to the board's signaling topic: the signaling socket is up and y-webrtc's room
   * exists (BoardConnection publishes its peer id once it does). Only then does this peer hear
   * the next newcomer's announcement; y-webrtc never announces again unless a connection fails.
   */
  readonly listening: boolean
  /** Peers with an open WebRTC connection (what the app shows as its peer count). */
  readonly connected: number
  /** RTCPeerConnections still being set up. */
  readonly pending: number
  readonly shapes: number
  readonly sent: SendCounters
}

export type PeerRequest = { readonly seq: number } & (
  | { readonly type: 'join'; readonly signalingUrl: string; readonly board: string; readonly key: string }
  | { readonly type: 'state' }
  | { readonly type: 'edit'; readonly edit: StrokeEdit }
  /** Replies, as soon as the shape is in this peer's doc, with the epoch time (ms) it arrived. */
  | { readonly type: 'arrival'; readonly id: string }
  | { readonly type: 'leave' }
)

export type PeerReply =
  | { readonly type: 'ready' }
  | { readonly seq: number; readonly ok: true; readonly value?: unknown }
  | { readonly seq: number; readonly ok: false; readonly error: string }

/** Wall-clock ms with sub-ms resolution, comparable across processes and with Chromium's. */
const epochNow = (): number => performance.timeOrigin + performance.now()

/** Counts are keyed by the frame's chunk header, y-protocols message type and sync step: the bench classifies. */
function sendKey(frame: Uint8Array): string {
  return Array.from(frame.subarray(0, 3)).join('.')
}

/** Counts every frame the chunked layer hands to wrtc: the data-channel bytes put on the wire. */
function countSends(channelClass: { prototype: { send(data: unknown): void } }): SendCounters {
  const counters: SendCounters = {}
  const send = channelClass.prototype.send
  channelClass.prototype.send = function (this: unknown, data: unknown) {
    send.call(this, data)
    const frame = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data as ArrayBuffer)
    const entry = (counters[sendKey(frame)] ??= { bytes: 0, messages: 0 })
    entry.bytes += frame.byteLength
    entry.messages++
  }
  return counters
}

/** @roamhq/wrtc with every RTCPeerConnection remembered, so connections still being set up can be counted. */
function trackedWrtc(): { wrtc: WrtcImplementation; sent: SendCounters; pending: () => number } {
  const native = createRequire(import.meta.url)('@roamhq/wrtc') as WrtcImplementation & {
    RTCDataChannel: { prototype: { send(data: unknown): void } }
  }
  const sent = countSends(native.RTCDataChannel)
  const connections: RTCPeerConnection[] = []
  class TrackedPeerConnection extends native.RTCPeerConnection {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args)
      connections.push(this)
    }
  }
  const wrtc = { RTCPeerConnection: TrackedPeerConnection, RTCSessionDescription: native.RTCSessionDescription, RTCIceCandidate: native.RTCIceCandidate }
  const pending = () => connections.filter((c) => c.connectionState === 'new' || c.connectionState === 'connecting').length
  return { wrtc: chunkedWrtc(wrtc), sent, pending }
}

class NodePeer {
  private readonly doc = new Y.Doc()
  private readonly awareness = new Awareness(this.doc)
  private readonly net = trackedWrtc()
  private readonly arrivals = new Map<string, number>()
  private readonly waiting = new Map<string, (at: number) => void>()
  private connection: BoardConnection | null = null

  constructor() {
    shapesOf(this.doc).observe((event) => {
      const at = epochNow()
      for (const [id, change] of event.changes.keys) {
        if (change.action !== 'add') continue
        this.arrivals.set(id, at)
        this.waiting.get(id)?.(at)
        this.waiting.delete(id)
      }
    })
  }

  async join(signalingUrl: string, board: string, key: string): Promise<void> {
    const topic = await signalingTopic({ board, key })
    this.connection = new BoardConnection({
      doc: this.doc,
      awareness: this.awareness,
      topic,
      key,
      signalingUrl,
      rtc: { iceServers: [] },
      onChange: () => {},
      wrtc: this.net.wrtc,
    })
  }

  state(): PeerState {
    return {
      listening: this.connection?.status === 'connected' && this.awareness.getLocalState()?.['peerId'] !== undefined,
      connected: this.connection?.peerCount ?? 0,
      pending: this.net.pending(),
      shapes: shapesOf(this.doc).size,
      sent: this.net.sent,
    }
  }

  edit({ id, fields, points }: StrokeEdit): void {
    transactLocal(this.doc, () => {
      const shape = new Y.Map<unknown>()
      for (const [name, value] of Object.entries(fields)) shape.set(name, value)
      shape.set('points', Uint8Array.from(points))
      shapesOf(this.doc).set(id, shape)
    })
  }

  arrival(id: string): Promise<number> {
    const at = this.arrivals.get(id)
    return at !== undefined ? Promise.resolve(at) : new Promise((resolve) => this.waiting.set(id, resolve))
  }

  leave(): void {
    this.connection?.destroy()
    this.awareness.destroy()
    this.doc.destroy()
  }
}

async function handle(peer: NodePeer, request: PeerRequest): Promise<unknown> {
  switch (request.type) {
    case 'join':
      return peer.join(request.signalingUrl, request.board, request.key)
    case 'state':
      return peer.state()
    case 'edit':
      return peer.edit(request.edit)
    case 'arrival':
      return peer.arrival(request.id)
    case 'leave':
      return peer.leave()
  }
}

function reply(message: PeerReply, then: () => void = () => {}): void {
  process.send!(message, then)
}

// lib0's WebSocket client (y-webrtc's signaling) uses the global, which Node 20 lacks.
;(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket
const peer = new NodePeer()
process.on('message', (request: PeerRequest) => {
  handle(peer, request).then(
    // wrtc's native threads would keep the process alive after leaving.
    (value) => reply({ seq: request.seq, ok: true, value }, request.type === 'leave' ? () => process.exit(0) : undefined),
    (error: unknown) => reply({ seq: request.seq, ok: false, error: String((error as Error)?.stack ?? error) }),
  )
})
// The bench is gone (it died, or leaves it to us): nothing will ask this peer anything again.
process.on('disconnect', () => process.exit(0))
// As in a page, where the app normally runs: a rejection nobody handles is reported, not fatal. y-webrtc
// leaves some (it sends on a signaling socket that is reconnecting, e.g. after a missed heartbeat).
process.on('unhandledRejection', (reason) => console.error(`[mesh-peer ${process.pid}] unhandled rejection:`, reason))
reply({ type: 'ready' })
