/**
 * What the big-board benchmarks (frames, join, load, memory) share: the real server, Chromium
 * processes as the e2e tests start them (support/browser.ts), a generated board put into a page
 * without squeezing tens of megabytes through the DevTools protocol, and in-page timing of
 * "everything rendered" and of frames.
 */
import * as Y from 'yjs'
import { importBoard, type BoardJSON } from '../src/model/board-json'
import { generateBoard } from '../support/boards'
import { launchPeer, type Peer } from '../support/browser'
import { startServer, type ServerHandle } from '../support/server'
import { round } from './stats'

/** A laptop-sized window: at zoom 1 it shows about a tenth of a generated board (4,000 × 3,000 units). */
export const BENCH_VIEWPORT = { width: 1280, height: 800 } as const
/** The issue's board: strokes of about 100 points. */
const POINTS_PER_STROKE = 100
/** How long a big board may take to arrive, be stored or be drawn before the benchmark gives up. */
const BIG_WAIT_MS = 120_000
/** The page fetches the generated board from here; the benchmark answers the request itself. */
const BOARD_PATH = '/__bench/board.json'
const STORED_BOARD_PATH = '/__bench/board.bin'

export interface BenchRig {
  readonly server: ServerHandle
  peer(name: string): Promise<Peer>
  /** Closes every browser, then the server. */
  close(): Promise<void>
}

/** `env`: the server's environment beyond the defaults (e.g. `STORE: 'off'`, for boards from peers alone). */
export async function startRig(env: Readonly<Record<string, string>> = {}): Promise<BenchRig> {
  const server = await startServer({ env })
  const peers: Peer[] = []
  return {
    server,
    async peer(name) {
      const peer = await launchPeer({ name, viewport: BENCH_VIEWPORT })
      peers.push(peer)
      // tsx compiles the functions this process evaluates in pages with esbuild's keepNames, whose
      // helper the page does not have.
      await peer.context.addInitScript({ content: 'globalThis.__name = (fn) => fn' })
      return peer
    },
    async close() {
      await Promise.allSettled(peers.map((peer) => peer.close()))
      await server.stop()
    },
  }
}

const boards = new Map<number, string>()

/** The generated board of `strokes` strokes (the same strokes for every benchmark). */
function generated(strokes: number): BoardJSON {
  return generateBoard({ strokes, pointsPerStroke: POINTS_PER_STROKE, seed: 8 })
}

/** The generated board as JSON text, kept for the next benchmark that asks. */
function boardText(strokes: number): string {
  let text = boards.get(strokes)
  if (!text) {
    text = JSON.stringify(generated(strokes))
    boards.set(strokes, text)
  }
  return text
}

/**
 * Replaces the open board's content with the generated board of `strokes` strokes, through the
 * public `importJSON`, and waits until it is drawn. The page fetches the JSON from a route this
 * process answers: tens of megabytes as an evaluate() argument would be slow and fragile.
 */
export async function importGenerated(peer: Peer, strokes: number): Promise<void> {
  const text = boardText(strokes)
  await peer.context.route(`**${BOARD_PATH}`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: text }))
  await peer.page.evaluate(async (path) => {
    const response = await fetch(path)
    document.querySelector('mesh-board')!.importJSON(await response.text())
  }, BOARD_PATH)
  await peer.context.unroute(`**${BOARD_PATH}`)
  await waitUntilDrawn(peer, strokes)
}

/**
 * Puts the generated board of `strokes` strokes into the open board's storage on this device (as
 * the one Yjs update a Node document of it encodes to) and reloads: the page opens it from
 * IndexedDB, the way a user reopens a board. The frames benchmark uses it for every board, since
 * 50,000 strokes are too big for one `importJSON` (80 MB of JSON, 26 MB encoded).
 */
export async function storeGenerated(peer: Peer, strokes: number): Promise<void> {
  const doc = new Y.Doc()
  importBoard(doc, generated(strokes))
  const update = Buffer.from(Y.encodeStateAsUpdate(doc))
  doc.destroy()
  await peer.context.route(`**${STORED_BOARD_PATH}`, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: update }))
  await peer.page.evaluate(async (path) => {
    const bytes = new Uint8Array(await (await fetch(path)).arrayBuffer())
    const databases = (await indexedDB.databases()).filter((db) => db.name?.startsWith('meshboard-'))
    if (databases.length !== 1) throw new Error(`expected one board stored on this device, found ${databases.length}`)
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(databases[0]!.name!)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    // y-indexeddb's layout: every stored update is one record of the auto-numbered 'updates' store.
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction('updates', 'readwrite')
      transaction.objectStore('updates').add(bytes)
      transaction.oncomplete = () => resolve()
      transaction.onerror = () => reject(transaction.error)
    })
    db.close()
  }, STORED_BOARD_PATH)
  await peer.context.unroute(`**${STORED_BOARD_PATH}`)
  await peer.page.reload({ waitUntil: 'commit' })
  await waitUntilDrawn(peer, strokes)
}

