/**
 * Board history, with separate Chromium processes: a vandal deletes everything; the victim opens
 * the History panel (real clicks), sees the version kept just before the wipe, previews it and restores it; the board is back for both, and undo takes the restore back.
 */
import { describe, expect, it } from 'vitest'
import type { StrokeJSON } from '../../src/model/board-json'
import { parseBoardFragment } from '../../src/net/board-address'
import { deriveStoreKeys } from '../../src/net/store-keys'
import { ServerVersions } from '../../src/store/server-versions'
import type { Peer } from '../helpers/browser'
import { presetIdentity, WAIT_MS } from '../helpers/browser'
import { expectBoard, useE2E } from '../helpers/e2e'
import { spiral, wave } from '../helpers/boards'
import { browserShots, writeReadmeScreenshot } from '../helpers/screenshots'

const e2e = useE2E()

const inkLine = (id: string, y: number): StrokeJSON => ({
  id,
  type: 'stroke',
  x: 200,
  y,
  rotation: 0,
  color: '#1971c2',
  strokeWidth: 6,
  opacity: 1,
  points: [[200, y, 0.5], [400, y + 20, 0.5], [620, y, 0.5]],
})

/** Clicks a button found by its text inside the board's shadow roots (the menu, then the history panel). */
async function click(peer: Peer, selector: string, text: string): Promise<void> {
  const handle = await peer.page.waitForFunction(
    ({ selector, text }) => {
      const board = document.querySelector('mesh-board')!.shadowRoot!
      const roots = [board, ...Array.from(board.querySelectorAll('mesh-file-menu, mesh-history'), (element) => element.shadowRoot!)]
      for (const root of roots) {
        for (const button of root.querySelectorAll<HTMLButtonElement>(selector)) {
          if (button.textContent?.includes(text) && !button.disabled) return button
        }
      }
      return null
    },
    { selector, text },
    { timeout: WAIT_MS },
  )
  await handle.asElement()!.click()
}

/** Opens the history panel from the board menu and waits until it says `text`. */
async function openHistoryUntil(peer: Peer, text: string): Promise<void> {
  await click(peer, 'button.menu-button', '')
  await click(peer, '[role=menuitem]', 'History')
  await peer.page.waitForFunction(
    (text) => document.querySelector('mesh-board')!.shadowRoot!.querySelector('mesh-history')?.shadowRoot!.textContent?.includes(text),
    text,
    { timeout: WAIT_MS },
  )
}

const historyText = (peer: Peer) =>
  peer.page.evaluate(() => document.querySelector('mesh-board')!.shadowRoot!.querySelector('mesh-history')?.shadowRoot!.textContent?.replace(/\s+/g, ' ') ?? '')

