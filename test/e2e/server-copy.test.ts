/**
 * The server's end-to-end encrypted copy of a board and its relay (DESIGN.md §12), with the real
 * server and separate Chromium processes: a board outlives its peers (across restarts and a
 * kill -9 of the server), people who are never online together converge, the server's files hold
 * nothing readable, a limit is reported and loses nothing, and two browsers that cannot connect
 * directly draw together through the relay.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseBoardFragment } from '../../src/net/board-address'
import type { ServerStoreStatus } from '../../src/store/server-store'
import { presence, WAIT_MS, type Peer } from '../helpers/browser'
import { expectBoard, useE2E } from '../helpers/e2e'
import { addBoard, startHostServer, waitForLibrary } from '../helpers/host-page'
import { generateBoard, spiral, wave } from '../helpers/boards'

const e2e = useE2E()

const dataDirs: string[] = []
afterEach(async () => {
  await Promise.all(dataDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A data directory that outlives server restarts within one test. */
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'meshboard-e2e-store-'))
  dataDirs.push(dir)
  return dir
}

function waitForStoreStatus(peer: Peer, status: ServerStoreStatus): Promise<unknown> {
  return peer.page.waitForFunction((s) => document.querySelector('mesh-board')?.storeStatus === s, status, { timeout: WAIT_MS })
}

/** The status pill's texts, each piece on its own. */
function pillTexts(peer: Peer): Promise<string[]> {
  return peer.page.evaluate(() => {
    const root = document.querySelector('mesh-board')?.shadowRoot?.querySelector('mesh-status')?.shadowRoot
    return [...(root?.querySelectorAll('[role=status], .saved') ?? [])].map((element) => element.textContent?.trim() ?? '')
  })
}

/** The board at the same address on another server origin (after a restart on another port, say). */
function onServer(boardUrl: string, serverUrl: string): string {
  return `${serverUrl.replace(/\/$/, '')}/${new URL(boardUrl).hash}`
}

/** Every byte the server keeps, concatenated (SQLite's database, its WAL and anything else under DATA_DIR). */
async function everythingStored(dir: string): Promise<Buffer> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true })
  const contents = await Promise.all(files.filter((file) => file.isFile()).map((file) => readFile(join(file.parentPath, file.name))))
  return Buffer.concat(contents)
}

