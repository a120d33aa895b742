/**
 * Real peers of a board in one Node process, for the wire's contract tests: each a BoardConnection
 * on its own instance of y-webrtc (y-webrtc keeps its rooms and signaling connections in
 * module-level maps, one room per name: a second instance is the module loaded again under another
 * URL, sharing one Yjs and lib0), over @roamhq/wrtc, through the real signaling server started
 * in-process on 127.0.0.1. Everything made here is taken down by `closePeers()` and `stop()`.
 */
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import wrtc from '@roamhq/wrtc'
import { WebSocket } from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { loadConfig } from '../../signaling/src/config.js'
import { attachSignaling } from '../../signaling/src/signaling-server.js'
import { parseBoard } from '../../src/model/board-json'
import type { ShapeId } from '../../src/model/ids'
import { insertShapes } from '../../src/model/ops'
import { BoardConnection } from '../../src/net/board-connection'
import type { WrtcImplementation } from '../../src/net/chunked-channel'
import { whenRoom, type WebrtcProvider, type YWebrtc } from '../../src/wire/wire-internals'
import { generateBoard } from './boards'

export const BOARD_KEY = 'contract-test-key'

export interface SignalingHandle {
  readonly url: string
  stop(): Promise<void>
}

/** The signaling server as main.ts wires it, on a free port of 127.0.0.1, logging nothing. */
export async function startSignaling(): Promise<SignalingHandle> {
  // lib0's WebSocket client (y-webrtc's signaling) uses the global, which Node 20 lacks.
  const hadWebSocket = 'WebSocket' in globalThis
  if (!hadWebSocket) (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket
  const server = http.createServer()
  const signaling = attachSignaling(server, { ...loadConfig({}), logLevel: 'silent' })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}/signal`,
    async stop() {
      await signaling.close()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      if (!hadWebSocket) delete (globalThis as { WebSocket?: unknown }).WebSocket
    },
  }
}

/** Every RTCPeerConnection made, so that all are closed at the end (open ones keep native threads, and the test worker, alive). */
const connections: RTCPeerConnection[] = []
class TrackedPeerConnection extends wrtc.RTCPeerConnection {
  constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
    super(...args)
    connections.push(this)
  }
}
/** @roamhq/wrtc, every connection tracked. BoardConnection makes its data channels chunked. */
export const trackedWrtc: WrtcImplementation = {
  RTCPeerConnection: TrackedPeerConnection as unknown as typeof RTCPeerConnection,
  RTCSessionDescription: wrtc.RTCSessionDescription,
  RTCIceCandidate: wrtc.RTCIceCandidate,
}
/** The native data channel class: its prototype's `send` is what the chunked layer hands frames to. */
export const NativeDataChannel = wrtc.RTCDataChannel as unknown as { prototype: { send(this: RTCDataChannel, data: unknown): void } }

let instances = 0

/** A y-webrtc module of its own, whose providers are noted in `made`. */
async function yWebrtcInstance(): Promise<{ yWebrtc: YWebrtc; made: WebrtcProvider[] }> {
  const specifier = `y-webrtc?peer=${++instances}`
  const module = (await import(/* @vite-ignore */ specifier)) as YWebrtc
  const made: WebrtcProvider[] = []
  class NotedProvider extends module.WebrtcProvider {
    constructor(...args: ConstructorParameters<YWebrtc['WebrtcProvider']>) {
      super(...args)
      made.push(this)
    }
  }
  return { yWebrtc: { Room: module.Room, WebrtcProvider: NotedProvider }, made }
}

export interface WirePeer {
  readonly doc: Y.Doc
  readonly awareness: Awareness
  readonly connection: BoardConnection
  /** y-webrtc's provider under the connection. */
  readonly provider: WebrtcProvider
  /** Its y-webrtc peer id. */
  readonly id: string
}

const open: WirePeer[] = []

/** A peer on `topic`, whose document `prepare` fills before it connects; resolves once its room exists. */
export async function joinBoard(
  signalingUrl: string,
  topic: string,
  prepare?: (doc: Y.Doc) => void,
  onRefused?: (peerId: string, reason: string) => void,
): Promise<WirePeer> {
  const doc = new Y.Doc()
  prepare?.(doc)
  const awareness = new Awareness(doc)
  const { yWebrtc, made } = await yWebrtcInstance()
  const connection = new BoardConnection({
    doc,
    awareness,
    topic,
    key: BOARD_KEY,
    signalingUrl,
    rtc: { iceServers: [] },
    onChange: () => {},
    wrtc: trackedWrtc,
    yWebrtc,
    onRefused,
  })
  const peer = { doc, awareness, connection, provider: made[0]!, id: '' }
  open.push(peer)
  return Object.assign(peer, { id: await connection.whenPeerId })
}

/** Destroys this peer's connection (and, as y-webrtc does, its room once the key is there). */
export async function leaveBoard(peer: WirePeer): Promise<void> {
  const index = open.indexOf(peer)
  if (index >= 0) open.splice(index, 1)
  peer.connection.destroy()
  peer.awareness.destroy()
  await whenRoom(peer.provider)
  peer.doc.destroy()
}

/** Destroys every peer joined and closes every WebRTC connection made. */
export async function closePeers(): Promise<void> {
  const closing = open.splice(0)
  for (const peer of closing) {
    peer.connection.destroy()
    peer.awareness.destroy()
  }
  // y-webrtc destroys a room once its key is there.
  await Promise.all(closing.map((peer) => whenRoom(peer.provider)))
  for (const peer of closing) peer.doc.destroy()
  for (const pc of connections.splice(0)) pc.close()
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. Nothing here waits for time to pass. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Adds `strokes` generated strokes (100 points each) with ids `${prefix}-0`… in one transaction. */
export function addStrokes(doc: Y.Doc, prefix: string, strokes: number, seed: number): void {
  const { shapes } = parseBoard(generateBoard({ strokes, pointsPerStroke: 100, seed }))
  insertShapes(
    doc,
    shapes.map((shape, i) => ({ id: `${prefix}-${i}` as ShapeId, fields: shape.fields })),
  )
}

/** Whether `haystack` holds the bytes of `needle` (a string, as UTF-8) anywhere. */
export function holdsText(haystack: Uint8Array, needle: string): boolean {
  const bytes = new TextEncoder().encode(needle)
  outer: for (let i = 0; i + bytes.length <= haystack.length; i++) {
    for (let j = 0; j < bytes.length; j++) if (haystack[i + j] !== bytes[j]) continue outer
    return true
  }
  return false
}
