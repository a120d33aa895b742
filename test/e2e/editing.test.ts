/**
 * Selecting and editing with real mouse and keyboard input in real Chromium: move, resize, rotate,
 * marquee, delete, duplicate, layers, style panel, text and sticky notes typed in place, images
 * (pasted, picked, refused), the clipboard between two boards, and edits seen by a second browser.
 * Each gesture is checked through exportJSON(), the board's public description of itself.
 */
import { describe, expect, it } from 'vitest'
import type { BoxJSON, ImageJSON, ShapeJSON, StickyJSON, TextJSON } from '../../src/model/board-json'
import type { ToolName } from '../../src/tools/tool'
import type { FileChooser } from 'playwright-core'
import type { Peer } from '../helpers/browser'
import { WAIT_MS } from '../helpers/browser'
import { useE2E } from '../helpers/e2e'
import { wave } from '../../support/boards'

const e2e = useE2E()

async function boardAlone(name = 'A'): Promise<Peer> {
  const server = await e2e.server()
  const peer = await e2e.peer(name)
  await peer.createBoard(server.url)
  return peer
}

async function setTool(peer: Peer, tool: ToolName): Promise<void> {
  await peer.page.evaluate((name) => document.querySelector('mesh-board')!.setTool(name), tool)
}

const shapes = async (peer: Peer): Promise<ShapeJSON[]> => (await peer.exportJSON()).shapes

/** Waits until `predicate` holds for the board's shapes (run in the page). */
async function waitForShapes(peer: Peer, predicate: string): Promise<ShapeJSON[]> {
  try {
    await peer.page.waitForFunction(`(${predicate})(document.querySelector('mesh-board').exportJSON().shapes)`, null, { timeout: WAIT_MS })
  } catch (error) {
    throw new Error(`${peer.name}: never ${predicate}; the board has ${JSON.stringify(await shapes(peer))}`, { cause: error })
  }
  return shapes(peer)
}

async function dragMouse(peer: Peer, from: [number, number], to: [number, number]): Promise<void> {
  await peer.page.mouse.move(...from)
  await peer.page.mouse.down()
  await peer.page.mouse.move(...to, { steps: 10 })
  await peer.page.mouse.up()
}

/** A 200 × 150 rectangle at (200, 150), stroke width 4, drawn with the rectangle tool. */
async function rectangle(peer: Peer, at: [number, number] = [200, 150]): Promise<BoxJSON> {
  const count = (await shapes(peer)).length
  await setTool(peer, 'rectangle')
  await dragMouse(peer, at, [at[0] + 200, at[1] + 150])
  const all = await waitForShapes(peer, `(s) => s.length === ${count + 1} && s.at(-1).width === 200 && s.at(-1).height === 150`)
  return all.at(-1) as BoxJSON
}

const selection = (peer: Peer) =>
  peer.page.evaluate(() => ((document.querySelector('mesh-board')!.awareness!.getLocalState() as { selection?: string[] }).selection ?? []).slice().sort())

/** A small PNG made in the page: `width` × `height`, one colour. */
const PNG_IN_PAGE = `async (width, height, color) => {
  const canvas = new OffscreenCanvas(width, height)
  const context = canvas.getContext('2d')
  context.fillStyle = color
  context.fillRect(0, 0, width, height)
  return new File([await canvas.convertToBlob({ type: 'image/png' })], 'square.png', { type: 'image/png' })
}`

/**
 * File choosers the page opens, in order. Playwright turns interception on asynchronously, so a
 * test listens long before the click or key that opens one.
 */
function watchFileChoosers(peer: Peer): FileChooser[] {
  const choosers: FileChooser[] = []
  peer.page.on('filechooser', (chooser) => choosers.push(chooser))
  return choosers
}

/** Pastes what `makeData` (run in the page, returning a DataTransfer) holds onto the board. */
async function pasteInto(peer: Peer, setup: string): Promise<void> {
  await peer.page.evaluate(`(async () => {
    const data = new DataTransfer()
    await (${setup})(data)
    document.querySelector('mesh-board').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true }))
  })()`)
}

