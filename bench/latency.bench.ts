/**
 * Stroke latency between two users: a stroke drawn with the real mouse on browser A, time from A's
 * pointer event to the frame in which browser B draws that point. Two SEPARATE Chromium processes,
 * the real server. Every point of a few paced strokes is matched between A and B and timed on the
 * wall clock both processes share (see bench/latency-probes.ts); a warm-up stroke is drawn first
 * and not counted.
 *
 * Two paths, in the same run (absolute times drift on a shared machine, a ratio does not): direct,
 * over loopback; and through TURN, with A and B on two LANs behind NATs and the server and coturn
 * on the public segment, the network namespaces of the NAT tests (support/netns.ts, DESIGN.md
 * §13). That needs root, ip, iptables and coturn: without them the run says why and reports direct.
 *
 * The total is broken down along the way the point travels: A's pen writes it into the document
 * (batched once per animation frame, DESIGN.md §3: up to a frame by design), y-webrtc carries the
 * update to B, and B's next frame applies it and paints the canvas in one pass (§4).
 * Target (issue): p95 ≤ 50 ms from A's event to B's frame.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Page } from 'playwright-core'
import { POINT_PRECISION } from '../src/model/point-codec'
import { wave } from '../support/boards'
import { launchPeer, WAIT_MS, type Peer, type PeerOptions, type Point } from '../support/browser'
import { startCoturn } from '../support/coturn'
import { createNatNetwork, netnsUnavailable, WAN_IP } from '../support/netns'
import { startServer } from '../support/server'
import { selectedCandidates, throughRelay } from '../support/webrtc-path'
import { CLOCK_OFFSET, DRAWING_PROBE, WATCHING_PROBE } from './latency-probes'
import type { BenchResult } from './bench-result'
import { percentile, round } from './stats'

/** A real mouse reports at about 120 Hz: one move per 8 ms, paced like a hand. */
const MOVE_INTERVAL_MS = 8
/** x advances 2 px per move, so every point of a stroke is distinct and can be matched. */
const STEP_PX = 2
const WARM_UP_POINTS = 60
const STROKES = 4
const POINTS_PER_STROKE = 100
const TARGET_P95_MS = 50
/** Inside the namespaces nothing else listens: fixed ports, as in test/e2e/nat.test.ts. */
const TURN_PORT = 3478
const SERVER_PORT = 8787
const TURN_SECRET = 'latency-bench-static-auth-secret'

/** One point's path from A's pointer event to B's canvas, epoch milliseconds on the system clock. */
interface PointTimes {
  readonly event: number
  readonly written: number
  readonly received: number
  readonly drawn: number
}

interface StrokeRecord {
  readonly points: PointTimes[]
  /** Time of each pointer sample A received, in order. */
  readonly eventTimes: number[]
}

type Sample = [x: number, y: number, time: number]
type Arrival = [x: number, y: number, received: number, drawn: number]
type Origin = { left: number; top: number }
/** Each page's epoch clock minus the system clock, subtracted from every time it reports. */
type ClockOffsets = { a: number; b: number }
/** The offsets, and how far they moved between the start and the end of the measurement. */
type CheckedClocks = ClockOffsets & { drift: number }
/** Past this, the pages' clocks cannot be compared to the precision reported. */
const MAX_CLOCK_DRIFT_MS = 1

const SEGMENTS: { name: string; of: (p: PointTimes) => number }[] = [
  { name: "A's pointer event → B's canvas draw", of: (p) => p.drawn - p.event },
  { name: "A: pointer event → A's doc write", of: (p) => p.written - p.event },
  { name: "A's doc write → B's doc applied (network)", of: (p) => p.received - p.written },
  { name: 'B: doc applied → canvas draw', of: (p) => p.drawn - p.received },
]

