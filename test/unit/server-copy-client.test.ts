/**
 * The browser's side of the server copy (src/store/server-store.ts) in Node, against the real
 * server process: uploads and reads converge, racing compactions lose nothing, a client without
 * the write secret changes nothing, and a dead server is retried until it is back.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LOCAL_ORIGIN } from '../../src/model/board-doc'
import { deriveStoreKeys, type StoreKeys } from '../../src/net/store-keys'
import { ServerStore } from '../../src/store/server-store'
import { startServer, type ServerHandle } from '../helpers/server'

const WAIT_MS = 15_000

const servers: ServerHandle[] = []
const stores: ServerStore[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) store.destroy()
  await Promise.all(servers.splice(0).map((server) => server.stop()))
})

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<ServerHandle> {
  const handle = await startServer(options)
  servers.push(handle)
  return handle
}

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

interface Client {
  readonly doc: Y.Doc
  readonly store: ServerStore
  readonly problems: string[]
}

function client(url: string, keys: StoreKeys): Client {
  const doc = new Y.Doc()
  const problems: string[] = []
  const store = new ServerStore({
    doc,
    keys,
    baseUrl: `${url}store/`,
    isOwnChange: (origin) => origin === LOCAL_ORIGIN,
    onChange: () => {},
    onProblem: (message) => problems.push(message),
  })
  stores.push(store)
  return { doc, store, problems }
}

function draw(doc: Y.Doc, id: string): void {
  doc.transact(() => doc.getMap<Y.Map<unknown>>('shapes').set(id, new Y.Map<unknown>([['x', id.length]])), LOCAL_ORIGIN)
}

const shapeIds = (doc: Y.Doc) => [...doc.getMap('shapes').keys()].sort()

const address = { board: 'unit-board', key: 'GLzeCqQBIepZla4WQVW9Nw' }

describe('the server copy client', () => {
  it('uploads changes that a client opening the board later reads', async () => {
    const { url } = await server()
    const keys = await deriveStoreKeys(address)
    const a = client(url, keys)
    await a.store.whenLoaded
    for (const id of ['one', 'two', 'three']) draw(a.doc, id)
    await until('A saved', () => a.store.status === 'saved')
    const b = client(url, keys)
    await b.store.whenLoaded
    expect(shapeIds(b.doc)).toEqual(['one', 'three', 'two'])
    // B has nothing the server lacks: it checks, and then says so.
    expect(b.store.status).toBe('saving')
    await until('B saved', () => b.store.status === 'saved')
  })

  it('loses nothing when two clients compact at once while a third writes', async () => {
    const { url } = await server()
    const keys = await deriveStoreKeys(address)
    const a = client(url, keys)
    const b = client(url, keys)
    const c = client(url, keys)
    await Promise.all([a.store.whenLoaded, b.store.whenLoaded, c.store.whenLoaded])
    for (let round = 0; round < 4; round++) {
      draw(a.doc, `a${round}`)
      draw(b.doc, `b${round}`)
      await until('A and B saved', () => a.store.status === 'saved' && b.store.status === 'saved')
    }
    // A holds the log up to some record, B one record further: their snapshots have different bases.
    await a.store.refresh()
    draw(b.doc, 'b-late')
    await until('B saved', () => b.store.status === 'saved')
    await b.store.refresh()
    draw(c.doc, 'c-during')
    c.store.flush()
    const [compactedA, compactedB] = await Promise.all([a.store.compact(), b.store.compact(), until('C saved', () => c.store.status === 'saved')])
    // Whichever came second was refused (a stale base) or dropped more; at least one compacted.
    expect(compactedA || compactedB).toBe(true)
    draw(a.doc, 'a-after')
    await until('A saved', () => a.store.status === 'saved')
    const reader = client(url, keys)
    await reader.store.whenLoaded
    expect(shapeIds(reader.doc)).toEqual(['a-after', 'a0', 'a1', 'a2', 'a3', 'b-late', 'b0', 'b1', 'b2', 'b3', 'c-during'])
  })

  it('compacts when the server says the log is full, and goes on saving', async () => {
    const { url } = await server({ env: { STORE_MAX_LOG_RECORDS: '3' } })
    const keys = await deriveStoreKeys(address)
    const a = client(url, keys)
    await a.store.whenLoaded
    for (let i = 0; i < 8; i++) {
      draw(a.doc, `shape-${i}`)
      await until(`A saved shape ${i}`, () => a.store.status === 'saved')
    }
    expect(a.problems).toEqual([])
    const reader = client(url, keys)
    await reader.store.whenLoaded
    expect(shapeIds(reader.doc)).toEqual(Array.from({ length: 8 }, (_, i) => `shape-${i}`))
    const metrics = await (await fetch(`${url}metrics`)).text()
    expect(metrics).toMatch(/^meshboard_store_writes_total\{kind="snapshot"\} [1-9]/m)
  })

  it('cannot change a board without its write secret, and says so', async () => {
    const { url } = await server()
    const keys = await deriveStoreKeys(address)
    const owner = client(url, keys)
    await owner.store.whenLoaded
    draw(owner.doc, 'kept')
    await until('owner saved', () => owner.store.status === 'saved')

    const intruder = client(url, { ...keys, writeSecret: (await deriveStoreKeys({ ...address, key: 'HLzeCqQBIepZla4WQVW9Nw' })).writeSecret })
    await intruder.store.whenLoaded
    expect(shapeIds(intruder.doc)).toEqual(['kept'])
    draw(intruder.doc, 'vandal')
    await until('the intruder refused', () => intruder.store.status === 'error')
    expect(intruder.problems.join()).toContain('The server refuses changes to this board')
    expect(shapeIds(intruder.doc)).toEqual(['kept', 'vandal'])
    await intruder.store.compact()

    const reader = client(url, keys)
    await reader.store.whenLoaded
    expect(shapeIds(reader.doc)).toEqual(['kept'])
  })

  it('keeps changes while the server is down and sends them when it is back', async () => {
    const first = await server()
    const keys = await deriveStoreKeys(address)
    const a = client(first.url, keys)
    await a.store.whenLoaded
    await first.stop()
    draw(a.doc, 'while-down')
    await until('A reports the failure', () => a.store.status === 'error')
    expect(a.store.error).toContain('cannot be reached')
    await server({ port: first.port })
    await until('A saved', () => a.store.status === 'saved')
    const reader = client(first.url, keys)
    await reader.store.whenLoaded
    expect(shapeIds(reader.doc)).toEqual(['while-down'])
  })
})
