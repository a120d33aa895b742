/**
 * Host pages for the embedding e2e tests: a tiny static server on another origin than the meshboard
 * server (another port of 127.0.0.1), serving examples/embed.html and a blank page the test fills
 * with boards; a test-only recorder of the element's events; and helpers that act on one
 * `<mesh-board>` of a page by its CSS selector, with the real mouse.
 */
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import type { BoardJSON, StrokeJSON } from '../../src/model/board-json'
import type { MeshBoard } from '../../src/ui/mesh-board'
import { WAIT_MS, type Peer, type Point } from './browser'
import { REPO_ROOT } from './server'

const EMBED_HTML = `${REPO_ROOT}examples/embed.html`

/**
 * A page that only loads the library from the meshboard server named by `?server=` (like
 * embed.html) and holds no board: the test adds them with `addBoard`.
 */
const BLANK_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>a host page</title>
    <script type="module">
      const server = new URL(new URLSearchParams(location.search).get('server'))
      window.meshSignaling = (server.protocol === 'https:' ? 'wss' : 'ws') + '://' + server.host + '/signal'
      await import(new URL('/lib/meshboard.js', server).href)
      window.meshLibraryLoaded = true
    </script>
    <style>
      body { margin: 0; padding: 16px; font: 15px/1.5 system-ui, sans-serif; }
      mesh-board { display: block; width: 560px; height: 480px; margin-bottom: 16px; }
    </style>
  </head>
  <body>
    <main id="boards"></main>
  </body>
