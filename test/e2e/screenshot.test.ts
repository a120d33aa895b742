/**
 * The README's picture: two browsers on one board, each with strokes of its own in the toolbar's
 * colours, composed side by side into two-browsers.png (in test-results/screenshots; `npm run
 * screenshots` refreshes docs/screenshots). It is also a test that colour and width chosen in the
 * toolbar travel with the stroke.
 */
import { describe, expect, it } from 'vitest'
import { arc, spiral, star, wave } from '../helpers/boards'
import type { ToolName } from '../../src/tools/tool'
import { presetIdentity, WAIT_MS, type Peer, type Point } from '../helpers/browser'
import { expectBoard, useE2E } from '../helpers/e2e'
import { browserShots, writeReadmeScreenshot, writeScreenshotFile } from '../helpers/screenshots'

const e2e = useE2E()
const VIEWPORT = { width: 960, height: 600 }
const TOOLS_VIEWPORT = { width: 1280, height: 720 }

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
      // Right of the style panel, which stands at the left edge while the pen is chosen.
      await drawIn(a, 'Red', wave(240, 150, 560, 28, 6)),
      await drawIn(a, 'Blue', spiral(330, 340, 90, 2.6, 110)),
      await drawIn(b, 'Green', star(700, 330, 95, 40, 5)),
      await drawIn(b, 'Orange', arc(520, 310, 140, 0.35, Math.PI - 0.35, 60)),
      await drawIn(b, 'Violet', wave(500, 470, 280, -10, 6)),
    ]
    expect(strokes.map((stroke) => [stroke.color, stroke.strokeWidth])).toEqual(
      (['Red', 'Blue', 'Green', 'Orange', 'Violet'] as const).map((name) => [PALETTE[name], 8]),
    )
    const expected = { version: 1, shapes: strokes }
    await Promise.all([expectBoard(a, expected), expectBoard(b, expected)])
    await Promise.all([settled(a), settled(b)])
    expect(await a.inkPixels()).toBe(await b.inkPixels())

    const shots = await browserShots(url, [
      [a, 'Browser A'],
      [b, 'Browser B'],
    ])
    const png = await writeReadmeScreenshot(a.context, 'two-browsers.png', shots, VIEWPORT)
    expect(png.byteLength).toBeGreaterThan(10_000)
  })

  it('shows the toolbar and a board with every tool', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A', { viewport: TOOLS_VIEWPORT })
    await presetIdentity(a, { name: 'Ada Lovelace', color: '#e03131' })
    await a.createBoard(server.url)
    const tool = (name: ToolName) => a.page.evaluate((tool) => document.querySelector('mesh-board')!.setTool(tool), name)
    const drag = async (from: Point, to: Point) => {
      await a.page.mouse.move(...from)
      await a.page.mouse.down()
      await a.page.mouse.move(...to, { steps: 8 })
      await a.page.mouse.up()
    }
    const typeAt = async (name: 'text' | 'sticky', at: Point, text: string) => {
      await tool(name)
      await a.page.mouse.click(...at)
      await a.page.keyboard.type(text)
      await a.page.keyboard.press('Escape')
    }
    await a.clickToolbar('Bold stroke')
    await drawIn(a, 'Blue', wave(250, 120, 300, 18, 4))
    await tool('highlighter')
    await a.clickToolbar('Orange')
    await drag([250, 180], [520, 180])
    await tool('rectangle')
    await a.clickToolbar('Medium stroke')
    await a.clickToolbar('Violet')
    await a.clickToolbar('Tinted')
    await drag([260, 240], [470, 370])
    await tool('ellipse')
    await a.clickToolbar('Green')
    await a.clickToolbar('None')
    await drag([520, 250], [690, 370])
    await tool('arrow')
    await a.clickToolbar('Ink')
    await drag([470, 305], [515, 305])
    await tool('line')
    await a.clickToolbar('Red')
    await drag([260, 420], [690, 420])
    await a.clickToolbar('Ink')
    await typeAt('text', [270, 470], 'Sprint planning — week 47')
    await tool('sticky')
    await a.clickToolbar('Yellow note')
    await typeAt('sticky', [830, 200], 'Ship the select tool')
    await tool('sticky')
    await a.clickToolbar('Blue note')
    await typeAt('sticky', [1060, 200], 'Images: paste, drop or pick')
    await a.page.locator('mesh-board').focus()
    await a.page.evaluate(async () => {
      const canvas = new OffscreenCanvas(480, 300)
      const context = canvas.getContext('2d')!
      const sky = context.createLinearGradient(0, 0, 0, 300)
      sky.addColorStop(0, '#74c0fc')
      sky.addColorStop(1, '#d0ebff')
      context.fillStyle = sky
      context.fillRect(0, 0, 480, 300)
      context.fillStyle = '#fcc419'
      context.beginPath()
      context.arc(370, 80, 40, 0, 2 * Math.PI)
      context.fill()
      context.fillStyle = '#2f9e44'
      context.beginPath()
      context.moveTo(0, 300)
      context.lineTo(140, 150)
      context.lineTo(260, 250)
      context.lineTo(360, 170)
      context.lineTo(480, 300)
      context.fill()
      const data = new DataTransfer()
      data.items.add(new File([await canvas.convertToBlob({ type: 'image/png' })], 'landscape.png', { type: 'image/png' }))
      const board = document.querySelector('mesh-board')!
      board.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true }))
    })
    await a.page.waitForFunction(() => document.querySelector('mesh-board')!.exportJSON().shapes.some((shape) => shape.type === 'image'), null, { timeout: WAIT_MS })
    // Out of the way of the rest, still selected.
    await drag([640, 360], [1000, 465])
    const types = (await a.exportJSON()).shapes.map((shape) => shape.type)
    expect(new Set(types)).toEqual(new Set(['stroke', 'rectangle', 'ellipse', 'arrow', 'line', 'text', 'sticky', 'image']))
    // The pasted image stays selected: its frame and handles, and the style panel beside it.
    await a.page.waitForFunction(() => !document.querySelector('mesh-board')!.shadowRoot!.querySelector('.text-editor'))
    await settled(a)
    const png = await a.page.screenshot()
    await writeScreenshotFile('tools.png', png)
    expect(png.byteLength).toBeGreaterThan(10_000)
  })
})