describe('the server copy of a board', () => {
  it('gives a board to someone who opens it alone later, across a restart, and brings back what they drew', async () => {
    const dir = await dataDir()
    let server = await e2e.server({ dataDir: dir })
    const a = await e2e.peer('A')
    const url = await a.createBoard(server.url)
    await a.drawStroke(wave(200, 200, 500, 60))
    await a.drawStroke(spiral(500, 420, 90, 2.5, 70))
    await waitForStoreStatus(a, 'saved')
    expect(await pillTexts(a)).toContain('Saved (encrypted) on the server')
    const drawnByA = await a.exportJSON()
    // A leaves the board (the browser stays, with the board on this device).
    await a.page.goto('about:blank')

    await server.stop()
    server = await e2e.server({ dataDir: dir, port: server.port })
    const b = await e2e.peer('B')
    await b.open(url)
    await expectBoard(b, drawnByA)
    expect(await b.peerCount()).toBe(0)

    await b.drawStroke(wave(150, 550, 700, 40))
    await waitForStoreStatus(b, 'saved')
    const drawnByB = await b.exportJSON()
    await b.page.goto('about:blank')

    await a.open(url)
    await expectBoard(a, drawnByB)
    expect(await a.peerCount()).toBe(0)

    // Nothing the server keeps names the board, its key, its signaling topic or any shape.
    const stored = await everythingStored(dir)
    const address = parseBoardFragment(new URL(url).hash)!
    const secrets = [address.board, address.key, ...drawnByB.shapes.map((shape) => shape.id)]
    for (const secret of secrets) expect(stored.includes(Buffer.from(secret)), `the data directory contains ${secret}`).toBe(false)
    expect(stored.byteLength).toBeGreaterThan(0)
  })

  it('keeps a stroke acknowledged as saved through a kill -9 of the server, and uploads what it missed on the next open', async () => {
    const dir = await dataDir()
    const server = await e2e.server({ dataDir: dir })
    const a = await e2e.peer('A')
    const url = await a.createBoard(server.url)
    await a.drawStroke(wave(250, 300, 500, 80))
    await waitForStoreStatus(a, 'saved')
    const acknowledged = await a.exportJSON()

    process.kill(server.pid, 'SIGKILL')
    await server.exited
    // A notices the server is gone when it next has something to save, and says so.
    await a.drawStroke(wave(250, 450, 500, 30))
    await waitForStoreStatus(a, 'error')
    expect(await pillTexts(a)).toContain('Not saved on the server')
    const drawnOffline = await a.exportJSON()
    await a.page.goto('about:blank')

    const restarted = await e2e.server({ dataDir: dir, port: server.port })
    const b = await e2e.peer('B')
    await b.open(url)
    await expectBoard(b, acknowledged)
    await b.page.goto('about:blank')

    // A opens the board again: what the server lacks goes up, and a newcomer alone gets all of it.
    await a.open(url)
    await waitForStoreStatus(a, 'saved')
    await a.page.goto('about:blank')
    const c = await e2e.peer('C')
    await c.open(onServer(url, restarted.url))
    await expectBoard(c, drawnOffline)
  })

  it('keeps boards of several megabytes: in pieces the first time, as a snapshot after', async () => {
    const server = await e2e.server()
    const a = await e2e.peer('A')
    const url = await a.createBoard(server.url)
    // Each import is one change far bigger than a record may be: the first goes up in pieces (the
    // server has nothing to base a snapshot on), the second as a snapshot of the whole board.
    await a.importJSON(generateBoard({ strokes: 1500, pointsPerStroke: 300, seed: 7 }))
    await waitForStoreStatus(a, 'saved')
    const second = generateBoard({ strokes: 2000, pointsPerStroke: 300, seed: 8 })
    await a.importJSON(second)
    await waitForStoreStatus(a, 'saved')
    const drawn = await a.digest()
    expect(drawn.shapes).toBe(second.shapes.length)
    const metrics = await (await fetch(`${server.url}metrics`)).text()
    expect(metrics).toMatch(/^meshboard_store_writes_total\{kind="snapshot"\} [1-9]/m)
    expect(metrics).toMatch(/^meshboard_store_writes_total\{kind="record"\} ([3-9]|\d\d)/m)
    await a.page.goto('about:blank')

    const b = await e2e.peer('B')
    await b.open(url)
    await b.page.waitForFunction((n) => document.querySelector('mesh-board')?.doc?.getMap('shapes').size === n, drawn.shapes, { timeout: WAIT_MS })
    expect(await b.digest()).toEqual(drawn)
  })

  it('says when the server will not keep more of a board, and the board stays whole on the device', async () => {
    const limit = '6000'
    const server = await e2e.server({ env: { STORE_MAX_BOARD_BYTES: limit, STORE_MAX_LOG_BYTES: limit, STORE_MAX_RECORD_BYTES: limit } })
    const a = await e2e.peer('A')
    await a.createBoard(server.url)
    const errors: string[] = []
    await a.page.exposeFunction('recordStoreError', (message: string) => errors.push(message))
    await a.page.evaluate(() =>
      document.querySelector('mesh-board')!.addEventListener('mesh-error', (event) => {
        if (event.detail.code === 'store') void (window as unknown as { recordStoreError(m: string): void }).recordStoreError(event.detail.message)
      }),
    )
    for (let row = 0; row < 7 && (await a.page.evaluate(() => document.querySelector('mesh-board')!.storeStatus)) !== 'error'; row++) {
      await a.drawStroke(wave(250, 150 + row * 60, 450, 20))
    }
    await waitForStoreStatus(a, 'error')
    expect(errors.join('\n')).toMatch(/The server will not keep more than .* of this board; it is saved on this device\./)
    const notice = await a.page.evaluate(() => document.querySelector('mesh-board')!.shadowRoot!.querySelector('.notice')?.textContent ?? '')
    expect(notice).toContain('The server will not keep more than')
    expect(await pillTexts(a)).toContain('Not saved on the server')

    const drawn = await a.exportJSON()
    await a.reload()
    await expectBoard(a, drawn)
  })
})

