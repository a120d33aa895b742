/**
 * The interface in a person's language: a Korean browser gets Korean everywhere (no English left in
 * what the board shows, panels and dialogs open), the board menu's pick of another language holds
 * across reloads, and a page sets a board's language with `lang`. Screenshots of the Korean and
 * Japanese interface go to test-results/screenshots (docs/screenshots with `npm run screenshots`).
 */
import { describe, expect, it } from 'vitest'
import type { TemplateLike } from '@lit/localize'
import { allSourceMessages, catalogOf } from '../../support/catalogs'
import type { Peer } from '../helpers/browser'
import { useE2E } from '../helpers/e2e'
import { writeScreenshotFile } from '../helpers/screenshots'

const e2e = useE2E()
const messages = allSourceMessages()

/** Every text the page shows or names a control with: text, aria-label, title and placeholder, through shadow roots. */
function shownTexts(peer: Peer): Promise<string[]> {
  return peer.page.evaluate(() => {
    const found = new Set<string>()
    const visit = (root: Node) => {
      for (const node of Array.from(root.childNodes)) {
        if (node.nodeType === Node.TEXT_NODE) {
          const text = node.textContent?.trim()
          if (text) found.add(text)
        } else if (node instanceof Element && node.tagName !== 'STYLE' && node.tagName !== 'SCRIPT') {
          for (const name of ['aria-label', 'title', 'placeholder']) {
            const value = node.getAttribute(name)?.trim()
            if (value) found.add(value)
          }
          if (node.shadowRoot) visit(node.shadowRoot)
          visit(node)
        }
      }
    }
    visit(document.body)
    return [...found]
  })
}

/** The shown texts that are the English of a message whose translation differs: what was left untranslated. */
function untranslated(shown: readonly string[], catalog: Record<string, TemplateLike>): string[] {
  const left: string[] = []
  for (const message of messages) {
    const translation = catalog[message.id]
    if (typeof translation === 'string' && translation === message.text) continue
    const pattern = message.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\$\\\{\d+\\\}/g, '.+')
    // A message that is mostly placeholders ("${0} (${1})") says nothing of its language.
    if (message.text.replace(/\$\{\d+\}/g, '').replace(/[^\p{L}]/gu, '').length < 4) continue
    const english = new RegExp(`^${pattern}$`, 'u')
    for (const text of shown) if (english.test(text)) left.push(`${message.id}: ${text}`)
  }
  return left
}

const label = (catalog: Record<string, TemplateLike>, id: string) => catalog[id] as string

describe('languages', () => {
  it('shows a Korean browser the whole interface in Korean, and keeps the language picked in the menu', async () => {
    const [ko, ja] = await Promise.all([catalogOf('ko'), catalogOf('ja')])
    const server = await e2e.server()
    const a = await e2e.peer('A', { locale: 'ko-KR', viewport: { width: 1200, height: 760 } })
    await a.createBoard(server.url)
    const board = a.page.locator('mesh-board')
    const menu = board.getByRole('button', { name: label(ko, 'menu.label'), exact: true })
    await menu.waitFor()
    await a.drawStroke([[420, 380], [520, 330], [640, 400]])

    const shown = new Set(await shownTexts(a))
    await menu.click()
    for (const text of await shownTexts(a)) shown.add(text)
    await menu.click()
    await board.getByRole('button', { name: label(ko, 'share.open'), exact: true }).click()
    for (const text of await shownTexts(a)) shown.add(text)
    await board.getByRole('button', { name: label(ko, 'share.open'), exact: true }).click()
    await board.getByRole('button', { name: label(ko, 'action.help'), exact: true }).click()
    await board.getByRole('dialog').waitFor()
    for (const text of await shownTexts(a)) shown.add(text)
    expect(untranslated([...shown], ko)).toEqual([])
    expect(await a.page.evaluate(() => document.documentElement.lang)).toBe('ko')
    await writeScreenshotFile('languages-ko.png', await a.page.screenshot())
    await a.page.keyboard.press('Escape')

    // The board menu's Language page: 日本語, by its own name.
    await menu.click()
    await board.getByRole('menuitem', { name: new RegExp(label(ko, 'menu.language')) }).click()
    await board.getByRole('menuitemradio', { name: '日本語' }).click()
    const japaneseMenu = board.getByRole('button', { name: label(ja, 'menu.label'), exact: true })
    await japaneseMenu.waitFor()
    expect(await a.page.evaluate(() => document.documentElement.lang)).toBe('ja')
    await a.reload()
    await japaneseMenu.waitFor()
    await japaneseMenu.click()
    expect(untranslated(await shownTexts(a), ja)).toEqual([])
    await board.getByRole('menuitem', { name: new RegExp(label(ja, 'menu.language')) }).click()
    await board.getByRole('menuitemradio', { name: '日本語', checked: true }).waitFor()
    await writeScreenshotFile('languages-ja.png', await a.page.screenshot())

    // Automatic: the browser's language again.
    await board.getByRole('menuitemradio', { name: label(ja, 'menu.language.automatic') }).click()
    await menu.waitFor()
  })

  it('lets a page set a board’s language with lang, and follows it when it changes', async () => {
    const [de, fr] = await Promise.all([catalogOf('de'), catalogOf('fr')])
    const server = await e2e.server()
    const a = await e2e.peer('A')
    await a.createBoard(server.url)
    const board = a.page.locator('mesh-board')
    await board.getByRole('button', { name: 'Board menu', exact: true }).waitFor()
    await board.evaluate((element) => element.setAttribute('lang', 'de-AT'))
    await board.getByRole('button', { name: label(de, 'menu.label'), exact: true }).waitFor()
    expect(await board.getAttribute('aria-label')).toBe(label(de, 'board.label'))
    await board.evaluate((element) => element.setAttribute('lang', 'fr'))
    await board.getByRole('button', { name: label(fr, 'menu.label'), exact: true }).waitFor()
    expect(untranslated(await shownTexts(a), fr)).toEqual([])
    await board.evaluate((element) => element.removeAttribute('lang'))
    await board.getByRole('button', { name: 'Board menu', exact: true }).waitFor()
  })
})
