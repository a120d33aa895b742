/**
 * One meshboard user for e2e tests and benchmarks: a SEPARATE Chromium process with its own fresh
 * profile (two tabs of one browser would sync over BroadcastChannel and prove nothing, DESIGN.md
 * §9), driven by playwright-core with real mouse input.
 *
 * The profile is on disk (a persistent context), like a real user's, so IndexedDB survives reloads
 * exactly as it would for them. Every page gets a test-only init script that records the
 * RTCPeerConnections the app creates, so tests can read the data channels' byte counters.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import type { BoardJSON, StrokeJSON } from '../src/model/board-json'
import type { ConnectionStatus } from '../src/net/board-connection'

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
  /**
   * The browser's microphone. Without it (the default) no media flag is set. 'fake': Chromium's
   * fake audio device, granted without a prompt (it beeps, or plays `fakeAudioFile`), with
   * autoplay allowed. 'denied': the fake device exists but every permission prompt is refused,
   * as when the user clicks "Block". Either way the page records the local media it captures
   * (see `localMediaTracks`).
   */
  readonly media?: 'fake' | 'denied'
  /** With `media: 'fake'`: a WAV file the fake microphone plays in a loop instead of its beep. */
  readonly fakeAudioFile?: string
  /**
   * No direct WebRTC connection can open from this browser, like one behind a firewall that lets
   * only the web through: its connections may use relay candidates only, and there is no TURN
   * server, so they gather no candidate at all and never connect (see BLOCK_DIRECT).
   */
  readonly blockDirect?: boolean
  /**
   * A phone or tablet as Playwright's device list describes it (`devices['iPhone 13']`): its
   * screen, pixel density, touch and mobile viewport, instead of `viewport`.
   */
  readonly device?: Pick<BrowserContextOptions, 'viewport' | 'deviceScaleFactor' | 'isMobile' | 'hasTouch' | 'userAgent'>
  /** The browser's language (`navigator.languages`, Accept-Language), as a person's set to Korean: 'ko-KR'. Default: en-US. */
  readonly locale?: string
  /** Another Chromium to run (a wrapper that starts it in a network namespace, netns.ts), with flags of its own. */
  readonly chromium?: { readonly executablePath: string; readonly args: readonly string[] }
}

/**
 * Every RTCPeerConnection of the page with `iceTransportPolicy: 'relay'`: WebRTC's own setting
 * for "never connect directly". Installed before TRACK_PEER_CONNECTIONS, which then tracks these.
 */
const BLOCK_DIRECT = `(() => {
  const Native = window.RTCPeerConnection
  if (!Native || window.__meshTestDirectBlocked) return
  window.__meshTestDirectBlocked = true
  window.RTCPeerConnection = class RelayOnlyRTCPeerConnection extends Native {
    constructor(config, ...rest) {
      super({ ...(config || {}), iceTransportPolicy: 'relay' }, ...rest)
    }
  }
})()`

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

