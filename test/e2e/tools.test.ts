/**
 * The drawing tools with real mouse input in real Chromium: what each gesture puts in the
 * document (exportJSON), erasing exactly what was touched, undo, and the SVG and PNG exports.
 */
import { describe, expect, it } from 'vitest'
import type { BoxJSON, LineJSON, ShapeJSON, StrokeJSON } from '../../src/model/board-json'
import type { ToolName } from '../../src/tools/tool'
import type { Peer } from '../helpers/browser'
import { colorPixels, WAIT_MS } from '../helpers/browser'
import { useE2E } from '../helpers/e2e'

const e2e = useE2E()

async function boardAlone(): Promise<Peer> {
  const server = await e2e.server()
  const peer = await e2e.peer('A')
  await peer.createBoard(server.url)
  return peer
}

async function setTool(peer: Peer, tool: ToolName): Promise<void> {
  await peer.page.evaluate((name) => document.querySelector('mesh-board')!.setTool(name), tool)
}

/** A drag with the real mouse, in steps; resolves once the document holds `count` shapes after it. */
async function drag(
  peer: Peer,
  from: [number, number],
  to: [number, number],
  count: number,
  { shift = false, end = to }: { shift?: boolean; end?: [number, number] } = {},
): Promise<ShapeJSON[]> {
  if (shift) await peer.page.keyboard.down('Shift')
  await peer.page.mouse.move(...from)
  await peer.page.mouse.down()
  for (let i = 1; i <= 12; i++) await peer.page.mouse.move(from[0] + ((to[0] - from[0]) * i) / 12, from[1] + ((to[1] - from[1]) * i) / 12)
  await peer.page.mouse.up()
  if (shift) await peer.page.keyboard.up('Shift')
  await peer.page.waitForFunction((n) => document.querySelector('mesh-board')!.exportJSON().shapes.length === n, count, { timeout: WAIT_MS })
  // The last pointer move may land a frame after the shape appeared: wait until the shape ends where
  // the gesture does (the mouse, or where shift snapped it to).
  await peer.page.waitForFunction(
    ([x, y]) => {
      const shape = document.querySelector('mesh-board')!.exportJSON().shapes.at(-1)!
      if ('width' in shape) return shape.x + shape.width === x || shape.x === x
      const end = shape.points.at(-1)!
      return Math.abs(end[0]! - x!) < 0.5 && Math.abs(end[1]! - y!) < 0.5
    },
    end,
    { timeout: WAIT_MS },
  )
  return (await peer.exportJSON()).shapes
}

