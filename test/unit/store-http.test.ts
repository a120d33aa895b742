import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../signaling/src/config.js'
import { createHttpApp } from '../../signaling/src/http-app.js'
import { createLogger } from '../../signaling/src/log.js'
import { createMetrics } from '../../signaling/src/metrics.js'
import { openStore } from '../../signaling/src/store/open-store.js'
import { createStoreRoutes } from '../../signaling/src/store/store-routes.js'
import { startRedis, type RedisHandle } from '../helpers/redis.js'
import { StoreClient, token } from '../helpers/store-client.js'

// Every test runs on both engines: the contract is the same, whichever keeps the boards.
let redis: RedisHandle
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(() => redis.stop())

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) await cleanup()
})

interface LogLine {
  level: number
  msg: string
  reason?: string
}

/** The server as main.ts wires the store, on a free port, with a fresh DATA_DIR and the given environment. */
async function startStore(engine: Engine, env: Record<string, string> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'meshboard-store-'))
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
  // A prefix per test, so that one test's boards and daily counts are not another's.
  const redisEnv = engine === 'redis' ? { REDIS_URL: redis.url, REDIS_STORE_PREFIX: `test:${randomUUID()}:` } : {}
  const config = loadConfig({ DATA_DIR: dataDir, ...redisEnv, ...env })
  const logs: LogLine[] = []
  const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) })
  const { store, newBoards } = openStore(config)
  const routes = createStoreRoutes({ ...config, store, newBoards, logger })
  const server = http.createServer(
    createHttpApp({
      staticDir: dataDir,
      libDir: dataDir,
      iceServers: [],
      store: routes,
      metrics: createMetrics(() => ({ connections: 0, topics: 0, messagesIn: 0, bytesIn: 0, messagesOut: 0, bytesOut: 0, drops: {} as never }), routes.stats),
    }),
  )
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  cleanups.push(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    await store?.close()
  })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  // With Redis, until its connection is ready (no offline queue: earlier requests get 503). Asked of
  // the engine itself, so that no request is counted or rate-limited.
  if (store && engine === 'redis') {
    const ready = () => store.read(token(), undefined).then(() => true, () => false)
    await expect.poll(ready, { timeout: 10_000, interval: 20 }).toBe(true)
  }
  return { base, logs, routes, board: (id?: string, secret?: string) => new StoreClient(base, id, secret) }
}

type Engine = 'sqlite' | 'redis'

