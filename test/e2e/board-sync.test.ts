/**
 * Two users, each in their own Chromium process, on one board through the real server: what one
 * draws reaches the other over a WebRTC DataChannel, and a late joiner gets a board far bigger
 * than one DataChannel message. Two tabs of one browser share a board through the browser itself.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { BOARD_JSON_VERSION, type BoardJSON, type StrokeJSON } from '../../src/model/board-json'
import { encodeInNode, generateBoard, spiral, wave } from '../helpers/boards'
import { openTab, WAIT_MS, type Peer, type Point } from '../helpers/browser'
import { expectBoard, useE2E } from '../helpers/e2e'
import { addBoard, startHostServer, waitForLibrary, type HostBoard } from '../helpers/host-page'

const e2e = useE2E()

/** Page script: from its first shape on, each frame's shape count and `loading`, until everything is in and drawn. */
const RECORD_ARRIVAL = `(() => {
  const arrival = (window.__arrival = [])
  const frame = () => {
    const el = document.querySelector('mesh-board')
    const shapes = el?.doc?.getMap('shapes').size ?? 0
    if (shapes > 0) arrival.push([shapes, el.loading])
    if (shapes === 0 || el.loading) requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
})()`

/** A on a new board, B on its URL, connected to each other. */
async function twoPeersOnOneBoard(): Promise<{ a: Peer; b: Peer; url: string }> {
  const server = await e2e.server()
  const [a, b] = await Promise.all([e2e.peer('A'), e2e.peer('B')])
  const url = await a.createBoard(server.url)
  await b.open(url)
  await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
  return { a, b, url }
}

/** What a mouse stroke along `path` must become with the default pen (Ink, Medium). */
function expectedMouseStroke(path: readonly Point[]): StrokeJSON {
  return {
    id: expect.any(String) as unknown as string,
    type: 'stroke',
    x: path[0]![0],
    y: path[0]![1],
    rotation: 0,
    color: '#1e1e1e',
    strokeWidth: 4,
    opacity: 1,
    points: path.map(([x, y]) => [x, y]),
  }
}