describe('tools', () => {
  it('draws rectangles and ellipses with the dragged bounds; shift makes squares', async () => {
    const a = await boardAlone()
    await setTool(a, 'rectangle')
    const [rectangle] = (await drag(a, [320, 160], [520, 270], 1)) as BoxJSON[]
    expect(rectangle).toMatchObject({ type: 'rectangle', x: 320, y: 160, width: 200, height: 110, fill: null, color: '#1e1e1e', strokeWidth: 4 })
    // Dragged up and to the left: the box is still described from its top-left corner.
    await setTool(a, 'ellipse')
    const ellipse = (await drag(a, [800, 400], [650, 300], 2)).at(-1) as BoxJSON
    expect(ellipse).toMatchObject({ type: 'ellipse', x: 650, y: 300, width: 150, height: 100 })
    const square = (await drag(a, [320, 400], [500, 460], 3, { shift: true })).at(-1) as BoxJSON
    expect(square).toMatchObject({ type: 'ellipse', x: 320, y: 400, width: 180, height: 180 })
  })

  it('draws lines and arrows between the dragged ends; shift snaps to 15°', async () => {
    const a = await boardAlone()
    await setTool(a, 'line')
    const [line] = (await drag(a, [300, 200], [500, 260], 1)) as LineJSON[]
    expect(line).toMatchObject({ type: 'line', points: [[300, 200], [500, 260]] })
    await setTool(a, 'arrow')
    const snapped: [number, number] = [400 + Math.hypot(200, 10), 300]
    const arrow = (await drag(a, [400, 300], [600, 310], 2, { shift: true, end: snapped })).at(-1) as LineJSON
    expect(arrow.type).toBe('arrow')
    expect(arrow.points[0]).toEqual([400, 300])
    // 200 px right and 10 down snaps to horizontal.
    expect(arrow.points[1][1]).toBeCloseTo(300, 6)
    expect(arrow.points[1][0]).toBeCloseTo(400 + Math.hypot(200, 10), 6)
  })

  it('highlights with a wide translucent stroke', async () => {
    const a = await boardAlone()
    await setTool(a, 'highlighter')
    const [mark] = (await drag(a, [250, 300], [650, 300], 1)) as StrokeJSON[]
    expect(mark).toMatchObject({ type: 'stroke', highlight: true, opacity: 0.35 })
    expect(mark.strokeWidth).toBeGreaterThanOrEqual(12)
  })

  it('erases whole shapes it touches and nothing else, as one undo step', async () => {
    const a = await boardAlone()
    await a.drawStroke([[250, 200], [450, 200], [650, 210]])
    await a.drawStroke([[250, 400], [450, 400], [650, 410]])
    await setTool(a, 'rectangle')
    await drag(a, [700, 150], [900, 300], 3)
    const before = (await a.exportJSON()).shapes
    // Part of the first stroke on screen, away from where the eraser passes.
    const inkOnScreen = () => colorPixels(a, { x: 400, y: 190, width: 40, height: 20 }, (before[0] as StrokeJSON).color)
    await expect.poll(inkOnScreen, { timeout: WAIT_MS, message: 'the first stroke on screen' }).toBeGreaterThan(20)
    await setTool(a, 'eraser')
    // Down through the first stroke and the rectangle's left edge, well clear of the second stroke.
    await a.page.mouse.move(350, 150)
    await a.page.mouse.down()
    await a.page.mouse.move(350, 260, { steps: 8 })
    await a.page.mouse.move(705, 260, { steps: 20 })
    await a.page.mouse.up()
    await a.page.waitForFunction(() => document.querySelector('mesh-board')!.exportJSON().shapes.length === 1, null, { timeout: WAIT_MS })
    expect((await a.exportJSON()).shapes).toEqual([before[1]])
    await expect.poll(inkOnScreen, { timeout: WAIT_MS, message: 'the erased stroke gone from the screen' }).toBe(0)
    await a.page.keyboard.press('Control+z')
    await a.page.waitForFunction(() => document.querySelector('mesh-board')!.exportJSON().shapes.length === 3, null, { timeout: WAIT_MS })
    expect((await a.exportJSON()).shapes).toEqual(before)
    await expect.poll(inkOnScreen, { timeout: WAIT_MS, message: 'the stroke back on screen' }).toBeGreaterThan(20)
  })

  it('draws what a pan brings into view, from tiles first drawn only in the part on screen', async () => {
    const a = await boardAlone()
    const view = await a.page.evaluate(() => {
      const rect = document.querySelector('mesh-board')!.getBoundingClientRect()
      return { left: rect.left, top: rect.top, height: rect.height }
    })
    // The bottom row of 256-pixel tiles reaches below the screen: one stroke in its part on screen,
    // one in its part below (tile-cache.ts draws that part later).
    const rowEnd = Math.ceil(view.height / 256) * 256
    expect(rowEnd - view.height, 'the bottom tile row reaches below the screen').toBeGreaterThan(24)
    const onScreenY = view.height - 20
    const belowY = view.height + Math.min(40, (rowEnd - view.height) / 2)
    const stroke = (id: string, y: number, color: string): StrokeJSON => ({
      id,
      type: 'stroke',
      x: 300,
      y,
      rotation: 0,
      color,
      strokeWidth: 8,
      opacity: 1,
      points: [[300, y, 0.5], [500, y, 0.5], [700, y, 0.5]],
    })
    await a.importJSON({ version: 1, shapes: [stroke('on-screen', onScreenY, '#2f9e44'), stroke('below', belowY, '#e03131')] })
    const ink = (y: number, color: string) => colorPixels(a, { x: view.left + 450, y: view.top + y - 6, width: 40, height: 12 }, color)
    await expect.poll(() => ink(onScreenY, '#2f9e44'), { timeout: WAIT_MS, message: 'the stroke on screen' }).toBeGreaterThan(20)
    // A two-finger scroll of 200 pixels up the board.
    await a.page.mouse.move(view.left + 600, view.top + 300)
    await a.page.mouse.wheel(1, 200)
    await expect.poll(() => ink(belowY - 200, '#e03131'), { timeout: WAIT_MS, message: 'the stroke that was below the screen' }).toBeGreaterThan(20)
    await expect.poll(() => ink(onScreenY - 200, '#2f9e44'), { timeout: WAIT_MS, message: 'the first stroke, moved up' }).toBeGreaterThan(20)
  })

  it('exports an SVG with one element per shape and a PNG that is not blank', async () => {
    const a = await boardAlone()
    await a.drawStroke([[250, 200], [450, 220], [550, 260]])
    await setTool(a, 'rectangle')
    await drag(a, [600, 150], [800, 300], 2)
    await setTool(a, 'arrow')
    await drag(a, [250, 400], [550, 420], 3)
    const ids = (await a.exportJSON()).shapes.map((shape) => shape.id)
    const svg = await a.page.evaluate(() => {
      const text = document.querySelector('mesh-board')!.exportSVG()
      const parsed = new DOMParser().parseFromString(text, 'image/svg+xml')
      return { error: parsed.querySelector('parsererror')?.textContent ?? null, ids: [...parsed.querySelectorAll('[data-id]')].map((node) => node.getAttribute('data-id')) }
    })
    expect(svg).toEqual({ error: null, ids })
    const png = await a.page.evaluate(async () => {
      const blob = await document.querySelector('mesh-board')!.exportPNG()
      const bitmap = await createImageBitmap(blob)
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
      const context = canvas.getContext('2d')!
      context.drawImage(bitmap, 0, 0)
      const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height)
      const [r, g, b] = [data[0], data[1], data[2]]
      let differing = 0
      for (let i = 0; i < data.length; i += 4) if (data[i] !== r || data[i + 1] !== g || data[i + 2] !== b) differing++
      return { type: blob.type, width: bitmap.width, height: bitmap.height, differing }
    })
    expect(png.type).toBe('image/png')
    // Twice the board size of the shapes (plus margins), and ink on it.
    expect(png.width).toBeGreaterThan(2 * 550)
    expect(png.differing).toBeGreaterThan(1000)
  })

  it('exports a PNG of shapes ten million units out, on both sides', async () => {
    const a = await boardAlone()
    const box = (id: string, x: number, y: number, fill: string): BoxJSON => ({
      id,
      type: 'rectangle',
      x,
      y,
      width: 1_000_000,
      height: 1_000_000,
      rotation: 0,
      color: fill,
      fill,
      strokeWidth: 4,
      opacity: 1,
    })
    const stroke: StrokeJSON = {
      id: 'far-stroke',
      type: 'stroke',
      x: 1e7 - 300,
      y: 1e7 - 60,
      rotation: 0,
      color: '#2f9e44',
      strokeWidth: 8,
      opacity: 1,
      points: [[1e7 - 300, 1e7 - 60, 0.5], [1e7 - 100, 1e7 - 40, 0.5], [1e7, 1e7, 0.5]],
    }
    /** The PNG's size, its pixels that are not transparent, and those of each colour (within 40 of it). */
    const exported = () =>
      a.page.evaluate(async () => {
        const started = performance.now()
        const blob = await document.querySelector('mesh-board')!.exportPNG()
        const exportMs = Math.round(performance.now() - started)
        const bitmap = await createImageBitmap(blob)
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
        const context = canvas.getContext('2d')!
        context.drawImage(bitmap, 0, 0)
        const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height)
        const colors: Record<string, [number, number, number]> = { blue: [0x19, 0x71, 0xc2], red: [0xe0, 0x31, 0x31], green: [0x2f, 0x9e, 0x44] }
        const counts = { opaque: 0, blue: 0, red: 0, green: 0 }
        const near = ([r, g, b]: [number, number, number], i: number) =>
          Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) <= 40
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3]! > 0) counts.opaque++
          if (near(colors.blue!, i)) counts.blue++
          else if (near(colors.red!, i)) counts.red++
          else if (near(colors.green!, i)) counts.green++
        }
        return { type: blob.type, width: bitmap.width, height: bitmap.height, exportMs, ...counts }
      })

    // One stroke far out: the export is of its bounds, at twice their size, and the stroke is in it.
    await a.importJSON({ version: 1, shapes: [stroke] })
    const alone = await exported()
    expect(alone.type).toBe('image/png')
    expect(alone.width).toBeGreaterThan(2 * 300)
    expect(alone.width).toBeLessThan(2 * 400)
    expect(alone.green).toBeGreaterThan(2000)

    // And two squares twenty million units apart: one picture of both, scaled down to fit a canvas.
    await a.importJSON({ version: 1, shapes: [box('far-blue', -1e7, -1e7, '#1971c2'), box('far-red', 1e7, 1e7, '#e03131')] })
    const both = await exported()
    console.info(`PNG of shapes 2 x 10⁷ units apart: ${both.width} × ${both.height} pixels, exported in ${both.exportMs} ms`)
    expect(both.type).toBe('image/png')
    expect(both.width * both.height).toBeGreaterThan(1000 * 1000)
    expect(both.opaque).toBe(both.width * both.height)
    // Each square is a twenty-first of the width: (1/21)^2 of the picture, less the edge pixels.
    expect(both.blue).toBeGreaterThan((both.width * both.height) / 21 ** 2 / 2)
    expect(both.red).toBeGreaterThan((both.width * both.height) / 21 ** 2 / 2)
  })
})

