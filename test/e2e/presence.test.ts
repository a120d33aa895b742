/**
 * Presence (issue 5), between separate Chromium processes through the real server: live cursors
 * with names, leaving, following someone's view, the laser pointer (never in the document) and the
 * connection status. Ends with the README's picture of two people on one board.
 */
import { describe, expect, it } from 'vitest'
import { BOARD_JSON_VERSION } from '../../src/model/board-json'
import { arc, spiral, star, wave } from '../helpers/boards'
import {
  WAIT_MS,
  colorBox,
  colorPixels,
  presence,
  presetIdentity,
  statusTexts,
  type Peer,
  type PeerOptions,
  type PresenceState,
} from '../helpers/browser'
import { expectBoard, useE2E } from '../helpers/e2e'
import { browserShots, writeReadmeScreenshot } from '../helpers/screenshots'

const e2e = useE2E()

const ADA = { name: 'Ada', color: '#e03131' } as const
const BEN = { name: 'Ben', color: '#1971c2' } as const
/** The laser trail's colour (render/presence-layer.ts). */
const LASER = '#ff2d55'
const STATUS = {
  alone: 'Online — nobody else here yet',
  one: 'Connected to 1 person',
  offline: 'Offline — keep drawing, it syncs when you reconnect',
  saved: 'Saved on this device',
} as const

/**
 * How long to wait for a cursor: well under the 10 s after which an idle cursor is hidden, so a
 * cursor in the wrong place fails showing where it is rather than that it is gone.
 */
const CURSOR_WAIT_MS = 7_000

type Rect = { x: number; y: number; width: number; height: number }
type Identity = { readonly name: string; readonly color: string }

/** A (Ada) on a new board, B (Ben unless told otherwise) on its URL, connected to each other. */
async function twoPeers(options: { viewport?: PeerOptions['viewport']; b?: Identity | null; a?: Identity } = {}) {
  const server = await e2e.server()
  const viewport = options.viewport ? { viewport: options.viewport } : {}
  const [a, b] = await Promise.all([e2e.peer('A', viewport), e2e.peer('B', viewport)])
  await presetIdentity(a, options.a ?? ADA)
  if (options.b !== null) await presetIdentity(b, options.b ?? BEN)
  const url = await a.createBoard(server.url)
  await b.open(url)
  await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
  return { server, a, b, url }
}

/** A button of the board's panels (Playwright's role engine pierces the open shadow roots). */
const button = (peer: Peer, name: string | RegExp) => peer.page.locator('mesh-board').getByRole('button', { name, exact: true })

/** `peer`'s presence as `other` holds it (undefined while `other` knows nothing of it). */
async function seenBy(other: Peer, clientId: number): Promise<PresenceState | undefined> {
  return (await presence(other)).others[clientId]
}

const clientIdOf = async (peer: Peer) => (await presence(peer)).clientId
const ownViewport = async (peer: Peer) => (await presence(peer)).self?.viewport ?? null

function center(rect: Rect): { x: number; y: number } {
  return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 }
}

/** How far apart two viewports are: the larger of the centres' distance and the sizes' difference. */
function viewportGap(a: Rect | null | undefined, b: Rect | null | undefined): number {
  if (!a || !b) return Infinity
  const [ca, cb] = [center(a), center(b)]
  return Math.max(Math.hypot(ca.x - cb.x, ca.y - cb.y), Math.abs(a.width - b.width), Math.abs(a.height - b.height))
}

const distance = (point: { x: number; y: number } | null | undefined, x: number, y: number) =>
  point ? Math.hypot(point.x - x, point.y - y) : Infinity

/** The board has the keyboard, as after a click on it, without drawing anything. */
async function focusBoard(peer: Peer): Promise<void> {
  await peer.page.locator('mesh-board').focus()
}

/** Space held, drag with the real mouse: the pan every tool allows. */
async function spaceDrag(peer: Peer, from: readonly [number, number], to: readonly [number, number]): Promise<void> {
  await focusBoard(peer)
  await peer.page.mouse.move(from[0], from[1])
  await peer.page.keyboard.down(' ')
  await peer.page.mouse.down()
  await peer.page.mouse.move(to[0], to[1], { steps: 12 })
  await peer.page.mouse.up()
  await peer.page.keyboard.up(' ')
}

