import { createHash, timingSafeEqual } from 'node:crypto'
import { Redis, ReplyError, type RedisOptions } from 'ioredis'
import {
  StoreError,
  appendRefusal,
  boardFull,
  compactRefusal,
  wrongSecret,
  type AppendResult,
  type BoardContent,
  type BoardLimits,
  type BoardStore,
  type CompactResult,
  type EngineStats,
} from './board-store.js'
import { DAY_MS, secondsToNextDay, type NewBoardQuota } from './limits.js'

export interface RedisStoreOptions extends BoardLimits {
  url: string
  /** Prepended to every key, so that deployments can share one Redis. */
  keyPrefix: string
  ttlDays: number
}

const CONNECTION_OPTIONS: RedisOptions = {
  // A request must fail fast while Redis is away (503), not wait in a queue for it to come back.
  enableOfflineQueue: false,
  // ...nor wait forever on a Redis that accepted the command and went silent.
  commandTimeout: 2000,
  // A command cut off by a disconnect has already been answered with 503; sending it again later
  // would apply a write the client was told had failed (and will retry itself).
  autoResendUnfulfilledCommands: false,
  retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
}

// Each board is three keys: a hash of numbers and the secret's hash, the snapshot, and a list of
// the records after it. Sequence numbers are never stored per record: only a prefix of the log is
// ever dropped, so the list always holds base + 1 … last, in order.
// Every script returns a status first: 'ok', or what the caller needs to name the refusal.

const APPEND = `
local secret = redis.call('HGET', KEYS[1], 'secret')
local last, logn, logb, snapb = 0, 0, 0, 0
if not secret then
  if ARGV[3] ~= '1' then return {'unknown-board'} end
elseif secret ~= ARGV[1] then
  return {'wrong-secret'}
else
  local m = redis.call('HMGET', KEYS[1], 'last', 'logn', 'logb', 'snapb')
  last, logn, logb, snapb = tonumber(m[1]), tonumber(m[2]), tonumber(m[3]), tonumber(m[4])
end
local size = string.len(ARGV[2])
if logn + 1 > tonumber(ARGV[4]) or logb + size > tonumber(ARGV[5]) or snapb + logb + size > tonumber(ARGV[6]) then
  return {'refused', logn, logb, snapb + logb}
end
if not secret then
  redis.call('DEL', KEYS[2], KEYS[3])
  redis.call('HSET', KEYS[1], 'secret', ARGV[1], 'base', 0, 'snapb', 0)
end
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('HSET', KEYS[1], 'last', last + 1, 'logn', logn + 1, 'logb', logb + size)
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[7]) end
return {'ok', last + 1, logn + 1, logb + size, snapb + logb + size}
`

const COMPACT = `
local secret = redis.call('HGET', KEYS[1], 'secret')
if not secret then return {'refused', 0, 0} end
if secret ~= ARGV[1] then return {'wrong-secret'} end
local m = redis.call('HMGET', KEYS[1], 'last', 'base', 'logn', 'logb')
local last, old, logn, logb = tonumber(m[1]), tonumber(m[2]), tonumber(m[3]), tonumber(m[4])
local base = tonumber(ARGV[2])
if base < 1 or base > last or base < old then return {'refused', last, old} end
local drop = base - old
if drop > 0 then
  for _, record in ipairs(redis.call('LRANGE', KEYS[3], 0, drop - 1)) do logb = logb - string.len(record) end
end
local size = string.len(ARGV[3])
if size + logb > tonumber(ARGV[4]) then return {'board-full'} end
if drop > 0 then redis.call('LTRIM', KEYS[3], drop, -1) end
redis.call('SET', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[1], 'base', base, 'logn', logn - drop, 'logb', logb, 'snapb', size)
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[5]) end
return {'ok', drop, logn - drop, logb, size + logb}
`

// The same choice as readPlan in board-store.ts, made here so that an incremental read moves only
// the new records out of Redis, and sees the board as of one moment.
const READ = `
local m = redis.call('HMGET', KEYS[1], 'last', 'base', 'snapb')
if not m[1] then return {0} end
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[2]) end
local last, base = tonumber(m[1]), tonumber(m[2])
local after = nil
if ARGV[1] ~= '' then after = tonumber(ARGV[1]) end
local withSnapshot = tonumber(m[3]) > 0 and not (after and after >= base)
local from = base
if not withSnapshot then from = math.max(after or 0, base) end
local reply = {last, from, false}
if withSnapshot then reply[3] = redis.call('GET', KEYS[2]) end
for i, record in ipairs(redis.call('LRANGE', KEYS[3], from - base, -1)) do reply[3 + i] = record end
return reply
`

