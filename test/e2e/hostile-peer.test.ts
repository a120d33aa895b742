/**
 * A hostile peer, in its own Chromium process, against a victim and an honest peer: it writes
 * what honest editing never makes (maps nested in a shape, the start of the 10,000-deep chain
 * whose deletion wedged every receiving document), straight into its own document through the
 * element's public `doc`. The others refuse it, say who it was, drop it, and keep drawing
 * together, also after a reload.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Peer } from '../helpers/browser'
import { WAIT_MS } from '../helpers/browser'
import { expectBoard, useE2E } from '../helpers/e2e'
import { openTab, presetIdentity, statusTexts } from '../helpers/browser'
import { CHUNK_PAYLOAD_BYTES, FRAME_COMPRESSED_FLAG, FRAME_LAST, FRAME_MORE, MAX_MESSAGE_BYTES, RECEIVE_BUDGET_BYTES } from '../../src/net/chunked-channel'
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

/**
 * Mallory, a victim and an honest peer, each in a Chromium process of its own, on one board the
 * victim made, all three connected. `prepare` readies a peer before the board opens (its identity,
 * init scripts).
 */
async function threeOnOneBoard(prepare: { mallory?: (peer: Peer) => Promise<void>; victim?: (peer: Peer) => Promise<void> } = {}) {
  const server = await e2e.server()
  const [mallory, victim, honest] = await Promise.all([e2e.peer('Mallory'), e2e.peer('Victim'), e2e.peer('Honest')])
  await prepare.mallory?.(mallory)
  await prepare.victim?.(victim)
  const url = await victim.createBoard(server.url)
  await Promise.all([mallory.open(url), honest.open(url)])
  await Promise.all([mallory, victim, honest].map((peer) => peer.waitForPeerCount(2)))
  return { url, mallory, victim, honest }
}

const asMallory = (peer: Peer) => presetIdentity(peer, { name: 'Mallory', color: '#e03131' })

function noticeText(peer: Peer): Promise<string> {
  return peer.page.evaluate(() => document.querySelector('mesh-board')!.shadowRoot!.querySelector('.notice')?.textContent ?? '')
}

describe('a board that Yjs wedges anyway', () => {
  it('is opened again from what was saved, says so, and takes changes again', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A')
    await a.createBoard(server.url)
    const kept = await a.drawStroke(wave(250, 200, 400, 40))
    await a.page.waitForFunction(() => document.querySelector('mesh-board')?.storeStatus === 'saved', null, { timeout: WAIT_MS })
    // The board is opened again from this device: the stroke must be stored here too, not only on the server.
    await expect.poll(async () => (await statusTexts(a)).saved, { timeout: WAIT_MS }).toContain('Saved on this device')
    const wedgedDoc = await a.page.evaluateHandle(() => document.querySelector('mesh-board')!.doc!)
    await a.page.evaluate(() => {
      const errors: string[] = []
      ;(window as unknown as { __meshErrors: string[] }).__meshErrors = errors
      addEventListener('mesh-error', (event) => errors.push((event as CustomEvent<{ message: string }>).detail.message))
    })
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
    // A new document, read from this device: the stroke from before is there, and the notice says what happened.
    await a.page.waitForFunction((old) => document.querySelector('mesh-board')?.doc !== old, wedgedDoc, { timeout: WAIT_MS })
    await a.waitUntilLoaded()
    // Told, also when the notice that follows says the chain saved on this device was left out.
    expect((await a.page.evaluate(() => (window as unknown as { __meshErrors: string[] }).__meshErrors)).join('\n')).toContain(
      'This board hit an error and was opened again from what was saved on this device',
    )
    expect((await a.exportJSON()).shapes).toContainEqual(kept)
    await a.drawStroke(wave(250, 400, 400, 40))
    await a.page.waitForFunction(() => document.querySelector('mesh-board')?.storeStatus === 'saved', null, { timeout: WAIT_MS })
    await a.reload()
    expect((await a.exportJSON()).shapes.filter((shape) => shape.type === 'stroke')).toHaveLength(2)
  })
})