export async function launchPeer({ name, viewport = { width: 1000, height: 700 }, device, media, fakeAudioFile, blockDirect, locale = 'en-US', chromium: custom }: PeerOptions): Promise<Peer> {
  const profile = await mkdtemp(join(tmpdir(), `meshboard-e2e-${name.replace(/\W+/g, '-')}-`))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: custom?.executablePath ?? CHROMIUM,
      args: [...CHROMIUM_ARGS, ...mediaArgs(media, fakeAudioFile), ...(custom?.args ?? [])],
      headless: true,
      viewport,
      ...device,
      locale,
    })
  } catch (error) {
    await rm(profile, { recursive: true, force: true })
    throw error
  }
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
    if (blockDirect) await context.addInitScript({ content: BLOCK_DIRECT })
    await context.addInitScript({ content: TRACK_PEER_CONNECTIONS })
    if (media) await context.addInitScript({ content: TRACK_LOCAL_MEDIA })
    return watchedPeer(name, context.pages()[0] ?? (await context.newPage()), context, close)
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * Another tab of `peer`'s browser: the same profile, so the same IndexedDB and BroadcastChannels.
 * Closing it closes only the tab (the browser's own close closes it too).
 */
export async function openTab(peer: Peer, name: string): Promise<Peer> {
  const page = await peer.context.newPage()
  return watchedPeer(name, page, peer.context, () => page.close())
}

/** A peer on `page` whose console and page errors are recorded. */
function watchedPeer(name: string, page: Page, context: BrowserContext, close: () => Promise<void>): Peer {
  const pageErrors: string[] = []
  const log: string[] = []
  page.on('console', (message) => log.push(`[${message.type()}] ${message.text()}`))
  page.on('pageerror', (error) => {
    const text = error.stack ?? `${error.name}: ${error.message}`
    pageErrors.push(text)
    log.push(`[pageerror] ${text}`)
  })
  return makePeer(name, page, context, pageErrors, log, close)
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
        for (const shape of board.shapes) points += 'points' in shape ? shape.points.length : 0
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
            const last = fresh[0]?.type === 'stroke' ? fresh[0].points.at(-1) : undefined
            return fresh.length === 1 && last?.[0] === x && last[1] === y
          },
          [[...before], lastX, lastY] as const,
          { timeout: WAIT_MS },
        ),
      )
      const stroke = (await exportJSON()).shapes.find((shape) => !before.has(shape.id))
      return stroke as StrokeJSON
    },

    async clickToolbar(label) {
      // Playwright's CSS and role engines pierce open shadow roots: <mesh-board> > <mesh-toolbar> > button.
      await page.locator('mesh-board').getByRole('button', { name: label, exact: true }).click()
    },

    async inkPixels() {
      // The stage's canvases: the shapes' tiles, the shapes changing right now (live-shapes.ts),
      // and the overlay (selection, others' cursors: not ink). A shape drawn a moment ago is on the
      // second until the tiles take it; counted once it has settled, the figure is the same
      // whenever it is read.
      await wait('the shapes drawn a moment ago settled into the tiles', () =>
        page.waitForFunction(
          () => {
            const live = document.querySelector('mesh-board')?.shadowRoot?.querySelectorAll('canvas')[1]
            if (!live || live.width === 0 || live.height === 0) return true
            const { data } = live.getContext('2d')!.getImageData(0, 0, live.width, live.height)
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return false
            return true
          },
          null,
          { timeout: WAIT_MS, polling: 50 },
        ),
      )
      return page.evaluate(() => {
        const canvas = document.querySelector('mesh-board')!.shadowRoot!.querySelector('canvas')
        if (!canvas || canvas.width === 0 || canvas.height === 0) return 0
        let ink = 0
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
        for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) ink++
        return ink
      })
    },

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

// ---------------------------------------------------------------------------------------------
// Presence, status and pixels: standalone helpers for the presence and offline-shell tests.
// ---------------------------------------------------------------------------------------------

/** A user's presence as it travels in the board's awareness (what `<mesh-board>` publishes). */
export interface PresenceState {
  readonly user?: { readonly name: string; readonly color: string }
  readonly cursor?: { readonly x: number; readonly y: number } | null
  readonly viewport?: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } | null
  readonly laser?: readonly (readonly [number, number, number])[]
  readonly peerId?: string
}

export interface PresenceSnapshot {
  /** This page's awareness client id. */
  readonly clientId: number
  /** What this page publishes about its own user (null once it said goodbye). */
  readonly self: PresenceState | null
  /** Everyone else this page knows of, by awareness client id. */
  readonly others: Readonly<Record<number, PresenceState>>
}

/** The board's awareness as the page holds it right now. */
export function presence(peer: Peer): Promise<PresenceSnapshot> {
  return peer.page.evaluate(() => {
    const awareness = document.querySelector('mesh-board')!.awareness!
    const others: Record<number, unknown> = {}
    awareness.getStates().forEach((state, clientId) => {
      if (clientId !== awareness.clientID) others[clientId] = state
    })
    return { clientId: awareness.clientID, self: awareness.getLocalState(), others } as PresenceSnapshot
  })
}

/** The identity the page's user starts with (localStorage `meshboard:user`), unless one is stored already. */
export async function presetIdentity(peer: Peer, identity: { name: string; color: string }): Promise<void> {
  const stored = JSON.stringify({ ...identity, colorChosen: true })
  await peer.context.addInitScript({
    content: `(() => {
      try {
        if (location.protocol.startsWith('http') && !localStorage.getItem('meshboard:user')) localStorage.setItem('meshboard:user', ${JSON.stringify(stored)})
      } catch {}
    })()`,
  })
}