describe('two browsers on one board', () => {
  it('shows a stroke drawn with the mouse on A on B, and one drawn on B on A', async () => {
    const { a, b } = await twoPeersOnOneBoard()

    const pathA = wave(250, 260, 600, 70)
    const strokeA = await a.drawStroke(pathA)
    // The ink lands under the mouse: board coordinates are the page's CSS pixels with the default camera.
    expect(strokeA).toEqual(expectedMouseStroke(pathA))
    await expectBoard(b, { version: BOARD_JSON_VERSION, shapes: [strokeA] })

    const pathB = spiral(500, 450, 120, 2.5, 90)
    const strokeB = await b.drawStroke(pathB)
    expect(strokeB).toEqual(expectedMouseStroke(pathB))
    await expectBoard(a, { version: BOARD_JSON_VERSION, shapes: [strokeA, strokeB] })

    expect(await a.exportJSON()).toEqual(await b.exportJSON())
  })

  it('carries the stroke over an RTCDataChannel between the two processes', async () => {
    const { a, b } = await twoPeersOnOneBoard()
    expect(await a.peerCount()).toBe(1)
    expect(await b.peerCount()).toBe(1)
    const before = await b.dataChannelStats()
    expect(before.connections, 'RTCPeerConnections in B').toBeGreaterThanOrEqual(1)

    const stroke = await a.drawStroke(spiral(500, 380, 260, 4, 150))
    await expectBoard(b, { version: BOARD_JSON_VERSION, shapes: [stroke] })

    const after = await b.dataChannelStats()
    // The smallest the stroke can be on any wire: its encoding in a fresh document, all at once.
    const strokeBytes = encodeInNode({ version: BOARD_JSON_VERSION, shapes: [stroke] }).bytes
    expect(strokeBytes).toBeGreaterThan(500)
    expect(after.bytesReceived - before.bytesReceived, `B's data-channel bytes received for a ${strokeBytes}-byte stroke`).toBeGreaterThanOrEqual(strokeBytes)
    expect(after.messagesReceived).toBeGreaterThan(before.messagesReceived)
    expect(await a.peerCount()).toBe(1)
    expect(await b.peerCount()).toBe(1)
  })

  it('gives a late joiner a board of several megabytes', async () => {
    const generated = generateBoard({ strokes: 3000, pointsPerStroke: 300, seed: 20240611 })
    const text = JSON.stringify(generated)
    const inNode = encodeInNode(generated)
    // Far above Chromium's 256 KiB DataChannel message limit: only a chunking transport delivers it.
    expect(inNode.bytes, 'encoded size of the generated board').toBeGreaterThan(2_000_000)
    // On the document's grid, the board exports exactly as generated: the hash below says all of it.
    expect(JSON.stringify(inNode.exported) === text, 'the generated board survives import and export in Node').toBe(true)
    const expected = {
      shapes: generated.shapes.length,
      points: generated.shapes.length * 300,
      sha256: createHash('sha256').update(text).digest('hex'),
    }

    // From a peer alone: the server keeps no copy here (server-copy.test.ts joins from the copy).
    const server = await e2e.server({ env: { STORE: 'off' } })
    const [a, b] = await Promise.all([e2e.peer('A'), e2e.peer('B')])
    const url = await a.createBoard(server.url)
    await a.importJSON(text)

    // Every frame while the board arrives, B's shape count and whether it says it is loading.
    await b.context.addInitScript({ content: RECORD_ARRIVAL })
    await b.open(url)
    await b.waitForPeerCount(1)
    // The board comes in pieces (joiner-answers.ts): all shapes may be there before all points are.
    // `loading` turns false only once the last piece is in and drawn.
    await b.waitForShapeCount(generated.shapes.length, 250)
    await b.page.waitForFunction(() => !document.querySelector('mesh-board')!.loading, null, { timeout: WAIT_MS })
    expect(await b.digest(), "B's board").toEqual(expected)
    const arrival = await b.page.evaluate(() => (window as unknown as { __arrival: [number, boolean][] }).__arrival)
    // Applied piece by piece, with frames in between (the page did not freeze until the end)...
    expect(arrival.some(([shapes]) => shapes < generated.shapes.length), 'frames with part of the board').toBe(true)
    // ...and never said to be loaded while only part of it was there.
    expect(arrival.filter(([shapes, loading]) => shapes < generated.shapes.length && !loading), 'frames with part of the board, not loading').toEqual([])
    expect(await a.digest(), "A's board").toEqual(expected)

    const stats = await b.dataChannelStats()
    // Deflated on the wire (chunked-channel.ts): well under the encoded board, still many chunks.
    expect(stats.bytesReceived, "B's data-channel bytes received").toBeLessThan(inNode.bytes * 0.6)
    expect(stats.bytesReceived, "B's data-channel bytes received").toBeGreaterThan(1_000_000)
    // What B received from A does not go back to A (relay-filter.ts): a joiner downloads a board, it
    // does not upload it again. B sends its state vector, presence and acknowledgements: kilobytes.
    expect(stats.bytesSent, "B's data-channel bytes sent").toBeLessThan(stats.bytesReceived / 20)
  })

  it('brings a peer an import of 20,000 shapes as pieces it takes, and nobody is refused', async () => {
    // One transaction of about 240,000 structs: more than a receiver takes in one update
    // (update-screen.ts), so it must go out in pieces (relay-filter.ts, update-pieces.ts).
    const shapes = Array.from({ length: 20_000 }, (_, i) => ({
      type: 'rectangle',
      x: (i % 200) * 12,
      y: Math.floor(i / 200) * 12,
      width: 8,
      height: 8,
      rotation: 0,
      color: '#1e1e1e',
      strokeWidth: 2,
      opacity: 1,
      fill: null,
    }))
    const server = await e2e.server({ env: { STORE: 'off' } })
    const [a, b] = await Promise.all([e2e.peer('A'), e2e.peer('B')])
    const url = await a.createBoard(server.url)
    await b.open(url)
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
    await a.importJSON({ version: BOARD_JSON_VERSION, shapes } as BoardJSON)
    await b.waitForShapeCount(shapes.length, 250)
    expect(await b.digest()).toEqual(await a.digest())
    expect(await a.peerCount()).toBe(1)
    expect(await b.peerCount()).toBe(1)
    expect(b.log.join('\n')).not.toMatch(/refused/)
  })

  it('keeps two tabs of one browser in step through the browser alone, with no signaling at all', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A')
    // Every signaling socket of this browser is refused: the tabs can only find each other through
    // y-webrtc's BroadcastChannel (tab-channel.ts lets other tabs' messages through, not the tab's own).
    await a.context.routeWebSocket(/\/signal$/, (socket) => socket.close())
    const url = await a.createBoard(server.url)
    const tab = await openTab(a, 'A, second tab')
    await tab.open(url)

    const first = await a.drawStroke(wave(220, 240, 560, 60))
    await expectBoard(tab, { version: BOARD_JSON_VERSION, shapes: [first] })
    const second = await tab.drawStroke(spiral(480, 420, 110, 2.5, 80))
    await expectBoard(a, { version: BOARD_JSON_VERSION, shapes: [first, second] })

    expect(await a.status()).toBe('offline')
    expect(await a.peerCount(), 'WebRTC connections: none, the strokes went tab to tab').toBe(0)
    expect(tab.pageErrors, 'page errors in the second tab').toEqual([])
    await tab.close()
  })

  it('brings a tab opened later up to date through the browser alone, for a board kept on no device', async () => {
    const server = await e2e.server()
    const host = await startHostServer()
    try {
      const a = await e2e.peer('A')
      await a.context.routeWebSocket(/\/signal$/, (socket) => socket.close())
      // persist="false": nothing reaches IndexedDB, so the later tab can learn the board only from the first.
      const attributes = { id: 'tabs', board: 'two-tabs-no-storage', key: 'Tq7hX2mP9vL4sB1nW8cZeA', persist: 'false' }
      const open = async (peer: Peer) => {
        await peer.page.goto(host.url('blank.html', server.url))
        await waitForLibrary(peer)
        const board = await addBoard(peer, attributes)
        await board.waitFor('the board', (element) => !!element.doc)
        return board
      }
      const hasShape = (board: HostBoard, id: string) =>
        board.waitFor(`shape ${id}`, (element, wanted) => element.exportJSON().shapes.some((shape) => shape.id === wanted), id)

      const first = await open(a)
      // Drawn while no other tab has the board: this tab has told nobody of it.
      const drawnAlone = await first.drawStroke(wave(60, 120, 300, 40))
      const tab = await openTab(a, 'A, second tab')
      const second = await open(tab)
      await hasShape(second, drawnAlone.id)

      const fromSecond = await second.drawStroke(spiral(280, 240, 80, 2, 40))
      await hasShape(first, fromSecond.id)
      const fromFirst = await first.drawStroke(wave(60, 320, 300, 30))
      await hasShape(second, fromFirst.id)
      expect(await second.exportJSON()).toEqual(await first.exportJSON())
      expect((await first.exportJSON()).shapes).toHaveLength(3)
      expect(a.pageErrors, 'page errors in the first tab').toEqual([])
      expect(tab.pageErrors, 'page errors in the second tab').toEqual([])
      await tab.close()
    } finally {
      await host.close()
    }
  })
})