/**
 * Waits until the board holds `shapes` shapes and has drawn them: `<mesh-board>`'s `loading` is
 * false once everything received is indexed and the visible part is on the canvas. Resolves with
 * the page's clock (ms since its navigation started) at the end of that frame. Checked in the page
 * every frame, so the time is not blurred by a round trip to this process.
 */
export async function waitUntilDrawn(peer: Peer, shapes: number): Promise<number> {
  return peer.page.evaluate(
    ([n, timeout]) =>
      new Promise<number>((resolve, reject) => {
        const deadline = performance.now() + timeout
        const check = () => {
          const el = document.querySelector('mesh-board')
          const drawn = !!el?.doc && !el.loading && el.doc.getMap('shapes').size === n
          // The frame that drew the last of it has been painted once the task after it runs.
          if (drawn) requestAnimationFrame(() => setTimeout(() => resolve(performance.now())))
          else if (performance.now() > deadline) reject(new Error(`not drawn: ${el?.doc?.getMap('shapes').size ?? 0} of ${n} shapes, loading ${el?.loading}`))
          else requestAnimationFrame(check)
        }
        check()
      }),
    [shapes, BIG_WAIT_MS] as const,
  )
}

/** The page's JS heap after a full garbage collection, in bytes (Chromium's precise measurement). */
export async function heapBytes(peer: Peer): Promise<{ used: number; total: number }> {
  const session = await peer.context.newCDPSession(peer.page)
  try {
    await session.send('HeapProfiler.collectGarbage')
    const { usedSize, totalSize } = await session.send('Runtime.getHeapUsage')
    return { used: usedSize, total: totalSize }
  } finally {
    await session.detach()
  }
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** Where the page's main thread spent its time while `during` ran: the top functions by self time. */
export async function profile<T>(peer: Peer, during: () => Promise<T>): Promise<{ result: T; top: string[] }> {
  const session = await peer.context.newCDPSession(peer.page)
  try {
    await session.send('Profiler.enable')
    await session.send('Profiler.setSamplingInterval', { interval: 200 })
    await session.send('Profiler.start')
    const result = await during()
    const { profile: data } = (await session.send('Profiler.stop')) as unknown as { profile: CpuProfile }
    return { result, top: topSelfTime(data, 8) }
  } finally {
    await session.detach()
  }
}

function topSelfTime(data: CpuProfile, count: number): string[] {
  const byNode = new Map(data.nodes.map((node) => [node.id, node]))
  const self = new Map<string, number>()
  let total = 0
  data.samples.forEach((id, i) => {
    const frame = byNode.get(id)?.callFrame
    const delta = data.timeDeltas[i] ?? 0
    total += delta
    if (!frame) return
    const file = frame.url.split('/').pop() || ''
    const name = `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`
    self.set(name, (self.get(name) ?? 0) + delta)
  })
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => `${round((100 * micros) / total)}% ${name}`)
}

/** The issue's big board. */
export const BIG_BOARD_STROKES = 10_000

/** A browser holding a new board with the generated strokes, drawn and stored on its device. */
export async function holdBoard(rig: BenchRig, strokes: number): Promise<{ holder: Peer; url: string }> {
  const holder = await rig.peer('holder')
  const url = await holder.createBoard(rig.server.url)
  await importGenerated(holder, strokes)
  await holder.page.waitForFunction(
    () => (document.querySelector('mesh-board')?.shadowRoot?.querySelector('mesh-status') as { saved?: string } | null)?.saved === 'saved',
    null,
    { timeout: BIG_WAIT_MS },
  )
  return { holder, url }
}

/**
 * Page script: records the main thread's long tasks (over 50 ms, Chromium's definition) from the
 * start of every navigation, to show whether a big board froze the page while arriving.
 */
export const RECORD_LONG_TASKS = `(() => {
  const tasks = (window.__benchLongTasks = [])
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) tasks.push(entry.duration) }).observe({ type: 'longtask', buffered: true })
})()`

export function longTasks(peer: Peer): Promise<number[]> {
  return peer.page.evaluate(() => (window as unknown as { __benchLongTasks?: number[] }).__benchLongTasks ?? [])
}
