/**
 * The README's picture: two browsers on one board, each with strokes of its own in the toolbar's
 * colours, composed side by side into docs/screenshots/two-browsers.png. It is also a test that
 * colour and width chosen in the toolbar travel with the stroke.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { arc, spiral, star, wave } from '../helpers/boards'
import type { Peer, Point } from '../helpers/browser'
import { expectBoard, useE2E } from '../helpers/e2e'
import { REPO_ROOT } from '../helpers/server'

const e2e = useE2E()
const VIEWPORT = { width: 760, height: 540 }
const OUTPUT = join(REPO_ROOT, 'docs', 'screenshots', 'two-browsers.png')

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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
}

function composition(shots: { label: string; address: string; png: Buffer }[]): string {
  const windows = shots
    .map(
      ({ label, address, png }) => `
      <figure>
        <figcaption>${escapeHtml(label)}</figcaption>
        <div class="window">
          <div class="bar"><i></i><i></i><i></i><span>${escapeHtml(address)}</span></div>
          <img src="data:image/png;base64,${png.toString('base64')}" width="${VIEWPORT.width}" height="${VIEWPORT.height}" alt="">
        </div>
      </figure>`,
    )
    .join('')
  return `<!doctype html><html><head><style>
    html, body { margin: 0; }
    body { background: linear-gradient(135deg, #e7ecff 0%, #f3f0ff 50%, #fff4e6 100%); font: 15px/1.4 system-ui, sans-serif; color: #1e1e1e; }
    main { display: inline-flex; gap: 36px; padding: 28px 36px 34px; }
    figure { margin: 0; }
    figcaption { font-weight: 600; font-size: 17px; margin: 0 0 10px 4px; letter-spacing: 0.01em; }
    .window { border-radius: 12px; overflow: hidden; background: #fff; box-shadow: 0 2px 6px rgb(0 0 0 / 10%), 0 18px 40px rgb(30 30 60 / 18%); }
    .bar { display: flex; align-items: center; gap: 7px; height: 34px; padding: 0 12px; background: #f1f3f5; border-bottom: 1px solid #dee2e6; }
    .bar i { width: 11px; height: 11px; border-radius: 50%; background: #ced4da; }
    .bar i:nth-child(1) { background: #ff6b6b; } .bar i:nth-child(2) { background: #fcc419; } .bar i:nth-child(3) { background: #51cf66; }
    .bar span { flex: 1; margin-left: 10px; padding: 4px 12px; border-radius: 999px; background: #fff; color: #495057; font-size: 12px;
      white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    img { display: block; }
  </style></head><body><main>${windows}</main></body></html>`
}

describe('README screenshot', () => {
  it('shows both browsers with the same colourful board', async () => {
    const server = await e2e.server()
    const [a, b] = await Promise.all([e2e.peer('A', { viewport: VIEWPORT }), e2e.peer('B', { viewport: VIEWPORT })])
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
    expect(strokes.map((stroke) => [stroke.color, stroke.width])).toEqual(
      (['Red', 'Blue', 'Green', 'Orange', 'Violet'] as const).map((name) => [PALETTE[name], 8]),
    )
    const expected = { version: 1, shapes: strokes }
    await Promise.all([expectBoard(a, expected), expectBoard(b, expected)])
    await Promise.all([settled(a), settled(b)])
    expect(await a.inkPixels()).toBe(await b.inkPixels())

    // Without the port and the random board id, the picture is the same on every run: no churn in git.
    const shown = `${new URL(url).hostname}/#board=…&key=…`
    const [shotA, shotB] = await Promise.all([a.page.screenshot(), b.page.screenshot()])
    const canvas = await a.context.newPage()
    await canvas.setViewportSize({ width: 2 * VIEWPORT.width + 36 + 72, height: VIEWPORT.height + 140 })
    await canvas.setContent(
      composition([
        { label: 'Browser A', address: shown, png: shotA },
        { label: 'Browser B', address: shown, png: shotB },
      ]),
    )
    await mkdir(join(REPO_ROOT, 'docs', 'screenshots'), { recursive: true })
    const png = await canvas.locator('main').screenshot({ animations: 'disabled' })
    await writeFile(OUTPUT, png)
    expect(png.byteLength).toBeGreaterThan(10_000)
  })
})