/** Stacked waves right of the style panel, between the top and bottom toolbars (1000×700 viewport). */
function strokePaths(): { warmUp: Point[]; measured: Point[][] } {
  const path = (y: number, points: number) => wave(260, y, STEP_PX * (points - 1), 40, STEP_PX)
  return {
    warmUp: path(140, WARM_UP_POINTS),
    measured: Array.from({ length: STROKES }, (_, i) => path(240 + i * 100, POINTS_PER_STROKE)),
  }
}

/**
 * Presses, moves through `path` one move per MOVE_INTERVAL_MS, releases. Each `mouse.move` resolves
 * only once the page has handled the event, which Chromium does once per frame: awaiting each
 * would cap the mouse at the frame rate. So moves are sent on the hand's schedule and awaited
 * together; Playwright sends them in call order (checked: A receives the points in path order).
 * A move sent late (this process was not scheduled) delays the next ones instead of being
 * followed by a burst, as a hand does not speed up to catch up.
 */
async function drawPaced(page: Page, path: readonly Point[]): Promise<void> {
  const [first, ...rest] = path
  await page.mouse.move(first![0], first![1])
  await page.mouse.down()
  let sent = performance.now()
  const moves: Promise<void>[] = []
  for (const [x, y] of rest) {
    const ahead = sent + MOVE_INTERVAL_MS - performance.now()
    if (ahead > 0) await sleep(ahead)
    sent = performance.now()
    // Failures are kept for the awaiting below: left unhandled meanwhile, one would end the process.
    const move = page.mouse.move(x, y)
    move.catch(() => {})
    moves.push(move)
  }
  await Promise.all(moves)
  await page.mouse.up()
}

/** Where A's drawing surface sits in its viewport: board coordinates plus this are client coordinates. */
function surfaceOrigin(page: Page): Promise<Origin> {
  return page.evaluate(() => {
    const { left, top } = document.querySelector('mesh-board')!.shadowRoot!.querySelector('.canvas')!.getBoundingClientRect()
    return { left, top }
  })
}

/** Draws one stroke on A, waits until B has drawn all of it, and matches its points. */
async function measureStroke(a: Peer, b: Peer, path: readonly Point[], origin: Origin, clocks: ClockOffsets): Promise<StrokeRecord> {
  await drawPaced(a.page, path)
  const last = path[path.length - 1]!
  // A's pen writes the last batch of points at its next frame.
  const counts = () => a.page.evaluate(() => (window as unknown as ProbeWindow<DrawingProbe>).__latencyProbe.counts())
  await waitFor(a, `its last sample at ${last} and as many points written as sampled`, counts, () =>
    a.page.waitForFunction(
      ([x, y]) => {
        const [samples, writes, lastSample] = (window as unknown as ProbeWindow<DrawingProbe>).__latencyProbe.counts()
        return samples === writes && lastSample?.[0] === x && lastSample[1] === y
      },
      last,
      { timeout: WAIT_MS },
    ),
  )
  const { samples, writes } = await a.page.evaluate(() => (window as unknown as ProbeWindow<DrawingProbe>).__latencyProbe.take())
  expectPath(samples, path)
  const drawn = () => b.page.evaluate(() => (window as unknown as ProbeWindow<WatchingProbe>).__latencyProbe.drawnCount())
  await waitFor(b, `${samples.length} points drawn`, drawn, () =>
    b.page.waitForFunction((n) => (window as unknown as ProbeWindow<WatchingProbe>).__latencyProbe.drawnCount() >= n, samples.length, { timeout: WAIT_MS }),
  )
  const arrivals = await b.page.evaluate(() => (window as unknown as ProbeWindow<WatchingProbe>).__latencyProbe.take())
  return {
    points: matchPoints(samples, writes, arrivals, origin, clocks),
    eventTimes: samples.map(([, , time]) => time - clocks.a),
  }
}

/** What the probes of bench/latency-probes.ts expose to the benchmark. */
interface DrawingProbe {
  counts(): [samples: number, writes: number, last: Sample | undefined]
  take(): { samples: Sample[]; writes: Sample[] }
}
interface WatchingProbe {
  drawnCount(): number
  take(): Arrival[]
}
type ProbeWindow<Probe> = { __latencyProbe: Probe }

