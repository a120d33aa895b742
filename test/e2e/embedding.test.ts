/**
 * Embedding `<mesh-board>` in other sites (issue 7, docs/embedding.md): host pages on other origins
 * than the meshboard server load the library cross-origin from its /lib/meshboard.js, each user in
 * a separate Chromium process, through the real server, with the real mouse and keyboard.
 *
 * The pages are examples/embed.html (two boards, `#sketch` and `#notes`, each its own room) and a
 * blank host page the test fills with boards itself.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { BOARD_JSON_VERSION } from '../../src/model/board-json'
import { spiral, wave } from '../helpers/boards'
import { WAIT_MS, peerConnectionStates, type Peer } from '../helpers/browser'
import { useE2E } from '../helpers/e2e'
import {
  addBoard,
  eventCount,
  events,
  hostBoard,
  keydowns,
  pointerUps,
  recordEvents,
  scrollEvents,
  startHostServer,
  waitForEvent,
  waitForKeydowns,
  waitForLibrary,
  waitForPointerUps,
  type HostBoard,
  type HostServer,
} from '../helpers/host-page'

const e2e = useE2E()

/** Room of the boards in examples/embed.html. */
const SKETCH = { board: 'embed-demo-sketch', key: 'q5m8JYzM1qH2mR0vGf9Xkw' } as const
const NOTES = { board: 'embed-demo-notes', key: 'vZ3x9J8hQmL0pT4cW6rYkA' } as const
/** Wide enough for embed.html's two boards side by side, tall enough for both in full. */
const VIEWPORT = { width: 1200, height: 800 } as const
/** Background of the themes (ui/mesh-board-styles.ts), as getComputedStyle reports it. */
const LIGHT_BACKGROUND = 'rgb(251, 251, 250)'
const DARK_BACKGROUND = 'rgb(24, 24, 27)'

const hosts: HostServer[] = []
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()))
})

async function hostServer(): Promise<HostServer> {
  const host = await startHostServer()
  hosts.push(host)
  return host
}

interface EmbedPage {
  readonly peer: Peer
  readonly host: HostServer
  readonly sketch: HostBoard
  readonly notes: HostBoard
}

/** A browser with the event recorder, on examples/embed.html of a new host server, both boards ready. */
async function openEmbedPage(peer: Peer, meshServer: string): Promise<EmbedPage> {
  const host = await hostServer()
  await peer.page.goto(host.url('embed.html', meshServer))
  await Promise.all([waitForEvent(peer, { type: 'mesh-ready', id: 'sketch' }), waitForEvent(peer, { type: 'mesh-ready', id: 'notes' })])
  return { peer, host, sketch: hostBoard(peer, '#sketch'), notes: hostBoard(peer, '#notes') }
}

async function launch(name: string): Promise<Peer> {
  const peer = await e2e.peer(name, { viewport: VIEWPORT })
  await recordEvents(peer)
  return peer
}

/** The meshboard server and two users, A and B, each on embed.html of its own host origin, connected. */
async function twoEmbedPages(): Promise<{ meshServer: string; a: EmbedPage; b: EmbedPage }> {
  const server = await e2e.server()
  const [peerA, peerB] = await Promise.all([launch('A'), launch('B')])
  const a = await openEmbedPage(peerA, server.url)
  const b = await openEmbedPage(peerB, server.url)
  await Promise.all([a.sketch, a.notes, b.sketch, b.notes].map((board) => board.waitForPeerCount(1)))
  return { meshServer: server.url, a, b }
}

/** A mouse drag on `board` from `from` to `to` (CSS pixels in the element), once the board has handled it. */
async function drag(board: HostBoard, from: readonly [number, number], to: readonly [number, number], steps = 20): Promise<void> {
  const { page } = board.peer
  const box = await board.box()
  const ups = await pointerUps(board.peer)
  await page.mouse.move(box.x + from[0], box.y + from[1])
  await page.mouse.down()
  for (let step = 1; step <= steps; step++) {
    await page.mouse.move(box.x + from[0] + ((to[0] - from[0]) * step) / steps, box.y + from[1] + ((to[1] - from[1]) * step) / steps)
  }
  await page.mouse.up()
  await waitForPointerUps(board.peer, ups + 1)
}

const shapeIds = async (board: HostBoard) => (await board.exportJSON()).shapes.map((shape) => shape.id)
const hasPart = (board: HostBoard, tag: string) => board.run((element, tag) => element.shadowRoot!.querySelector(tag) !== null, tag)