</html>
`

export interface HostServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  /** Paths requested so far, in order. */
  readonly requests: string[]
  /** `embed.html` or `blank.html` of this host, told to use the meshboard server at `meshServer`. */
  url(page: 'embed.html' | 'blank.html', meshServer: string): string
  close(): Promise<void>
}

/** A static host site on 127.0.0.1, any free port. It serves nothing of meshboard's own. */
export async function startHostServer(): Promise<HostServer> {
  const requests: string[] = []
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://host').pathname
    requests.push(path)
    const send = (status: number, body: string) => {
      response.writeHead(status, { 'Content-Type': status === 200 ? 'text/html; charset=utf-8' : 'text/plain', 'Cache-Control': 'no-store' })
      response.end(body)
    }
    if (path === '/embed.html') {
      readFile(EMBED_HTML, 'utf8').then(
        (html) => send(200, html),
        () => send(500, 'embed.html is missing'),
      )
    } else if (path === '/blank.html') send(200, BLANK_HTML)
    else if (path === '/favicon.ico') {
      response.writeHead(204)
      response.end()
    } else send(404, 'not found')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  let closed: Promise<void> | null = null
  return {
    origin,
    requests,
    url: (page, meshServer) => `${origin}/${page}?server=${encodeURIComponent(meshServer)}`,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })),
  }
}

export interface RecordedEvent {
  readonly type: string
  /** The id of the element the event came from ('' without one). */
  readonly id: string
  readonly detail: Record<string, unknown> | null
}

type RecorderWindow = Window & {
  __meshEvents?: RecordedEvent[]
  __meshKeys?: { key: string; ctrlKey: boolean }[]
  __meshScrolls?: number
  __meshPointerUps?: number
  meshSignaling?: string
  meshLibraryLoaded?: boolean
}

/**
 * Test instrumentation (plain JavaScript, see TRACK_PEER_CONNECTIONS in browser.ts): every `mesh-*`
 * event, heard on the document in the capture phase (so before any handler of the page could stop
 * it); every keydown and pointerup that reached the window (after the board's own handlers); and
 * scroll events.
 */
const RECORD_EVENTS = `(() => {
  if (window.__meshEvents) return
  const events = []
  window.__meshEvents = events
  const types = ['mesh-ready', 'mesh-change', 'mesh-peers', 'mesh-status', 'mesh-error', 'mesh-board-change']
  for (const type of types) {
    document.addEventListener(type, (event) => {
      let detail = null
      try { detail = JSON.parse(JSON.stringify(event.detail ?? null)) } catch {}
      events.push({ type, id: (event.target && event.target.id) || '', detail })
    }, true)
  }
  const keys = []
  window.__meshKeys = keys
  window.addEventListener('keydown', (event) => keys.push({ key: event.key, ctrlKey: event.ctrlKey }))
  window.__meshScrolls = 0
  window.addEventListener('scroll', () => { window.__meshScrolls++ }, true)
  window.__meshPointerUps = 0
  window.addEventListener('pointerup', () => { window.__meshPointerUps++ })
})()`

/** Records the page's `mesh-*` events, keydowns and scrolls from the next navigation on. */
export async function recordEvents(peer: Peer): Promise<void> {
  await peer.context.addInitScript({ content: RECORD_EVENTS })
}

/** The events recorded so far. */
export function events(peer: Peer): Promise<RecordedEvent[]> {
  return peer.page.evaluate(() => (window as RecorderWindow).__meshEvents ?? [])
}

export interface EventMatch {
  readonly type: string
  readonly id?: string
  /** Every listed field must equal the event's (`===`). */
  readonly detail?: Record<string, string | number | boolean>
}

/** Waits until an event matching `match` was recorded at index `since` or later; returns its index. */
export async function waitForEvent(peer: Peer, match: EventMatch, since = 0): Promise<number> {
  try {
    const handle = await peer.page.waitForFunction(
      ([match, since]) => {
        const list = (window as RecorderWindow).__meshEvents ?? []
        for (let i = since; i < list.length; i++) {
          const event = list[i]!
          if (event.type !== match.type || (match.id !== undefined && event.id !== match.id)) continue
          const detail = match.detail ?? {}
          if (Object.keys(detail).every((key) => event.detail?.[key] === detail[key])) return i + 1
        }
        return 0
      },
      [match, since] as const,
      { timeout: WAIT_MS },
    )
    return ((await handle.jsonValue()) as number) - 1
  } catch (error) {
    const seen = await events(peer).catch(() => [])
    throw new Error(
      `${peer.name}: timed out waiting for ${JSON.stringify(match)} (from event ${since}); recorded: ${JSON.stringify(seen.slice(since))}: ${(error as Error).message.split('\n')[0]}`,
    )
  }
}

/** How many events were recorded so far: pass it to `waitForEvent` to wait only for later ones. */
export async function eventCount(peer: Peer): Promise<number> {
  return (await events(peer)).length
}

/** Keydowns that reached the page's window so far. */
export function keydowns(peer: Peer): Promise<{ key: string; ctrlKey: boolean }[]> {
  return peer.page.evaluate(() => (window as RecorderWindow).__meshKeys ?? [])
}

/** Scroll events the page saw so far (on any element). */
export function scrollEvents(peer: Peer): Promise<number> {
  return peer.page.evaluate(() => (window as RecorderWindow).__meshScrolls ?? 0)
}

/** Waits until the page's window has seen `count` keydowns (so the board has handled them too). */
export async function waitForKeydowns(peer: Peer, count: number): Promise<void> {
  await peer.page.waitForFunction((n) => ((window as RecorderWindow).__meshKeys ?? []).length >= n, count, { timeout: WAIT_MS })
}

/** Pointerups that reached the page's window so far. */
export function pointerUps(peer: Peer): Promise<number> {
  return peer.page.evaluate(() => (window as RecorderWindow).__meshPointerUps ?? 0)
}

/** Waits until the page's window has seen `count` pointerups (so the board has handled them too). */
export async function waitForPointerUps(peer: Peer, count: number): Promise<void> {
  await peer.page.waitForFunction((n) => ((window as RecorderWindow).__meshPointerUps ?? 0) >= n, count, { timeout: WAIT_MS })
}

/** Waits until blank.html has loaded the library. */
export async function waitForLibrary(peer: Peer): Promise<void> {
  await peer.page.waitForFunction(() => (window as RecorderWindow).meshLibraryLoaded === true, null, { timeout: WAIT_MS })
}

/** Adds a `<mesh-board>` with these attributes to blank.html (signaling: the page's meshboard server). */
export async function addBoard(peer: Peer, attributes: Record<string, string> & { id: string }): Promise<HostBoard> {
  await peer.page.evaluate((attributes) => {
    const element = document.createElement('mesh-board')
    element.setAttribute('signaling', (window as RecorderWindow).meshSignaling!)
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value)
    document.querySelector('#boards')!.append(element)
  }, attributes)
  return hostBoard(peer, `#${attributes.id}`)
}