/** A must have received exactly the points moved through, in order, each once. */
function expectPath(samples: Sample[], path: readonly Point[]): void {
  const received = samples.map(([x, y]) => `${x},${y}`).join(' ')
  const moved = path.map(([x, y]) => `${x},${y}`).join(' ')
  if (received !== moved) throw new Error(`A's pointer samples are not the path moved through:\n  moved:    ${moved}\n  received: ${received}`)
}

/**
 * Pairs every pointer sample of A with the same point in A's document and on B, by client
 * coordinates on the document's point grid; fails unless the three sets are exactly the same points.
 */
function matchPoints(samples: Sample[], writes: Sample[], arrivals: Arrival[], origin: Origin, clocks: ClockOffsets): PointTimes[] {
  const key = (clientX: number, clientY: number) => `${Math.round(clientX * POINT_PRECISION)},${Math.round(clientY * POINT_PRECISION)}`
  const fromBoard = (x: number, y: number) => key(x + origin.left, y + origin.top)
  const written = indexOnce('A document', writes, ([x, y]) => fromBoard(x, y))
  const arrived = indexOnce('B', arrivals, ([x, y]) => fromBoard(x, y))
  const events = indexOnce('A pointer samples', samples, ([x, y]) => key(x, y))
  const unmatched = [...events.keys()].filter((k) => !written.has(k) || !arrived.has(k))
  if (unmatched.length > 0 || written.size !== events.size || arrived.size !== events.size) {
    throw new Error(
      `points do not match: ${events.size} pointer samples on A, ${written.size} points in A's document, ${arrivals.length} drawn on B; ` +
        `unmatched (client x,y ×${POINT_PRECISION}): ${unmatched.slice(0, 10).join(' ')}`,
    )
  }
  return [...events].map(([k, [, , event]]) => {
    const [, , received, drawn] = arrived.get(k)!
    return {
      event: event - clocks.a,
      written: written.get(k)![2] - clocks.a,
      received: received - clocks.b,
      drawn: drawn - clocks.b,
    }
  })
}

function indexOnce<T>(what: string, items: T[], keyOf: (item: T) => string): Map<string, T> {
  const index = new Map<string, T>()
  for (const item of items) {
    const k = keyOf(item)
    if (index.has(k)) throw new Error(`${what}: point ${k} (client x,y ×${POINT_PRECISION}) appears twice`)
    index.set(k, item)
  }
  return index
}

/** Runs a wait; on timeout, fails with what the probe had at that moment (`state`). */
async function waitFor(peer: Peer, what: string, state: () => Promise<unknown>, run: () => Promise<unknown>): Promise<void> {
  try {
    await run()
  } catch (error) {
    const had = JSON.stringify(await state())
    throw new Error(`${peer.name}: timed out waiting for ${what} (probe: ${had}): ${(error as Error).message.split('\n')[0]}`)
  }
}

function summary(values: number[]): { p50: number; p95: number; p99: number; max: number } {
  return { p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), p99: round(percentile(values, 99)), max: round(Math.max(...values)) }
}

/** Intervals between consecutive pointer samples within each stroke: the real event rate. */
function eventIntervals(strokes: StrokeRecord[]): number[] {
  return strokes.flatMap(({ eventTimes }) => eventTimes.slice(1).map((time, i) => time - eventTimes[i]!))
}

/** One path's measurement. */
interface Measured {
  readonly strokes: StrokeRecord[]
  readonly clocks: CheckedClocks
}