/** The status pill's texts: the connection sentence and the storage note beside it ('' when absent). */
export function statusTexts(peer: Peer): Promise<{ status: string; saved: string }> {
  return peer.page.evaluate(() => {
    const root = document.querySelector('mesh-board')?.shadowRoot?.querySelector('mesh-status')?.shadowRoot
    return {
      status: root?.querySelector('[role=status]')?.textContent?.trim() ?? '',
      saved: root?.querySelector('.saved')?.textContent?.trim() ?? '',
    }
  })
}

export interface PixelRect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface ColorBox {
  /** Matching pixels (counted once per canvas that has them). */
  readonly count: number
  /** Their bounding box in CSS pixels relative to `<mesh-board>`; null without any. */
  readonly box: { readonly left: number; readonly top: number; readonly right: number; readonly bottom: number } | null
}

/**
 * Pixels of the board's canvases within `rect` (CSS pixels relative to `<mesh-board>`) whose
 * colour is within `tolerance` (sum of the channel differences) of `color` (#rrggbb) and nearly
 * opaque: what the user sees drawn there in that colour, and where exactly.
 */
export function colorBox(peer: Peer, rect: PixelRect, color: string, tolerance = 40): Promise<ColorBox> {
  return peer.page.evaluate(
    ([rect, color, tolerance]) => {
      const board = document.querySelector('mesh-board')!
      const origin = board.getBoundingClientRect()
      const target = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16))
      let count = 0
      let box: { left: number; top: number; right: number; bottom: number } | null = null
      for (const canvas of board.shadowRoot!.querySelectorAll('canvas')) {
        const frame = canvas.getBoundingClientRect()
        if (canvas.width === 0 || canvas.height === 0 || frame.width === 0) continue
        const ratio = canvas.width / frame.width
        const left = Math.max(0, Math.floor((rect.x + origin.left - frame.left) * ratio))
        const top = Math.max(0, Math.floor((rect.y + origin.top - frame.top) * ratio))
        const right = Math.min(canvas.width, Math.ceil((rect.x + rect.width + origin.left - frame.left) * ratio))
        const bottom = Math.min(canvas.height, Math.ceil((rect.y + rect.height + origin.top - frame.top) * ratio))
        if (right <= left || bottom <= top) continue
        const width = right - left
        const { data } = canvas.getContext('2d')!.getImageData(left, top, width, bottom - top)
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3]! < 200) continue
          const distance = Math.abs(data[i]! - target[0]!) + Math.abs(data[i + 1]! - target[1]!) + Math.abs(data[i + 2]! - target[2]!)
          if (distance > tolerance) continue
          count++
          const x = (left + ((i / 4) % width)) / ratio + frame.left - origin.left
          const y = (top + Math.floor(i / 4 / width)) / ratio + frame.top - origin.top
          box = box
            ? { left: Math.min(box.left, x), top: Math.min(box.top, y), right: Math.max(box.right, x + 1 / ratio), bottom: Math.max(box.bottom, y + 1 / ratio) }
            : { left: x, top: y, right: x + 1 / ratio, bottom: y + 1 / ratio }
        }
      }
      return { count, box }
    },
    [rect, color, tolerance] as const,
  )
}

/** How many pixels of `color` the board's canvases show within `rect` (see `colorBox`). */
export async function colorPixels(peer: Peer, rect: PixelRect, color: string, tolerance = 40): Promise<number> {
  return (await colorBox(peer, rect, color, tolerance)).count
}

// ---------------------------------------------------------------------------------------------
// Voice: media flags, the page's captured microphone, audio RTP and what a page hears. For the
// voice tests; a peer gets the page-side recording with the `media` option of launchPeer.
// ---------------------------------------------------------------------------------------------

