/**
 * A board without a mouse: Tab into it, arrow keys from shape to shape in reading order, Enter to
 * select, arrows to move, Ctrl+arrows to resize, Delete; and a live region that tells a screen
 * reader each step. Another person sees every change.
 */
import { describe, expect, it } from 'vitest'
import { BOARD_JSON_VERSION, type BoardJSON, type ShapeJSON } from '../../src/model/board-json'
import type { Peer } from '../helpers/browser'
import { useE2E } from '../helpers/e2e'

const e2e = useE2E()

const box = (x: number, y: number, width: number, height: number, type: 'rectangle' | 'ellipse' = 'rectangle') =>
  ({ type, x, y, width, height, rotation: 0, color: '#1e1e1e', strokeWidth: 2, opacity: 1, fill: null }) as unknown as ShapeJSON

/** Waits until the board's live region says `text` (what a screen reader reads out). */
async function waitForAnnouncement(peer: Peer, text: string): Promise<void> {
  await peer.page.locator('mesh-board').locator('.announcer').filter({ hasText: text }).waitFor()
}

describe('the keyboard', () => {
  it('walks the shapes in reading order, selects, moves, resizes and deletes them, and says so', async () => {
    const server = await e2e.server()
    const [a, b] = await Promise.all([e2e.peer('A'), e2e.peer('B')])
    const url = await a.createBoard(server.url)
    await b.open(url)
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
    // Made out of reading order: the ellipse at the bottom first, then the right one, then the left.
    await a.importJSON({ version: BOARD_JSON_VERSION, shapes: [box(150, 400, 80, 60, 'ellipse'), box(500, 100, 200, 120), box(100, 110, 120, 90)] } as BoardJSON)
    await b.waitForShapeCount(3)

    // The board has the focus from the start (for its shortcuts): Tab goes on to its menu, and back.
    await a.page.keyboard.press('Tab')
    await a.page.keyboard.press('Shift+Tab')
    await waitForAnnouncement(a, 'Arrow keys go from shape to shape')
    await a.page.keyboard.press('ArrowRight')
    await waitForAnnouncement(a, 'Rectangle, 120 by 90 (1 of 3)')
    await a.page.keyboard.press('ArrowRight')
    await waitForAnnouncement(a, 'Rectangle, 200 by 120 (2 of 3)')
    await a.page.keyboard.press('ArrowDown')
    await waitForAnnouncement(a, 'Ellipse, 80 by 60 (3 of 3)')
    await a.page.keyboard.press('ArrowUp')
    await waitForAnnouncement(a, 'Rectangle, 200 by 120 (2 of 3)')

    await a.page.keyboard.press('Enter')
    await waitForAnnouncement(a, 'Selected: Rectangle, 200 by 120')
    await a.page.keyboard.press('Shift+ArrowRight')
    await a.page.keyboard.press('ArrowDown')
    await a.page.keyboard.press('Control+Shift+ArrowRight')
    await a.page.keyboard.press('Control+ArrowUp')
    await waitForAnnouncement(a, 'Rectangle, 210 by 119')
    const moved = (shapes: readonly ShapeJSON[]) => shapes.find((shape) => shape.type === 'rectangle' && shape.x === 510)
    await expect.poll(async () => moved((await b.exportJSON()).shapes)).toMatchObject({ x: 510, y: 101, width: 210, height: 119 })

    await a.page.keyboard.press('Delete')
    await waitForAnnouncement(a, 'Nothing selected')
    await b.waitForShapeCount(2)
    // Undone from the keyboard too: the rectangle is back for both.
    await a.page.keyboard.press('Control+z')
    await b.waitForShapeCount(3)
  })
})
