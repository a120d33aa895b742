/**
 * One meshboard user for e2e tests: a SEPARATE Chromium process with its own fresh profile (two
 * tabs of one browser would sync over BroadcastChannel and prove nothing, DESIGN.md §9), driven by
 * playwright-core with real mouse input.
 *
 * The profile is on disk (a persistent context), like a real user's, so IndexedDB survives reloads
 * exactly as it would for them. Every page gets a test-only init script that records the
 * RTCPeerConnections the app creates, so tests can read the data channels' byte counters.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import type { BoardJSON, StrokeJSON } from '../../src/model/board-json'
import type { ConnectionStatus } from '../../src/net/board-connection'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
/** How long a peer waits for something that should happen (sync, connection, reload). */
export const WAIT_MS = 20_000

export type Point = readonly [number, number]

export interface DataChannelStats {
  /** RTCPeerConnections the page created that could still report stats. */
  readonly connections: number
  readonly bytesReceived: number
  readonly bytesSent: number
  readonly messagesReceived: number
  readonly messagesSent: number
}

export interface BoardDigest {
  readonly shapes: number
  readonly points: number
  /** SHA-256 (hex) of `JSON.stringify(exportJSON())`. */
  readonly sha256: string
}

export interface PeerOptions {
  /** Used in failure messages and logs. */
  readonly name: string
  readonly viewport?: { width: number; height: number }
}

export interface Peer {
  readonly name: string
  readonly page: Page
  readonly context: BrowserContext
  /** Uncaught exceptions and unhandled rejections of the page, in order. */
  readonly pageErrors: string[]
  /** Console messages and page errors, `[type] text`, for failure reports. */
  readonly log: string[]
  /** Opens `/` on `baseUrl`, waits for the new board's URL and the board to be up; returns the URL. */
  createBoard(baseUrl: string): Promise<string>
  /** Opens a board URL and waits until the board is up (see `waitUntilLoaded`). */
  open(boardUrl: string): Promise<void>
  /** Reloads the page at once (no waiting before), then waits until the board is up again. */
  reload(): Promise<void>
  /**
   * Waits until `<mesh-board>` has opened the board of the page's URL and its connection exists
   * (status no longer the initial 'connecting'): the connection is only made once the board has
   * been read from this device's storage, so after this `exportJSON()` holds everything stored.
   */
  waitUntilLoaded(): Promise<void>
  exportJSON(): Promise<BoardJSON>
  importJSON(json: BoardJSON | string): Promise<void>
  peerCount(): Promise<number>
  status(): Promise<ConnectionStatus>
  /** Hash, shape and point count of `exportJSON()`, computed in the page (for boards too big to ship). */
  digest(): Promise<BoardDigest>
  waitForPeerCount(count: number): Promise<void>
  waitForStatus(status: ConnectionStatus): Promise<void>
  waitForShapeCount(count: number, pollMs?: number): Promise<void>
  /** Waits until `exportJSON()` deep-equals `json` (compared as JSON text). */
  waitForBoard(json: BoardJSON): Promise<void>
  /**
   * Draws with the real mouse: move to the first point, press, move through the rest, release.
   * Points are in CSS pixels of the viewport. Resolves with the new stroke as `exportJSON()` has it.
   */
  drawStroke(points: readonly Point[]): Promise<StrokeJSON>
  /** Clicks a toolbar button by its accessible name ('Red', 'Blue', 'Bold stroke', ...). */
  clickToolbar(name: string): Promise<void>
  /** Pixels with any ink on the board's canvases (what the user sees of the shapes). */
  inkPixels(): Promise<number>
  /** Summed 'data-channel' stats of every RTCPeerConnection the page created. */
  dataChannelStats(): Promise<DataChannelStats>
  /** Closes the browser process and deletes its profile. Idempotent. */
  close(): Promise<void>
}

