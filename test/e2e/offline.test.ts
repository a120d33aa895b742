/**
 * Offline-first: a board lives on the device. Strokes survive a reload that comes right after
 * them, drawing goes on while the server is down, and what was drawn alone reaches the next peer.
 */
import { describe, expect, it } from 'vitest'
import { BOARD_JSON_VERSION, type BoardJSON, type StrokeJSON } from '../../src/model/board-json'
import { arc, spiral, star, wave } from '../helpers/boards'
import { expectBoard, useE2E } from '../helpers/e2e'

const e2e = useE2E()

const board = (shapes: StrokeJSON[]): BoardJSON => ({ version: BOARD_JSON_VERSION, shapes })

describe('offline', () => {
  it('keeps the board on the device through reloads and a server outage, then syncs it', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A')
    const url = await a.createBoard(server.url)
    await a.waitForStatus('connected')

    // No waiting at all between the last point and the reload: the stroke's tail is still in the
    // write batch when the page goes away, so only the flush on pagehide can save it. Three rounds,
    // because a batch that happened to be written just before the reload would hide a lost flush.
    const drawn: StrokeJSON[] = []
    for (const path of [wave(250, 200, 500, 50), spiral(700, 400, 110, 3, 70), wave(250, 560, 450, -30, 6)]) {
      drawn.push(await a.drawStroke(path))
      await a.reload()
      expect(await a.exportJSON(), `A right after reloading on stroke ${drawn.length}`).toEqual(board(drawn))
    }

    await server.stop()
    await a.waitForStatus('offline')
    const offline1 = await a.drawStroke(star(300, 420, 110, 45))
    const offline2 = await a.drawStroke(arc(560, 300, 150, 0.2, 2.9, 50))
    const drawnAlone = board([...drawn, offline1, offline2])
    expect(await a.exportJSON(), 'A while the server is down').toEqual(drawnAlone)
    expect(await a.status()).toBe('offline')
    const inkAlone = await a.inkPixels()
    expect(inkAlone, 'ink on A while the server is down').toBeGreaterThan(1000)

    const restarted = await e2e.server({ port: server.port })
    await a.reload()
    await a.waitForStatus('connected')
    expect(await a.peerCount(), 'nobody else is on the board').toBe(0)
    expect(await a.exportJSON(), 'A after reloading alone').toEqual(drawnAlone)
    // And it is on screen, not only in the document: the same strokes, the same ink.
    await expect.poll(() => a.inkPixels(), { timeout: 10_000, message: 'ink on A after reloading' }).toBe(inkAlone)

    const b = await e2e.peer('B')
    await b.open(url)
    expect(restarted.url).toBe(server.url)
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
    await expectBoard(b, drawnAlone)
  })
})