describe('an embed on another site', () => {
  it('keeps its board on the meshboard server its signaling points at, and store="off" keeps none', async () => {
    const server = await e2e.server()
    const host = await startHostServer()
    try {
      const a = await e2e.peer('A', { viewport: { width: 1100, height: 700 } })
      const storeRequests: string[] = []
      a.page.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/store/')) storeRequests.push(`${request.method()} ${request.url()}`)
      })
      await a.page.goto(host.url('blank.html', server.url))
      await waitForLibrary(a)
      const kept = await addBoard(a, { id: 'kept', board: 'embed-store-kept', key: 'q5m8JYzM1qH2mR0vGf9Xkw', style: 'display:block;width:1000px;height:300px' })
      const apart = await addBoard(a, { id: 'apart', board: 'embed-store-apart', key: 'q5m8JYzM1qH2mR0vGf9Xkw', store: 'off', style: 'display:block;width:1000px;height:300px' })
      const stroke = await kept.drawStroke(wave(300, 120, 300, 30))
      await apart.drawStroke(wave(300, 120, 300, 30))
      await kept.waitFor('the server copy saved', (element) => element.storeStatus === 'saved')
      expect(await apart.run((element) => element.storeStatus)).toBe('off')
      // Every store request went to the meshboard server, cross-origin, and for one board only.
      expect(storeRequests.length).toBeGreaterThan(0)
      expect(storeRequests.every((request) => request.includes(new URL(server.url).host))).toBe(true)
      expect(new Set(storeRequests.map((request) => new URL(request.split(' ')[1]!).pathname.split('/')[2])).size).toBe(1)

      // The embed's board, opened later in the app by someone alone, comes from that server's copy.
      await a.page.goto('about:blank')
      const b = await e2e.peer('B')
      await b.open(`${server.url}#board=embed-store-kept&key=q5m8JYzM1qH2mR0vGf9Xkw`)
      await b.waitForShapeCount(1)
      const [shape] = (await b.exportJSON()).shapes
      expect(shape).toMatchObject({ id: stroke.id, points: stroke.points })
    } finally {
      await host.close()
    }
  })
})

describe('the relay through the server', () => {
  it('lets two browsers that cannot connect directly draw together and see each other', async () => {
    const server = await e2e.server()
    const [a, b] = await Promise.all([e2e.peer('A', { blockDirect: true }), e2e.peer('B', { blockDirect: true })])
    const url = await a.createBoard(server.url)
    await b.open(url)
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
    // Not one WebRTC connection opened: everything below crossed the server.
    const directOnce = () =>
      a.page.evaluate(() =>
        ((window as unknown as { __meshTestConnections?: RTCPeerConnection[] }).__meshTestConnections ?? []).some(
          (connection) => connection.connectionState === 'connected',
        ),
      )
    expect(await directOnce()).toBe(false)

    await a.drawStroke(wave(200, 250, 500, 60))
    await expectBoard(b, await a.exportJSON())
    await b.drawStroke(spiral(600, 450, 80, 2.5, 60))
    await expectBoard(a, await b.exportJSON())

    await b.page.mouse.move(420, 330)
    await b.page.mouse.move(430, 340)
    await a.page.waitForFunction(
      () => {
        const el = document.querySelector('mesh-board')!
        return [...el.awareness!.getStates().entries()].some(
          ([id, state]) => id !== el.awareness!.clientID && (state as { cursor?: { x: number } }).cursor?.x === 430,
        )
      },
      null,
      { timeout: WAIT_MS },
    )
    const others = Object.values((await presence(a)).others)
    expect(others).toHaveLength(1)

    expect((await pillTexts(a))[0]).toBe('Connected to 1 person (all through the server)')
    const avatarTitle = await a.page.evaluate(
      () =>
        document
          .querySelector('mesh-board')!
          .shadowRoot!.querySelector('mesh-people')!
          .shadowRoot!.querySelectorAll('.avatar')[1]
          ?.getAttribute('title') ?? '',
    )
    expect(avatarTitle).toContain('connected through the server')
    expect(await directOnce()).toBe(false)
    expect((await a.dataChannelStats()).messagesReceived).toBe(0)
  })
})
