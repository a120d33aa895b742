/**
 * The README's picture: two browsers on one board, each with strokes of its own in the toolbar's
 * colours, composed side by side into docs/screenshots/two-browsers.png. It is also a test that
 * colour and width chosen in the toolbar travel with the stroke.
 */
import { describe, expect, it } from 'vitest'
import { arc, spiral, star, wave } from '../helpers/boards'
import { presetIdentity, type Peer, type Point } from '../helpers/browser'
import { expectBoard, useE2E } from '../helpers/e2e'
import { writeReadmeScreenshot } from '../helpers/screenshots'

const e2e = useE2E()
const VIEWPORT = { width: 960, height: 600 }

const PALETTE = { Red: '#e03131', Orange: '#f08c00', Green: '#2f9e44', Blue: '#1971c2', Violet: '#9c36b5' } as const
type ColorName = keyof typeof PALETTE

async function drawIn(peer: Peer, color: ColorName, path: readonly Point[]) {
  await peer.clickToolbar(color)
  return peer.drawStroke(path)
}

/** Two animation frames: whatever the document holds has been drawn. */
async function settled(peer: Peer): Promise<void> {
  await peer.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
}



describe('README screenshot', () => {
  it('shows both browsers with the same colourful board', async () => {
    const server = await e2e.server()
    const [a, b] = await Promise.all([e2e.peer('A', { viewport: VIEWPORT }), e2e.peer('B', { viewport: VIEWPORT })])
    // Fixed names and colours: the picture (cursor labels, avatars) is the same on every run.
    await presetIdentity(a, { name: 'Ada Lovelace', color: '#e03131' })
    await presetIdentity(b, { name: 'Ben Carter', color: '#1971c2' })
    const url = await a.createBoard(server.url)
    await b.open(url)
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
    await a.clickToolbar('Bold stroke')
    await b.clickToolbar('Bold stroke')

    const strokes = [
      await drawIn(a, 'Red', wave(70, 150, 620, 28, 6)),
      await drawIn(a, 'Blue', spiral(190, 330, 95, 2.6, 110)),
      await drawIn(b, 'Green', star(560, 320, 100, 42, 5)),
      await drawIn(b, 'Orange', arc(380, 300, 150, 0.35, Math.PI - 0.35, 60)),
      await drawIn(b, 'Violet', wave(400, 462, 300, -10, 6)),
    ]
    expect(strokes.map((stroke) => [stroke.color, stroke.strokeWidth])).toEqual(
      (['Red', 'Blue', 'Green', 'Orange', 'Violet'] as const).map((name) => [PALETTE[name], 8]),
    )
    const expected = { version: 1, shapes: strokes }
    await Promise.all([expectBoard(a, expected), expectBoard(b, expected)])
    await Promise.all([settled(a), settled(b)])
    expect(await a.inkPixels()).toBe(await b.inkPixels())

    // Without the port and the random board id, the picture is the same on every run: no churn in git.
    const shown = `${new URL(url).hostname}/#board=…&key=…`
    const [shotA, shotB] = await Promise.all([a.page.screenshot(), b.page.screenshot()])
    const png = await writeReadmeScreenshot(
      a.context,
      'two-browsers.png',
      [
        { label: 'Browser A', address: shown, png: shotA },
        { label: 'Browser B', address: shown, png: shotB },
      ],
      VIEWPORT,
    )
    expect(png.byteLength).toBeGreaterThan(10_000)
  })
})