describe('select tool', () => {
  it('selects with a click, moves with a drag; undo restores the position and nothing else', async () => {
    const a = await boardAlone()
    const box = await rectangle(a)
    await setTool(a, 'pen')
    await a.drawStroke([[600, 400], [700, 420], [760, 460]])
    const before = await shapes(a)
    await setTool(a, 'select')
    // On the rectangle's top edge.
    await a.page.mouse.click(300, 150)
    await expect.poll(() => selection(a)).toEqual([box.id])
    await dragMouse(a, [300, 150], [360, 230])
    const moved = await waitForShapes(a, `(s) => s[0].x === 260 && s[0].y === 230`)
    expect(moved[0]).toEqual({ ...before[0], x: 260, y: 230 })
    expect(moved[1]).toEqual(before[1])
    await a.page.keyboard.press('Control+z')
    await waitForShapes(a, `(s) => s[0].x === 200`)
    expect(await shapes(a)).toEqual(before)
  })

  it('resizes with a corner handle and rotates with the rotate handle', async () => {
    const a = await boardAlone()
    await rectangle(a)
    await setTool(a, 'select')
    await a.page.mouse.click(300, 150)
    // The frame is 6 px outside the ink (2 units of half-stroke around the box): corner at (408, 308).
    await dragMouse(a, [408, 308], [508, 358])
    const sx = 316 / 216
    const sy = 216 / 166
    const [resized] = (await waitForShapes(a, `(s) => s[0].width > 290`)) as BoxJSON[]
    expect(resized.width).toBeCloseTo(200 * sx, 6)
    expect(resized.height).toBeCloseTo(150 * sy, 6)
    expect(resized.x).toBeCloseTo(192 + 8 * sx, 6)
    expect(resized.y).toBeCloseTo(142 + 8 * sy, 6)
    // Rotate: the handle is 26 px above the frame's top middle (ink 2 and padding 6 above the box);
    // a quarter turn around the centre, with shift snapping it to exactly 90°.
    const centre = { x: resized.x + resized.width / 2, y: resized.y + resized.height / 2 }
    await a.page.keyboard.down('Shift')
    await dragMouse(a, [centre.x, resized.y - 8 - 26], [centre.x + 200, centre.y + 3])
    await a.page.keyboard.up('Shift')
    const [rotated] = (await waitForShapes(a, `(s) => Math.abs(s[0].rotation - Math.PI / 2) < 1e-9`)) as BoxJSON[]
    expect(rotated.width).toBeCloseTo(resized.width, 6)
  })

  it('selects with a marquee and shift-click; deletes, duplicates and reorders the selection', async () => {
    const a = await boardAlone()
    // Right of the style panel, which stands at the left edge while a drawing tool is active.
    const first = await rectangle(a, [260, 100])
    const second = await rectangle(a, [560, 100])
    const third = await rectangle(a, [410, 350])
    await setTool(a, 'select')
    // A marquee around the first two only.
    await dragMouse(a, [240, 80], [780, 270])
    await expect.poll(() => selection(a)).toEqual([first.id, second.id].sort())
    await a.page.keyboard.down('Shift')
    await a.page.mouse.click(410 + 100, 350)
    await a.page.keyboard.up('Shift')
    await expect.poll(() => selection(a)).toEqual([first.id, second.id, third.id].sort())
    await a.page.keyboard.press('Escape')
    await expect.poll(() => selection(a)).toEqual([])

    // Send the top shape (third) to the back through the style panel, forward again with the keyboard.
    await a.page.mouse.click(510, 350)
    await a.clickToolbar('Send to back')
    await waitForShapes(a, `(s) => s[0].id === ${JSON.stringify(third.id)}`)
    await a.page.keyboard.press('Control+]')
    await waitForShapes(a, `(s) => s[1].id === ${JSON.stringify(third.id)}`)
    expect((await shapes(a)).map((shape) => shape.id)).toEqual([first.id, third.id, second.id])

    await a.page.keyboard.press('Control+d')
    const copies = await waitForShapes(a, `(s) => s.length === 4`)
    const copy = copies.at(-1) as BoxJSON
    expect(copy).toMatchObject({ type: 'rectangle', x: third.x + 16, y: third.y + 16, width: 200, height: 150 })
    await expect.poll(() => selection(a)).toEqual([copy.id])
    await a.page.keyboard.press('ArrowRight')
    await a.page.keyboard.press('Shift+ArrowDown')
    await waitForShapes(a, `(s) => s.at(-1).x === ${copy.x + 1} && s.at(-1).y === ${copy.y + 10}`)
    await a.page.keyboard.press('Delete')
    await waitForShapes(a, `(s) => s.length === 3`)
    await a.page.keyboard.press('Control+a')
    await expect.poll(() => selection(a)).toEqual([first.id, second.id, third.id].sort())
    await a.page.keyboard.press('Backspace')
    await waitForShapes(a, `(s) => s.length === 0`)
  })

  it('restyles the selection from the style panel and remembers the choice for the next shape', async () => {
    const a = await boardAlone()
    const box = await rectangle(a)
    await setTool(a, 'select')
    await a.page.mouse.click(300, 150)
    await a.clickToolbar('Red')
    await a.clickToolbar('Bold stroke')
    await a.clickToolbar('Tinted')
    const [styled] = (await waitForShapes(a, `(s) => s[0].color === '#e03131' && s[0].strokeWidth === 8 && s[0].fill !== null`)) as BoxJSON[]
    expect(styled).toEqual({ ...box, color: '#e03131', strokeWidth: 8, fill: '#e0313133' })
    // One step each: undo takes back the fill only.
    await a.page.keyboard.press('Control+z')
    await waitForShapes(a, `(s) => s[0].fill === null && s[0].strokeWidth === 8`)
    const next = await rectangle(a, [500, 300])
    expect(next).toMatchObject({ color: '#e03131', strokeWidth: 8 })
  })
})

