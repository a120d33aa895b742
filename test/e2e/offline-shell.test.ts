/**
 * The offline app shell (DESIGN.md §7): once the service worker of the production build has
 * installed, a board URL opens with no server and no network at all, with the board's content
 * from this device.
 */
import { describe, expect, it } from 'vitest'
import { spiral, star, wave } from '../helpers/boards'
import { WAIT_MS, statusTexts } from '../helpers/browser'
import { useE2E } from '../helpers/e2e'

const e2e = useE2E()

describe('offline app shell', () => {
  it('reloads a board with the server stopped and the browser offline', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A')
    const url = await a.createBoard(server.url)

    // The first visit installs the worker; it claims the page once active (else a reload would).
    await a.page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    if (!(await a.page.evaluate(() => navigator.serviceWorker.controller !== null))) await a.reload()
    await a.page.waitForFunction(() => navigator.serviceWorker.controller?.scriptURL.endsWith('/sw.js') === true, null, { timeout: WAIT_MS })

    await a.drawStroke(wave(250, 220, 520, 50))
    await a.drawStroke(spiral(650, 420, 120, 2.5, 80))
    await a.drawStroke(star(300, 470, 90, 38))
    const before = await a.exportJSON()
    expect(before.shapes).toHaveLength(3)
    await expect.poll(async () => (await statusTexts(a)).saved, { timeout: WAIT_MS }).toBe('Saved on this device')
    const ink = await a.inkPixels()
    expect(ink).toBeGreaterThan(1000)

    await server.stop()
    await a.context.setOffline(true)
    await expect(fetch(server.url), 'the stopped server').rejects.toThrow()

    const response = await a.page.reload()
    expect(response?.ok(), 'the reloaded page').toBe(true)
    expect(response?.fromServiceWorker(), 'the page came from the service worker').toBe(true)
    expect(a.page.url()).toBe(url)
    await a.waitUntilLoaded()

    expect(await a.exportJSON(), 'the board after the offline reload').toEqual(before)
    await a.page.locator('mesh-board').getByRole('button', { name: 'Pen', exact: true }).waitFor({ timeout: WAIT_MS })
    await a.page.locator('mesh-board').getByRole('group', { name: 'Tools' }).waitFor({ timeout: WAIT_MS })
    await expect.poll(() => a.inkPixels(), { timeout: WAIT_MS, message: 'ink on screen after the offline reload' }).toBe(ink)
    expect(await a.status()).toBe('offline')
    await expect.poll(async () => (await statusTexts(a)).status, { timeout: WAIT_MS }).toBe('Offline — keep drawing, it syncs when you reconnect')
  })
})