/** Chromium flags for `PeerOptions.media` (DESIGN.md §9). */
function mediaArgs(media: PeerOptions['media'], fakeAudioFile: string | undefined): string[] {
  if (!media) return []
  const fake = ['--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required']
  if (fakeAudioFile) fake.push(`--use-file-for-fake-audio-capture=${fakeAudioFile}`)
  // Headless Chromium 156 denies an unanswered prompt anyway; --deny-permission-prompts says so
  // explicitly, so 'denied' does not depend on that default.
  return media === 'fake' ? ['--use-fake-ui-for-media-stream', ...fake] : ['--deny-permission-prompts', ...fake]
}

/**
 * Test instrumentation only (plain JavaScript, like TRACK_PEER_CONNECTIONS):
 * - every track the page captured with getUserMedia, and every clone made of one, so a test can
 *   see whether the microphone was released;
 * - `__meshTestAudio.take()`: the loudest level (the app's 0..1 scale, -60 dBFS is 0) of all audio
 *   the page's RTCPeerConnections received since the previous call. Unlike the app's meter, read
 *   every 100 ms from one analyser frame, it hears every sample, so a short beep is never missed.
 */
const TRACK_LOCAL_MEDIA = `(() => {
  if (window.__meshTestMedia) return
  const local = []
  window.__meshTestMedia = local
  const devices = navigator.mediaDevices
  if (devices && devices.getUserMedia) {
    const getUserMedia = devices.getUserMedia.bind(devices)
    devices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints)
      for (const track of stream.getTracks()) local.push({ track, clone: false })
      return stream
    }
  }
  const isLocal = (track) => local.some((entry) => entry.track === track)
  const cloneTrack = MediaStreamTrack.prototype.clone
  MediaStreamTrack.prototype.clone = function () {
    const copy = cloneTrack.call(this)
    if (isLocal(this)) local.push({ track: copy, clone: true })
    return copy
  }
  const cloneStream = MediaStream.prototype.clone
  MediaStream.prototype.clone = function () {
    const copy = cloneStream.call(this)
    if (this.getTracks().some(isLocal)) for (const track of copy.getTracks()) local.push({ track, clone: true })
    return copy
  }

  const metered = new Set()
  const audio = { context: null, loudest: 0 }
  const levelOf = (samples) => {
    let sum = 0
    for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i]
    const rms = Math.sqrt(sum / Math.max(1, samples.length))
    return rms <= 0 ? 0 : Math.min(1, Math.max(0, (20 * Math.log10(rms) + 60) / 60))
  }
  const meter = (track) => {
    if (!audio.context) audio.context = new AudioContext()
    void audio.context.resume()
    const source = audio.context.createMediaStreamSource(new MediaStream([track]))
    const node = audio.context.createScriptProcessor(1024, 1, 1)
    node.onaudioprocess = (event) => {
      const level = levelOf(event.inputBuffer.getChannelData(0))
      if (level > audio.loudest) audio.loudest = level
    }
    source.connect(node)
    node.connect(audio.context.destination)
    metered.add(track)
  }
  audio.take = () => {
    for (const connection of window.__meshTestConnections || []) {
      let receivers = []
      try {
        receivers = connection.getReceivers()
      } catch {}
      for (const receiver of receivers) {
        const track = receiver.track
        if (track && track.kind === 'audio' && track.readyState === 'live' && !metered.has(track)) meter(track)
      }
    }
    const loudest = audio.loudest
    audio.loudest = 0
    return { level: loudest, tracks: metered.size, running: !!audio.context && audio.context.state === 'running' }
  }
  window.__meshTestAudio = audio
})()`

type MediaWindow = Window & {
  __meshTestConnections?: RTCPeerConnection[]
  __meshTestMedia?: { track: MediaStreamTrack; clone: boolean }[]
  __meshTestAudio?: { take(): { level: number; tracks: number; running: boolean } }
  __meshTestQuietReads?: number
}

export interface LocalMediaTrack {
  readonly kind: string
  readonly readyState: MediaStreamTrackState
  readonly enabled: boolean
  /** A clone of a captured track (what the app sends to one peer), not the capture itself. */
  readonly clone: boolean
}

/** Every track the page captured with getUserMedia, and every clone of one (needs `media`). */
export function localMediaTracks(peer: Peer): Promise<LocalMediaTrack[]> {
  return peer.page.evaluate(() => {
    const local = (window as MediaWindow).__meshTestMedia
    if (!local) throw new Error('local media is not recorded: launch the peer with the media option')
    return local.map(({ track, clone }) => ({ kind: track.kind, readyState: track.readyState, enabled: track.enabled, clone }))
  })
}