/** Runs `fn(element, arg)` in the page on the board `selector` names. */
type BoardFn<A, R> = (element: MeshBoard, arg: A) => R

export interface HostBoard {
  readonly peer: Peer
  readonly selector: string
  /** Evaluates `fn` with the element in the page (fn must be self-contained: it is sent as text). */
  run<R, A = null>(fn: BoardFn<A, R>, arg?: A): Promise<Awaited<R>>
  exportJSON(): Promise<BoardJSON>
  peerCount(): Promise<number>
  /** Waits until the element has a document and `peerCount === count`. */
  waitForPeerCount(count: number): Promise<void>
  /** Waits until `fn(element, arg)` is truthy in the page. */
  waitFor<A>(what: string, fn: BoardFn<A, unknown>, arg?: A): Promise<void>
  /** The element's box in the viewport (CSS pixels). */
  box(): Promise<{ x: number; y: number; width: number; height: number }>
  /**
   * Draws with the real mouse along `points` (CSS pixels relative to the element's top-left
   * corner) and waits until the board holds the new stroke; returns it.
   */
  drawStroke(points: readonly Point[]): Promise<StrokeJSON>
  /** The board's own visible rect in board coordinates, as it publishes it in its awareness. */
  ownViewport(): Promise<{ x: number; y: number; width: number; height: number } | null>
}

export function hostBoard(peer: Peer, selector: string): HostBoard {
  const { page } = peer
  const run: HostBoard['run'] = (fn, arg) =>
    page.evaluate(
      ([selector, source, arg]) => {
        const element = document.querySelector(selector)
        if (!element) throw new Error(`no element ${selector}`)
        return (new Function(`return (${source})`)() as (element: Element, arg: unknown) => unknown)(element, arg)
      },
      [selector, fn.toString(), arg ?? null] as const,
    ) as never

  const waitFor: HostBoard['waitFor'] = async (what, fn, arg) => {
    try {
      await page.waitForFunction(
        ([selector, source, arg]) => {
          const element = document.querySelector(selector)
          if (!element) return false
          return (new Function(`return (${source})`)() as (element: Element, arg: unknown) => unknown)(element, arg)
        },
        [selector, fn.toString(), arg ?? null] as const,
        { timeout: WAIT_MS },
      )
    } catch (error) {
      throw new Error(`${peer.name} ${selector}: timed out waiting for ${what}: ${(error as Error).message.split('\n')[0]}`)
    }
  }

  const exportJSON = () => run((element) => element.exportJSON())

  const board: HostBoard = {
    peer,
    selector,
    run,
    exportJSON,
    peerCount: () => run((element) => element.peerCount),
    waitForPeerCount: (count) => waitFor(`peerCount === ${count}`, (element, n) => !!element.doc && element.peerCount === n, count),
    waitFor,
    box: async () => {
      const box = await page.locator(selector).boundingBox()
      if (!box) throw new Error(`${peer.name}: ${selector} is not visible`)
      return box
    },
    async drawStroke(points) {
      if (points.length < 2) throw new Error('drawStroke needs at least two points')
      const origin = await board.box()
      const before = (await exportJSON()).shapes.map((shape) => shape.id)
      const [first, ...rest] = points
      await page.mouse.move(origin.x + first![0], origin.y + first![1])
      await page.mouse.down()
      for (const [x, y] of rest) await page.mouse.move(origin.x + x, origin.y + y)
      await page.mouse.up()
      // With the default camera, board coordinates are the element's CSS pixels.
      const [lastX, lastY] = points[points.length - 1]!
      await waitFor(
        'the drawn stroke',
        (element, [known, x, y]) => {
          const fresh = element.exportJSON().shapes.filter((shape) => !known.includes(shape.id))
          const last = fresh[0]?.type === 'stroke' ? fresh[0].points.at(-1) : undefined
          return fresh.length === 1 && last?.[0] === x && last[1] === y
        },
        [before, lastX, lastY] as [string[], number, number],
      )
      return (await exportJSON()).shapes.find((shape) => !before.includes(shape.id)) as StrokeJSON
    },
    ownViewport: () =>
      run((element) => {
        const state = element.awareness?.getLocalState() as { viewport?: { x: number; y: number; width: number; height: number } | null } | null
        return state?.viewport ?? null
      }),
  }
  return board
}