/** The figures of one path, kept in the JSON. */
function figuresOf({ strokes, clocks }: Measured) {
  const points = strokes.flatMap((stroke) => stroke.points)
  const segments = SEGMENTS.map(({ name, of }) => ({ name, ...summary(points.map(of)) }))
  const intervals = eventIntervals(strokes)
  const meanInterval = intervals.reduce((sum, value) => sum + value, 0) / intervals.length
  return {
    strokes: strokes.length,
    points: points.length,
    eventRateHz: Math.round(1000 / meanInterval),
    eventIntervals: { count: intervals.length, ...summary(intervals) },
    clockOffsetsMs: clocks,
    targetMet: segments[0]!.p95 <= TARGET_P95_MS,
    segments,
  }
}

type PathFigures = ReturnType<typeof figuresOf>

/** TURN's figure over direct's, "1.08×"; a dash where direct's is 0. */
const ratio = (turn: number, direct: number): string => (direct > 0 ? `${(turn / direct).toFixed(2)}×` : '—')

/** The two paths side by side: one row per segment, with TURN's p50 and p95 over direct's. */
function report(direct: PathFigures, turn: PathFigures | string, wallMs: number): BenchResult {
  const overTurn = typeof turn === 'string' ? null : turn
  const met = (figures: PathFigures) => (figures.targetMet ? 'met' : 'MISSED')
  const rows: Record<string, string | number>[] = direct.segments.map((segment, i) => {
    const relayed = overTurn?.segments[i]
    return {
      measure: segment.name,
      'direct p50': segment.p50,
      'direct p95': segment.p95,
      'direct p99': segment.p99,
      'TURN p50': relayed?.p50 ?? '—',
      'TURN p95': relayed?.p95 ?? '—',
      'TURN p99': relayed?.p99 ?? '—',
      'p50 TURN/direct': relayed ? ratio(relayed.p50, segment.p50) : '—',
      'p95 TURN/direct': relayed ? ratio(relayed.p95, segment.p95) : '—',
      note: i === 0 ? `ms; target p95 ≤ ${TARGET_P95_MS}: ${met(direct)} direct${overTurn ? `, ${met(overTurn)} over TURN` : ''}` : '',
    }
  })
  const intervals = (figures: PathFigures) => figures.eventIntervals
  rows.push({
    measure: "A's pointer sample interval",
    'direct p50': intervals(direct).p50,
    'direct p95': intervals(direct).p95,
    'direct p99': intervals(direct).p99,
    'TURN p50': overTurn ? intervals(overTurn).p50 : '—',
    'TURN p95': overTurn ? intervals(overTurn).p95 : '—',
    'TURN p99': overTurn ? intervals(overTurn).p99 : '—',
    'p50 TURN/direct': '',
    'p95 TURN/direct': '',
    note: `${direct.eventRateHz} Hz${overTurn ? ` / ${overTurn.eventRateHz} Hz` : ''} (paced at one move per ${MOVE_INTERVAL_MS} ms)`,
  })
  if (!overTurn) rows.push({ measure: 'over TURN behind two NATs', note: `not measured: ${turn as string}` })
  return {
    rows,
    figures: {
      moveIntervalMs: MOVE_INTERVAL_MS,
      targetP95Ms: TARGET_P95_MS,
      direct,
      turn: overTurn ?? { notMeasured: turn },
      wallMs: Math.round(wallMs),
    },
  }
}

/** Launches both browsers; whichever started is closed again if the other fails. */
async function launchBoth(options: [PeerOptions, PeerOptions]): Promise<[Peer, Peer]> {
  const launched = await Promise.allSettled(options.map((peer) => launchPeer(peer)))
  const peers = launched.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  if (peers.length === 2) return [peers[0]!, peers[1]!]
  await Promise.allSettled(peers.map((peer) => peer.close()))
  throw launched.find((result) => result.status === 'rejected')!.reason
}

