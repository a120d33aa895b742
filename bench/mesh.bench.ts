/**
 * How meshboard's WebRTC mesh scales with the number of peers in one board: for rooms of 2 to 40
 * peers (as far as the machine allows past 16), the time one edit takes to reach every peer, the data-channel bytes each peer sends per
 * edit, and how many connections each peer holds.
 *
 * Peers are separate processes on this machine, all joined to one board through the real signaling
 * server (support/server.ts): up to CHROMIUM_PEERS Chromium processes running the built app
 * (launchPeer), the rest Node processes running the app's own networking over @roamhq/wrtc
 * (bench/mesh-peer.ts). One room grows through the levels: peers join one at a time, then the
 * mesh settles, then each level's edits run one after another, each as soon as the previous one
 * has reached every peer.
 *
 * - An edit is one finished stroke written in one transaction by one peer (writers rotate over the
 *   room, Chromium and Node alike). Its latency runs from the writer's transaction to the moment the
 *   last peer's doc holds the stroke, both read as wall-clock time with sub-ms resolution
 *   (performance.timeOrigin + performance.now()) in the observer of the doc's shapes map.
 * - Bytes are what each peer hands to its data channels' native send(), frames of the chunked
 *   layer included, counted by message kind: the table's "update" columns are Yjs update messages
 *   only, "all" adds presence and anything else sent meanwhile. In Chromium the same count is
 *   checked against getStats' 'data-channel' bytesSent (in the JSON).
 * - y-webrtc stops answering announcements at `maxConns` connections (20 + random 0..14 per peer),
 *   so past about 21 peers the mesh is partial; every peer re-broadcasts each update it applies to
 *   all its connections, which is how edits still reach peers the writer has no connection to.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { messageYjsUpdate } from 'y-protocols/sync'
import { shapesOf } from '../src/model/board-doc'
import { newShapeId } from '../src/model/ids'
import { StrokeWriter } from '../src/model/stroke-writer'
import { zAbove } from '../src/model/z-order'
import { boardFragment, newBoardAddress, type BoardAddress } from '../src/net/board-address'
import { FRAME_WHOLE } from '../src/net/chunked-channel'
import { launchPeer } from '../support/browser'
import { startServer, type ServerHandle } from '../support/server'
import type { PeerReply, PeerRequest, PeerState, SendCounters, StrokeEdit } from './mesh-peer'
import type { BenchResult } from './bench-result'
import { median, round } from './stats'

const REPO = fileURLToPath(new URL('../', import.meta.url))
const PEER_SCRIPT = fileURLToPath(new URL('./mesh-peer.ts', import.meta.url))

/** Room sizes measured, in order: the room grows from one to the next. */
const LEVELS = [2, 4, 8, 16, 24, 32, 40] as const
/**
 * Sizes up to this one must work. Past it the room grows only as far as the machine allows: the
 * first size that cannot join and settle within GROWTH_BUDGET_MS is reported as such and ends the run.
 */
const REQUIRED_SIZE = 16
const GROWTH_BUDGET_MS = 120_000
/** Chromium processes (the first peers to join); Node peers make up the rest. */
const CHROMIUM_PEERS = 4
const EDITS_PER_LEVEL = 10
/** A quick pen mark: its Yjs update is about 300 bytes. */
const STROKE_POINTS = 40
/**
 * y-webrtc's smallest possible `maxConns`: a peer connects to announced newcomers while it has
 * fewer connections than that. Up to this many others, every peer is connected to every other.
 */
const MIN_MAX_CONNS = 20
/** Steps through the room so writers alternate between Chromium and Node peers; odd, so coprime with every level. */
const WRITER_STRIDE = 7
const TIMEOUT_MS = { ready: 60_000, join: 30_000, read: 30_000, edit: 20_000, leave: 10_000 }
const POLL_MS = 200
/**
 * In a partial mesh nothing says when y-webrtc is done connecting, so the mesh counts as settled
 * once no connection is being set up and no peer's connection count has changed for this long.
 */
