/**
 * A hostile peer, in its own Chromium process, against a victim and an honest peer: it writes
 * what honest editing never makes (maps nested in a shape, the start of the 10,000-deep chain
 * whose deletion wedged every receiving document), straight into its own document through the
 * element's public `doc`. The others refuse it, say who it was, drop it, and keep drawing
 * together, also after a reload.
 */
import { describe, expect, it } from 'vitest'
import type { Peer } from '../helpers/browser'
import { WAIT_MS } from '../helpers/browser'
import { expectBoard, useE2E } from '../helpers/e2e'
import { presetIdentity } from '../helpers/browser'
import { spiral, wave } from '../helpers/boards'

const e2e = useE2E()

/** In the attacker's page: a chain of maps nested `depth` deep inside one of its shapes, one change per level. */
function nestMaps(peer: Peer, depth: number): Promise<void> {
  return peer.page.evaluate((levels) => {
    const doc = document.querySelector('mesh-board')!.doc!
    const shapes = doc.getMap('shapes')
    let current = shapes.get([...shapes.keys()][0]!) as { set(key: string, value: unknown): void; constructor: new () => unknown }
    const YMap = current.constructor
    for (let level = 0; level < levels; level++) {
      const next = new YMap() as typeof current
      doc.transact(() => current.set('deeper', next))
      current = next
    }
  }, depth)
}

function noticeText(peer: Peer): Promise<string> {
  return peer.page.evaluate(() => document.querySelector('mesh-board')!.shadowRoot!.querySelector('.notice')?.textContent ?? '')
}

describe('a board that Yjs wedges anyway', () => {
  it('says that what is drawn now is not saved, instead of "Saved"', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A')
    await a.createBoard(server.url)
    await a.drawStroke(wave(250, 200, 400, 40))
    await a.page.waitForFunction(() => document.querySelector('mesh-board')?.storeStatus === 'saved', null, { timeout: WAIT_MS })
    // The attack done to this document directly (past the screen, which guards what arrives):
    // 10,000 nested maps, then the delete of the top overflows the stack in Yjs's cleanup.
    const threw = await a.page.evaluate(() => {
      const doc = document.querySelector('mesh-board')!.doc!
      const shapes = doc.getMap('shapes')
      const YMap = shapes.constructor as new () => { set(key: string, value: unknown): void }
      doc.transact(() => {
        let current = new YMap()
        shapes.set('chain', current)
        for (let level = 0; level < 10_000; level++) {
          const next = new YMap()
          current.set('m', next)
          current = next
        }
      })
      try {
        doc.transact(() => shapes.delete('chain'))
        return false
      } catch {
        return true
      }
    })
    expect(threw).toBe(true)
    await a.page.waitForFunction(() => document.querySelector('mesh-board')?.storeStatus === 'error', null, { timeout: WAIT_MS })
    const problem = await a.page.evaluate(
      () => document.querySelector('mesh-board')!.shadowRoot!.querySelector('mesh-status')!.shadowRoot!.querySelector('[role=status]')!.textContent ?? '',
    )
    expect(problem).toContain('This board stopped taking changes after an error')
  })
})

describe('a hostile peer', () => {
  it('is refused, named and dropped, and the others keep drawing together, also after a reload', async () => {
    const server = await e2e.server()
    const [mallory, victim, honest] = await Promise.all([e2e.peer('Mallory'), e2e.peer('Victim'), e2e.peer('Honest')])
    await presetIdentity(mallory, { name: 'Mallory', color: '#e03131' })
    const url = await victim.createBoard(server.url)
    await Promise.all([mallory.open(url), honest.open(url)])
    await Promise.all([mallory, victim, honest].map((peer) => peer.waitForPeerCount(2)))

    await mallory.drawStroke(wave(250, 200, 400, 40))
    const before = await mallory.exportJSON()
    await Promise.all([expectBoard(victim, before), expectBoard(honest, before)])

    await nestMaps(mallory, 50)
    for (const peer of [victim, honest]) {
      await peer.page.waitForFunction(() => document.querySelector('mesh-board')!.shadowRoot!.querySelector('.notice'), null, { timeout: WAIT_MS })
      expect(await noticeText(peer)).toContain('Mallory’s board sent data this board refused; disconnected.')
      await peer.waitForPeerCount(1)
      expect(peer.log.join('\n')).toContain('a nested type where the board has none')
    }

    // The victim and the honest peer go on together, and Mallory is not let back in.
    const fromHonest = await honest.drawStroke(spiral(600, 420, 90, 2.5, 60))
    const fromVictim = await victim.drawStroke(wave(200, 520, 500, 30))
    const both = await honest.exportJSON()
    expect(both.shapes.map((shape) => shape.id)).toEqual(expect.arrayContaining([fromHonest.id, fromVictim.id]))
    await expectBoard(victim, both)
    expect(await victim.peerCount()).toBe(1)

    // Nothing of the attack was stored: the reloaded victim still works with the honest peer.
    await victim.reload()
    await expectBoard(victim, both)
    await victim.waitForPeerCount(1)
    const afterReload = await victim.drawStroke(wave(200, 600, 300, 20))
    await expectBoard(honest, { ...both, shapes: [...both.shapes, afterReload] })
  })
})