/** Around a remote cursor whose tip is at (x, y): its arrow and name tag, and room around them. */
const cursorArea = (x: number, y: number) => ({ x: x - 40, y: y - 40, width: 240, height: 120 })

/** Two animation frames: whatever was going to be drawn has been. */
async function frames(peer: Peer): Promise<void> {
  await peer.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
}

/**
 * Waits until `peer` shows a still cursor in `color` with its tip at (x, y), within a pixel: the
 * coloured fill of the arrow starts one pixel right of and three below the tip (inside the white
 * outline; measured), the coloured name tag reaches below and right of it, and holds white text.
 * Still: the same pixels two frames apart, so a cursor gliding past the spot does not count.
 */
async function expectCursorDrawn(peer: Peer, x: number, y: number, color: string, what: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const before = await colorBox(peer, cursorArea(x, y), color)
        await frames(peer)
        const { count, box } = await colorBox(peer, cursorArea(x, y), color)
        const text = await colorPixels(peer, { x: x + 14, y: y + 22, width: 60, height: 18 }, '#ffffff', 10)
        const still = JSON.stringify(before) === JSON.stringify({ count, box })
        const drawn =
          box !== null && Math.abs(box.left - (x + 1)) <= 1 && Math.abs(box.top - (y + 3)) <= 1 && box.right >= x + 30 && box.bottom >= y + 38 && count >= 300 && text >= 15
        return still && drawn ? 'drawn' : JSON.stringify({ still, count, box, text })
      },
      { timeout: CURSOR_WAIT_MS, message: `${what}: a still cursor of ${color} with the arrow's fill from (${x + 1}, ${y + 3}) ±1, a tag below, white text in it` },
    )
    .toBe('drawn')
}

/** Sum of the bytes of every update record in this page's meshboard IndexedDB databases. */
function storedBytes(peer: Peer): Promise<number> {
  return peer.page.evaluate(async () => {
    let total = 0
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith('meshboard-')) continue
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name)
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      const records = await new Promise<Uint8Array[]>((resolve, reject) => {
        const request = db.transaction('updates', 'readonly').objectStore('updates').getAll()
        request.onsuccess = () => resolve(request.result as Uint8Array[])
        request.onerror = () => reject(request.error)
      })
      db.close()
      for (const record of records) total += record.byteLength
    }
    return total
  })
}

/** Records every text the status pill's storage note shows from now on, in order. */
async function recordSavedTexts(peer: Peer): Promise<() => Promise<string[]>> {
  await peer.page.evaluate(() => {
    const root = document.querySelector('mesh-board')!.shadowRoot!.querySelector('mesh-status')!.shadowRoot!
    const seen: string[] = []
    const record = () => {
      const text = root.querySelector('.saved')?.textContent?.trim() ?? ''
      if (seen.at(-1) !== text) seen.push(text)
    }
    new MutationObserver(record).observe(root, { subtree: true, childList: true, characterData: true })
    ;(window as unknown as { __savedTexts: string[] }).__savedTexts = seen
  })
  return () => peer.page.evaluate(() => [...(window as unknown as { __savedTexts: string[] }).__savedTexts])
}