/** Measures A's strokes on B over the one connection between them, which goes through TURN or not as `relayed` says. */
async function measure(a: Peer, b: Peer, serverUrl: string, relayed: boolean): Promise<Measured> {
  const url = await a.createBoard(serverUrl)
  await b.open(url)
  await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
  await expectConnection(a, relayed)
  await Promise.all([a.page.evaluate(DRAWING_PROBE), b.page.evaluate(WATCHING_PROBE)])
  const clocks = await clockOffsets(a, b)
  const origin = await surfaceOrigin(a.page)
  const { warmUp, measured } = strokePaths()
  await measureStroke(a, b, warmUp, origin, clocks)
  const strokes: StrokeRecord[] = []
  for (const path of measured) strokes.push(await measureStroke(a, b, path, origin, clocks))
  for (const peer of [a, b]) if (peer.pageErrors.length > 0) throw new Error(`page errors in ${peer.name}:\n${peer.pageErrors.join('\n')}`)
  // A document's offset is fixed when it loads: finding it again now says it was measured right.
  await expectConnection(a, relayed)
  const after = await clockOffsets(a, b)
  const drift = Math.max(Math.abs(after.a - clocks.a), Math.abs(after.b - clocks.b))
  if (drift > MAX_CLOCK_DRIFT_MS) {
    throw new Error(`the pages' clock offsets moved by ${drift} ms during the run (before ${JSON.stringify(clocks)}, after ${JSON.stringify(after)})`)
  }
  return { strokes, clocks: { ...clocks, drift } }
}

/** The strokes must have gone over one WebRTC connection, through a relay candidate exactly when `relayed`. */
async function expectConnection(a: Peer, relayed: boolean): Promise<void> {
  const pairs = await selectedCandidates(a)
  if (pairs.length !== 1 || throughRelay(pairs[0]!) !== relayed) {
    throw new Error(`A's connections should be one ${relayed ? 'through' : 'not through'} TURN, they are ${JSON.stringify(pairs)}`)
  }
}

async function clockOffsets(a: Peer, b: Peer): Promise<ClockOffsets> {
  const [offsetA, offsetB] = await Promise.all([a.page.evaluate(CLOCK_OFFSET), b.page.evaluate(CLOCK_OFFSET)])
  return { a: offsetA as number, b: offsetB as number }
}

async function overLoopback(): Promise<Measured> {
  const server = await startServer()
  try {
    return await measureWith([{ name: 'A' }, { name: 'B' }], (a, b) => measure(a, b, server.url, false))
  } finally {
    await server.stop()
  }
}

/** Both browsers in their LANs, the server and coturn on the public segment; everything removed after, even on failure. */
async function overTurn(): Promise<Measured> {
  const net = await createNatNetwork()
  try {
    const coturn = await startCoturn({ listenIp: WAN_IP, port: TURN_PORT, secret: TURN_SECRET, prefix: net.exec(net.wan) })
    try {
      const env = { TURN_URLS: `turn:${WAN_IP}:${TURN_PORT}?transport=udp`, TURN_SECRET }
      const server = await startServer({ host: WAN_IP, port: SERVER_PORT, prefix: net.exec(net.wan), env })
      try {
        const origin = `http://${WAN_IP}:${SERVER_PORT}`
        const [inLan1, inLan2] = await Promise.all(net.lans.map((lan) => net.chromium(lan, origin)))
        return await measureWith([{ name: 'A', chromium: inLan1 }, { name: 'B', chromium: inLan2 }], (a, b) => measure(a, b, `${origin}/`, true))
      } finally {
        await server.stop()
      }
    } finally {
      await coturn.stop()
    }
  } finally {
    await net.destroy()
  }
}

async function measureWith(options: [PeerOptions, PeerOptions], measurement: (a: Peer, b: Peer) => Promise<Measured>): Promise<Measured> {
  const [a, b] = await launchBoth(options)
  try {
    return await measurement(a, b)
  } finally {
    await Promise.allSettled([a.close(), b.close()])
  }
}

export async function run(): Promise<BenchResult> {
  const started = performance.now()
  const direct = figuresOf(await overLoopback())
  const unavailable = netnsUnavailable()
  const turn = unavailable ?? figuresOf(await overTurn())
  return report(direct, turn, performance.now() - started)
}