describe('text and notes', () => {
  it('types text in place, stores what was typed, and edits it with a double-click', async () => {
    const a = await boardAlone()
    await setTool(a, 'text')
    await a.page.mouse.click(200, 200)
    await a.page.keyboard.type('Hello, board')
    await a.page.keyboard.press('Escape')
    const [text] = (await waitForShapes(a, `(s) => s.length === 1 && s[0].text === 'Hello, board'`)) as TextJSON[]
    expect(text).toMatchObject({ type: 'text', fontSize: 24, color: '#1e1e1e', autoWidth: true })
    expect(text.width).toBeGreaterThan(100)
    expect(text.height).toBeCloseTo(30, 6)
    await setTool(a, 'select')
    await a.page.mouse.dblclick(text.x + 20, text.y + text.height / 2)
    await a.page.keyboard.press('End')
    await a.page.keyboard.type('!\nSecond line')
    await a.page.keyboard.press('Escape')
    const [edited] = (await waitForShapes(a, `(s) => s[0].text === 'Hello, board!\\nSecond line'`)) as TextJSON[]
    expect(edited.height).toBeCloseTo(60, 6)
    // Typing was one step: undo brings back the first text.
    await a.page.keyboard.press('Control+z')
    await waitForShapes(a, `(s) => s[0].text === 'Hello, board'`)
    // An empty text is not kept.
    await setTool(a, 'text')
    await a.page.mouse.click(500, 500)
    await a.page.keyboard.press('Escape')
    expect((await shapes(a)).length).toBe(1)
  })

  it('makes a sticky note with one click and wraps what is typed inside it', async () => {
    const a = await boardAlone()
    await setTool(a, 'sticky')
    await a.page.mouse.click(400, 300)
    await a.page.keyboard.type('A note that is long enough to wrap onto more than one line')
    await a.page.mouse.click(800, 600)
    const [note] = (await waitForShapes(a, `(s) => s.length === 1 && s[0].text.startsWith('A note that')`)) as StickyJSON[]
    expect(note).toMatchObject({ type: 'sticky', x: 300, y: 200, width: 200, height: 200, fill: '#ffec99', text: 'A note that is long enough to wrap onto more than one line' })
    // Drawn on the canvas once the editor has closed (the next frame shows the note again).
    await expect.poll(() => a.inkPixels(), { timeout: WAIT_MS }).toBeGreaterThan(30_000)
  })
})