describe('board history', () => {
  it('undoes a wipe by someone else: the version before it is restored for everyone, and undo takes the restore back', async () => {
    const server = await e2e.server()
    const [victim, vandal] = await Promise.all([e2e.peer('Victim'), e2e.peer('Vandal')])
    await presetIdentity(vandal, { name: 'Mallory', color: '#e03131' })
    const url = await victim.createBoard(server.url)
    await vandal.open(url)
    await Promise.all([victim.waitForPeerCount(1), vandal.waitForPeerCount(1)])
    for (let i = 0; i < 6; i++) await (i % 2 ? vandal : victim).drawStroke(wave(200, 120 + i * 60, 360, 20))
    await victim.drawStroke(spiral(620, 300, 80, 2, 50))
    const drawn = await victim.exportJSON()
    await expectBoard(vandal, drawn)

    await vandal.page.evaluate(() => {
      const board = document.querySelector('mesh-board')!
      const shapes = board.doc!.getMap('shapes')
      board.doc!.transact(() => [...shapes.keys()].forEach((id) => shapes.delete(id)))
    })
    await victim.waitForShapeCount(0)

    await click(victim, 'button.menu-button', '')
    await click(victim, '[role=menuitem]', 'History')
    await victim.page.waitForFunction(
      () => document.querySelector('mesh-board')!.shadowRoot!.querySelector('mesh-history')?.shadowRoot!.querySelector('img'),
      null,
      { timeout: WAIT_MS },
    )
    expect(await historyText(victim)).toContain('Before 7 shapes were deleted')
    // The README's picture (npm run screenshots; npm test writes it under test-results/).
    const shots = await browserShots(url, [[victim, "The victim's browser — someone deleted everything; the version before it is one click away"]])
    expect((await writeReadmeScreenshot(victim.context, 'history.png', shots, { width: 1000, height: 700 })).byteLength).toBeGreaterThan(10_000)
    await click(victim, 'ol button', 'Before 7 shapes were deleted')
    await click(victim, 'button.primary', 'Restore this version')

    await Promise.all([expectBoard(victim, drawn), expectBoard(vandal, drawn)])
    const notice = await victim.page.evaluate(() => document.querySelector('mesh-board')!.shadowRoot!.querySelector('.notice')?.textContent ?? '')
    expect(notice).toContain('7 shapes back')

    // One undoable change: undo brings the wipe back, redo the restore.
    await victim.page.evaluate(() => document.querySelector('mesh-board')!.undo())
    await Promise.all([victim.waitForShapeCount(0), vandal.waitForShapeCount(0)])
    await victim.page.evaluate(() => document.querySelector('mesh-board')!.redo())
    await Promise.all([expectBoard(victim, drawn), expectBoard(vandal, drawn)])

    // Kept on the device: after a reload the history still lists the version before the wipe.
    await victim.reload()
    await openHistoryUntil(victim, 'Before 7 shapes were deleted')
  })

  it('brings back, on a device that never had the board, a board wiped while nobody who had it was there', async () => {
    // A short log: the wipe is compacted into the server's copy at once, so a newcomer never sees
    // the board as it was there (before, its log alone gave a newcomer the version before the wipe).
    const server = await e2e.server({ env: { STORE_MAX_LOG_RECORDS: '2' } })
    const ana = await e2e.peer('Ana')
    await presetIdentity(ana, { name: 'Ana', color: '#1971c2' })
    const url = await ana.createBoard(server.url)
    // In one change: a version goes to the server at most every 10 minutes, so the first one sent
    // must already be the whole of Ana's board (strokes drawn one by one may be sent after the first).
    await ana.importJSON({ version: 1, shapes: [0, 1, 2].map((i) => inkLine(`ana-${i}`, 160 + i * 90)) })
    const drawn = await ana.exportJSON()
    // Ana's version reaches the server, sealed (read here with the board's keys, as a device would).
    const keys = await deriveStoreKeys(parseBoardFragment(new URL(url).hash)!)
    const onServer = new ServerVersions({ keys, baseUrl: `${server.url}store/` })
    // Half a second apart: the store limits reads per address (240 a minute).
    await expect.poll(async () => (await onServer.list()).map(({ info }) => info.shapes), { timeout: WAIT_MS, interval: 500 }).toContain(3)
    // And the board itself in the server's copy (a version can get there first): what a newcomer opens.
    await expect.poll(() => ana.page.evaluate(() => document.querySelector('mesh-board')!.storeStatus), { timeout: WAIT_MS }).toBe('saved')
    await ana.close()

    // Alone on the board, a vandal deletes everything and leaves.
    const vandal = await e2e.peer('Vandal')
    await vandal.open(url)
    await vandal.waitForShapeCount(3)
    // Through the element's own API, as the board's own change: the server's copy takes it. Then
    // scribbles, so that the log fills and the copy is compacted with the wipe in it.
    await vandal.importJSON({ version: 1, shapes: [] })
    for (let i = 0; i < 3; i++) await vandal.drawStroke(spiral(300 + i * 200, 300, 60, 2, 40))
    const scribbled = await vandal.exportJSON()
    await vandal.page.waitForFunction(() => document.querySelector('mesh-board')!.storeStatus === 'saved', null, { timeout: WAIT_MS })
    await vandal.close()

    // Someone new opens the board: the scribbles. Its history on the server still has Ana's board.
    const newcomer = await e2e.peer('Newcomer')
    await newcomer.open(url)
    await newcomer.page.waitForFunction(() => document.querySelector('mesh-board')!.storeStatus === 'saved', null, { timeout: WAIT_MS })
    await expectBoard(newcomer, scribbled)
    await openHistoryUntil(newcomer, 'on the server')
    expect(await historyText(newcomer)).toContain('Changes by Ana · 3 shapes · on the server')
    await click(newcomer, 'ol button', 'Changes by Ana')
    await click(newcomer, 'button.primary', 'Restore this version')
    await expectBoard(newcomer, drawn)
  })
})