describe('presence', () => {
  it("shows A's cursor, name and colour on B where A's mouse is, and hides it when A leaves the board", async () => {
    const { a, b } = await twoPeers({ b: null })

    // B names itself in the people panel: own avatar, "Your name", Save.
    await button(b, /^You \(/).click()
    await b.page.locator('mesh-board').getByRole('textbox', { name: 'Your name' }).fill('Ben')
    await button(b, 'Save').click()
    const stored = JSON.parse((await b.page.evaluate(() => localStorage.getItem('meshboard:user'))) ?? 'null') as Identity | null
    expect(stored?.name, "B's stored name").toBe('Ben')
    // A lists B by the new name, B lists A; both count two people.
    await button(a, 'Follow Ben').waitFor({ timeout: WAIT_MS })
    await button(b, 'Follow Ada').waitFor({ timeout: WAIT_MS })
    for (const peer of [a, b]) await expect.poll(() => peer.page.locator('mesh-people .count').textContent()).toBe('2 here')

    const idA = await clientIdOf(a)
    await a.page.mouse.move(180, 160)
    await a.page.mouse.move(420, 330, { steps: 15 })
    await expect
      .poll(async () => distance((await seenBy(b, idA))?.cursor, 420, 330), { timeout: CURSOR_WAIT_MS, message: "A's cursor in B's awareness" })
      .toBeLessThanOrEqual(1)
    expect((await seenBy(b, idA))?.user, "A's name and colour in B's awareness").toEqual(ADA)
    await expectCursorDrawn(b, 420, 330, ADA.color, "A's cursor on B's canvas")

    // Hovering draws nothing.
    expect((await a.exportJSON()).shapes).toEqual([])
    expect((await b.exportJSON()).shapes).toEqual([])

    // Onto the toolbar: the mouse has left the board.
    await a.page.mouse.move(...(await toolbarCentre(a)), { steps: 8 })
    await expect
      .poll(async () => (await seenBy(b, idA))?.cursor, { timeout: WAIT_MS, message: "A's cursor in B's awareness after leaving" })
      .toBeNull()
    await expect.poll(() => colorPixels(b, cursorArea(420, 330), ADA.color), { timeout: WAIT_MS, message: "A's cursor on B's canvas after leaving" }).toBe(0)
  })

  /** A, as B sees it: in awareness, as cursor pixels, in the people panel, in the count. */
  const presenceOf = async (b: Peer, idA: number) => ({
    inAwareness: (await seenBy(b, idA)) !== undefined,
    cursorPixels: await colorPixels(b, cursorArea(300, 260), ADA.color),
    inPanel: await button(b, 'Follow Ada').count(),
    count: (await b.page.locator('mesh-people .count').textContent())?.trim(),
  })
  const GONE = { inAwareness: false, cursorPixels: 0, inPanel: 0, count: 'Just you' }

  async function twoPeersWithCursor() {
    const peers = await twoPeers()
    const idA = await clientIdOf(peers.a)
    await peers.a.page.mouse.move(300, 260, { steps: 5 })
    await expectCursorDrawn(peers.b, 300, 260, ADA.color, "A's cursor on B's canvas before A leaves")
    await button(peers.b, 'Follow Ada').waitFor({ timeout: WAIT_MS })
    return { ...peers, idA }
  }

  it('removes A from B within 2 s when A closes its tab', async () => {
    const { a, b, idA } = await twoPeersWithCursor()
    const closed = Date.now()
    await a.page.close()
    // The requirement itself: two seconds from the close, not WAIT_MS.
    await expect
      .poll(() => presenceOf(b, idA), { timeout: Math.max(0, closed + 2000 - Date.now()), interval: 50, message: 'A on B 2 s after A closed its tab' })
      .toEqual(GONE)
  })

  it("removes A from B as soon as A's connection is seen to drop (A's browser ends without a goodbye)", async () => {
    const { a, b, idA } = await twoPeersWithCursor()
    await a.context.close()
    // Without a goodbye, only WebRTC itself notices (measured here: about 16 s); presence must not outlive that moment.
    await b.page.waitForFunction(() => document.querySelector('mesh-board')!.peerCount === 0, null, { timeout: 60_000 })
    await expect.poll(() => presenceOf(b, idA), { timeout: 1000, interval: 50, message: 'A on B once the connection dropped' }).toEqual(GONE)
  }, 90_000)

  it("follows A's view (pan and zoom) until B moves the board itself", async () => {
    const { a, b } = await twoPeers()
    const idA = await clientIdOf(a)
    const banner = b.page.locator('mesh-board').getByText('Following Ada — move the board to stop', { exact: true })

    await button(b, 'Follow Ada').click()
    await banner.waitFor({ timeout: WAIT_MS })
    await button(b, 'Stop following Ada').waitFor({ timeout: WAIT_MS })

    // A pans with space + drag and zooms in with the wheel.
    expect(viewportGap(await ownViewport(a), { x: 0, y: 0, width: 1000, height: 700 }), "A's view at first").toBe(0)
    await spaceDrag(a, [600, 420], [400, 300])
    await a.page.mouse.move(300, 250)
    await a.page.mouse.wheel(0, -300)
    await expect
      .poll(async () => (await ownViewport(a))?.width ?? Infinity, { timeout: WAIT_MS, message: "A's viewport width after zooming in" })
      .toBeLessThan(800)
    const viewA = (await ownViewport(a))!
    expect(Math.hypot(center(viewA).x - 500, center(viewA).y - 350), "how far A's view moved").toBeGreaterThan(100)

    await expect
      .poll(async () => viewportGap(await ownViewport(b), await ownViewport(a)), { timeout: WAIT_MS, message: "B's view against A's" })
      .toBeLessThanOrEqual(2)

    // B pans itself with the hand tool: it stops following, and its view is A's moved by the drag.
    const followed = (await ownViewport(b))!
    const scale = 1000 / followed.width
    await b.clickToolbar('Hand (pan)')
    await b.page.mouse.move(500, 400)
    await b.page.mouse.down()
    await b.page.mouse.move(380, 330, { steps: 10 })
    await b.page.mouse.up()
    const own = { ...followed, x: followed.x + 120 / scale, y: followed.y + 70 / scale }
    await expect
      .poll(async () => viewportGap(await ownViewport(b), own), { timeout: WAIT_MS, message: "B's view after its own pan" })
      .toBeLessThanOrEqual(0.5)
    await banner.waitFor({ state: 'detached', timeout: WAIT_MS })
    await button(b, 'Follow Ada').waitFor({ timeout: WAIT_MS })

    // A pans again: B has A's new view in its awareness, and stays where it is.
    await spaceDrag(a, [300, 300], [600, 500])
    await expect
      .poll(async () => viewportGap((await seenBy(b, idA))?.viewport, await ownViewport(a)), { timeout: WAIT_MS, message: "A's new view in B's awareness" })
      .toBeLessThanOrEqual(0.01)
    expect(viewportGap(await ownViewport(a), own), 'A really moved away from B').toBeGreaterThan(100)
    // B's cursor goes out with the same throttled presence updates as its view: once the cursor of
    // a fresh mouse move is published, so is any view change before it, and the cursor itself is
    // mapped through B's camera.
    await b.page.mouse.move(250, 200, { steps: 3 })
    await expect
      .poll(async () => distance((await presence(b)).self?.cursor, own.x + 250 / scale, own.y + 200 / scale), {
        timeout: CURSOR_WAIT_MS,
        message: "B's cursor, mapped through B's unmoved camera",
      })
      .toBeLessThanOrEqual(0.5)
    expect(viewportGap(await ownViewport(b), own), "B's view after A's second pan").toBeLessThanOrEqual(0.5)
    expect(await banner.count()).toBe(0)
  })

  it('glides a cursor between updates, and moves it at once when the system asks for less motion', async () => {
    const { a, b } = await twoPeers()
    const idA = await clientIdOf(a)
    /** Where B draws A's cursor, every frame while A moves from one spot to the next in one step. */
    const positionsDuringMove = async (from: [number, number], to: [number, number]): Promise<number> => {
      await a.page.mouse.move(...from)
      await expectCursorDrawn(b, from[0], from[1], ADA.color, "A's cursor on B before the move")
      await b.page.evaluate((id) => {
        const board = document.querySelector('mesh-board')!
        const stage = (window as unknown as { Konva: { stages: { container(): HTMLElement; findOne(selector: string): { x(): number; y(): number } | undefined }[] } }).Konva.stages.find(
          (candidate) => candidate.container().getRootNode() === board.shadowRoot,
        )!
        const seen = new Set<string>()
        const state = { seen, watching: true }
        ;(window as unknown as { __cursorSeen: typeof state }).__cursorSeen = state
        const frame = () => {
          const cursor = stage.findOne(`.cursor-${id}`)
          if (cursor) seen.add(`${cursor.x().toFixed(2)},${cursor.y().toFixed(2)}`)
          if (state.watching) requestAnimationFrame(frame)
        }
        frame()
      }, idA)
      await a.page.mouse.move(...to)
      await expectCursorDrawn(b, to[0], to[1], ADA.color, "A's cursor on B after the move")
      return b.page.evaluate(() => {
        const state = (window as unknown as { __cursorSeen: { seen: Set<string>; watching: boolean } }).__cursorSeen
        state.watching = false
        return state.seen.size
      })
    }
    expect(await positionsDuringMove([300, 260], [700, 480]), 'positions of the gliding cursor: where it was, between, where it is').toBeGreaterThan(2)
    await b.page.emulateMedia({ reducedMotion: 'reduce' })
    expect(await positionsDuringMove([300, 260], [700, 480]), 'positions with reduced motion: where it was and where it is').toBe(2)
  })

  it('shows the laser to everyone through presence and never writes it to the document', async () => {
    const { a, b } = await twoPeers()
    const idA = await clientIdOf(a)
    const stroke = await a.drawStroke(wave(250, 200, 500, 40))
    const board = { version: BOARD_JSON_VERSION, shapes: [stroke] }
    await expectBoard(b, board)

    const countDocUpdates = (peer: Peer) =>
      peer.page.evaluate(() => {
        const w = window as unknown as { __docUpdates: number }
        w.__docUpdates = 0
        document.querySelector('mesh-board')!.doc!.on('update', () => w.__docUpdates++)
      })
    const docUpdates = (peer: Peer) => peer.page.evaluate(() => (window as unknown as { __docUpdates: number }).__docUpdates)
    await Promise.all([countDocUpdates(a), countDocUpdates(b)])

    await focusBoard(a)
    await a.page.keyboard.press('k')
    expect(await a.page.evaluate(() => document.querySelector('mesh-board')!.tool)).toBe('laser')

    const path = wave(200, 420, 480, 60, 12)
    const trailArea = { x: 150, y: 340, width: 600, height: 160 }
    // The trail fades within a second: watch B's canvas from before the first point.
    const seenOnB = expect
      .poll(() => colorPixels(b, trailArea, LASER), { timeout: WAIT_MS, interval: 20, message: "laser pixels on B's canvas" })
      .toBeGreaterThan(20)
    const [first, ...rest] = path
    await a.page.mouse.move(first![0], first![1])
    await a.page.mouse.down()
    for (const [x, y] of rest) await a.page.mouse.move(x, y)
    await a.page.mouse.up()
    await seenOnB

    const last = path.at(-1)!
    await expect
      .poll(
        async () => {
          const laser = (await seenBy(b, idA))?.laser ?? []
          return laser.some(([x, y]) => distance({ x, y }, last[0], last[1]) <= 1)
        },
        { timeout: WAIT_MS, message: "the end of A's laser trail in B's awareness" },
      )
      .toBe(true)
    const laser = (await seenBy(b, idA))!.laser!
    for (const [x, y, age] of laser) {
      expect(Math.min(...path.map(([px, py]) => distance({ x, y }, px, py))), `laser point ${x},${y} on the path`).toBeLessThanOrEqual(1)
      expect(age).toBeGreaterThanOrEqual(0)
    }

    // Everything A sent before the end of the trail has reached B: no document change among it.
    expect(await docUpdates(a), 'document updates on A while pointing').toBe(0)
    expect(await docUpdates(b), 'document updates on B while A pointed').toBe(0)
    expect(await a.exportJSON()).toEqual(board)
    expect(await b.exportJSON()).toEqual(board)
  })

  it('tells whether anyone is here, whether the server is reachable, and when the board is saved', async () => {
    const server = await e2e.server()
    const [a, b] = await Promise.all([e2e.peer('A'), e2e.peer('B')])
    await presetIdentity(a, ADA)
    await presetIdentity(b, BEN)
    const url = await a.createBoard(server.url)
    await a.waitForStatus('connected')
    await expect.poll(async () => (await statusTexts(a)).status, { timeout: WAIT_MS }).toBe(STATUS.alone)
    expect(await a.peerCount()).toBe(0)

    await b.open(url)
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
    for (const peer of [a, b]) await expect.poll(async () => (await statusTexts(peer)).status, { timeout: WAIT_MS }).toBe(STATUS.one)
    expect(await a.status()).toBe('connected')

    // B closes its tab. (A browser that ends without its tab's goodbye is the 2 s test's business.)
    await b.page.close()
    await a.waitForPeerCount(0)
    await expect.poll(async () => (await statusTexts(a)).status, { timeout: WAIT_MS }).toBe(STATUS.alone)
    expect(await a.status()).toBe('connected')

    /** Draws a stroke and waits for the note to go from "Saving…" to "Saved on this device", with the bytes stored. */
    const drawAndSave = async (points: Parameters<Peer['drawStroke']>[0], when: string) => {
      const bytesBefore = await storedBytes(a)
      const savedTexts = await recordSavedTexts(a)
      await a.drawStroke(points)
      await expect.poll(async () => (await statusTexts(a)).saved, { timeout: WAIT_MS, message: `storage note ${when}` }).toBe(STATUS.saved)
      // Saving… while the batch is written (once or more for a long stroke), ending on Saved.
      const notes = await savedTexts()
      expect(notes[0], `first storage note ${when}`).toBe('Saving…')
      expect(notes.at(-1), `last storage note ${when}`).toBe(STATUS.saved)
      expect(new Set(notes), `storage notes shown ${when}`).toEqual(new Set(['Saving…', STATUS.saved]))
      expect(await storedBytes(a), `bytes in IndexedDB ${when}`).toBeGreaterThan(bytesBefore + 100)
    }
    await drawAndSave(spiral(500, 350, 120, 2, 60), 'while online')

    await server.stop()
    await a.waitForStatus('offline')
    await expect.poll(async () => (await statusTexts(a)).status, { timeout: WAIT_MS }).toBe(STATUS.offline)
    await drawAndSave(star(300, 400, 90, 40), 'while offline')
    expect(await a.status()).toBe('offline')
  })
})

/** The centre of the toolbar's Pen button, in page pixels. */
async function toolbarCentre(peer: Peer): Promise<[number, number]> {
  const box = await button(peer, 'Pen').boundingBox()
  if (!box) throw new Error(`${peer.name}: the Pen button is not on screen`)
  return [box.x + box.width / 2, box.y + box.height / 2]
}

// ----- the README's picture -----

const SHOT_VIEWPORT = { width: 960, height: 600 }



describe('README screenshot', () => {
  it('shows two people with live cursors, the people panel and the status', async () => {
    // Full names: the avatars show initials, the cursors the whole name.
    const ada = { ...ADA, name: 'Ada Lovelace' }
    const ben = { ...BEN, name: 'Ben Carter' }
    const { a, b, url } = await twoPeers({ viewport: SHOT_VIEWPORT, a: ada, b: ben })
    await Promise.all([a.clickToolbar('Bold stroke'), b.clickToolbar('Bold stroke')])
    await a.clickToolbar('Violet')
    const strokes = [await a.drawStroke(wave(230, 170, 330, 26, 6)), await a.drawStroke(spiral(370, 340, 80, 2.4, 100))]
    await b.clickToolbar('Green')
    strokes.push(await b.drawStroke(star(730, 285, 90, 38, 5)))
    await b.clickToolbar('Orange')
    strokes.push(await b.drawStroke(arc(730, 285, 130, 0.5, Math.PI - 0.5, 50)))
    const board = { version: BOARD_JSON_VERSION, shapes: strokes }
    await Promise.all([expectBoard(a, board), expectBoard(b, board)])

    // Each points at their own drawing: Ada beside her spiral, Ben beside his star.
    const pointA = [470, 300] as const
    const pointB = [785, 192] as const
    const [idA, idB] = await Promise.all([clientIdOf(a), clientIdOf(b)])
    await Promise.all([a.page.mouse.move(...pointA, { steps: 10 }), b.page.mouse.move(...pointB, { steps: 10 })])
    await expect.poll(async () => distance((await seenBy(b, idA))?.cursor, ...pointA), { timeout: CURSOR_WAIT_MS }).toBeLessThanOrEqual(1)
    await expect.poll(async () => distance((await seenBy(a, idB))?.cursor, ...pointB), { timeout: CURSOR_WAIT_MS }).toBeLessThanOrEqual(1)
    expect((await seenBy(b, idA))?.user).toEqual(ada)
    expect((await seenBy(a, idB))?.user).toEqual(ben)
    await expectCursorDrawn(b, ...pointA, ada.color, "Ada's cursor on Ben's screen")
    await expectCursorDrawn(a, ...pointB, ben.color, "Ben's cursor on Ada's screen")
    for (const peer of [a, b]) {
      await expect.poll(() => statusTexts(peer), { timeout: WAIT_MS }).toEqual({ status: STATUS.one, saved: STATUS.saved })
      await expect.poll(() => peer.page.locator('mesh-people .count').textContent()).toBe('2 here')
    }

    const shots = await browserShots(url, [
      [a, "Ada's browser — she sees Ben's cursor"],
      [b, "Ben's browser — he sees Ada's cursor"],
    ])
    const png = await writeReadmeScreenshot(a.context, 'presence.png', shots, SHOT_VIEWPORT)
    expect(png.byteLength).toBeGreaterThan(10_000)
  })
})