describe('view', () => {
  const controls = (peer: Peer, label: string) => peer.page.locator('mesh-board mesh-view-controls').getByRole('button', { name: label, exact: true })
  const zoomLevel = (peer: Peer) => peer.page.locator('mesh-board mesh-view-controls .level').textContent()
  const camera = (peer: Peer) =>
    peer.page.evaluate(() => (document.querySelector('mesh-board')!.awareness!.getLocalState() as { viewport: { width: number } }).viewport.width)

  it('zooms in, out, to 100% and to fit, showing the level; toggles the grid and the theme', async () => {
    const a = await boardAlone()
    const width = await camera(a)
    await controls(a, 'Zoom in').click()
    await expect.poll(() => zoomLevel(a)).toContain('125%')
    await expect.poll(() => camera(a)).toBeCloseTo(width / 1.25, 3)
    await controls(a, 'Zoom out').click()
    await controls(a, 'Zoom out').click()
    await expect.poll(() => zoomLevel(a)).toContain('80%')
    await a.page.locator('mesh-board mesh-view-controls .level').click()
    await expect.poll(() => zoomLevel(a)).toContain('100%')
    // Keyboard: the board has focus after a click on it.
    await a.drawStroke([[250, 200], [310, 220], [370, 260]])
    await a.page.keyboard.press('Shift+Digit1')
    await expect.poll(() => zoomLevel(a)).toContain('200%')
    await a.page.keyboard.press('Control+0')
    await expect.poll(() => zoomLevel(a)).toContain('100%')

    const gridShown = () => a.page.evaluate(() => document.querySelector('mesh-board')!.shadowRoot!.querySelector('.grid-layer')!.classList.contains('grid'))
    expect(await gridShown()).toBe(false)
    await a.page.keyboard.press('g')
    await expect.poll(gridShown).toBe(true)
    // Remembered on this device: still on after a reload.
    await a.reload()
    await expect.poll(gridShown).toBe(true)

    await controls(a, 'Dark theme').click()
    await expect.poll(() => a.page.evaluate(() => document.querySelector('mesh-board')!.theme)).toBe('dark')
    await controls(a, 'Light theme').waitFor({ timeout: WAIT_MS })
  })

  it('lists every tool and shortcut in the help panel, opened with ? and closed with Escape', async () => {
    const a = await boardAlone()
    await a.page.locator('mesh-board').click({ position: { x: 500, y: 400 } })
    await a.page.keyboard.press('?')
    const dialog = a.page.locator('mesh-board mesh-help').getByRole('dialog', { name: 'Keyboard shortcuts' })
    await dialog.waitFor({ timeout: WAIT_MS })
    for (const label of ['Select', 'Pen', 'Highlighter', 'Eraser', 'Rectangle', 'Ellipse', 'Line', 'Arrow', 'Text', 'Sticky note', 'Image', 'Laser pointer', 'Hand (pan)', 'Zoom to fit everything', 'Undo your last action', 'Duplicate the selection']) {
      await expect(dialog.getByText(label, { exact: true }).count(), label).resolves.toBe(1)
    }
    await a.page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached', timeout: WAIT_MS })
  })
})