const STABLE_MS = 1500

/** y-protocols message types on y-webrtc's channels (y-webrtc does not export them). */
const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const MESSAGE_QUERY_AWARENESS = 3

type Kind = 'chromium' | 'node'
type Traffic = 'update' | 'presence' | 'other'

interface MeshPeer {
  readonly name: string
  readonly kind: Kind
  join(): Promise<void>
  state(): Promise<PeerState>
  edit(edit: StrokeEdit): Promise<void>
  /** Resolves with the epoch time (ms) the shape arrived in this peer's doc. */
  arrival(id: string): Promise<number>
  /** What the peer sent so far; in Chromium also as getStats reports it, read just before. */
  traffic(): Promise<{ sent: SendCounters; statsBytesSent: number | null }>
  close(): Promise<void>
}

// ---------------------------------------------------------------------------------------------
// Chromium peers
// ---------------------------------------------------------------------------------------------

/**
 * The page's side of the bench, the same rules as mesh-peer.ts: counts what the chunked layer
 * hands to the native send() (it captures `send` from the prototype when a channel opens, after
 * this runs), records when shapes arrive, and writes edits. Plain JavaScript in a string, so no
 * transpiler helper can leak into the page (see TRACK_PEER_CONNECTIONS in support/browser.ts).
 * The stroke is written as ops.ts writes one, with Yjs's Y.Map taken from the doc (the bundle
 * exports nothing); the app's undo history does not see it, which changes nothing on the wire.
 */
const PAGE_INSTRUMENTATION = `(() => {
  if (window.__meshBench) return
  const sent = {}
  const send = RTCDataChannel.prototype.send
  RTCDataChannel.prototype.send = function (data) {
    send.call(this, data)
    const frame = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data)
    const key = Array.from(frame.subarray(0, 3)).join('.')
    const entry = sent[key] || (sent[key] = { bytes: 0, messages: 0 })
    entry.bytes += frame.byteLength
    entry.messages++
  }
  const arrivals = new Map()
  const waiting = new Map()
  const board = () => document.querySelector('mesh-board')
  window.__meshBench = {
    watch() {
      board().doc.getMap('shapes').observe((event) => {
        const at = performance.timeOrigin + performance.now()
        event.changes.keys.forEach((change, id) => {
          if (change.action !== 'add') return
          arrivals.set(id, at)
          const resolve = waiting.get(id)
          waiting.delete(id)
          if (resolve) resolve(at)
        })
      })
    },
    arrival(id) {
      return arrivals.has(id) ? arrivals.get(id) : new Promise((resolve) => waiting.set(id, resolve))
    },
    edit({ id, fields, points }) {
      const doc = board().doc
      const shapes = doc.getMap('shapes')
      const YMap = shapes.constructor
      doc.transact(() => {
        const shape = new YMap()
        for (const [name, value] of Object.entries(fields)) shape.set(name, value)
        shape.set('points', Uint8Array.from(points))
        shapes.set(id, shape)
      })
    },
    state() {
      const el = board()
      const self = el.awareness && el.awareness.getLocalState()
      const pending = (window.__meshTestConnections || []).filter((c) => c.connectionState === 'new' || c.connectionState === 'connecting')
      return {
        listening: el.status === 'connected' && !!self && self.peerId !== undefined,
        connected: el.peerCount,
        pending: pending.length,
        shapes: el.doc.getMap('shapes').size,
        sent,
      }
    },
  }
})()`

interface BenchPage {
  __meshBench: {
    watch(): void
    arrival(id: string): Promise<number>
    edit(edit: StrokeEdit): void
    state(): PeerState
  }
}

