/**
 * A board's kept view (src/render/kept-view.ts): reopened, a board shows the tiles and takes the
 * shape bounds its last settled view had, but only while the board is exactly what that view
 * showed. What the user sees and can do must not depend on whether the view was kept.
 */
import { describe, expect, it } from 'vitest'
import type { StrokeJSON } from '../../src/model/board-json'
import type { Peer } from '../helpers/browser'
import { useE2E } from '../helpers/e2e'
import { forgetKeptView, paintKeptViewRed, stashKeptView, unstashKeptView, waitUntilViewKept } from '../helpers/kept-view'

const e2e = useE2E()

/** Three strokes across the screen (default 1000 × 700 viewport), far enough apart to erase one alone. */
const STROKES: [number, number][][] = [
  [[250, 200], [450, 205], [650, 200], [800, 210]],
  [[250, 400], [450, 405], [650, 400], [800, 410]],
  [[250, 600], [450, 605], [650, 600], [800, 610]],
]

/** Reloads and waits until the board is drawn: loaded, with nothing left to apply or draw in view. */
async function reopen(peer: Peer): Promise<void> {
  await peer.reload()
  await peer.page.waitForFunction(() => !document.querySelector('mesh-board')!.loading, null, { timeout: 30_000 })
}

/** The shapes canvas as the user sees it: a digest of every pixel, and how many have ink. */
function screen(peer: Peer): Promise<string> {
  return peer.page.evaluate(async () => {
    const canvas = document.querySelector('mesh-board')!.shadowRoot!.querySelector('canvas')!
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
    let ink = 0
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) ink++
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data))
    return `${ink} ink pixels, ${Array.from(digest.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join('')}`
  })
}

/** Reopens without the kept view and expects the board drawn anew to look like `expected`. */
async function expectDrawnAnewAs(peer: Peer, expected: string): Promise<void> {
  await forgetKeptView(peer)
  await reopen(peer)
  expect(await screen(peer), 'reopened without the kept view, drawn anew').toBe(expected)
}

function redPixels(peer: Peer): Promise<number> {
  return peer.page.evaluate(() => {
    const canvas = document.querySelector('mesh-board')!.shadowRoot!.querySelector('canvas')!
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
    let red = 0
    for (let i = 0; i < data.length; i += 4) if (data[i]! > 200 && data[i + 1]! < 40 && data[i + 2]! < 40 && data[i + 3] === 255) red++
    return red
  })
}

/** Drags the eraser down across the middle stroke only. */
async function eraseMiddleStroke(peer: Peer): Promise<void> {
  await peer.page.evaluate(() => document.querySelector('mesh-board')!.setTool('eraser'))
  await peer.page.mouse.move(500, 330)
  await peer.page.mouse.down()
  await peer.page.mouse.move(500, 470, { steps: 10 })
  await peer.page.mouse.up()
  await peer.page.waitForFunction(() => document.querySelector('mesh-board')!.exportJSON().shapes.length === 2, null, { timeout: 10_000 })
}

async function boardOfThree(): Promise<{ a: Peer; strokes: StrokeJSON[] }> {
  const server = await e2e.server()
  const a = await e2e.peer('A')
  await a.createBoard(server.url)
  const strokes: StrokeJSON[] = []
  for (const points of STROKES) strokes.push(await a.drawStroke(points))
  return { a, strokes }
}

describe('kept view', () => {
  it('reopens a board on its kept view: the pixels drawing it anew gives, and strokes that erase at once', async () => {
    const { a, strokes } = await boardOfThree()
    await waitUntilViewKept(a, 3)
    const drawnThree = await screen(a)

    await reopen(a)
    expect(await screen(a), 'reopened on the kept view').toBe(drawnThree)
    await expectDrawnAnewAs(a, drawnThree)

    // Erasing right after reopening: the eraser finds the stroke through the kept bounds, and its
    // points, decoded only now, say it was touched; the tiles under it are drawn again.
    await waitUntilViewKept(a, 3)
    await reopen(a)
    await eraseMiddleStroke(a)
    expect((await a.exportJSON()).shapes).toEqual([strokes[0], strokes[2]])
    await waitUntilViewKept(a, 2)
    await expectDrawnAnewAs(a, await screen(a))

    // And the kept view is what a reopened board shows: its images made red, the screen is red.
    await waitUntilViewKept(a, 2)
    await paintKeptViewRed(a)
    await reopen(a)
    expect(await redPixels(a), 'red pixels of the doctored kept view').toBeGreaterThan(10_000)
  })

  it('draws a board anew when its kept view shows another state of it', async () => {
    const { a, strokes } = await boardOfThree()
    await waitUntilViewKept(a, 3)
    await stashKeptView(a)
    await eraseMiddleStroke(a)
    await waitUntilViewKept(a, 2)
    const erased = await screen(a)

    // The view of the board before the erasure, stored again: its tiles still show the erased
    // stroke, and nothing in the document would make those tiles be drawn again.
    await unstashKeptView(a)
    await reopen(a)
    expect((await a.exportJSON()).shapes).toEqual([strokes[0], strokes[2]])
    expect(await screen(a), 'reopened over a kept view of an older state').toBe(erased)
    // The outdated view is replaced by one of the board as it is.
    await waitUntilViewKept(a, 2)
  })
})