describe('images', () => {
  it('adds a pasted image, downscaled into the document, and refuses a file that is not an image', async () => {
    const a = await boardAlone()
    const choosers = watchFileChoosers(a)
    await a.page.locator('mesh-board').focus()
    await pasteInto(a, `async (data) => data.items.add(await (${PNG_IN_PAGE})(2400, 1200, '#1971c2'))`)
    const [image] = (await waitForShapes(a, `(s) => s.length === 1`)) as ImageJSON[]
    expect(image.type).toBe('image')
    // Shown at most 640 units wide (and within the view), with the picture's proportions.
    expect(image.width).toBeLessThanOrEqual(640)
    expect(image.width).toBeGreaterThan(300)
    expect(image.width / image.height).toBeCloseTo(2, 6)
    const stored = await a.page.evaluate((hash) => {
      const board = document.querySelector('mesh-board')!.exportJSON()
      return atob(board.assets![hash]!).length
    }, image.asset)
    expect(stored).toBeLessThanOrEqual(1024 * 1024)
    const size = await a.page.evaluate(async (hash) => {
        const bytes = document.querySelector('mesh-board')!.doc!.getMap('assets').get(hash) as Uint8Array<ArrayBuffer>
      const bitmap = await createImageBitmap(new Blob([bytes]))
      return [bitmap.width, bitmap.height]
    }, image.asset)
    expect(size).toEqual([1600, 800])

    await a.page.keyboard.press('u')
    await expect.poll(() => choosers.length, { timeout: WAIT_MS }).toBe(1)
    await choosers[0]!.setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') })
    await a.page.locator('mesh-board .notice').getByText('"notes.txt" is not an image').waitFor({ timeout: WAIT_MS })
    expect((await shapes(a)).length).toBe(1)
  })
})

describe('clipboard and files', () => {
  it('copies shapes from one board and pastes them into another, images included', async () => {
    const server = await e2e.server()
    const [a, b] = await Promise.all([e2e.peer('A'), e2e.peer('B')])
    await Promise.all([a.createBoard(server.url), b.createBoard(server.url)])
    await rectangle(a)
    await a.page.locator('mesh-board').focus()
    await pasteInto(a, `async (data) => data.items.add(await (${PNG_IN_PAGE})(64, 64, '#2f9e44'))`)
    await waitForShapes(a, `(s) => s.length === 2`)
    await a.page.keyboard.press('Control+a')
    const copied = await a.page.evaluate(() => {
      const data = new DataTransfer()
      document.querySelector('mesh-board')!.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, composed: true }))
      return data.getData('text/plain')
    })
    expect(JSON.parse(copied)).toMatchObject({ type: 'meshboard/shapes' })
    await b.page.locator('mesh-board').focus()
    await pasteInto(b, `async (data) => data.setData('text/plain', ${JSON.stringify(copied)})`)
    const pasted = await waitForShapes(b, `(s) => s.length === 2`)
    const original = await shapes(a)
    // New ids, same shapes and the same picture.
    expect(pasted.map((shape) => shape.type)).toEqual(['rectangle', 'image'])
    expect(pasted.map((shape) => shape.id)).not.toEqual(original.map((shape) => shape.id))
    expect((pasted[1] as ImageJSON).asset).toBe((original[1] as ImageJSON).asset)
    expect((await b.exportJSON()).assets).toEqual((await a.exportJSON()).assets)

    // Plain text from elsewhere becomes a text.
    await pasteInto(b, `async (data) => data.setData('text/plain', 'Pasted words')`)
    await waitForShapes(b, `(s) => s.length === 3 && s[2].type === 'text' && s[2].text === 'Pasted words'`)
  })

  it('saves a .meshboard file and opens it into another board', async () => {
    const server = await e2e.server()
    const [a, b] = await Promise.all([e2e.peer('A'), e2e.peer('B')])
    const choosers = watchFileChoosers(b)
    await Promise.all([a.createBoard(server.url), b.createBoard(server.url)])
    await rectangle(a)
    await setTool(a, 'sticky')
    await a.page.mouse.click(600, 400)
    await a.page.keyboard.type('Saved')
    await a.page.keyboard.press('Escape')
    await waitForShapes(a, `(s) => s.length === 2 && s[1].text === 'Saved'`)
    await setTool(a, 'pen')
    await a.drawStroke(wave(200, 600, 400, 40))
    await a.clickToolbar('Board menu')
    const download = a.page.waitForEvent('download')
    await a.page.locator('mesh-board').getByRole('menuitem', { name: 'Save as .meshboard file' }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/\.meshboard$/)
    const saved = await (await file.createReadStream()).toArray()
    const content = Buffer.concat(saved).toString('utf8')
    // The board as exportJSON gives it, but the stroke's points kept encoded (format 2).
    const { version, shapes } = JSON.parse(content) as { version: number; shapes: Record<string, unknown>[] }
    const exported = await a.exportJSON()
    expect(version).toBe(2)
    expect(shapes.map(({ encodedPoints, pressure, points, ...rest }) => rest)).toEqual(exported.shapes.map((shape) => { const { points, ...rest } = shape as ShapeJSON & { points?: unknown }; return rest }))
    expect(shapes[2]).toEqual(expect.objectContaining({ type: 'stroke', encodedPoints: expect.any(String) }))
    expect(shapes[2]!.points).toBeUndefined()

    await b.clickToolbar('Board menu')
    await b.page.locator('mesh-board').getByRole('menuitem', { name: 'Open file (.meshboard, .excalidraw)…' }).click()
    await expect.poll(() => choosers.length, { timeout: WAIT_MS }).toBe(1)
    await choosers[0]!.setFiles({ name: 'board.meshboard', mimeType: 'application/json', buffer: Buffer.from(content) })
    await waitForShapes(b, `(s) => s.length === 3`)
    expect(await b.exportJSON()).toEqual(exported)

    // A broken file changes nothing and says why.
    await b.clickToolbar('Board menu')
    await b.page.locator('mesh-board').getByRole('menuitem', { name: 'Open file (.meshboard, .excalidraw)…' }).click()
    await expect.poll(() => choosers.length, { timeout: WAIT_MS }).toBe(2)
    await choosers[1]!.setFiles({ name: 'broken.meshboard', mimeType: 'application/json', buffer: Buffer.from('{"shapes": [{"type": "rectangle"}]}') })
    await b.page.locator('mesh-board .notice').getByText('Could not open the file').waitFor({ timeout: WAIT_MS })
    expect(await b.exportJSON()).toEqual(await a.exportJSON())
  })
})

