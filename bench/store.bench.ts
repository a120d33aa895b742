/**
 * The server's board store over HTTP, as browsers use it, against the real server process (the
 * default SQLite engine, each acknowledged write fsync'd; and Redis when `redis-server` is here,
 * started as the tests start it, without AOF: `appendfsync always` would cost Redis an fsync too):
 * - appends of 1 KiB sealed records, one client at a time (each waits for its acknowledgement, as
 *   the browser does) and eight boards written at once;
 * - reading a board of 5 MB (20 records of 256 KiB: a 10,000-stroke board as first uploaded).
 * Records are random bytes: the server cannot tell them from sealed ones.
 */
import { randomBytes } from 'node:crypto'
import { startRedis } from '../test/helpers/redis'
import { startServer, type ServerHandle } from '../test/helpers/server'
import { MB, median, round } from './stats'
import type { BenchResult } from './run'

const APPENDS = 600
const CONCURRENT_BOARDS = 8
const BIG_BOARD_RECORDS = 20
const BIG_RECORD_BYTES = 256 * 1024
const READS = 5

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

export async function run(): Promise<BenchResult> {
  const rows = [await measure('SQLite (DATA_DIR)', {})]
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
  return { rows, figures: { appends: APPENDS, recordBytes: 1024, bigBoardBytes: BIG_BOARD_RECORDS * BIG_RECORD_BYTES } }
}