describe('a board saved with a bomb in it', () => {
  it('opens without it: the rest of the board is there, the user is told, and it keeps drawing and saving', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A')
    await a.createBoard(server.url)
    const kept = await a.drawStroke(wave(250, 200, 400, 40))
    await a.page.waitForFunction(() => document.querySelector('mesh-board')?.storeStatus === 'saved', null, { timeout: WAIT_MS })
    // What a board saved before updates were screened may hold: a peer's 10,000-deep chain of maps
    // in a shape (deleting it overflows the stack inside Yjs and wedges the document).
    const bomb = new Y.Doc()
    bomb.transact(() => {
      let current = new Y.Map<unknown>()
      bomb.getMap('shapes').set('chain', current)
      for (let level = 0; level < 10_000; level++) {
        const next = new Y.Map<unknown>()
        current.set('m', next)
        current = next
      }
    })
    await a.page.evaluate(async (record) => {
      const [board] = (await indexedDB.databases()).filter((database) => database.name?.startsWith('meshboard-'))
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(board!.name!)
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      await new Promise<void>((resolve, reject) => {
        const transaction = db.transaction('updates', 'readwrite')
        transaction.objectStore('updates').add(new Uint8Array(record))
        transaction.oncomplete = () => resolve()
        transaction.onerror = () => reject(transaction.error)
      })
      db.close()
    }, Array.from(Y.encodeStateAsUpdate(bomb)))
    await a.context.addInitScript(() => {
      const errors: string[] = []
      ;(window as unknown as { __meshErrors: string[] }).__meshErrors = errors
      addEventListener('mesh-error', (event) => errors.push((event as CustomEvent<{ message: string }>).detail.message))
    })

    await a.reload()
    await a.page.waitForFunction(
      () => (window as unknown as { __meshErrors: string[] }).__meshErrors.some((message) => message.includes('Part of what this device saved of this board held data a board refuses')),
      null,
      { timeout: WAIT_MS },
    )
    expect(await a.page.evaluate(() => document.querySelector('mesh-board')!.doc!.getMap('shapes').has('chain'))).toBe(false)
    expect((await a.exportJSON()).shapes).toEqual([kept])
    const more = await a.drawStroke(wave(250, 400, 400, 40))
    await a.page.waitForFunction(() => document.querySelector('mesh-board')?.storeStatus === 'saved', null, { timeout: WAIT_MS })
    await a.reload()
    expect((await a.exportJSON()).shapes).toEqual([kept, more])
    // Told once: the refused record is gone from the device.
    expect(await a.page.evaluate(() => (window as unknown as { __meshErrors: string[] }).__meshErrors)).toEqual([])
  })
})