describe('<mesh-board> embedded in another site', () => {
  it('loads cross-origin on a host page whose two boards are two rooms', async () => {
    const server = await e2e.server()
    const [peerA, peerB] = await Promise.all([launch('A'), launch('B')])
    const a = await openEmbedPage(peerA, server.url)

    // The element came from the meshboard server, not from the host page's origin.
    const loaded = await peerA.page.evaluate(() => ({
      origin: location.origin,
      defined: customElements.get('mesh-board') !== undefined,
      upgraded: document.querySelector('#sketch')?.constructor.name !== 'HTMLElement',
      scripts: performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((name) => name.endsWith('/lib/meshboard.js')),
    }))
    const meshOrigin = new URL(server.url).origin
    expect(loaded.defined, "customElements.get('mesh-board')").toBe(true)
    expect(loaded.upgraded, '#sketch is upgraded').toBe(true)
    expect(loaded.origin).toBe(a.host.origin)
    expect(loaded.origin).not.toBe(meshOrigin)
    expect(loaded.scripts).toEqual([`${meshOrigin}/lib/meshboard.js`])
    expect(a.host.requests.filter((path) => path.startsWith('/lib/')), 'library requests to the host origin').toEqual([])

    const ready = (await events(peerA)).filter((event) => event.type === 'mesh-ready')
    expect(ready).toEqual(
      expect.arrayContaining([
        { type: 'mesh-ready', id: 'sketch', detail: { board: SKETCH.board } },
        { type: 'mesh-ready', id: 'notes', detail: { board: NOTES.board } },
      ]),
    )

    // B: another host page, on a third origin.
    const b = await openEmbedPage(peerB, server.url)
    expect(b.host.origin).not.toBe(a.host.origin)
    await Promise.all([a.sketch, a.notes, b.sketch, b.notes].map((board) => board.waitForPeerCount(1)))

    const sketchStroke = await b.sketch.drawStroke(wave(80, 200, 380, 50))
    await a.sketch.waitFor('B’s sketch stroke', (element, id) => element.exportJSON().shapes.some((shape) => shape.id === id), sketchStroke.id)
    expect(await a.sketch.exportJSON()).toEqual({ version: BOARD_JSON_VERSION, shapes: [sketchStroke] })

    // The notes room is connected too: what B draws there arrives after the sketch stroke would have.
    const notesStroke = await b.notes.drawStroke(spiral(280, 220, 90, 2, 50))
    await a.notes.waitFor('B’s notes stroke', (element, id) => element.exportJSON().shapes.some((shape) => shape.id === id), notesStroke.id)
    expect(await a.notes.exportJSON(), "A's #notes").toEqual({ version: BOARD_JSON_VERSION, shapes: [notesStroke] })
    expect(await a.sketch.exportJSON(), "A's #sketch").toEqual({ version: BOARD_JSON_VERSION, shapes: [sketchStroke] })

    for (const peer of [peerA, peerB]) expect((await events(peer)).filter((event) => event.type === 'mesh-error'), `mesh-error in ${peer.name}`).toEqual([])
  })

  it('fires mesh-ready, mesh-status, mesh-peers and mesh-change as documented', async () => {
    const server = await e2e.server()
    const [peerA, peerB] = await Promise.all([launch('A'), launch('B')])
    const a = await openEmbedPage(peerA, server.url)
    await waitForEvent(peerA, { type: 'mesh-status', id: 'sketch', detail: { status: 'connected' } })
    expect(await a.sketch.peerCount()).toBe(0)
    const beforeB = await eventCount(peerA)

    const b = await openEmbedPage(peerB, server.url)
    await waitForEvent(peerA, { type: 'mesh-peers', id: 'sketch', detail: { peerCount: 1 } }, beforeB)
    await waitForEvent(peerA, { type: 'mesh-peers', id: 'notes', detail: { peerCount: 1 } }, beforeB)
    await Promise.all([b.sketch.waitForPeerCount(1), b.notes.waitForPeerCount(1)])

    // B's stroke arrives on A as a remote change.
    const beforeRemote = await eventCount(peerA)
    const remote = await b.sketch.drawStroke(wave(80, 180, 380, 40))
    await a.sketch.waitFor('B’s stroke', (element, id) => element.exportJSON().shapes.some((shape) => shape.id === id), remote.id)
    await waitForEvent(peerA, { type: 'mesh-change', id: 'sketch', detail: { local: false } }, beforeRemote)
    const remoteChanges = (await events(peerA)).slice(beforeRemote).filter((event) => event.type === 'mesh-change')
    expect(remoteChanges, 'mesh-change on A for B’s stroke').not.toContainEqual(expect.objectContaining({ detail: { local: true } }))
    expect(remoteChanges.every((event) => event.id === 'sketch'), 'only #sketch changed').toBe(true)

    // A's own stroke is a local change, and reaches B as a remote one.
    const beforeLocal = await eventCount(peerA)
    const beforeLocalB = await eventCount(peerB)
    const local = await a.sketch.drawStroke(spiral(300, 240, 80, 2, 40))
    await waitForEvent(peerA, { type: 'mesh-change', id: 'sketch', detail: { local: true } }, beforeLocal)
    await waitForEvent(peerB, { type: 'mesh-change', id: 'sketch', detail: { local: false } }, beforeLocalB)
    await b.sketch.waitFor('A’s stroke', (element, id) => element.exportJSON().shapes.some((shape) => shape.id === id), local.id)
    const bChanges = (await events(peerB)).slice(beforeLocalB).filter((event) => event.type === 'mesh-change')
    expect(bChanges, 'mesh-change on B for A’s stroke').not.toContainEqual(expect.objectContaining({ detail: { local: true } }))

    // B leaves the host page: A hears of it.
    const beforeLeave = await eventCount(peerA)
    await peerB.page.goto('about:blank')
    await waitForEvent(peerA, { type: 'mesh-peers', id: 'sketch', detail: { peerCount: 0 } }, beforeLeave)
    await waitForEvent(peerA, { type: 'mesh-peers', id: 'notes', detail: { peerCount: 0 } }, beforeLeave)
  })

  it('applies theme, user-name, toolbar, voice, ice-servers, board and key at run time', async () => {
    const { a, b } = await twoEmbedPages()

    // theme: light to dark, on the element's own background and custom property.
    const colours = (board: HostBoard) =>
      board.run((element) => ({
        background: getComputedStyle(element).backgroundColor,
        custom: getComputedStyle(element).getPropertyValue('--mesh-background').trim(),
      }))
    expect(await colours(a.sketch)).toEqual({ background: LIGHT_BACKGROUND, custom: '' })
    expect(await colours(a.notes), '#notes (theme="dark" in the page)').toEqual({ background: DARK_BACKGROUND, custom: '#18181b' })
    await a.sketch.run((element) => element.setAttribute('theme', 'dark'))
    await a.sketch.waitFor('the dark background', (element, dark) => getComputedStyle(element).backgroundColor === dark, DARK_BACKGROUND)
    expect(await colours(a.sketch)).toEqual({ background: DARK_BACKGROUND, custom: '#18181b' })

    // user-name: what B sees of A.
    const clientA = await a.sketch.run((element) => element.awareness!.clientID)
    const nameOfA = (board: HostBoard) =>
      board.run((element, id) => (element.awareness!.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name ?? null, clientA)
    await b.sketch.waitFor('A in B’s awareness', (element, id) => element.awareness!.getStates().has(id), clientA)
    expect(await nameOfA(b.sketch), 'A’s name as B sees it, from embed.html').toBe('Guest')
    await a.sketch.run((element) => element.setAttribute('user-name', 'Ada on the host page'))
    await b.sketch.waitFor(
      'A’s new name in B’s awareness',
      (element, id) => (element.awareness!.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name === 'Ada on the host page',
      clientA,
    )

    // toolbar="false" and voice="false" take their panels away.
    expect(await hasPart(a.sketch, 'mesh-toolbar')).toBe(true)
    expect(await hasPart(a.sketch, 'mesh-voice')).toBe(true)
    expect(await hasPart(a.notes, 'mesh-voice'), '#notes has voice="false" in the page').toBe(false)
    await a.sketch.run((element) => element.setAttribute('toolbar', 'false'))
    await a.sketch.waitFor('the toolbar to go', (element) => element.shadowRoot!.querySelector('mesh-toolbar') === null)
    await a.sketch.run((element) => element.setAttribute('voice', 'false'))
    await a.sketch.waitFor('the voice panel to go', (element) => element.shadowRoot!.querySelector('mesh-voice') === null)
    expect(await hasPart(b.sketch, 'mesh-toolbar'), 'B keeps its toolbar').toBe(true)

    // ice-servers with invalid JSON is ignored: the board stays connected and in sync.
    await a.sketch.run((element) => element.setAttribute('ice-servers', '[{"urls": not json'))
    expect(await a.sketch.run((element) => element.iceServers)).toEqual([])
    const afterIce = await b.sketch.drawStroke(wave(80, 200, 300, 30))
    await a.sketch.waitFor('B’s stroke after ice-servers', (element, id) => element.exportJSON().shapes.some((shape) => shape.id === id), afterIce.id)
    expect(await a.sketch.peerCount()).toBe(1)
    expect(a.peer.log.some((line) => line.startsWith('[warning]') && line.includes('ice-servers')), 'a console warning about ice-servers').toBe(true)

    // board and key: A's #notes leaves its room (B's #notes is alone) and joins the new one.
    const moved = { board: 'embed-test-moved', key: 'Zx8kP2qLm9Tn4Rv7Wy1bHc' }
    const noteInOldRoom = await b.notes.drawStroke(spiral(280, 220, 90, 2, 50))
    await a.notes.waitFor('B’s note', (element, id) => element.exportJSON().shapes.some((shape) => shape.id === id), noteInOldRoom.id)
    const beforeMove = await eventCount(a.peer)
    await a.notes.run((element, moved) => {
      element.setAttribute('board', moved.board)
      element.setAttribute('key', moved.key)
    }, moved)
    await waitForEvent(a.peer, { type: 'mesh-ready', id: 'notes', detail: { board: moved.board } }, beforeMove)
    await b.notes.waitForPeerCount(0)
    expect(await a.notes.exportJSON(), 'A’s #notes on the new board').toEqual({ version: BOARD_JSON_VERSION, shapes: [] })
    await b.notes.run((element, moved) => {
      element.setAttribute('board', moved.board)
      element.setAttribute('key', moved.key)
    }, moved)
    await Promise.all([a.notes.waitForPeerCount(1), b.notes.waitForPeerCount(1)])
    const noteInNewRoom = await b.notes.drawStroke(wave(80, 260, 300, 40))
    await a.notes.waitFor('B’s note in the new room', (element, id) => element.exportJSON().shapes.some((shape) => shape.id === id), noteInNewRoom.id)
    expect(await a.notes.exportJSON()).toEqual({ version: BOARD_JSON_VERSION, shapes: [noteInNewRoom] })
    expect(await a.sketch.peerCount(), 'A’s #sketch is still connected').toBe(1)
  })

  it('refuses every edit on a readonly board, and still shows remote ones', async () => {
    const { a, b } = await twoEmbedPages()
    const own = await a.sketch.drawStroke(wave(80, 160, 380, 40))
    await b.sketch.waitFor('A’s stroke', (element, id) => element.exportJSON().shapes.some((shape) => shape.id === id), own.id)

    expect(await hasPart(a.sketch, 'mesh-toolbar')).toBe(true)
    await a.sketch.run((element) => element.setAttribute('readonly', ''))
    await a.sketch.waitFor('the toolbar to go', (element) => element.readonly && element.shadowRoot!.querySelector('mesh-toolbar') === null)
    const before = await a.sketch.exportJSON()

    // A mouse drag draws nothing. (The board has handled it once the pointerup reached the window.)
    await drag(a.sketch, [150, 300], [350, 220])
    expect(await a.sketch.exportJSON(), 'A’s board after a drag').toEqual(before)
    expect(await shapeIds(b.sketch), 'B’s board after A’s drag').toEqual([own.id])

    // Ctrl+Z, with the board focused (the drag focused it), undoes nothing.
    expect(await a.peer.page.evaluate(() => document.activeElement?.id)).toBe('sketch')
    const keys = (await keydowns(a.peer)).length
    await a.peer.page.keyboard.press('Control+z')
    await waitForKeydowns(a.peer, keys + 2)
    expect(await a.sketch.exportJSON(), 'A’s board after Ctrl+Z').toEqual(before)

    const thrown = await a.sketch.run((element, version) => {
      try {
        element.importJSON({ version, shapes: [] })
        return null
      } catch (error) {
        return (error as Error).name
      }
    }, BOARD_JSON_VERSION)
    expect(thrown).toBe('ReadonlyBoardError')
    expect(await a.sketch.exportJSON(), 'A’s board after importJSON').toEqual(before)

    // Others still edit the board, and A sees it.
    const remote = await b.sketch.drawStroke(spiral(300, 240, 80, 2, 40))
    await a.sketch.waitFor('B’s stroke on the readonly board', (element, id) => element.exportJSON().shapes.some((shape) => shape.id === id), remote.id)
    expect(await shapeIds(a.sketch)).toEqual([own.id, remote.id])
    expect(await shapeIds(b.sketch)).toEqual([own.id, remote.id])

    // Without readonly, the same Ctrl+Z undoes A's stroke: the checks above could have failed.
    await a.sketch.run((element) => element.removeAttribute('readonly'))
    await a.sketch.waitFor('the toolbar to return', (element) => !element.readonly && element.shadowRoot!.querySelector('mesh-toolbar') !== null)
    await a.peer.page.keyboard.press('Control+z')
    await a.sketch.waitFor('A’s stroke undone', (element, id) => !element.exportJSON().shapes.some((shape) => shape.id === id), own.id)
    expect(await shapeIds(a.sketch)).toEqual([remote.id])
  })

  it('still pans and zooms a readonly board', async () => {
    const server = await e2e.server()
    const a = await openEmbedPage(await launch('A'), server.url)
    await a.sketch.run((element) => element.setAttribute('readonly', ''))
    await a.sketch.waitFor('the toolbar to go', (element) => element.readonly && element.shadowRoot!.querySelector('mesh-toolbar') === null)
    const box = await a.sketch.box()

    // docs/embedding.md: "view only: no tools, no edits (panning, zooming and presence still work)".
    const beforeZoom = (await a.sketch.ownViewport())!
    await a.peer.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await a.peer.page.mouse.wheel(0, 400)
    await a.sketch.waitFor(
      'the wheel to zoom the readonly board out',
      (element, width) => ((element.awareness!.getLocalState() as { viewport?: { width: number } }).viewport?.width ?? 0) > width,
      beforeZoom.width,
    )

    const beforePan = (await a.sketch.ownViewport())!
    await drag(a.sketch, [150, 300], [350, 220])
    const afterPan = (await a.sketch.ownViewport())!
    // Dragging the view right and up by (200, -80) CSS pixels shows what is left of and below it.
    expect(afterPan.x, 'the readonly board’s camera after a 200 px drag to the right (it must pan)').toBeLessThan(beforePan.x - 100)
    expect(afterPan.y).toBeGreaterThan(beforePan.y)
    expect(await a.sketch.exportJSON()).toEqual({ version: BOARD_JSON_VERSION, shapes: [] })
  })

  it('closes its peer connections when removed, and reconnects when put back', async () => {
    const server = await e2e.server()
    const [peerA, peerB] = await Promise.all([launch('A'), launch('B')])
    const a = await openEmbedPage(peerA, server.url)
    expect(await peerConnectionStates(peerA), 'A’s RTCPeerConnections before B').toEqual([])

    // B is on a blank host page of its own origin and joins the rooms one after the other, so
    // that A's connections are, in creation order, first those of #notes, then those of #sketch.
    const hostB = await hostServer()
    await peerB.page.goto(hostB.url('blank.html', server.url))
    await waitForLibrary(peerB)
    const notesB = await addBoard(peerB, { id: 'notes', ...NOTES })
    await Promise.all([a.notes.waitForPeerCount(1), notesB.waitForPeerCount(1)])
    const notesConnections = await peerConnectionStates(peerA)
    expect(notesConnections, 'A’s connections of #notes').toContain('connected')
    expect(await a.sketch.peerCount()).toBe(0)

    const sketchB = await addBoard(peerB, { id: 'sketch', ...SKETCH })
    await Promise.all([a.sketch.waitForPeerCount(1), sketchB.waitForPeerCount(1)])
    const all = await peerConnectionStates(peerA)
    const sketchConnections = all.slice(notesConnections.length)
    expect(sketchConnections, 'A’s connections of #sketch').toContain('connected')

    await a.sketch.run((element) => {
      ;(window as unknown as { removedBoard: Element }).removedBoard = element
      element.remove()
    })
    const n = notesConnections.length
    try {
      await peerA.page.waitForFunction(
        (n) => {
          const list = (window as unknown as { __meshTestConnections: RTCPeerConnection[] }).__meshTestConnections
          return list.length > n && list.slice(n).every((connection) => connection.connectionState === 'closed')
        },
        n,
        { timeout: WAIT_MS },
      )
    } catch {
      expect(await peerConnectionStates(peerA), 'A’s connections after removing #sketch (the first ones are #notes’)').toEqual([
        ...notesConnections.map(() => expect.any(String)),
        ...sketchConnections.map(() => 'closed'),
      ])
    }
    await sketchB.waitForPeerCount(0)

    // The other board of the page is untouched: still connected, still in sync.
    const notesNow = (await peerConnectionStates(peerA)).slice(0, n)
    expect(
      notesNow.filter((state, i) => notesConnections[i] === 'connected' && state === 'connected').length,
      `A’s #notes connections, connected before: ${notesConnections.join()}; now: ${notesNow.join()}`,
    ).toBe(notesConnections.filter((state) => state === 'connected').length)
    expect(await a.notes.peerCount()).toBe(1)
    expect(await notesB.peerCount()).toBe(1)
    const note = await notesB.drawStroke(wave(80, 200, 380, 40))
    await a.notes.waitFor('B’s note', (element, id) => element.exportJSON().shapes.some((shape) => shape.id === id), note.id)

    // Back on the page, it reconnects.
    await peerA.page.evaluate(() => document.querySelector('main')!.prepend((window as unknown as { removedBoard: Element }).removedBoard))
    await Promise.all([a.sketch.waitForPeerCount(1), sketchB.waitForPeerCount(1)])
    expect((await peerConnectionStates(peerA)).length, 'A’s connections after putting #sketch back').toBeGreaterThan(all.length)
    const again = await sketchB.drawStroke(spiral(280, 200, 80, 2, 40))
    await a.sketch.waitFor('B’s sketch stroke after reconnecting', (element, id) => element.exportJSON().shapes.some((shape) => shape.id === id), again.id)
  })

  it('takes keys only while focused, and the wheel zooms the board without scrolling the page', async () => {
    const server = await e2e.server()
    const a = await openEmbedPage(await launch('A'), server.url)
    const { page } = a.peer

    // Focus on the host page: H is the page's key, not the board's.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true)
    expect(await a.sketch.run((element) => element.tool)).toBe('pen')
    let keys = (await keydowns(a.peer)).length
    await page.keyboard.press('h')
    await waitForKeydowns(a.peer, keys + 1)
    expect(await a.sketch.run((element) => element.tool), '#sketch tool after H on the page').toBe('pen')
    expect(await a.notes.run((element) => element.tool), '#notes tool after H on the page').toBe('pen')

    // Clicked, the board has focus and H picks its hand tool (only that board's).
    const box = await a.sketch.box()
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sketch')
    keys = (await keydowns(a.peer)).length
    await page.keyboard.press('h')
    await waitForKeydowns(a.peer, keys + 1)
    expect(await a.sketch.run((element) => element.tool), '#sketch tool after H on the board').toBe('hand')
    expect(await a.notes.run((element) => element.tool)).toBe('pen')

    // A page taller than the window: the wheel over the board zooms it, and the page stays put.
    await page.evaluate(() => (document.body.style.height = '3000px'))
    expect(await page.evaluate(() => document.documentElement.scrollHeight > innerHeight + 1000)).toBe(true)
    expect(await page.evaluate(() => scrollY)).toBe(0)
    const before = await a.sketch.ownViewport()
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.wheel(0, 400)
    await a.sketch.waitFor(
      'the wheel to zoom the board out',
      (element, width) => ((element.awareness!.getLocalState() as { viewport?: { width: number } }).viewport?.width ?? 0) > width,
      before!.width,
    )
    // Two frames after the board handled the wheel, a scroll it let through would have happened.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    expect(await page.evaluate(() => scrollY), 'scrollY after the wheel over the board').toBe(0)
    expect(await scrollEvents(a.peer), 'scroll events after the wheel over the board').toBe(0)

    // Over the board's panels too (here the status pill, bottom left): they are part of the board.
    await page.mouse.move(box.x + 40, box.y + box.height - 26)
    const zoomed = await a.sketch.ownViewport()
    await page.mouse.wheel(0, 400)
    await a.sketch.waitFor(
      'the wheel over a panel to zoom the board out',
      (element, width) => ((element.awareness!.getLocalState() as { viewport?: { width: number } }).viewport?.width ?? 0) > width,
      zoomed!.width,
    )
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    expect(await page.evaluate(() => scrollY), 'scrollY after the wheel over a panel').toBe(0)

    // The same wheel over the page itself does scroll it: the check above could have failed.
    await page.mouse.move(box.x + box.width / 2, 10)
    await page.mouse.wheel(0, 400)
    await page.waitForFunction(() => scrollY > 0, null, { timeout: WAIT_MS })
  })
})