describe.each<Engine>(['sqlite', 'redis'])('board store over HTTP (%s)', (engine) => {
  it('appends records and serves them in the exact binary format, with headers', async () => {
    const { base, board } = await startStore(engine)
    const alice = board()
    expect(await alice.append('one')).toMatchObject({
      status: 200,
      json: { seq: 1, logRecords: 1, logBytes: 3, boardBytes: 3 },
    })
    expect((await alice.append('second')).json).toEqual({ seq: 2, logRecords: 2, logBytes: 9, boardBytes: 9 })

    const read = await alice.read()
    expect(read.status).toBe(200)
    expect(read.headers.get('content-type')).toBe('application/octet-stream')
    expect(read.headers.get('cache-control')).toBe('no-store')
    expect(read.lastSeq).toBe(2)
    // Byte for byte: kind, seq (uint32 BE), length (uint32 BE), data.
    expect(read.body).toEqual(
      Buffer.concat([
        Buffer.from([2, 0, 0, 0, 1, 0, 0, 0, 3]),
        Buffer.from('one'),
        Buffer.from([2, 0, 0, 0, 2, 0, 0, 0, 6]),
        Buffer.from('second'),
      ]),
    )
    // Someone else opening the link later reads the same with no secret at all.
    expect(await board(alice.id).contents()).toEqual([
      [2, 1, 'one'],
      [2, 2, 'second'],
    ])

    const head = await fetch(`${base}store/${alice.id}`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('x-store-last-seq')).toBe('2')
    expect(head.headers.get('content-length')).toBe(String(read.body.length))
    expect((await head.arrayBuffer()).byteLength).toBe(0)
  })

  it('answers an unknown board with an empty body and last seq 0', async () => {
    const { board } = await startStore(engine)
    const read = await board().read()
    expect([read.status, read.lastSeq, read.body.length]).toEqual([200, 0, 0])
  })

  it('sends only what follows `after`, and the snapshot when `after` is before its base', async () => {
    const { board } = await startStore(engine)
    const alice = board()
    for (const text of ['a', 'b', 'c', 'd']) await alice.append(text)
    expect(await alice.contents(2)).toEqual([
      [2, 3, 'c'],
      [2, 4, 'd'],
    ])
    expect(await alice.contents(4)).toEqual([])
    expect((await alice.snapshot(2, 'S2')).json).toEqual({ seq: 2, dropped: 2, logRecords: 2, logBytes: 2, boardBytes: 4 })
    expect(await alice.contents()).toEqual([
      [1, 2, 'S2'],
      [2, 3, 'c'],
      [2, 4, 'd'],
    ])
    // At or past the base: the reader already has what the snapshot holds.
    expect(await alice.contents(2)).toEqual([
      [2, 3, 'c'],
      [2, 4, 'd'],
    ])
    expect(await alice.contents(3)).toEqual([[2, 4, 'd']])
    // Before the base: the records it needs are gone, so it gets the snapshot.
    expect(await alice.contents(1)).toEqual(await alice.contents())
    expect((await alice.read(-1)).status).toBe(400)
  })

  it('refuses writes without the secret (401) or with another (403), changing nothing', async () => {
    const { board } = await startStore(engine)
    const alice = board()
    await alice.append('mine')
    expect(await alice.append('x', null)).toMatchObject({ status: 401, json: { error: 'secret-required' } })
    expect(await alice.append('x', token())).toMatchObject({ status: 403, json: { error: 'wrong-secret' } })
    expect(await alice.snapshot(1, 'x', token())).toMatchObject({ status: 403, json: { error: 'wrong-secret' } })
    expect(await alice.snapshot(1, 'x', null)).toMatchObject({ status: 401, json: { error: 'secret-required' } })
    expect(await alice.append('x', 'short')).toMatchObject({ status: 400, json: { error: 'bad-request' } })
    expect(await alice.contents()).toEqual([[2, 1, 'mine']])
    expect((await alice.append('again')).json.seq).toBe(2)
  })

  it('drops records at or below the base with the snapshot, and never reuses a seq', async () => {
    const { board } = await startStore(engine)
    const alice = board()
    for (const text of ['a', 'b', 'c']) await alice.append(text)
    expect((await alice.snapshot(3, 'S3')).json).toEqual({ seq: 3, dropped: 3, logRecords: 0, logBytes: 0, boardBytes: 2 })
    expect((await alice.append('d')).json).toEqual({ seq: 4, logRecords: 1, logBytes: 1, boardBytes: 3 })
    expect(await alice.contents()).toEqual([
      [1, 3, 'S3'],
      [2, 4, 'd'],
    ])
  })

  it('refuses a stale base and an unknown one, and allows the same base again', async () => {
    const { board } = await startStore(engine)
    const alice = board()
    expect(await alice.snapshot(1, 'S')).toMatchObject({ status: 409, json: { error: 'unknown-base' } })
    for (const text of ['a', 'b', 'c']) await alice.append(text)
    await alice.snapshot(2, 'S2')
    expect(await alice.snapshot(1, 'S1')).toMatchObject({ status: 409, json: { error: 'stale-base' } })
    expect(await alice.snapshot(0, 'S0')).toMatchObject({ status: 409, json: { error: 'unknown-base' } })
    expect(await alice.snapshot(4, 'S4')).toMatchObject({ status: 409, json: { error: 'unknown-base' } })
    expect(await alice.snapshot(2, 'S2 again')).toMatchObject({ status: 200, json: { seq: 2, dropped: 0 } })
    expect((await alice.post('/snapshot', 'S')).status).toBe(400)
    expect(await alice.contents()).toEqual([
      [1, 2, 'S2 again'],
      [2, 3, 'c'],
    ])
  })

  it('loses nothing when two compactions on different bases race, in either order', async () => {
    const { board } = await startStore(engine)
    for (const order of [
      [2, 4],
      [4, 2],
    ]) {
      const alice = board()
      for (const text of ['a', 'b', 'c', 'd', 'e']) await alice.append(text)
      const results = await Promise.all(order.map((base) => alice.snapshot(base, `S${base}`)))
      const won = results.filter((result) => result.status === 200).map((result) => result.json.seq)
      const stale = results.filter((result) => result.status === 409).map((result) => result.json.error)
      // Base 4 always ends up stored: base 2 either went first (and 4 replaced it) or came late and was refused.
      expect(won).toContain(4)
      expect(stale.every((error) => error === 'stale-base')).toBe(true)
      expect(await alice.contents()).toEqual([
        [1, 4, 'S4'],
        [2, 5, 'e'],
      ])
    }
  })

  it('refuses a record over the size limit with 413 and the limit, reading no further', async () => {
    const { board } = await startStore(engine, { STORE_MAX_RECORD_BYTES: '1024' })
    const alice = board()
    expect(await alice.append(Buffer.alloc(1024))).toMatchObject({ status: 200 })
    expect(await alice.append(Buffer.alloc(4096))).toMatchObject({ status: 413, json: { error: 'record-too-big', limit: 1024 } })
    expect(await alice.append('')).toMatchObject({ status: 400, json: { error: 'bad-request' } })
    expect((await alice.read()).lastSeq).toBe(1)
  })

  it('refuses a write that would take the board over its cap, and a snapshot larger than a board', async () => {
    const caps = { STORE_MAX_RECORD_BYTES: '100', STORE_MAX_LOG_BYTES: '250', STORE_MAX_BOARD_BYTES: '300' }
    const { board } = await startStore(engine, caps)
    const alice = board()
    for (let i = 0; i < 2; i++) await alice.append(Buffer.alloc(100))
    expect(await alice.snapshot(2, Buffer.alloc(301))).toMatchObject({ status: 413, json: { error: 'board-full', limit: 300 } })
    await alice.snapshot(2, Buffer.alloc(150))
    await alice.append(Buffer.alloc(100))
    // 150 + 100 + 100 > 300, while the log (200 bytes) is within its cap.
    expect(await alice.append(Buffer.alloc(100))).toMatchObject({ status: 413, json: { error: 'board-full', limit: 300 } })
    expect((await alice.read()).lastSeq).toBe(3)
  })

  it('asks for a compaction (409 log-full) when the log reaches its record or byte cap', async () => {
    const { board } = await startStore(engine, { STORE_MAX_LOG_RECORDS: '3', STORE_MAX_RECORD_BYTES: '10', STORE_MAX_LOG_BYTES: '25' })
    const alice = board()
    for (let i = 0; i < 3; i++) await alice.append('x')
    expect(await alice.append('x')).toMatchObject({ status: 409, json: { error: 'log-full', limit: 3 } })
    await alice.snapshot(3, 'S')
    expect((await alice.append('y')).json.seq).toBe(4)

    const bob = board()
    await bob.append(Buffer.alloc(10))
    await bob.append(Buffer.alloc(10))
    expect(await bob.append(Buffer.alloc(10))).toMatchObject({ status: 409, json: { error: 'log-full' } })
  })

  it('limits writes and reads per address, with Retry-After', async () => {
    const { board, logs } = await startStore(engine, { STORE_WRITES_PER_MINUTE: '3', STORE_READS_PER_MINUTE: '2' })
    const alice = board()
    for (let i = 0; i < 3; i++) expect((await alice.append('x')).status).toBe(200)
    const refused = await alice.append('x')
    expect(refused).toMatchObject({ status: 429, json: { error: 'rate-limited' } })
    // One token every 20 s.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(19)
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(20)
    expect(refused.headers.get('access-control-expose-headers')).toContain('Retry-After')
    await alice.append('x')

    expect((await alice.read()).status).toBe(200)
    expect((await alice.read()).status).toBe(200)
    const read = await alice.read()
    expect(read.status).toBe(429)
    expect(Number(read.headers.get('retry-after'))).toBeGreaterThan(0)
    // Once per address and reason, however often it happens.
    expect(logs.filter((line) => line.level === 40 && line.reason === 'rate-limited')).toHaveLength(1)
  })

  it('limits the boards one address creates per day, and appends to its old boards go on', async () => {
    const { board } = await startStore(engine, { STORE_NEW_BOARDS_PER_DAY: '2' })
    const first = board()
    await first.append('x')
    await board().append('x')
    const third = board()
    const refused = await third.append('x')
    expect(refused).toMatchObject({ status: 429, json: { error: 'new-board-limit', limit: 2 } })
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(86_400)
    expect((await third.read()).lastSeq).toBe(0)
    expect((await first.append('y')).json.seq).toBe(2)
  })

  it('answers 404 store-off on every store route with STORE=off, and leaves the rest alone', async () => {
    const { base, board } = await startStore(engine, { STORE: 'off' })
    const alice = board()
    expect(await alice.append('x')).toMatchObject({ status: 404, json: { error: 'store-off' } })
    expect((await alice.read()).status).toBe(404)
    expect((await fetch(`${base}store/nonsense`)).status).toBe(404)
    expect((await fetch(`${base}healthz`)).status).toBe(200)
  })

  it('answers CORS preflights and sends CORS headers on every store response', async () => {
    const { base, board } = await startStore(engine)
    const id = token()
    const preflight = await fetch(`${base}store/${id}/records`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://embed.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
    })
    expect(preflight.status).toBe(204)
    expect(Object.fromEntries(['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age'].map((name) => [name, preflight.headers.get(name)]))).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type',
      'access-control-max-age': '600',
    })
    for (const response of [(await board(id).read()).headers, (await board(id).append('x', null)).headers]) {
      expect(response.get('access-control-allow-origin')).toBe('*')
      expect(response.get('access-control-expose-headers')).toBe('X-Store-Last-Seq, Retry-After')
    }
  })

  it('refuses bad ids, unknown routes and methods', async () => {
    const { base } = await startStore(engine)
    const id = token()
    expect((await fetch(`${base}store/${id.slice(1)}`)).status).toBe(400)
    expect((await fetch(`${base}store/${id}!`.replace('!', '%21'))).status).toBe(400)
    expect(await (await fetch(`${base}store/${id}/other`)).json()).toMatchObject({ error: 'bad-request' })
    const put = await fetch(`${base}store/${id}/records`, { method: 'PUT', body: 'x' })
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST, OPTIONS'])
    expect((await fetch(`${base}store/${id}/records`)).status).toBe(405)
    expect((await fetch(`${base}store/${id}`, { method: 'POST', body: 'x' })).status).toBe(405)
    // Everything else keeps its GET/HEAD rule.
    expect((await fetch(`${base}healthz`, { method: 'POST' })).status).toBe(405)
  })

  it('counts writes, reads, bytes, refusals and boards in /metrics', async () => {
    const { base, board } = await startStore(engine)
    const alice = board()
    await alice.append('12345')
    await alice.append('678')
    await alice.snapshot(1, 'SS')
    await alice.append('x', token())
    await alice.read()
    const text = await (await fetch(`${base}metrics`)).text()
    for (const line of [
      'meshboard_store_writes_total{kind="record"} 2',
      'meshboard_store_writes_total{kind="snapshot"} 1',
      'meshboard_store_written_bytes_total 10',
      'meshboard_store_reads_total 1',
      // The snapshot (2 bytes) and record 2 (3 bytes), each with a 9-byte header.
      'meshboard_store_read_bytes_total 23',
      'meshboard_store_refusals_total{reason="wrong-secret"} 1',
    ]) {
      expect(text).toContain(line)
    }
    // Redis expires boards by itself, and counting them would mean scanning its keyspace.
    const gauges = ['meshboard_store_expired_boards_total 0', 'meshboard_store_boards 1', 'meshboard_store_bytes 5']
    for (const line of gauges) {
      if (engine === 'sqlite') expect(text).toContain(line)
      else expect(text).not.toContain(line.split(' ')[0])
    }
  })
})
