/**
 * Phones and tablets (Playwright's iPhone 13, upright and on its side, and iPad Mini): every
 * control of the board is on screen, at least 44 px each way, overlaps no other and is what a tap
 * at its middle reaches; one finger draws, two fingers pan, a pinch zooms, with real touch events
 * (the DevTools protocol's, as a touch screen sends them). Screenshots in test-results/screenshots.
 */
import { devices } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { colorBox, type Peer } from '../helpers/browser'
import { ALL_RULES, violations } from '../helpers/axe'
import { useE2E } from '../helpers/e2e'
import { writeScreenshotFile } from '../helpers/screenshots'

const e2e = useE2E()

interface Control {
  readonly name: string
  readonly left: number
  readonly top: number
  readonly right: number
  readonly bottom: number
  /** Whether a tap at its middle reaches it (and not something over it). */
  readonly reachable: boolean
}

/** Every button, input and select of the board, through its shadow roots, with where it is. */
function controls(peer: Peer): Promise<Control[]> {
  return peer.page.evaluate(() => {
    const found: Element[] = []
    const visit = (root: Document | ShadowRoot) => {
      for (const element of Array.from(root.querySelectorAll('*'))) {
        if (element.matches('button, input, select, [role="button"]')) found.push(element)
        if (element.shadowRoot) visit(element.shadowRoot)
      }
    }
    visit(document)
    /** What a tap at (x, y) lands on, inside shadow roots too. */
    const hit = (x: number, y: number) => {
      let element = document.elementFromPoint(x, y)
      while (element?.shadowRoot) {
        const inner = element.shadowRoot.elementFromPoint(x, y)
        if (!inner || inner === element) break
        element = inner
      }
      return element
    }
    return found
      .map((element) => ({ element, rect: element.getBoundingClientRect() }))
      .filter(({ element, rect }) => rect.width > 0 && rect.height > 0 && getComputedStyle(element).visibility !== 'hidden')
      .map(({ element, rect }) => {
        const target = hit(rect.left + rect.width / 2, rect.top + rect.height / 2)
        return {
          name: element.getAttribute('aria-label') ?? element.textContent?.trim() ?? element.tagName,
          left: rect.left,
          top: rect.top,
          right: rect.right,
          bottom: rect.bottom,
          reachable: !!target && (target === element || element.contains(target)),
        }
      })
  })
}

const overlap = (a: Control, b: Control) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5

/** Touch points through the DevTools protocol: the events a touch screen sends. */
async function touch(peer: Peer, strokes: readonly (readonly [number, number])[][]): Promise<void> {
  const session = await peer.context.newCDPSession(peer.page)
  const at = (step: number) => strokes.map((path, id) => ({ x: path[step]![0], y: path[step]![1], id }))
  await session.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) })
  for (let step = 1; step < strokes[0]!.length; step++) await session.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(step) })
  await session.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
  await session.detach()
}

const line = (from: readonly [number, number], to: readonly [number, number], steps = 12) =>
  Array.from({ length: steps + 1 }, (_, i) => [from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps] as const)

const zoomShown = (peer: Peer) => peer.page.locator('mesh-board mesh-view-controls').getByRole('button', { name: /^Zoom \d+%/ }).getAttribute('aria-label')

const DEVICES = [
  ['phone', devices['iPhone 13']!],
  ['phone on its side', devices['iPhone 13 landscape']!],
  ['tablet', devices['iPad Mini']!],
] as const

describe('phones and tablets', () => {
  for (const [name, device] of DEVICES) {
    it(`lays every control out reachable, touch-sized and apart on a ${name}`, async () => {
      const server = await e2e.server()
      const a = await e2e.peer('A', { device })
      await a.createBoard(server.url)
      const { width, height } = device.viewport
      const shown = await controls(a)
      expect(shown.length).toBeGreaterThan(20)
      expect(shown.filter((control) => control.left < 0 || control.top < 0 || control.right > width || control.bottom > height).map((control) => control.name)).toEqual([])
      expect(shown.filter((control) => control.right - control.left < 44 || control.bottom - control.top < 44).map((control) => control.name)).toEqual([])
      expect(shown.filter((control) => !control.reachable).map((control) => control.name)).toEqual([])
      const overlapping = shown.flatMap((control, i) => shown.slice(i + 1).filter((other) => overlap(control, other)).map((other) => `${control.name} / ${other.name}`))
      expect(overlapping).toEqual([])
      expect(await violations(a, ALL_RULES)).toEqual([])
      await writeScreenshotFile(`small-screen-${name.replaceAll(' ', '-')}.png`, await a.page.screenshot())
    })
  }

  it('draws with one finger, pans with two and zooms with a pinch, on a phone', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A', { device: devices['iPhone 13']! })
    await a.createBoard(server.url)
    // The iPhone 13's page is 390 by 664 CSS pixels; the board's open canvas is between its bars.
    await touch(a, [line([100, 160], [280, 220])])
    await expect.poll(async () => (await a.exportJSON()).shapes.map((shape) => shape.type)).toEqual(['stroke'])
    const area = { x: 0, y: 80, width: 390, height: 300 }
    const before = (await colorBox(a, area, '#1e1e1e')).box!
    // Two fingers moving together: the view follows them, nothing is drawn.
    await touch(a, [line([120, 320], [170, 280]), line([220, 320], [270, 280])])
    await expect.poll(async () => (await colorBox(a, area, '#1e1e1e')).box?.left).toBeCloseTo(before.left + 50, -1)
    expect((await a.exportJSON()).shapes).toHaveLength(1)
    expect(await zoomShown(a)).toMatch(/^Zoom 100%/)
    // Fingers moving apart, from 60 to 180 px: three times as big.
    await touch(a, [line([170, 300], [110, 300]), line([230, 300], [290, 300])])
    await expect.poll(() => zoomShown(a)).toMatch(/^Zoom 300%/)
    expect((await a.exportJSON()).shapes).toHaveLength(1)
  })
})