describe('two browsers', () => {
  async function pair() {
    const server = await e2e.server()
    const [a, b] = await Promise.all([e2e.peer('A'), e2e.peer('B')])
    const url = await a.createBoard(server.url)
    await b.open(url)
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
    return { a, b }
  }

  it('shows on B what A moves, resizes and recolours, and B sees A’s selection', async () => {
    const { a, b } = await pair()
    const box = await rectangle(a)
    await waitForShapes(b, `(s) => s.length === 1 && s[0].width === 200`)
    await setTool(a, 'select')
    await a.page.mouse.click(300, 150)
    await b.page.waitForFunction(
      (id) => [...document.querySelector('mesh-board')!.awareness!.getStates().values()].some((state) => (state as { selection?: string[] }).selection?.includes(id)),
      box.id,
      { timeout: WAIT_MS },
    )
    await dragMouse(a, [300, 150], [400, 250])
    await dragMouse(a, [508, 408], [608, 408])
    await a.clickToolbar('Blue')
    const final = await waitForShapes(a, `(s) => s[0].color === '#1971c2' && s[0].y === 250 && s[0].width > 290`)
    await waitForShapes(b, `(s) => s[0].color === '#1971c2' && s[0].y === 250 && s[0].width > 290`)
    expect(await shapes(b)).toEqual(final)
  })

  it('converges when both edit the same shape at once', async () => {
    const { a, b } = await pair()
    await rectangle(a)
    await waitForShapes(b, `(s) => s.length === 1 && s[0].width === 200`)
    await Promise.all([setTool(a, 'select'), setTool(b, 'select')])
    await Promise.all([a.page.mouse.click(300, 150), b.page.mouse.click(300, 150)])
    // At the same moment: A drags it right, B drags it down and recolours it.
    await Promise.all([dragMouse(a, [300, 150], [420, 150]), dragMouse(b, [300, 150], [300, 260]).then(() => b.clickToolbar('Violet'))])
    await waitForShapes(a, `(s) => s[0].color === '#9c36b5'`)
    await expect.poll(async () => JSON.stringify(await shapes(a)) === JSON.stringify(await shapes(b)), { timeout: WAIT_MS }).toBe(true)
    const [shape] = (await shapes(a)) as BoxJSON[]
    // Each field has one writer here, and both boards keep every change: A's x, B's y and colour.
    expect(shape).toMatchObject({ x: 320, y: 260, color: '#9c36b5', width: 200, height: 150 })
  })
})