async function chromiumPeer(name: string, boardUrl: string): Promise<MeshPeer> {
  // Each wait inside is bounded by support/browser.ts (WAIT_MS).
  const peer = await launchPeer({ name })
  try {
    await peer.context.addInitScript({ content: PAGE_INSTRUMENTATION })
  } catch (error) {
    await peer.close()
    throw error
  }
  const { page } = peer
  // Functions passed to evaluate run in the page: they can name nothing of this module.
  const state = () => page.evaluate(() => (window as unknown as BenchPage).__meshBench.state())
  return {
    name,
    kind: 'chromium',
    async join() {
      await peer.open(boardUrl)
      await page.evaluate(() => (window as unknown as BenchPage).__meshBench.watch())
    },
    state,
    edit: (edit) => page.evaluate((e) => (window as unknown as BenchPage).__meshBench.edit(e), edit),
    arrival: (id) => page.evaluate((shape) => (window as unknown as BenchPage).__meshBench.arrival(shape), id),
    async traffic() {
      const { bytesSent } = await peer.dataChannelStats()
      return { sent: (await state()).sent, statsBytesSent: bytesSent }
    },
    close: () => peer.close(),
  }
}

// ---------------------------------------------------------------------------------------------
// Node peers: one process each (bench/mesh-peer.ts), driven over IPC
// ---------------------------------------------------------------------------------------------

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never
type Request = WithoutSeq<PeerRequest>

class NodePeerProcess {
  private seq = 0
  private readonly replies = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  private exitError: Error | null = null

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: PeerReply) => {
      if (!('seq' in reply)) return
      const waiter = this.replies.get(reply.seq)
      this.replies.delete(reply.seq)
      if (reply.ok) waiter?.resolve(reply.value)
      else waiter?.reject(new Error(`${name}: ${reply.error}`))
    })
    child.once('exit', (code, signal) => {
      this.exitError = new Error(`${name} exited (${signal ?? `code ${code}`})`)
      for (const waiter of this.replies.values()) waiter.reject(this.exitError)
      this.replies.clear()
    })
  }

  /** Forks the peer's process and waits until it listens for requests (IPC before that would be lost). */
  static async start(name: string, deadline: number): Promise<NodePeerProcess> {
    const child = fork(PEER_SCRIPT, [], { execArgv: ['--import', 'tsx'], cwd: REPO, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const peer = new NodePeerProcess(name, child)
    const ready = new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve())
      child.once('exit', (code, signal) => reject(new Error(`${name} exited before it was ready (${signal ?? `code ${code}`})`)))
    })
    try {
      await withTimeout(`${name} to start`, Math.min(TIMEOUT_MS.ready, deadline - performance.now()), ready)
    } catch (error) {
      await peer.stop()
      throw error
    }
    return peer
  }

  request<T>(request: Request): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError)
    const seq = ++this.seq
    return new Promise<T>((resolve, reject) => {
      this.replies.set(seq, { resolve: resolve as (value: unknown) => void, reject })
      this.child.send({ ...request, seq })
    })
  }

  /** Asks the peer to leave the board and exit; kills it if it has not within a few seconds. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = once(this.child, 'exit')
    if (this.child.connected) void this.request({ type: 'leave' }).catch(() => {})
    const timer = setTimeout(() => this.child.kill('SIGKILL'), TIMEOUT_MS.leave)
    await exited
    clearTimeout(timer)
  }
}

function nodePeer(child: NodePeerProcess, server: ServerHandle, address: BoardAddress): MeshPeer {
  const signalingUrl = `${server.url.replace(/^http/, 'ws')}signal`
  return {
    name: child.name,
    kind: 'node',
    join: () => child.request({ type: 'join', signalingUrl, board: address.board, key: address.key }),
    state: () => child.request({ type: 'state' }),
    edit: (edit) => child.request({ type: 'edit', edit }),
    arrival: (id) => child.request({ type: 'arrival', id }),
    traffic: async () => ({ sent: (await child.request<PeerState>({ type: 'state' })).sent, statsBytesSent: null }),
    close: () => child.stop(),
  }
}

// ---------------------------------------------------------------------------------------------
// Waiting
// ---------------------------------------------------------------------------------------------

async function withTimeout<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`mesh: timed out after ${Math.round(ms / 1000)} s waiting for ${what}`)), Math.max(0, ms))
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Reads `read()` every POLL_MS until `done` holds, giving up at `deadline` (performance.now() time)
 * even if a read hangs (a peer starved of CPU); the error then shows the last value read.
 */
