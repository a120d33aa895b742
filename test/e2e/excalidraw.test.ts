/**
 * Excalidraw interop against the real @excalidraw/excalidraw (0.18.1, a dev dependency), its own
 * functions running in a page of their own (test/e2e/excalidraw-page, built with Vite): a scene it
 * saves opens in meshboard shape by shape, what it copies pastes, and what meshboard exports
 * Excalidraw restores and opens back in meshboard within a pixel.
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BoardJSON, ShapeJSON } from '../../src/model/board-json'
import type { ExcalidrawElement } from '../../src/model/excalidraw'
import { WAIT_MS, type Peer } from '../helpers/browser'
import { useE2E } from '../helpers/e2e'
import { REPO_ROOT } from '../helpers/server'
import { serveDirectory, type StaticSite } from '../helpers/static-site'

const run = promisify(execFile)
const e2e = useE2E()
const PAGE_BUILD = join(REPO_ROOT, 'test-results', 'excalidraw-page')
let site: StaticSite

beforeAll(async () => {
  await run(process.execPath, [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', join(REPO_ROOT, 'test', 'e2e', 'excalidraw-page'), '--outDir', PAGE_BUILD, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
  })
  site = await serveDirectory(PAGE_BUILD)
}, 120_000)

afterAll(() => site?.close())

// A 2 x 2 red PNG.
const PNG_URL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEklEQVR42mP4z8DwHwyBNAMDAEv1CvYM+h0AAAAAAElFTkSuQmCC'

/** Excalidraw's own elements for a scene with each kind it has, made by its own functions in `page`. */
function excalidrawScene(page: Peer['page']): Promise<{ elements: ExcalidrawElement[]; files: Record<string, unknown>; saved: string; copied: string }> {
  return page.evaluate(async (png) => {
    const x = (window as unknown as { excalidraw: Record<string, (...args: unknown[]) => unknown> }).excalidraw
    const made = x.convertToExcalidrawElements!([
      { type: 'rectangle', x: 100, y: 100, width: 200, height: 120, strokeColor: '#1971c2', backgroundColor: '#a5d8ff', fillStyle: 'solid', strokeWidth: 2, angle: 0.5, opacity: 80 },
      { type: 'ellipse', x: 400, y: 100, width: 150, height: 90, strokeColor: '#2f9e44', strokeWidth: 4 },
      { type: 'diamond', x: 100, y: 320, width: 120, height: 100, backgroundColor: '#ffc9c9', fillStyle: 'hachure' },
      { type: 'line', x: 300, y: 300, points: [[0, 0], [200, 50]], strokeColor: '#1e1e1e' },
      { type: 'arrow', x: 300, y: 420, points: [[0, 0], [150, -60]], endArrowhead: 'triangle', startArrowhead: null },
      { type: 'text', x: 600, y: 300, text: 'Hello from Excalidraw', fontSize: 28, strokeColor: '#e03131' },
      { type: 'image', x: 650, y: 420, width: 80, height: 80, fileId: 'red-square' },
    ]) as Record<string, unknown>[]
    const drawn = x.restoreElements!(
      [{ type: 'freedraw', id: 'scribble', x: 600, y: 500, width: 90, height: 40, points: [[0, 0], [30, 20], [60, 10], [90, 40]], pressures: [0.2, 0.5, 0.8, 0.4], simulatePressure: false, strokeColor: '#7048e8', strokeWidth: 2 }],
      null,
    ) as Record<string, unknown>[]
    const elements = [...made, ...drawn]
    const files = { 'red-square': { id: 'red-square', mimeType: 'image/png', dataURL: png, created: Date.now() } }
    const saved = x.serializeAsJSON!(elements, { viewBackgroundColor: '#ffffff' }, files, 'local') as string
    await x.exportToClipboard!({ type: 'json', elements, files })
    const copied = await navigator.clipboard.readText()
    return { elements: elements as never, files, saved, copied }
  }, PNG_URL)
}

async function excalidrawPage(peer: Peer): Promise<Peer['page']> {
  await peer.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin })
  const page = await peer.context.newPage()
  await page.goto(site.url)
  await page.waitForFunction(() => (window as unknown as { excalidrawReady?: boolean }).excalidrawReady === true, null, { timeout: WAIT_MS })
  return page
}

const near = (a: number, b: number, what: string) => expect(Math.abs(a - b), `${what}: ${a} against ${b}`).toBeLessThanOrEqual(1)

/** A shape's middle, turned as drawn: where Excalidraw's element has its middle too. */
function middle(shape: ShapeJSON): [number, number] {
  if (!('width' in shape)) throw new Error(`${shape.type} has no box`)
  const cos = Math.cos(shape.rotation)
  const sin = Math.sin(shape.rotation)
  return [shape.x + (shape.width / 2) * cos - (shape.height / 2) * sin, shape.y + (shape.width / 2) * sin + (shape.height / 2) * cos]
}

