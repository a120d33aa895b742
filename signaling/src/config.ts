import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface IceServer {
  urls: string | string[]
  username?: string
  credential?: string
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface Limits {
  maxFrameBytes: number
  maxTopicsPerConnection: number
  maxTopicLength: number
  /** Token bucket per connection: refill rate and capacity, in frames. */
  maxMessagesPerSecond: number
  maxMessageBurst: number
  maxConnectionsPerIp: number
  maxConnections: number
  /** Bytes queued for one client that has stopped reading before it is disconnected. */
  maxBufferedBytes: number
  heartbeatIntervalMs: number
  /** Reverse proxies in front of the server whose X-Forwarded-For entries are believed; 0: none. */
  trustProxy: number
}

export interface StoreConfig {
  /** STORE=off: no board store; every /store route answers 404 store-off. */
  storeEnabled: boolean
  /** Where the SQLite engine keeps meshboard.sqlite (unused with Redis). */
  dataDir: string
  storeMaxRecordBytes: number
  storeMaxBoardBytes: number
  storeMaxLogRecords: number
  storeMaxLogBytes: number
  storeWritesPerMinute: number
  storeReadsPerMinute: number
  storeNewBoardsPerDay: number
  storeTtlDays: number
  redisStorePrefix: string
}

export interface IceConfig {
  /** ICE_SERVERS: handed to browsers as they are (at /config.json and /ice-servers). */
  iceServers: IceServer[]
  stunUrls: string[]
  /** TURN servers that check coturn's `use-auth-secret` credentials made with `turnSecret`. */
  turnUrls: string[]
  turnSecret: string | undefined
  /** How long the TURN credentials of /ice-servers are valid. */
  turnTtlSeconds: number
  iceServersPerMinute: number
}

export interface Config extends Limits, StoreConfig, IceConfig {
  port: number
  host: string
  staticDir: string
  libDir: string
  logLevel: LogLevel
  redisUrl: string | undefined
  redisChannelPrefix: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

type Env = Readonly<Record<string, string | undefined>>

const UNLIMITED = Number.MAX_SAFE_INTEGER

export function loadConfig(env: Env): Config {
  return {
    port: readInteger(env, 'PORT', 8787, 0, 65535),
    host: readString(env, 'HOST', '127.0.0.1'),
    // The floor catches a value given in KiB by mistake: y-webrtc's SDP offers alone take a few KiB.
    // The ceiling is where ws's maxPayload (a 32-bit int) would wrap around.
    maxFrameBytes: readInteger(env, 'MAX_FRAME_BYTES', 64 * 1024, 1024, 2 ** 31 - 1),
    maxTopicsPerConnection: readInteger(env, 'MAX_TOPICS_PER_CONNECTION', 64, 1, UNLIMITED),
    maxTopicLength: readInteger(env, 'MAX_TOPIC_LENGTH', 128, 1, UNLIMITED),
    // A newcomer to a busy board answers an offer and trickles a few ICE candidates to each of up to
    // ~30 peers at once: the burst absorbs that, the rate is far above what a settled client sends.
    maxMessagesPerSecond: readInteger(env, 'MAX_MESSAGES_PER_SECOND', 50, 1, UNLIMITED),
    maxMessageBurst: readInteger(env, 'MAX_MESSAGE_BURST', 300, 1, UNLIMITED),
    // Generous because a school or an office shares one address behind NAT.
    maxConnectionsPerIp: readInteger(env, 'MAX_CONNECTIONS_PER_IP', 100, 1, UNLIMITED),
    maxConnections: readInteger(env, 'MAX_CONNECTIONS', 10_000, 1, UNLIMITED),
    // Sixteen frames of the default maximum size: far more than a client that reads ever has waiting.
    maxBufferedBytes: readInteger(env, 'MAX_BUFFERED_BYTES', 1024 * 1024, 1024, UNLIMITED),
    // y-webrtc clients give up on a silent server after 30 s; a dead client is reaped within two intervals.
    heartbeatIntervalMs: readInteger(env, 'HEARTBEAT_INTERVAL_MS', 30_000, 10, 2 ** 31 - 1),
    trustProxy: readInteger(env, 'TRUST_PROXY', 0, 0, 100),
    // Relative to the compiled file: dist/server/config.js serves dist/app.
    staticDir: resolve(readString(env, 'STATIC_DIR', fileURLToPath(new URL('../app', import.meta.url)))),
    // The embeddable library (npm run build:lib), served at /lib/ for other sites to load.
    libDir: resolve(readString(env, 'LIB_DIR', fileURLToPath(new URL('../lib', import.meta.url)))),
    logLevel: readLogLevel(env),
    redisUrl: readRedisUrl(env),
    redisChannelPrefix: readString(env, 'REDIS_CHANNEL_PREFIX', 'meshboard:signal:'),
    ...loadStoreConfig(env),
    ...loadIceConfig(env),
  }
}

/** Below this a secret is guessable offline from one set of credentials (an HMAC of a known username). */
const MIN_TURN_SECRET_LENGTH = 16

function loadIceConfig(env: Env): IceConfig {
  const turnUrls = readUrlList(env, 'TURN_URLS', ['turn', 'turns'])
  const turnSecret = readRaw(env, 'TURN_SECRET')
  // Either alone is a mistake that would otherwise show up only as browsers failing to connect.
  if (turnUrls.length > 0 && turnSecret === undefined) throw new ConfigError('TURN_URLS needs TURN_SECRET (coturn\'s static-auth-secret)')
  if (turnSecret !== undefined && turnUrls.length === 0) throw new ConfigError('TURN_SECRET is set but TURN_URLS is not')
  if (turnSecret !== undefined && turnSecret.length < MIN_TURN_SECRET_LENGTH) {
    throw new ConfigError(`TURN_SECRET must be at least ${MIN_TURN_SECRET_LENGTH} characters`)
  }
  return {
    iceServers: readIceServers(env),
    stunUrls: readUrlList(env, 'STUN_URLS', ['stun', 'stuns']),
    turnUrls,
    turnSecret,
    // Long enough that a browser refreshes them rarely (at 80 %), short enough that leaked ones soon stop working.
    turnTtlSeconds: readInteger(env, 'TURN_TTL', 4 * 60 * 60, 60, 7 * 24 * 60 * 60),
    // A page asks once when it opens a board and again before its credentials expire; a school behind one NAT opens many.
    iceServersPerMinute: readInteger(env, 'ICE_SERVERS_PER_MINUTE', 120, 1, UNLIMITED),
  }
}

function readUrlList(env: Env, name: string, schemes: readonly string[]): string[] {
  const raw = readRaw(env, name)
  if (raw === undefined) return []
  const valid = new RegExp(`^(${schemes.join('|')}):\\S+$`)
  const urls = raw.split(',').map((url) => url.trim()).filter((url) => url !== '')
  const wrong = urls.find((url) => !valid.test(url))
  if (wrong !== undefined) {
    throw new ConfigError(`${name} must be comma-separated ${schemes.map((scheme) => `${scheme}:`).join(' or ')} URLs, got ${JSON.stringify(wrong)}`)
  }
  return urls
}

// A stored length is a uint32 on the wire, so no record, snapshot or board can be larger.
const UINT32_MAX = 2 ** 32 - 1
const MIB = 1024 * 1024

function loadStoreConfig(env: Env): StoreConfig {
  const store = readString(env, 'STORE', 'on').toLowerCase()
  if (store !== 'on' && store !== 'off') throw new ConfigError(`STORE must be on or off, got ${JSON.stringify(store)}`)
  const config: StoreConfig = {
    storeEnabled: store === 'on',
    dataDir: resolve(readString(env, 'DATA_DIR', 'data')),
    // A Yjs update batch is kilobytes; an image pasted into a board can be a megabyte or two.
    storeMaxRecordBytes: readInteger(env, 'STORE_MAX_RECORD_BYTES', 2 * MIB, 1, UINT32_MAX),
    storeMaxBoardBytes: readInteger(env, 'STORE_MAX_BOARD_BYTES', 32 * MIB, 1, UINT32_MAX),
    storeMaxLogRecords: readInteger(env, 'STORE_MAX_LOG_RECORDS', 1000, 1, UNLIMITED),
    storeMaxLogBytes: readInteger(env, 'STORE_MAX_LOG_BYTES', 16 * MIB, 1, UINT32_MAX),
    // A drawing client batches its updates (a few a second at most); a minute's worth may come at once.
    storeWritesPerMinute: readInteger(env, 'STORE_WRITES_PER_MINUTE', 600, 1, UNLIMITED),
    storeReadsPerMinute: readInteger(env, 'STORE_READS_PER_MINUTE', 240, 1, UNLIMITED),
    storeNewBoardsPerDay: readInteger(env, 'STORE_NEW_BOARDS_PER_DAY', 100, 1, UNLIMITED),
    // The ceiling keeps the TTL in seconds (Redis EXPIRE) and milliseconds far inside safe integers.
    storeTtlDays: readInteger(env, 'STORE_TTL_DAYS', 90, 1, 36_500),
    redisStorePrefix: readString(env, 'REDIS_STORE_PREFIX', 'meshboard:store:'),
  }
  // Either would make some writes impossible that the other limits promise to accept.
  if (config.storeMaxRecordBytes > config.storeMaxLogBytes) {
    throw new ConfigError('STORE_MAX_RECORD_BYTES must not exceed STORE_MAX_LOG_BYTES')
  }
  if (config.storeMaxLogBytes > config.storeMaxBoardBytes) {
    throw new ConfigError('STORE_MAX_LOG_BYTES must not exceed STORE_MAX_BOARD_BYTES')
  }
  return config
}

// An empty variable counts as unset, as `PORT=` in a compose file or shell usually means "default".
function readRaw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

function readString(env: Env, name: string, fallback: string): string {
  return readRaw(env, name) ?? fallback
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = readRaw(env, name)
  if (raw === undefined) return fallback
  // Number() alone would accept '1e3', '0x10' and ' ', none of which anyone means as a size.
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  }
  return value
}

function readLogLevel(env: Env): LogLevel {
  const raw = readString(env, 'LOG_LEVEL', 'info').toLowerCase()
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}`)
  }
  return raw as LogLevel
}

function readRedisUrl(env: Env): string | undefined {
  const raw = readRaw(env, 'REDIS_URL')
  if (raw === undefined) return undefined
  let protocol: string
  try {
    protocol = new URL(raw).protocol
  } catch {
    protocol = ''
  }
  // The URL itself stays out of the message: it usually carries a password.
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL')
  }
  return raw
}

function readIceServers(env: Env): IceServer[] {
  const raw = readRaw(env, 'ICE_SERVERS')
  if (raw === undefined) return []
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch (error) {
    throw new ConfigError(`ICE_SERVERS is not valid JSON (${(error as Error).message})`)
  }
  if (!Array.isArray(value) || !value.every(isIceServer)) {
    throw new ConfigError(
      'ICE_SERVERS must be a JSON array of RTCIceServer objects, e.g. [{"urls":"stun:stun.example.org:3478"}]',
    )
  }
  return value
}

function isIceServer(value: unknown): value is IceServer {
  if (typeof value !== 'object' || value === null) return false
  const { urls, username, credential } = value as Record<string, unknown>
  const urlsOk =
    (typeof urls === 'string' && urls !== '') ||
    (Array.isArray(urls) && urls.length > 0 && urls.every((url) => typeof url === 'string' && url !== ''))
  return urlsOk && isOptionalString(username) && isOptionalString(credential)
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string'
}
