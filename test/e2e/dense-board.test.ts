/**
 * Drawing on a dense board (src/render/live-shapes.ts): with thousands of strokes under the pen,
 * the stroke being drawn must show as it is drawn, not once the pen stops, and stay where it is
 * once the board's tiles take it.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { exportBoardFile, importBoard } from '../../src/model/board-json'
import { generateBoard } from '../helpers/boards'
import type { Peer, PixelRect } from '../helpers/browser'
import { useE2E } from '../helpers/e2e'

const e2e = useE2E()

/**
 * 8,000 strokes of 100 points over 4,000 × 3,000 units, seen from the farthest zoom: all of them
 * in a few tiles, each many frames' drawing budgets to draw again.
 */
const STROKES = 8_000
/** Where the pen goes, in CSS pixels of the default 1000 × 700 viewport: on the board, in the middle. */
const PATH_AREA: PixelRect = { x: 430, y: 300, width: 140, height: 100 }
/** Pixels of the path's area that must change for the stroke to count as shown: a fraction of its ink. */
const SHOWN_PIXELS = 150
const WAIT_MS = 30_000

/** The board as a .meshboard file's text (format 2: a few megabytes, not tens). */
function denseBoardFile(): string {
  const doc = new Y.Doc()
  importBoard(doc, generateBoard({ strokes: STROKES, pointsPerStroke: 100, seed: 23 }))
  const text = JSON.stringify(exportBoardFile(doc))
  doc.destroy()
  return text
}

/** Points of a zigzag across PATH_AREA, `count` of them, one move each. */
function zigzag(count: number): [number, number][] {
  return Array.from({ length: count }, (_, i) => {
    const t = i / (count - 1)
    return [PATH_AREA.x + 5 + t * (PATH_AREA.width - 10), PATH_AREA.y + 5 + (i % 2 === 0 ? 0 : PATH_AREA.height - 10)] as [number, number]
  })
}

/**
 * In the page: takes how the path's area looks now (the board's canvases laid over each other, as
 * the screen shows them), and from then on counts, every frame, how many of its pixels differ,
 * keeping the highest count: `window.__changed`.
 */
function watchPathArea(peer: Peer): Promise<void> {
  return peer.page.evaluate((rect) => {
    const board = document.querySelector('mesh-board')!
    const canvases = [...board.shadowRoot!.querySelectorAll('canvas')]
    const ratio = canvases[0]!.width / canvases[0]!.getBoundingClientRect().width
    const width = Math.ceil(rect.width * ratio)
    const height = Math.ceil(rect.height * ratio)
    const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true })!
    const snapshot = () => {
      const origin = board.getBoundingClientRect()
      context.clearRect(0, 0, width, height)
      for (const canvas of canvases) {
        const frame = canvas.getBoundingClientRect()
        context.drawImage(canvas, (rect.x + origin.left - frame.left) * ratio, (rect.y + origin.top - frame.top) * ratio, width, height, 0, 0, width, height)
      }
      return context.getImageData(0, 0, width, height).data
    }
    const start = snapshot()
    const changed = () => {
      const now = snapshot()
      let count = 0
      for (let i = 0; i < now.length; i += 4) {
        let difference = 0
        for (let c = 0; c < 4; c++) difference += Math.abs(now[i + c]! - start[i + c]!)
        if (difference > 60) count++
      }
      return count
    }
    const state = { most: 0, watching: true, changed }
    ;(window as unknown as { __changed: typeof state }).__changed = state
    const frame = () => {
      if (!state.watching) return
      state.most = Math.max(state.most, changed())
      requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
  }, PATH_AREA)
}

/** The most pixels of the path's area seen changed in a frame so far; `stop`: and stop watching. */
function mostChanged(peer: Peer, stop = false): Promise<number> {
  return peer.page.evaluate((stopping) => {
    const state = (window as unknown as { __changed: { most: number; watching: boolean } }).__changed
    if (stopping) state.watching = false
    return state.most
  }, stop)
}

/** How many pixels of the path's area differ now from when the watch began. */
function changedNow(peer: Peer): Promise<number> {
  return peer.page.evaluate(() => (window as unknown as { __changed: { changed(): number } }).__changed.changed())
}

describe('drawing on a dense board', () => {
  it('shows the stroke while it is drawn with every stroke in view, and keeps it once drawn', async () => {
    const server = await e2e.server({ env: { STORE: 'off' } })
    const a = await e2e.peer('A')
    await a.createBoard(server.url)
    await a.importJSON(denseBoardFile())
    await a.page.evaluate(() => document.querySelector('mesh-board')!.zoomToFit())
    // The camera's change is drawn from the next frame on: `loading` is then true until it is drawn.
    await a.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    await a.page.waitForFunction(() => !document.querySelector('mesh-board')!.loading, null, { timeout: WAIT_MS })
    for (let step = 0; step < 12; step++) {
      if (await a.page.locator('mesh-board').getByRole('button', { name: 'Zoom 5%, reset to 100%' }).count()) break
      await a.clickToolbar('Zoom out')
    }
    await a.page.locator('mesh-board').getByRole('button', { name: 'Zoom 5%, reset to 100%' }).waitFor({ timeout: WAIT_MS })
    await a.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    await a.page.waitForFunction(() => !document.querySelector('mesh-board')!.loading, null, { timeout: WAIT_MS })
    await a.clickToolbar('Marker stroke')

    // The pen keeps moving, as fast as the page takes mouse moves, until the stroke is seen.
    await watchPathArea(a)
    const points = zigzag(24)
    await a.page.mouse.move(...points[0]!)
    await a.page.mouse.down()
    for (let round = 0; round < 20 && (await mostChanged(a)) < SHOWN_PIXELS; round++) {
      for (const point of round % 2 === 0 ? points : [...points].reverse()) await a.page.mouse.move(...point)
    }
    const seen = await mostChanged(a, true)
    await a.page.mouse.up()
    expect(seen, 'pixels of the path area changed while the pen moved').toBeGreaterThanOrEqual(SHOWN_PIXELS)

    // Once the tiles have taken it (nothing left on the live layer), it is still all there.
    await a.inkPixels()
    expect(await changedNow(a), 'pixels of the path area changed once the stroke is done').toBeGreaterThanOrEqual(0.8 * seen)
    expect(await a.page.evaluate(() => document.querySelector('mesh-board')!.doc!.getMap('shapes').size)).toBe(STROKES + 1)
  })
})