/** Checks the board's shapes against Excalidraw's elements, one by one, in the same z-order. */
function expectSameDrawing(shapes: readonly ShapeJSON[], elements: readonly ExcalidrawElement[]): void {
  expect(shapes.map((shape) => shape.type)).toEqual(['rectangle', 'ellipse', 'stroke', 'line', 'arrow', 'text', 'image', 'stroke'])
  const [box, oval, diamond, line, arrow, text, image, scribble] = shapes as [ShapeJSON, ...ShapeJSON[]]
  const element = (type: string) => elements.find((candidate) => candidate.type === type)!
  for (const [shape, source] of [[box, element('rectangle')], [oval, element('ellipse')], [text, element('text')], [image, element('image')]] as const) {
    const [mx, my] = middle(shape!)
    near(mx, source.x + source.width / 2, `${source.type} middle x`)
    near(my, source.y + source.height / 2, `${source.type} middle y`)
    near((shape as { width: number }).width, source.width, `${source.type} width`)
    expect(shape!.rotation).toBeCloseTo(source.angle)
    expect(shape!.opacity).toBeCloseTo(source.opacity / 100)
  }
  expect(box).toMatchObject({ color: '#1971c2', fill: '#a5d8ff', strokeWidth: 2 })
  expect(oval).toMatchObject({ color: '#2f9e44', strokeWidth: 4, fill: null })
  // A diamond: its outline, corner to corner, as a stroke (no fill).
  const corners = (diamond as { points: number[][] }).points
  const d = element('diamond')
  near(Math.min(...corners.map((p) => p[0]!)), d.x, 'diamond left')
  near(Math.max(...corners.map((p) => p[1]!)), d.y + d.height, 'diamond bottom')
  for (const [shape, source] of [[line, element('line')], [arrow, element('arrow')]] as const) {
    const [start, end] = (shape as { points: number[][] }).points
    near(start![0]!, source.x, `${source.type} start x`)
    near(end![0]!, source.x + source.points![1]![0]!, `${source.type} end x`)
    near(end![1]!, source.y + source.points![1]![1]!, `${source.type} end y`)
  }
  expect(text).toMatchObject({ text: 'Hello from Excalidraw', fontSize: 28, color: '#e03131' })
  const freedraw = element('freedraw')
  const drawn = (scribble as { points: number[][] }).points
  expect(drawn).toHaveLength(freedraw.points!.length)
  freedraw.points!.forEach(([px, py], i) => {
    near(drawn[i]![0]!, freedraw.x + px!, `freedraw point ${i} x`)
    near(drawn[i]![1]!, freedraw.y + py!, `freedraw point ${i} y`)
    // The pen's pressure, kept in the board's steps.
    expect(drawn[i]![2]).toBeCloseTo(freedraw.pressures![i]!, 1)
  })
  expect(scribble).toMatchObject({ color: '#7048e8' })
}

const noticeOf = (peer: Peer) => peer.page.locator('mesh-board .notice')

