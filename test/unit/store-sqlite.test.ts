import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../signaling/src/config.js'
import { createLogger } from '../../signaling/src/log.js'
import { StoreError } from '../../signaling/src/store/board-store.js'
import { localNewBoardQuota } from '../../signaling/src/store/limits.js'
import { SqliteStore, openSqliteStore } from '../../signaling/src/store/sqlite-store.js'
import { createStoreRoutes } from '../../signaling/src/store/store-routes.js'
import { StoreClient, token } from '../helpers/store-client.js'

const DAY_MS = 24 * 60 * 60 * 1000
const LIMITS = { maxBoardBytes: 32 << 20, maxLogRecords: 1000, maxLogBytes: 16 << 20, ttlDays: 90 }
const HASH = Buffer.alloc(32, 7)

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) await cleanup()
})

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'meshboard-sqlite-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

describe('SQLite board store', () => {
  it('expires boards neither read nor written for the TTL, and reads keep a board alive', async () => {
    let now = Date.UTC(2030, 0, 1)
    const store = openSqliteStore(await dataDir(), { ...LIMITS, ttlDays: 10, now: () => now })
    cleanups.push(() => store.close())
    const [idle, read, written] = [token(), token(), token()]
    for (const id of [idle, read, written]) await store.append(id, HASH, Buffer.from('x'), true)

    now += 6 * DAY_MS
    await store.read(read, undefined)
    await store.append(written, HASH, Buffer.from('y'), false)
    now += 5 * DAY_MS
    expect(store.sweep()).toBe(1)
    expect((await store.read(idle, undefined)).lastSeq).toBe(0)
    expect((await store.read(read, undefined)).lastSeq).toBe(1)
    expect((await store.read(written, undefined)).lastSeq).toBe(2)
    expect(store.stats()).toEqual({ boards: 2, bytes: 3, expiredBoards: 1 })

    now += 11 * DAY_MS
    expect(store.sweep()).toBe(2)
    expect(store.stats()).toMatchObject({ boards: 0, expiredBoards: 3 })
  })

  it('sweeps at start: a board idle for the TTL while the server was down is gone on restart', async () => {
    const dir = await dataDir()
    let now = Date.UTC(2030, 0, 1)
    const id = token()
    const before = openSqliteStore(dir, { ...LIMITS, now: () => now })
    await before.append(id, HASH, Buffer.from('x'), true)
    await before.close()
    now += 91 * DAY_MS
    const after = openSqliteStore(dir, { ...LIMITS, now: () => now })
    cleanups.push(() => after.close())
    expect((await after.read(id, undefined)).lastSeq).toBe(0)
  })

  it('answers a full disk (SQLITE_FULL) with server-full and 507, keeping what was stored', async () => {
    const db = new Database(join(await dataDir(), 'meshboard.sqlite'))
    const store = new SqliteStore(db, LIMITS)
    cleanups.push(() => store.close())
    const id = token()
    await store.append(id, HASH, Buffer.from('kept'), true)
    // The honest way to run out of space without a tiny filesystem: cap the file a few pages above its size.
    const pages = db.pragma('page_count', { simple: true }) as number
    db.pragma(`max_page_count = ${pages + 4}`)
    const error = await store.append(id, HASH, Buffer.alloc(64 * 1024), false).catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('server-full')

    const config = loadConfig({})
    const routes = createStoreRoutes({ ...config, store, newBoards: localNewBoardQuota(10), logger: createLogger('silent') })
    const server = http.createServer((request, response) => void routes.handle(request, response))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    cleanups.push(() => new Promise((resolve) => server.close(resolve)))
    const client = new StoreClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    const full = await client.append(Buffer.alloc(64 * 1024))
    expect([full.status, full.json.error]).toEqual([507, 'server-full'])
    expect(routes.stats().refusals['server-full']).toBe(1)
    expect((await store.read(id, undefined)).records.map(({ data }) => data.toString())).toEqual(['kept'])
  })

  it('fails to open with a clear error when DATA_DIR is unusable', async () => {
    const dir = await dataDir()
    const file = join(dir, 'not-a-dir')
    await writeFile(file, 'x')
    expect(() => openSqliteStore(join(file, 'data'), LIMITS)).toThrow()
  })
})