export interface AudioRtpStats {
  /** RTCPeerConnections the page created that could still report stats. */
  readonly connections: number
  readonly bytesReceived: number
  readonly packetsReceived: number
  readonly bytesSent: number
  readonly packetsSent: number
  /** Senders of the page's connections with a live audio track: what it is sending right now. */
  readonly liveSenders: number
}

/** Summed 'inbound-rtp' and 'outbound-rtp' audio stats of every RTCPeerConnection the page created. */
export function audioRtpStats(peer: Peer): Promise<AudioRtpStats> {
  return peer.page.evaluate(async () => {
    const list = (window as MediaWindow).__meshTestConnections ?? []
    const total = { connections: 0, bytesReceived: 0, packetsReceived: 0, bytesSent: 0, packetsSent: 0, liveSenders: 0 }
    for (const connection of list) {
      let report: RTCStatsReport
      try {
        report = await connection.getStats()
      } catch {
        continue // closed: its counters are gone
      }
      total.connections++
      report.forEach((stats: { type: string; kind?: string } & Partial<Record<'bytesReceived' | 'packetsReceived' | 'bytesSent' | 'packetsSent', number>>) => {
        if (stats.kind !== 'audio') return
        if (stats.type === 'inbound-rtp') {
          total.bytesReceived += stats.bytesReceived ?? 0
          total.packetsReceived += stats.packetsReceived ?? 0
        } else if (stats.type === 'outbound-rtp') {
          total.bytesSent += stats.bytesSent ?? 0
          total.packetsSent += stats.packetsSent ?? 0
        }
      })
      if (connection.connectionState === 'closed') continue
      for (const sender of connection.getSenders()) {
        if (sender.track?.kind === 'audio' && sender.track.readyState === 'live') total.liveSenders++
      }
    }
    return total
  })
}

/**
 * The loudest level (0..1, the app's scale) of all audio `peer` received over WebRTC since the
 * previous call, measured in the page on every sample (needs `media`). The first call starts
 * listening to tracks that appeared since.
 */
export async function inboundAudioLevel(peer: Peer): Promise<number> {
  const { level, running } = await peer.page.evaluate(() => (window as MediaWindow).__meshTestAudio!.take())
  if (!running) throw new Error(`${peer.name}: the test's AudioContext is not running`)
  return level
}

/**
 * Waits until everything `peer` receives has been silent (level 0) for `reads` consecutive reads
 * `intervalMs` apart: as each read covers all the audio since the previous one, that is at least
 * `reads * intervalMs` of unbroken silence.
 */
export async function waitForInboundSilence(peer: Peer, { reads = 10, intervalMs = 100 } = {}): Promise<void> {
  await peer.page.evaluate(() => {
    const w = window as MediaWindow
    w.__meshTestAudio!.take()
    w.__meshTestQuietReads = 0
  })
  try {
    await peer.page.waitForFunction(
      (reads) => {
        const w = window as MediaWindow
        const { level } = w.__meshTestAudio!.take()
        w.__meshTestQuietReads = level === 0 ? (w.__meshTestQuietReads ?? 0) + 1 : 0
        return w.__meshTestQuietReads >= reads
      },
      reads,
      { polling: intervalMs, timeout: WAIT_MS },
    )
  } catch (error) {
    throw new Error(`${peer.name}: timed out waiting for ${reads} silent reads of inbound audio: ${(error as Error).message.split('\n')[0]}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Peer connections by creation order: for the embedding tests (which board's connections closed).
// ---------------------------------------------------------------------------------------------

/**
 * `connectionState` of every RTCPeerConnection the page created, in creation order (what the
 * TRACK_PEER_CONNECTIONS init script recorded): a connection's index never changes, so states
 * read at two moments compare index by index.
 */
export function peerConnectionStates(peer: Peer): Promise<RTCPeerConnectionState[]> {
  return peer.page.evaluate(() =>
    ((window as unknown as { __meshTestConnections?: RTCPeerConnection[] }).__meshTestConnections ?? []).map((connection) => connection.connectionState),
  )
}