describe('Excalidraw', () => {
  it('opens a scene Excalidraw saved, shape by shape, and names what it could not keep', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A')
    await a.createBoard(server.url)
    const excalidraw = await excalidrawPage(a)
    const scene = await excalidrawScene(excalidraw)
    await a.page.bringToFront()
    await a.clickToolbar('Board menu')
    const chooser = a.page.waitForEvent('filechooser')
    await a.page.locator('mesh-board').getByRole('menuitem', { name: 'Open file (.meshboard, .excalidraw)…' }).click()
    await (await chooser).setFiles({ name: 'plan.excalidraw', mimeType: 'application/json', buffer: Buffer.from(scene.saved) })
    await a.waitForShapeCount(8)
    expectSameDrawing((await a.exportJSON()).shapes, scene.elements)
    await noticeOf(a).getByText(/Opened from Excalidraw\. Not kept as it was: .*diamonds \(drawn as outlines, without their fill\).*fonts and text alignment/).waitFor({ timeout: WAIT_MS })
  })

  it('pastes what Excalidraw copies in the middle of the view, and adds a dropped .excalidraw file where it is dropped', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A')
    await a.createBoard(server.url)
    const excalidraw = await excalidrawPage(a)
    const { copied, elements } = await excalidrawScene(excalidraw)
    expect(JSON.parse(copied).type).toBe('excalidraw/clipboard')
    await a.page.bringToFront()
    await a.page.evaluate((text) => {
      const data = new DataTransfer()
      data.setData('text/plain', text)
      document.querySelector('mesh-board')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true }))
    }, copied)
    await a.waitForShapeCount(8)
    const shapes = (await a.exportJSON()).shapes
    expect(shapes.map((shape) => shape.type)).toEqual(['rectangle', 'ellipse', 'stroke', 'line', 'arrow', 'text', 'image', 'stroke'])
    // Moved as one: the shapes keep their places to one another (the line's start against the ellipse's middle).
    const [line, oval] = [elements.find((element) => element.type === 'line')!, elements.find((element) => element.type === 'ellipse')!]
    const [mx, my] = middle(shapes[1]!)
    const start = (shapes[3] as { points: number[][] }).points[0]!
    near(start[0]! - mx, line.x - (oval.x + oval.width / 2), 'line start from the ellipse, x')
    near(start[1]! - my, line.y - (oval.y + oval.height / 2), 'line start from the ellipse, y')
    await noticeOf(a).getByText(/Added from Excalidraw/).waitFor({ timeout: WAIT_MS })

    // The saved file dropped on the board, at (700, 450) of the page: its drawing joins the board around there.
    const { saved } = await excalidrawScene(excalidraw)
    await a.page.bringToFront()
    await a.page.evaluate((text) => {
      const data = new DataTransfer()
      data.items.add(new File([text], 'plan.excalidraw', { type: 'application/json' }))
      document.querySelector('mesh-board')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, clientX: 700, clientY: 450, bubbles: true, composed: true, cancelable: true }))
    }, saved)
    await a.waitForShapeCount(16)
    const dropped = (await a.exportJSON()).shapes.slice(8)
    expect(dropped.map((shape) => shape.type)).toEqual(['rectangle', 'ellipse', 'stroke', 'line', 'arrow', 'text', 'image', 'stroke'])
    const xs = dropped.flatMap((shape) => ('points' in shape ? (shape.points as number[][]).map((point) => point[0]!) : [shape.x]))
    expect(Math.min(...xs)).toBeLessThan(700)
    expect(Math.max(...xs)).toBeGreaterThan(700)
  })

  it('exports a .excalidraw file Excalidraw restores, and that opens back within a pixel', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A')
    await a.createBoard(server.url)
    await a.importJSON({
      version: 1,
      shapes: [
        { id: 'box', type: 'rectangle', x: 100, y: 100, rotation: 0.4, opacity: 1, color: '#1971c2', strokeWidth: 2, width: 200, height: 120, fill: '#a5d8ff' },
        { id: 'pen', type: 'stroke', x: 0, y: 0, rotation: 0, opacity: 1, color: '#e03131', strokeWidth: 4, points: [[300, 300, 0.25], [340, 330, 0.5], [400, 310, 0.75]] },
        { id: 'to', type: 'arrow', x: 0, y: 0, rotation: 0, opacity: 1, color: '#1e1e1e', strokeWidth: 2, points: [[500, 100], [620, 180]] },
        { id: 'note', type: 'sticky', x: 600, y: 300, rotation: 0, opacity: 1, color: '#1e1e1e', fill: '#ffec99', text: 'Ship it', fontSize: 20, width: 200, height: 200 },
      ],
    } as BoardJSON)
    const before = await a.exportJSON()
    await a.clickToolbar('Board menu')
    const download = a.page.waitForEvent('download')
    await a.page.locator('mesh-board').getByRole('menuitem', { name: 'Export board as .excalidraw' }).click()
    const file = await (await download).path()
    const text = await readFile(file, 'utf8')
    expect((await download).suggestedFilename()).toMatch(/\.excalidraw$/)

    const excalidraw = await excalidrawPage(a)
    const restored = await excalidraw.evaluate((json) => {
      const x = (window as unknown as { excalidraw: Record<string, (...args: unknown[]) => unknown> }).excalidraw
      const { elements } = x.restore!(JSON.parse(json), null, null) as { elements: ExcalidrawElement[] }
      return elements.filter((element) => !element.isDeleted).map((element) => ({ type: element.type, id: element.id, containerId: element.containerId ?? null }))
    }, text)
    expect(restored).toEqual([
      { type: 'rectangle', id: 'box', containerId: null },
      { type: 'freedraw', id: 'pen', containerId: null },
      { type: 'arrow', id: 'to', containerId: null },
      { type: 'rectangle', id: 'note', containerId: null },
      { type: 'text', id: 'note-text', containerId: 'note' },
    ])

    const b = await e2e.peer('B')
    await b.createBoard(server.url)
    await b.clickToolbar('Board menu')
    const chooser = b.page.waitForEvent('filechooser')
    await b.page.locator('mesh-board').getByRole('menuitem', { name: 'Open file (.meshboard, .excalidraw)…' }).click()
    await (await chooser).setFiles({ name: 'board.excalidraw', mimeType: 'application/json', buffer: Buffer.from(text) })
    await b.waitForShapeCount(5)
    const after = (await b.exportJSON()).shapes
    for (const shape of before.shapes) {
      const again = after.find((other) => other.id === shape.id)!
      if ('points' in shape) (shape.points as number[][]).forEach((point, i) => point.forEach((value, k) => near((again as { points: number[][] }).points[i]![k]!, value, `${shape.id} point ${i}`)))
      else for (const field of ['x', 'y', 'width', 'height', 'rotation'] as const) near((again as never)[field], (shape as never)[field], `${shape.id}.${field}`)
    }
  })
})
