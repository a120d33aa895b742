/**
 * The server's board store over HTTP, as browsers use it, against the real server process (the
 * default SQLite engine, each acknowledged write fsync'd; and Redis when `redis-server` is here,
 * started as the tests start it, without AOF: `appendfsync always` would cost Redis an fsync too):
 * - appends of 1 KiB sealed records, one client at a time (each waits for its acknowledgement, as
 *   the browser does) and eight boards written at once;
 * - reading a board of 5 MB (20 records of 256 KiB: a 10,000-stroke board as first uploaded);
 * - the relay for peers that cannot connect directly (src/net/server-relay.ts, the browser's own
 *   code, here in Node): from a change on one peer to its arrival on the other, through the server.
 * Records are random bytes: the server cannot tell them from sealed ones.
 */
import { randomBytes } from 'node:crypto'
import { WebSocket } from 'ws'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { LOCAL_ORIGIN } from '../src/model/board-doc'
import { ServerRelay } from '../src/net/server-relay'
import { deriveStoreKeys } from '../src/net/store-keys'
import { startRedis } from '../support/redis'
import { startServer, type ServerHandle } from '../support/server'
import { MB, median, percentile, round } from './stats'
import type { BenchResult } from './bench-result'

const APPENDS = 600
const CONCURRENT_BOARDS = 8
const BIG_BOARD_RECORDS = 20
const BIG_RECORD_BYTES = 256 * 1024
const READS = 5
const RELAYED_CHANGES = 40
/** Between changes: about a stroke's batches a second, far under the server's message rate. */
const RELAY_PAUSE_MS = 250

const token = () => randomBytes(32).toString('base64url')

async function append(server: ServerHandle, id: string, secret: string, record: Buffer): Promise<void> {
  const response = await fetch(`${server.url}store/${id}/records`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/octet-stream' },
    body: new Uint8Array(record),
  })
  if (!response.ok) throw new Error(`append refused: ${response.status} ${await response.text()}`)
  await response.arrayBuffer()
}

/** Until the store takes writes: with Redis, the server answers 503 until its connection is up. */
async function storeReady(server: ServerHandle): Promise<void> {
  const [id, secret] = [token(), token()]
  for (let attempt = 0; ; attempt++) {
    try {
      return await append(server, id, secret, randomBytes(16))
    } catch (error) {
      if (attempt >= 100) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

/** Appends per second by `boards` clients at once, each on its own board, each waiting for its acknowledgement. */
async function appendRate(server: ServerHandle, boards: number): Promise<number> {
  const record = randomBytes(1024)
  const perBoard = Math.ceil(APPENDS / boards)
  const start = performance.now()
  await Promise.all(
    Array.from({ length: boards }, async () => {
      const [id, secret] = [token(), token()]
      for (let i = 0; i < perBoard; i++) await append(server, id, secret, record)
    }),
  )
  return (perBoard * boards) / ((performance.now() - start) / 1000)
}

/** MB per second reading a 5 MB board whole (median of READS). */
async function readRate(server: ServerHandle): Promise<number> {
  const [id, secret] = [token(), token()]
  for (let i = 0; i < BIG_BOARD_RECORDS; i++) await append(server, id, secret, randomBytes(BIG_RECORD_BYTES))
  const rates: number[] = []
  for (let i = 0; i < READS; i++) {
    const start = performance.now()
    const body = await (await fetch(`${server.url}store/${id}`)).arrayBuffer()
    rates.push(body.byteLength / MB / ((performance.now() - start) / 1000))
  }
  return median(rates)
}

async function measure(engine: string, env: Record<string, string>): Promise<Record<string, string | number>> {
  // Generous limits: the benchmark writes faster than one browser, from one address.
  const server = await startServer({ env: { ...env, STORE_WRITES_PER_MINUTE: '1000000', STORE_READS_PER_MINUTE: '1000000', STORE_NEW_BOARDS_PER_DAY: '1000000' } })
  try {
    await storeReady(server)
    return {
      engine,
      'appends/s, one client': round(await appendRate(server, 1)),
      [`appends/s, ${CONCURRENT_BOARDS} boards at once`]: round(await appendRate(server, CONCURRENT_BOARDS)),
      'read MB/s, 5 MB board': round(await readRate(server)),
    }
  } finally {
    await server.stop()
  }
}

/** Milliseconds from a change on one relayed peer to its arrival on the other (the two are never connected directly). */
async function relayLatencies(server: ServerHandle): Promise<number[]> {
  // lib0's WebSocket client (the relay's) uses the global, which Node 20 lacks.
  ;(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket
  const keys = await deriveStoreKeys({ board: 'bench-relay', key: 'q5m8JYzM1qH2mR0vGf9Xkw' })
  const signalingUrl = `${server.url.replace(/^http/, 'ws')}signal`
  const peer = (peerId: string) => {
    const doc = new Y.Doc()
    const relay = new ServerRelay({
      doc,
      awareness: new Awareness(doc),
      keys,
      signalingUrl,
      peerId,
      directPeers: () => new Set(),
      isOwnChange: (origin) => origin === LOCAL_ORIGIN,
      onChange: () => {},
      onStoreChanged: () => {},
      onRefused: () => {},
    })
    return { doc, relay }
  }
  const [a, b] = [peer('bench-a'), peer('bench-b')]
  try {
    while (a.relay.relayedPeers.size === 0 || b.relay.relayedPeers.size === 0) await new Promise((resolve) => setTimeout(resolve, 50))
    const latencies: number[] = []
    const shapes = b.doc.getMap('shapes')
    for (let i = 0; i < RELAYED_CHANGES; i++) {
      const arrived = new Promise<number>((resolve) => {
        const seen = () => {
          if (!shapes.has(`s${i}`)) return
          shapes.unobserve(seen)
          resolve(performance.now())
        }
        shapes.observe(seen)
      })
      const start = performance.now()
      a.doc.transact(() => a.doc.getMap('shapes').set(`s${i}`, new Y.Map([['x', i]])), LOCAL_ORIGIN)
      latencies.push((await arrived) - start)
      await new Promise((resolve) => setTimeout(resolve, RELAY_PAUSE_MS))
    }
    return latencies
  } finally {
    a.relay.destroy()
    b.relay.destroy()
  }
}

export async function run(): Promise<BenchResult> {
  const rows: Record<string, string | number>[] = [await measure('SQLite (DATA_DIR)', {})]
  const redis = await startRedis().catch((error: Error) => {
    console.log(`Redis not measured: ${error.message}`)
    return null
  })
  if (redis) {
    try {
      rows.push(await measure('Redis (REDIS_URL)', { REDIS_URL: redis.url }))
    } finally {
      await redis.stop()
    }
  }
  const server = await startServer()
  let relay: number[]
  try {
    relay = await relayLatencies(server)
  } finally {
    await server.stop()
  }
  console.log(
    `relay: a change from one peer to the other through the server, ${relay.length} changes: median ${round(median(relay))} ms, p95 ${round(percentile(relay, 95))} ms, max ${round(Math.max(...relay))} ms`,
  )
  return {
    rows,
    figures: {
      appends: APPENDS,
      recordBytes: 1024,
      bigBoardBytes: BIG_BOARD_RECORDS * BIG_RECORD_BYTES,
      relayMs: { median: median(relay), p95: percentile(relay, 95), max: Math.max(...relay) },
    },
  }
}