/**
 * Test instrumentation only: remembers every RTCPeerConnection created in the page. Plain
 * JavaScript in a string, so no transpiler helper (esbuild's `__name`) can leak into the page.
 */
const TRACK_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection
  if (!Native || window.__meshTestConnections) return
  const connections = []
  window.__meshTestConnections = connections
  window.RTCPeerConnection = class TrackedRTCPeerConnection extends Native {
    constructor(...args) {
      super(...args)
      connections.push(this)
    }
  }
})()`

export async function launchPeer({ name, viewport = { width: 1000, height: 700 } }: PeerOptions): Promise<Peer> {
  const profile = await mkdtemp(join(tmpdir(), `meshboard-e2e-${name.replace(/\W+/g, '-')}-`))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport,
    })
  } catch (error) {
    await rm(profile, { recursive: true, force: true })
    throw error
  }
  const pageErrors: string[] = []
  const log: string[] = []
  let closed: Promise<void> | null = null
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      try {
        await context.close()
      } finally {
        await rm(profile, { recursive: true, force: true })
      }
    })())

  try {
    await context.addInitScript({ content: TRACK_PEER_CONNECTIONS })
    const page = context.pages()[0] ?? (await context.newPage())
    page.on('console', (message) => log.push(`[${message.type()}] ${message.text()}`))
    page.on('pageerror', (error) => {
      const text = error.stack ?? `${error.name}: ${error.message}`
      pageErrors.push(text)
      log.push(`[pageerror] ${text}`)
    })
    return makePeer(name, page, context, pageErrors, log, close)
  } catch (error) {
    await close()
    throw error
  }
}

function makePeer(
  name: string,
  page: Page,
  context: BrowserContext,
  pageErrors: string[],
  log: string[],
  close: () => Promise<void>,
): Peer {
  const wait = async (what: string, run: () => Promise<unknown>): Promise<void> => {
    try {
      await run()
    } catch (error) {
      throw new Error(`${name}: timed out waiting for ${what}: ${(error as Error).message.split('\n')[0]}`)
    }
  }

  const waitUntilLoaded = () =>
    wait('the board to load', () =>
      page.waitForFunction(
        () => {
          const el = document.querySelector('mesh-board')
          if (!el || !el.doc || el.status === 'connecting') return false
          const hash = new URLSearchParams(location.hash.slice(1))
          return el.board !== '' && el.board === hash.get('board') && el.key === hash.get('key')
        },
        null,
        { timeout: WAIT_MS },
      ),
    )

  const exportJSON = () => page.evaluate(() => document.querySelector('mesh-board')!.exportJSON())

  const peer: Peer = {
    name,
    page,
    context,
    pageErrors,
    log,

    async createBoard(baseUrl) {
      await page.goto(baseUrl)
      await wait('the new board URL', () => page.waitForURL(/#board=[^&]+&key=.+/, { timeout: WAIT_MS }))
      await waitUntilLoaded()
      return page.url()
    },

    async open(boardUrl) {
      await page.goto(boardUrl)
      await waitUntilLoaded()
    },

    async reload() {
      await page.reload()
      await waitUntilLoaded()
    },

    waitUntilLoaded,
    exportJSON,

    async importJSON(json) {
      await page.evaluate((text) => document.querySelector('mesh-board')!.importJSON(text), typeof json === 'string' ? json : JSON.stringify(json))
    },

    peerCount: () => page.evaluate(() => document.querySelector('mesh-board')!.peerCount),
    status: () => page.evaluate(() => document.querySelector('mesh-board')!.status),

    digest: () =>
      page.evaluate(async () => {
        const board = document.querySelector('mesh-board')!.exportJSON()
        const bytes = new TextEncoder().encode(JSON.stringify(board))
        const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
        let points = 0
        for (const shape of board.shapes) points += shape.points.length
        return {
          shapes: board.shapes.length,
          points,
          sha256: Array.from(hash, (byte) => byte.toString(16).padStart(2, '0')).join(''),
        }
      }),

    waitForPeerCount: (count) =>
      wait(`peerCount === ${count}`, () =>
        page.waitForFunction((n) => document.querySelector('mesh-board')?.peerCount === n, count, { timeout: WAIT_MS }),
      ),

    waitForStatus: (status) =>
      wait(`status '${status}'`, () =>
        page.waitForFunction((s) => document.querySelector('mesh-board')?.status === s, status, { timeout: WAIT_MS }),
      ),

    waitForShapeCount: (count, pollMs) =>
      wait(`${count} shapes`, () =>
        page.waitForFunction(
          (n) => {
            const el = document.querySelector('mesh-board')
            return !!el?.doc && el.exportJSON().shapes.length === n
          },
          count,
          { timeout: WAIT_MS, polling: pollMs ?? 'raf' },
        ),
      ),

    waitForBoard: (json) =>
      wait('the expected board', () =>
        page.waitForFunction(
          (text) => {
            const el = document.querySelector('mesh-board')
            return !!el?.doc && JSON.stringify(el.exportJSON()) === text
          },
          JSON.stringify(json),
          { timeout: WAIT_MS },
        ),
      ),

    async drawStroke(points) {
      if (points.length < 2) throw new Error('drawStroke needs at least two points')
      const before = new Set((await exportJSON()).shapes.map((shape) => shape.id))
      const [first, ...rest] = points
      await page.mouse.move(first![0], first![1])
      await page.mouse.down()
      for (const [x, y] of rest) await page.mouse.move(x, y)
      await page.mouse.up()
      // Pointer moves are dispatched to the page in order but not necessarily before `mouse.up()`
      // resolves: the stroke is complete once its last point is the last point moved to.
      const [lastX, lastY] = points[points.length - 1]!
      await wait('the drawn stroke in the document', () =>
        page.waitForFunction(
          ([known, x, y]) => {
            const shapes = document.querySelector('mesh-board')!.exportJSON().shapes
            const fresh = shapes.filter((shape) => !known.includes(shape.id))
            const last = fresh[0]?.points.at(-1)
            return fresh.length === 1 && last?.[0] === x && last[1] === y
          },
          [[...before], lastX, lastY] as const,
          { timeout: WAIT_MS },
        ),
      )
      const stroke = (await exportJSON()).shapes.find((shape) => !before.has(shape.id))
      return stroke!
    },

    async clickToolbar(label) {
      // Playwright's CSS and role engines pierce open shadow roots: <mesh-board> > <mesh-toolbar> > button.
      await page.locator('mesh-board').getByRole('button', { name: label, exact: true }).click()
    },

    inkPixels: () =>
      page.evaluate(() => {
        let ink = 0
        for (const canvas of document.querySelector('mesh-board')!.shadowRoot!.querySelectorAll('canvas')) {
          if (canvas.width === 0 || canvas.height === 0) continue
          const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
          for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) ink++
        }
        return ink
      }),

    dataChannelStats: () =>
      page.evaluate(async () => {
        const list = (window as unknown as { __meshTestConnections?: RTCPeerConnection[] }).__meshTestConnections ?? []
        const total = { connections: 0, bytesReceived: 0, bytesSent: 0, messagesReceived: 0, messagesSent: 0 }
        for (const connection of list) {
          let report: RTCStatsReport
          try {
            report = await connection.getStats()
          } catch {
            continue // closed: its counters are gone
          }
          total.connections++
          report.forEach((stats: { type: string } & Partial<Record<'bytesReceived' | 'bytesSent' | 'messagesReceived' | 'messagesSent', number>>) => {
            if (stats.type !== 'data-channel') return
            total.bytesReceived += stats.bytesReceived ?? 0
            total.bytesSent += stats.bytesSent ?? 0
            total.messagesReceived += stats.messagesReceived ?? 0
            total.messagesSent += stats.messagesSent ?? 0
          })
        }
        return total
      }),

    close,
  }
  return peer
}