describe('a hostile peer', () => {
  it('cannot pass itself off as someone else: a forged presence under the victim\'s client id is dropped', async () => {
    const { mallory, victim, honest } = await threeOnOneBoard({
      mallory: asMallory,
      victim: (peer) => presetIdentity(peer, { name: 'Vera', color: '#2f9e44' }),
    })
    const victimId = await victim.page.evaluate(() => document.querySelector('mesh-board')!.awareness!.clientID)
    const nameOnHonest = () =>
      honest.page.evaluate((id) => (document.querySelector('mesh-board')!.awareness!.getStates().get(id) as { user?: { name: string } } | undefined)?.user?.name, victimId)
    await honest.page.waitForFunction((id) => document.querySelector('mesh-board')!.awareness!.getStates().has(id), victimId, { timeout: WAIT_MS })
    expect(await nameOnHonest()).toBe('Vera')

    // Mallory writes a state for Vera's client id, with a clock far ahead, and sends it as its own presence.
    await mallory.page.evaluate((id) => {
      const awareness = document.querySelector('mesh-board')!.awareness! as unknown as {
        states: Map<number, unknown>
        meta: Map<number, { clock: number; lastUpdated: number }>
        getStates(): Map<number, { peerId?: string }>
        emit(event: string, args: unknown[]): void
      }
      const real = awareness.getStates().get(id)!
      awareness.states.set(id, { ...real, user: { name: 'Mallory', color: '#e03131' } })
      awareness.meta.set(id, { clock: 1_000_000, lastUpdated: Date.now() })
      awareness.emit('update', [{ added: [], updated: [id], removed: [] }, 'local'])
    }, victimId)
    // Mallory's own presence, sent after the forgery, arrives: so the forgery had its chance.
    await mallory.page.mouse.move(300, 300)
    await mallory.page.mouse.move(310, 310)
    const malloryId = await mallory.page.evaluate(() => document.querySelector('mesh-board')!.awareness!.clientID)
    await honest.page.waitForFunction(
      (id) => (document.querySelector('mesh-board')!.awareness!.getStates().get(id) as { cursor?: { x: number } } | undefined)?.cursor?.x === 310,
      malloryId,
      { timeout: WAIT_MS },
    )
    expect(await nameOnHonest()).toBe('Vera')
  })

  it('is refused, named and dropped, and the others keep drawing together, also after a reload', async () => {
    const { mallory, victim, honest } = await threeOnOneBoard({ mallory: asMallory })

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

  it('in another tab of the same browser (a page script, an extension) is screened too: its change is refused, the tab goes on', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A')
    // No signaling: the tabs reach each other only through the browser (tab-channel.ts).
    await a.context.routeWebSocket(/\/signal$/, (socket) => socket.close())
    const url = await a.createBoard(server.url)
    const tab = await openTab(a, 'A, hostile tab')
    await tab.open(url)
    const first = await a.drawStroke(wave(220, 240, 560, 60))
    await tab.waitForShapeCount(1)
    await nestMaps(tab, 50)
    await expect
      .poll(() => a.log.join('\n'), { timeout: WAIT_MS })
      .toContain('a change from another tab of this browser was refused: a nested type where the board has none')
    // What the tab sent was never applied: A's board holds its stroke as drawn, and takes new ones.
    expect((await a.exportJSON()).shapes).toEqual([first])
    await a.drawStroke(spiral(480, 420, 110, 2.5, 80))
    await a.waitForShapeCount(2)
    expect(tab.pageErrors, 'page errors in the second tab').toEqual([])
    await tab.close()
  })
})

describe('a hostile peer and presence', () => {
  /** The count the people panel shows ("3 here"). */
  function peopleCount(peer: Peer): Promise<string> {
    return peer.page.evaluate(
      () => document.querySelector('mesh-board')!.shadowRoot!.querySelector('mesh-people')!.shadowRoot!.querySelector('.count')?.textContent ?? '',
    )
  }

  it('makes up 5,000 client ids: the others show one person for it, and hold a bounded number of states', async () => {
    const { mallory, victim, honest } = await threeOnOneBoard()
    await victim.page.waitForFunction(() => document.querySelector('mesh-board')!.awareness!.getStates().size === 3, null, { timeout: WAIT_MS })

    // Mallory adds 5,000 states of its own making, each claiming to be a person on Mallory's connection.
    await mallory.page.evaluate(() => {
      const awareness = document.querySelector('mesh-board')!.awareness! as unknown as {
        clientID: number
        states: Map<number, unknown>
        meta: Map<number, { clock: number; lastUpdated: number }>
        getLocalState(): { peerId?: string } | null
        emit(event: string, args: unknown[]): void
      }
      const peerId = awareness.getLocalState()!.peerId
      const added: number[] = []
      for (let i = 0; i < 5000; i++) {
        const id = 1_000_000 + i
        awareness.states.set(id, { peerId, user: { name: `Fake ${i}`, color: '#e03131' } })
        awareness.meta.set(id, { clock: 1, lastUpdated: Date.now() })
        added.push(id)
      }
      awareness.emit('update', [{ added, updated: [], removed: [] }, 'local'])
    })
    // Mallory's own presence, sent after the flood of states, arrives: so the flood had its chance.
    await mallory.page.mouse.move(300, 300)
    await mallory.page.mouse.move(320, 320)
    const malloryId = await mallory.page.evaluate(() => document.querySelector('mesh-board')!.awareness!.clientID)
    for (const peer of [victim, honest]) {
      await peer.page.waitForFunction(
        (id) => (document.querySelector('mesh-board')!.awareness!.getStates().get(id) as { cursor?: { x: number } } | undefined)?.cursor?.x === 320,
        malloryId,
        { timeout: WAIT_MS },
      )
      expect(await peopleCount(peer)).toBe('3 here')
      const held = await peer.page.evaluate(() => document.querySelector('mesh-board')!.awareness!.getStates().size)
      expect(held).toBeLessThanOrEqual(1000) // MAX_PRESENCE_STATES
    }
  })

  it('floods presence: the excess is dropped, one that keeps flooding is named and disconnected, and the others go on', async () => {
    const { mallory, victim, honest } = await threeOnOneBoard({ mallory: asMallory })
    await Promise.all([victim, honest].map(recordErrors))

    // 5,000 presence messages at once, far past the burst and the rate a peer may send.
    await mallory.page.evaluate(() => {
      const awareness = document.querySelector('mesh-board')!.awareness!
      for (let i = 0; i < 5000; i++) awareness.setLocalStateField('cursor', { x: i, y: i })
    })
    await Promise.all([victim, honest].map(sawMalloryRefused))
    const fromHonest = await honest.drawStroke(spiral(600, 420, 90, 2.5, 60))
    const fromVictim = await victim.drawStroke(wave(200, 520, 500, 30))
    const both = await honest.exportJSON()
    expect(both.shapes.map((shape) => shape.id)).toEqual(expect.arrayContaining([fromHonest.id, fromVictim.id]))
    await expectBoard(victim, both)
  })
})

/** In a hostile page: every data channel it opens or is given, for sending raw frames past the chunked layer. */
const CAPTURE_CHANNELS = `(() => {
  const channels = []
  window.__hostileChannels = channels
  const create = RTCPeerConnection.prototype.createDataChannel
  RTCPeerConnection.prototype.createDataChannel = function (...args) {
    const channel = create.apply(this, args)
    channels.push(channel)
    return channel
  }
  let owner = RTCPeerConnection.prototype
  while (!Object.getOwnPropertyDescriptor(owner, 'ondatachannel')) owner = Object.getPrototypeOf(owner)
  const handler = Object.getOwnPropertyDescriptor(owner, 'ondatachannel')
  Object.defineProperty(RTCPeerConnection.prototype, 'ondatachannel', {
    configurable: true,
    get() { return handler.get.call(this) },
    set(listener) {
      handler.set.call(this, (event) => {
        channels.push(event.channel)
        listener?.(event)
      })
    },
  })
})()`

/** From now on, the messages of the board's mesh-error events, in `window.__meshErrors`. */
function recordErrors(peer: Peer): Promise<void> {
  return peer.page.evaluate(() => {
    const errors: string[] = []
    ;(window as unknown as { __meshErrors: string[] }).__meshErrors = errors
    document.querySelector('mesh-board')!.addEventListener('mesh-error', (event) => errors.push(event.detail.message))
  })
}

/** Waits until `peer` said it refused Mallory (a mesh-error, recordErrors) and dropped the connection. */
async function sawMalloryRefused(peer: Peer): Promise<void> {
  await peer.page.waitForFunction(
    () => (window as unknown as { __meshErrors: string[] }).__meshErrors.some((message) => message.includes('Mallory’s board sent data this board refused; disconnected.')),
    null,
    { timeout: WAIT_MS },
  )
  await peer.waitForPeerCount(1)
}

describe('a hostile peer and memory', () => {
  it('sends 60 deflate bombs of 63 MiB each: memory stays bounded, the sender is named and dropped, the board goes on', async () => {
    const { mallory, victim, honest } = await threeOnOneBoard({
      mallory: async (peer) => {
        await asMallory(peer)
        await peer.context.addInitScript({ content: CAPTURE_CHANNELS })
      },
    })
    await Promise.all([victim, honest].map(recordErrors))

    // The victim's JavaScript heap and array buffer backing stores, sampled while the bombs arrive.
    const cdp = await victim.context.newCDPSession(victim.page)
    const used = async () => {
      const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number }
      return usage.usedSize + (usage.backingStorageSize ?? 0)
    }
    const before = await used()
    let peak = before
    let sampling = true
    // Sampled as often as CDP answers, with a moment between (a bomb takes far longer to inflate).
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await used())
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })().catch(() => {
      sampling = false // the page is gone: the test has failed already, and says why
    })

    const victimPeerId = await victim.page.evaluate(() => (document.querySelector('mesh-board')!.awareness!.getLocalState() as { peerId: string }).peerId)
    const frames = { more: FRAME_MORE | FRAME_COMPRESSED_FLAG, last: FRAME_LAST | FRAME_COMPRESSED_FLAG, payload: CHUNK_PAYLOAD_BYTES, inflated: MAX_MESSAGE_BYTES - 1024 * 1024 }
    const sent = await mallory.page.evaluate(
      async ({ frames, victimPeerId }) => {
        const bomb = new Uint8Array(await new Response(new Blob([new Uint8Array(frames.inflated)]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer())
        const send = RTCDataChannel.prototype.send
        // The channel to the victim: the one whose connection's remote description names it is not
        // known here, so every open channel gets the bombs (the honest peer's screen is tested too).
        const channels = (window as unknown as { __hostileChannels: RTCDataChannel[] }).__hostileChannels.filter((channel) => channel.readyState === 'open')
        for (let round = 0; round < 60; round++) {
          for (const channel of channels) {
            for (let offset = 0; offset < bomb.byteLength; offset += frames.payload) {
              const end = Math.min(offset + frames.payload, bomb.byteLength)
              const frame = new Uint8Array(end - offset + 1)
              frame[0] = end === bomb.byteLength ? frames.last : frames.more
              frame.set(bomb.subarray(offset, end), 1)
              send.call(channel, frame)
            }
          }
        }
        return { channels: channels.length, bombBytes: bomb.byteLength, victimPeerId }
      },
      { frames, victimPeerId },
    )
    expect(sent.channels).toBe(2)
    // What a bomb inflates to is no message a board reads (a sync step 1 without a state vector):
    // its sender is named (the notice goes after a few seconds; its mesh-error stays) and dropped.
    await Promise.all([victim, honest].map(sawMalloryRefused))
    sampling = false
    await sampler
    console.info(`60 bombs of ${sent.bombBytes} bytes (${frames.inflated} inflated): victim heap and buffers ${Math.round(before / 2 ** 20)} → peak ${Math.round(peak / 2 ** 20)} MiB`)
    // The chunked layer holds at most RECEIVE_BUDGET_BYTES of what a peer sent, plus what the
    // garbage collector has not yet freed of bombs dealt with; 60 bombs side by side were 2.9 GB,
    // and inflated one by one until the connection had closed, 257-383 MiB (130 MiB since).
    expect(peak - before).toBeLessThan(2 * RECEIVE_BUDGET_BYTES)

    const fromHonest = await honest.drawStroke(spiral(600, 420, 90, 2.5, 60))
    const fromVictim = await victim.drawStroke(wave(200, 520, 500, 30))
    const both = await honest.exportJSON()
    expect(both.shapes.map((shape) => shape.id)).toEqual(expect.arrayContaining([fromHonest.id, fromVictim.id]))
    await expectBoard(victim, both)
  })
})