async function until<T>(what: string, deadline: number, read: () => Promise<T>, done: (value: T) => boolean, show: (value: T) => string): Promise<T> {
  const start = performance.now()
  for (;;) {
    const value = await withTimeout(what, deadline - performance.now(), read())
    if (done(value)) return value
    if (performance.now() > deadline) throw new Error(`mesh: timed out after ${Math.round((deadline - start) / 1000)} s waiting for ${what}; last seen: ${show(value)}`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

const showStates = (peers: readonly MeshPeer[], states: readonly PeerState[]) =>
  states.map((s, i) => `${peers[i]!.name}: ${s.connected} connected, ${s.pending} pending, ${s.shapes} shapes${s.listening ? '' : ', not listening'}`).join('; ')

// ---------------------------------------------------------------------------------------------
// The room
// ---------------------------------------------------------------------------------------------

/** The stroke every edit writes (under a new id and z), as StrokeWriter leaves a finished one. */
function sampleStroke(): { fields: Record<string, string | number | boolean>; points: number[]; updateBytes: number } {
  const doc = new Y.Doc()
  let updateBytes = 0
  const writer = new StrokeWriter(doc, 200, 200, null, { color: '#1e1e1e', strokeWidth: 4, opacity: 1 })
  for (let i = 1; i < STROKE_POINTS; i++) writer.add(200 + i * 3, 200 + Math.sin(i / 4) * 20, null)
  writer.finish()
  const fields: Record<string, string | number | boolean> = {}
  let points: number[] = []
  ;(shapesOf(doc).get(writer.id) as Y.Map<unknown>).forEach((value, name) => {
    if (name === 'points') points = Array.from(value as Uint8Array)
    else if (name !== 'z') fields[name] = value as string | number | boolean
  })
  // What one edit's Yjs update weighs, written into a board the way the peers write it.
  const board = new Y.Doc()
  board.on('update', (update: Uint8Array) => (updateBytes = update.byteLength))
  board.transact(() => {
    const shape = new Y.Map<unknown>()
    for (const [name, value] of Object.entries({ ...fields, z: zAbove(null) })) shape.set(name, value)
    shape.set('points', Uint8Array.from(points))
    shapesOf(board).set(newShapeId(), shape)
  })
  return { fields, points, updateBytes }
}

/** Which kind of traffic a frame is, from its first bytes (see `sendKey` in mesh-peer.ts). */
function traffic(key: string): Traffic {
  const [header, message, step] = key.split('.').map(Number)
  if (header !== FRAME_WHOLE) return 'other' // a chunk of a big message: a joiner's whole board
  if (message === MESSAGE_SYNC && step === messageYjsUpdate) return 'update'
  if (message === MESSAGE_AWARENESS || message === MESSAGE_QUERY_AWARENESS) return 'presence'
  return 'other'
}

type TrafficTotals = Record<Traffic, { bytes: number; messages: number }>

function totals(sent: SendCounters): TrafficTotals {
  const sum: TrafficTotals = { update: { bytes: 0, messages: 0 }, presence: { bytes: 0, messages: 0 }, other: { bytes: 0, messages: 0 } }
  for (const [key, { bytes, messages }] of Object.entries(sent)) {
    sum[traffic(key)].bytes += bytes
    sum[traffic(key)].messages += messages
  }
  return sum
}

function difference(after: TrafficTotals, before: TrafficTotals): TrafficTotals {
  const diff = (kind: Traffic) => ({ bytes: after[kind].bytes - before[kind].bytes, messages: after[kind].messages - before[kind].messages })
  return { update: diff('update'), presence: diff('presence'), other: diff('other') }
}


interface EditResult {
  readonly writer: string
  readonly writerKind: Kind
  readonly writerConnections: number
  /** Per peer, ms from the writer's transaction to the shape in that peer's doc (the writer's is 0). */
  readonly arrivalsMs: Record<string, number>
  readonly toAllMs: number
}

class Room {
  readonly peers: MeshPeer[] = []
  private joined = 0
  private z: string | null = null
  private shapes = 0

  constructor(
    private readonly server: ServerHandle,
    private readonly address: BoardAddress,
    private readonly stroke: ReturnType<typeof sampleStroke>,
  ) {}

  /** Adds peers up to `size`, one join at a time, then waits for the mesh to settle, all before `deadline`. */
  async grow(size: number, deadline: number): Promise<{ joinMs: number; settleMs: number }> {
    const start = performance.now()
    const boardUrl = `${this.server.url}${boardFragment(this.address)}`
    const chromium = Math.max(0, Math.min(size, CHROMIUM_PEERS) - this.peers.length)
    // Processes start in parallel (most of their cost); joining is one at a time, because y-webrtc
    // mishandles peers that announce themselves simultaneously (glare: offers rejected on both
    // sides, connections left waiting for an offer that never comes).
    const started = await Promise.allSettled([
      ...Array.from({ length: chromium }, (_, i) => chromiumPeer(`chromium-${this.peers.length + i + 1}`, boardUrl)),
      ...Array.from({ length: size - this.peers.length - chromium }, (_, i) =>
        NodePeerProcess.start(`node-${this.peers.length + chromium + i + 1}`, deadline).then((child) => nodePeer(child, this.server, this.address)),
      ),
    ])
    const newcomers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
    // Those that did start are the room's now, so close() stops them whatever happens next.
    this.peers.push(...newcomers)
    const failed = started.find((result) => result.status === 'rejected')
    if (failed) throw failed.reason
    for (const peer of newcomers) await this.join(peer, deadline)
    const joined = performance.now()
    await this.settle(deadline)
    return { joinMs: joined - start, settleMs: performance.now() - joined }
  }

  /** Joins and waits until the newcomer hears announcements and holds a connection (if anyone else is here). */
  private async join(peer: MeshPeer, deadline: number): Promise<void> {
    const others = this.joined++
    const joinDeadline = Math.min(performance.now() + TIMEOUT_MS.join, deadline)
    await withTimeout(`${peer.name} to open the board`, joinDeadline - performance.now(), peer.join())
    await until(
      `${peer.name} to join`,
      joinDeadline,
      () => peer.state(),
      (s) => s.listening && (others === 0 || s.connected > 0),
      (s) => showStates([peer], [s]),
    )
  }

  /** No connection being set up, every doc complete, every count final (see MIN_MAX_CONNS, STABLE_MS). */
  private async settle(deadline: number): Promise<void> {
    const n = this.peers.length
    let signature = ''
    let since = performance.now()
    await until(
      `${n} peers to settle`,
      deadline,
      () => this.states(),
      (states) => {
        const now = states.map((s) => s.connected).join()
        if (now !== signature) [signature, since] = [now, performance.now()]
        const connected = (s: PeerState) => (n - 1 <= MIN_MAX_CONNS ? s.connected === n - 1 : s.connected > 0)
        const ready = states.every((s) => s.listening && s.pending === 0 && s.shapes === this.shapes && connected(s))
        return ready && performance.now() - since >= STABLE_MS
      },
      (states) => showStates(this.peers, states),
    )
  }

  states(): Promise<PeerState[]> {
    return withTimeout('every peer to report its state', TIMEOUT_MS.read, Promise.all(this.peers.map((peer) => peer.state())))
  }

  traffic(): Promise<Awaited<ReturnType<MeshPeer['traffic']>>[]> {
    return withTimeout('every peer to report its traffic', TIMEOUT_MS.read, Promise.all(this.peers.map((peer) => peer.traffic())))
  }

  /** One edit by `writer`, waited for in every peer's doc. */
  async edit(writer: MeshPeer, writerConnections: number): Promise<EditResult> {
    this.z = zAbove(this.z)
    const edit: StrokeEdit = { id: newShapeId(), fields: { ...this.stroke.fields, z: this.z }, points: this.stroke.points }
    const arrived = new Map<MeshPeer, number>()
    // Asked before the edit is made; a peer answers at once if the shape is already there.
    const arrivals = this.peers.map((peer) => peer.arrival(edit.id).then((at) => void arrived.set(peer, at)))
    this.shapes++
    const missing = () => this.peers.filter((peer) => !arrived.has(peer)).map((peer) => peer.name)
    await withTimeout(`edit ${edit.id} by ${writer.name} to reach every peer`, TIMEOUT_MS.edit, Promise.all([writer.edit(edit), ...arrivals])).catch(
      (error: Error) => {
        throw new Error(`${error.message}; missing in ${missing().join(', ')}`)
      },
    )
    const start = arrived.get(writer)!
    const arrivalsMs = Object.fromEntries(this.peers.map((peer) => [peer.name, round(arrived.get(peer)! - start, 3)]))
    return {
      writer: writer.name,
      writerKind: writer.kind,
      writerConnections,
      arrivalsMs,
      toAllMs: Math.max(...Object.values(arrivalsMs)),
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.peers.map((peer) => peer.close()))
  }
}

// ---------------------------------------------------------------------------------------------
// One level: the room at `size` peers
// ---------------------------------------------------------------------------------------------

/** The level's edits, on the settled room, and what they cost. */
async function measureEdits(room: Room, size: number, { joinMs, settleMs }: { joinMs: number; settleMs: number }): Promise<Level> {
  const { peers } = room
  const connections = (await room.states()).map((s) => s.connected)
  const before = await room.traffic()
  const edits: EditResult[] = []
  for (let i = 0; i < EDITS_PER_LEVEL; i++) {
    const index = (i * WRITER_STRIDE) % size
    edits.push(await room.edit(peers[index]!, connections[index]!))
  }
  const after = await room.traffic()

  const sent = peers.map((_, i) => difference(totals(after[i]!.sent), totals(before[i]!.sent)))
  const sum = (kind: Traffic, field: 'bytes' | 'messages', only?: Kind) =>
    sent.reduce((total, s, i) => total + (only && peers[i]!.kind !== only ? 0 : s[kind][field]), 0)
  const perPeerEdit = (value: number) => value / (size * EDITS_PER_LEVEL)
  const allBytes = sum('update', 'bytes') + sum('presence', 'bytes') + sum('other', 'bytes')
  const toAll = edits.map((edit) => edit.toAllMs).sort((a, b) => a - b)
  const chromiumStats = after.reduce((total, { statsBytesSent }, i) => total + (statsBytesSent ?? 0) - (before[i]!.statsBytesSent ?? 0), 0)
  const chromiumCounted = (['update', 'presence', 'other'] as const).reduce((total, kind) => total + sum(kind, 'bytes', 'chromium'), 0)

  console.log(`mesh: ${size} peers joined in ${(joinMs / 1000).toFixed(1)} s, settled in ${(settleMs / 1000).toFixed(1)} s, edits done`)
  return {
    row: {
      peers: size,
      chromium: peers.filter((peer) => peer.kind === 'chromium').length,
      node: peers.filter((peer) => peer.kind === 'node').length,
      'conns/peer min': Math.min(...connections),
      'conns/peer max': Math.max(...connections),
      mesh: connections.every((count) => count === size - 1) ? 'full' : 'partial',
      // Peers that had no connection to the edit's writer, and still got the edit (every edit reached all).
      'reached via relay (max)': Math.max(...edits.map((edit) => size - 1 - edit.writerConnections)),
      'edit→all p50 (ms)': round(median(toAll), 1),
      'edit→all max (ms)': round(toAll[toAll.length - 1]!, 1),
      'update B/peer/edit': Math.round(perPeerEdit(sum('update', 'bytes'))),
      'update sends/peer/edit': round(perPeerEdit(sum('update', 'messages')), 2),
      'all B/peer/edit': Math.round(perPeerEdit(allBytes)),
    },
    figures: {
      size,
      joinMs: Math.round(joinMs),
      settleMs: Math.round(settleMs),
      connections: Object.fromEntries(peers.map((peer, i) => [peer.name, connections[i]])),
      edits,
      bytesSent: { update: sum('update', 'bytes'), presence: sum('presence', 'bytes'), other: sum('other', 'bytes') },
      messagesSent: { update: sum('update', 'messages'), presence: sum('presence', 'messages'), other: sum('other', 'messages') },
      // The two are read one page round trip apart: presence sent in between makes them differ slightly.
      chromiumCrossCheck: { countedBytes: chromiumCounted, getStatsBytesSent: chromiumStats },
    },
  }
}

type Level = { row: Record<string, string | number>; figures: Record<string, unknown> }

/** The signaling server's dropped frames and connections so far, by reason (its /metrics): did a limit bite? */
async function signalingDrops(server: ServerHandle): Promise<Map<string, number>> {
  const text = await (await fetch(`${server.url}metrics`)).text()
  const drops = new Map<string, number>()
  for (const [, reason, count] of text.matchAll(/^meshboard_drops_total\{reason="([^"]+)"\} (\d+)/gm)) drops.set(reason!, Number(count))
  return drops
}

/**
 * The room grown to `size` and measured, or, past REQUIRED_SIZE, why it could not grow that far.
 * Edits that fail to reach every peer always fail the benchmark: that would be a broken mesh.
 */
async function level(room: Room, server: ServerHandle, size: number): Promise<Level & { reached: boolean }> {
  const dropsBefore = await signalingDrops(server)
  const dropsSince = async () =>
    Object.fromEntries([...(await signalingDrops(server))].map(([reason, count]) => [reason, count - (dropsBefore.get(reason) ?? 0)]).filter(([, count]) => count !== 0))
  let growth: Awaited<ReturnType<Room['grow']>>
  try {
    growth = await room.grow(size, performance.now() + GROWTH_BUDGET_MS)
  } catch (error) {
    if (size <= REQUIRED_SIZE) throw error
    const reason = (error as Error).message
    console.log(`mesh: stopped growing at ${size} peers: ${reason.slice(0, 300)}`)
    return {
      reached: false,
      row: { peers: size, mesh: `not reached in ${GROWTH_BUDGET_MS / 1000} s` },
      figures: { size, notReached: reason, signalingDrops: await dropsSince() },
    }
  }
  const { row, figures } = await measureEdits(room, size, growth)
  return { reached: true, row, figures: { ...figures, signalingDrops: await dropsSince() } }
}

export async function run(): Promise<BenchResult> {
  const stroke = sampleStroke()
  const server = await startServer()
  const room = new Room(server, newBoardAddress(), stroke)
  const levels: Level[] = []
  try {
    for (const size of LEVELS) {
      const result = await level(room, server, size)
      levels.push(result)
      if (!result.reached) break
    }
    return {
      rows: levels.map((l) => l.row),
      figures: {
        setup: { LEVELS, CHROMIUM_PEERS, EDITS_PER_LEVEL, STROKE_POINTS, WRITER_STRIDE, STABLE_MS, GROWTH_BUDGET_MS },
        editUpdateBytes: stroke.updateBytes,
        levels: levels.map((l) => l.figures),
      },
    }
  } finally {
    await room.close()
    await server.stop()
  }
}