const COUNT_NEW_BOARD = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
`

type Reply = Array<string | number | null>
interface StoreCommands {
  storeAppend(meta: string, snapshot: string, records: string, ...args: Array<string | number | Buffer>): Promise<Reply>
  storeCompact(meta: string, snapshot: string, records: string, ...args: Array<string | number | Buffer>): Promise<Reply>
  storeReadBuffer(meta: string, snapshot: string, records: string, after: string, ttl: number): Promise<Array<Buffer | number | null>>
  storeCountNewBoard(key: string, ttl: number): Promise<number>
}

/** The store in Redis, for several instances serving one deployment: each write is one Lua script, atomic. */
export class RedisStore implements BoardStore {
  private readonly redis: Redis & StoreCommands
  private readonly ttlSeconds: number

  constructor(private readonly options: RedisStoreOptions) {
    const redis = new Redis(options.url, CONNECTION_OPTIONS)
    // Failures are reported where a request meets them (503); without a listener ioredis prints each one.
    redis.on('error', () => {})
    redis.defineCommand('storeAppend', { numberOfKeys: 3, lua: APPEND })
    redis.defineCommand('storeCompact', { numberOfKeys: 3, lua: COMPACT })
    redis.defineCommand('storeRead', { numberOfKeys: 3, lua: READ })
    redis.defineCommand('storeCountNewBoard', { numberOfKeys: 1, lua: COUNT_NEW_BOARD })
    this.redis = redis as Redis & StoreCommands
    this.ttlSeconds = options.ttlDays * 24 * 60 * 60
  }

  async append(id: string, secretHash: Buffer, record: Buffer, create: boolean): Promise<AppendResult | 'unknown-board'> {
    await this.checkSecret(id, secretHash)
    const { maxLogRecords, maxLogBytes, maxBoardBytes } = this.options
    const reply = await this.run(() =>
      this.redis.storeAppend(...this.keys(id), secretHash, record, create ? '1' : '0', maxLogRecords, maxLogBytes, maxBoardBytes, this.ttlSeconds),
    )
    const [status, ...numbers] = reply
    const [a = 0, b = 0, c = 0, d = 0] = numbers.map(Number)
    switch (status) {
      case 'ok':
        return { seq: a, logRecords: b, logBytes: c, boardBytes: d }
      case 'unknown-board':
        return 'unknown-board'
      case 'refused':
        throw appendRefusal({ logRecords: a, logBytes: b, boardBytes: c }, record.length, this.options)!
      default:
        throw wrongSecret()
    }
  }

  async compact(id: string, secretHash: Buffer, base: number, snapshot: Buffer): Promise<CompactResult> {
    await this.checkSecret(id, secretHash)
    const reply = await this.run(() =>
      this.redis.storeCompact(...this.keys(id), secretHash, base, snapshot, this.options.maxBoardBytes, this.ttlSeconds),
    )
    const [status, ...numbers] = reply
    const [a = 0, b = 0, c = 0, d = 0] = numbers.map(Number)
    switch (status) {
      case 'ok':
        return { seq: base, dropped: a, logRecords: b, logBytes: c, boardBytes: d }
      case 'refused':
        throw compactRefusal(a, b, base)!
      case 'board-full':
        throw boardFull(this.options)
      default:
        throw wrongSecret()
    }
  }

  async read(id: string, after: number | undefined): Promise<BoardContent> {
    const reply = await this.run(() =>
      this.redis.storeReadBuffer(...this.keys(id), after === undefined ? '' : String(after), this.ttlSeconds),
    )
    const [last, from, snapshot, ...records] = reply
    const lastSeq = Number(last)
    if (lastSeq === 0) return { lastSeq, records: [] }
    const first = Number(from) + 1
    return {
      lastSeq,
      snapshot: Buffer.isBuffer(snapshot) ? { base: Number(from), data: snapshot } : undefined,
      records: records.map((data, i) => ({ seq: first + i, data: data as Buffer })),
    }
  }

  /** Shared by every instance, so the daily cap holds however many serve the deployment. */
  newBoardQuota(perDay: number): NewBoardQuota {
    return {
      take: async (address) => {
        const now = Date.now()
        // Hashed: Redis need not hold a list of client addresses.
        const who = createHash('sha256').update(address).digest('base64url').slice(0, 22)
        const key = `${this.options.keyPrefix}new:${Math.floor(now / DAY_MS)}:${who}`
        const count = await this.run(() => this.redis.storeCountNewBoard(key, secondsToNextDay(now)))
        return count > perDay ? secondsToNextDay(now) : 0
      },
    }
  }

  // Keys expire by themselves, and counting boards would mean scanning the keyspace: no gauges.
  stats(): EngineStats {
    return {}
  }

  async close(): Promise<void> {
    this.redis.disconnect()
  }

  /**
   * Compared here with timingSafeEqual; the scripts compare again, only so that a board registered
   * between the two steps is not written with the wrong secret.
   */
  private async checkSecret(id: string, secretHash: Buffer): Promise<void> {
    const stored = await this.run(() => this.redis.hgetBuffer(this.keys(id)[0], 'secret'))
    if (stored !== null && !(stored.length === secretHash.length && timingSafeEqual(stored, secretHash))) {
      throw wrongSecret()
    }
  }

  private keys(id: string): [string, string, string] {
    const prefix = this.options.keyPrefix
    return [`${prefix}b:${id}`, `${prefix}s:${id}`, `${prefix}r:${id}`]
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command()
    } catch (error) {
      if (error instanceof ReplyError && (error as Error).message.startsWith('OOM')) {
        throw new StoreError('server-full', 'the server is out of storage space', undefined, { cause: error })
      }
      throw new StoreError('store-unavailable', 'the board store is unavailable', undefined, { cause: error })
    }
  }
}
