/**
 * What axe-core (the engine of Lighthouse's accessibility audit) finds on the app and on a page that
 * embeds two boards (examples/embed.html): nothing, in either theme, with every panel and dialog a
 * user opens (voice's with the browser's fake microphone).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ALL_RULES, violations } from '../helpers/axe'
import { useE2E } from '../helpers/e2e'
import { recordEvents, startHostServer, waitForEvent, type HostServer } from '../helpers/host-page'

const e2e = useE2E()

const hosts: HostServer[] = []
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()))
})

describe('accessibility', () => {
  it('has no axe violations on the app (WCAG 2.2 AA and best practices), light and dark, with its panels and dialogs open', async () => {
    const server = await e2e.server()
    const [a, b] = await Promise.all([e2e.peer('A', { media: 'fake' }), e2e.peer('B')])
    const url = await a.createBoard(server.url)
    await b.open(url)
    // With someone else on the board: their avatar (a follow button) is in the people panel.
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
    await a.drawStroke([[300, 300], [400, 320], [500, 300]])
    const board = a.page.locator('mesh-board')
    const found: string[] = []
    const check = async (what: string) => found.push(...(await violations(a, ALL_RULES)).map((line) => `${what}: ${line}`))
    for (const theme of ['light', 'dark']) {
      // The pen's style panel is open from the start.
      await check(`${theme}, style panel`)
      await board.getByRole('button', { name: 'Share', exact: true }).click()
      await board.getByRole('dialog', { name: 'Share this board' }).waitFor()
      await check(`${theme}, share dialog`)
      await board.getByRole('button', { name: 'Share', exact: true }).click()
      await a.clickToolbar('Board menu')
      await board.getByRole('menu', { name: 'Board menu' }).waitFor()
      await check(`${theme}, board menu`)
      await board.getByRole('menuitem', { name: /^Language/ }).click()
      await board.getByRole('menuitemradio', { name: 'Automatic' }).waitFor()
      await check(`${theme}, board menu's languages`)
      await a.clickToolbar('Board menu')
      await a.clickToolbar('Board menu')
      await board.getByRole('menuitem', { name: 'History…' }).click()
      await board.getByRole('dialog').waitFor()
      await check(`${theme}, history`)
      await a.page.keyboard.press('Escape')
      await board.getByRole('dialog').waitFor({ state: 'detached' })
      await board.getByRole('button', { name: /change your name and colour/ }).click()
      await check(`${theme}, name and colour`)
      await board.getByRole('button', { name: /change your name and colour/ }).click()
      await a.clickToolbar('Keyboard shortcuts')
      await board.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor()
      await check(`${theme}, keyboard shortcuts`)
      await a.page.keyboard.press('Escape')
      await board.getByRole('button', { name: 'Join voice' }).click()
      await board.getByRole('region', { name: 'Voice' }).waitFor()
      await check(`${theme}, voice`)
      await board.getByRole('button', { name: 'Leave voice' }).click()
      if (theme === 'light') await a.clickToolbar('Dark theme')
    }
    expect(found).toEqual([])
  })

  it('has no axe violations on a page that embeds two boards', async () => {
    const server = await e2e.server()
    const host = await startHostServer()
    hosts.push(host)
    const a = await e2e.peer('A', { viewport: { width: 1200, height: 800 } })
    await recordEvents(a)
    await a.page.goto(host.url('embed.html', server.url))
    await Promise.all([waitForEvent(a, { type: 'mesh-ready', id: 'sketch' }), waitForEvent(a, { type: 'mesh-ready', id: 'notes' })])
    // Boards this narrow (about 570 px) lay their controls out compact, the toolbar along the bottom:
    // WCAG 2.2's target sizes hold there too.
    expect(await violations(a, ALL_RULES)).toEqual([])
  })
})
