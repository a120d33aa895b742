import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket, type ClientOptions } from 'ws'
import { loadConfig, type IceServer } from '../../signaling/src/config.js'
import { createHttpApp } from '../../signaling/src/http-app.js'
import { createLogger } from '../../signaling/src/log.js'
import { createMetrics } from '../../signaling/src/metrics.js'
import { redisBus } from '../../signaling/src/redis-bus.js'
import { attachSignaling, type DropReason, type SignalingOptions } from '../../signaling/src/signaling-server.js'
import { startRedis, type RedisHandle } from '../helpers/redis.js'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const FRAME_CAP = 1024
const TOPIC_CAP = 4
const TOPIC_LENGTH_CAP = 32
const INDEX_HTML = '<!doctype html><title>meshboard test</title>'
const LIBRARY = 'customElements.define("mesh-board", class extends HTMLElement {})\n'
/** Script text that compresses well, as bundles do. */
const BIG_ASSET = Array.from({ length: 2000 }, (_, i) => `export const value${i} = "${'meshboard '.repeat(4)}${i}"\n`).join('')
const SECRET = 'not for the web'
const LEVEL = { debug: 20, info: 30, warn: 40 } as const
/** How long a test waits for a Redis reconnect: ioredis retries every two seconds at most. */
const REDIS_WAIT = { timeout: 15_000, interval: 50 }

// Run after every test in reverse order of registration, so clients close before their server.
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) await cleanup()
})

let sandbox: string
let staticDir: string
let libDir: string
beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'meshboard-signaling-'))
  staticDir = join(sandbox, 'static')
  libDir = join(sandbox, 'lib')
  await mkdir(libDir, { recursive: true })
  await writeFile(join(libDir, 'meshboard.js'), LIBRARY)
  await mkdir(join(staticDir, 'assets'), { recursive: true })
  await writeFile(join(staticDir, 'index.html'), INDEX_HTML)
  await writeFile(join(staticDir, 'assets', 'main-3f2a1b.js'), 'export {}\n')
  // A file the build compressed (vite.config.ts, precompressed), and one whose copy is from an earlier build.
  await writeFile(join(staticDir, 'assets', 'big-9c8d7e.js'), BIG_ASSET)
  await writeFile(join(staticDir, 'assets', 'big-9c8d7e.js.br'), brotliCompressSync(BIG_ASSET))
  await writeFile(join(staticDir, 'assets', 'big-9c8d7e.js.gz'), gzipSync(BIG_ASSET))
  await writeFile(join(staticDir, 'assets', 'stale-1f2e3d.js.br'), brotliCompressSync('export const stale = true\n'))
  await utimes(join(staticDir, 'assets', 'stale-1f2e3d.js.br'), new Date(2020, 0, 1), new Date(2020, 0, 1))
  await writeFile(join(staticDir, 'assets', 'stale-1f2e3d.js'), 'export const fresh = true\n')
  await writeFile(join(staticDir, 'sw.js'), 'self.skipWaiting()\n')
  await writeFile(join(staticDir, 'manifest.webmanifest'), '{}')
  // Files a traversal would reach: siblings of the static root.
  await writeFile(join(sandbox, 'package.json'), JSON.stringify({ secret: SECRET }))
  await writeFile(join(sandbox, 'secret.txt'), SECRET)
})
afterAll(() => rm(sandbox, { recursive: true, force: true }))

interface LogLine {
  level: number
  msg: string
  [field: string]: unknown
}

interface ServerOverrides extends Partial<SignalingOptions> {
  iceServers?: IceServer[]
  /** Serve /metrics (prom-client starts a few monitors per registry, so only where a test reads them). */
  metrics?: boolean
  /** Fan out through this Redis, on a channel prefix of the test's own. */
  redis?: { url: string; channelPrefix: string }
}

/** The server as main.ts wires it, on a free port, logging at debug level into `logs`. */
async function startServer({ iceServers = [], metrics = false, redis, ...overrides }: ServerOverrides = {}) {
  const logs: LogLine[] = []
  const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) })
  const server = http.createServer()
  const signaling = attachSignaling(server, {
    ...loadConfig({}),
    maxFrameBytes: FRAME_CAP,
    maxTopicsPerConnection: TOPIC_CAP,
    maxTopicLength: TOPIC_LENGTH_CAP,
    logger,
    bus: redis && redisBus({ ...redis, logger }),
    ...overrides,
  })
  const served = metrics ? createMetrics(signaling.stats) : undefined
  server.on('request', createHttpApp({ staticDir, libDir, iceServers, metrics: served }))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  cleanups.push(async () => {
    await signaling.close()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  const { port } = server.address() as AddressInfo
  /** Log lines at `level` or above. */
  const logsAt = (level: number) => logs.filter((line) => line.level >= level)
  return { server, signaling, logs, logsAt, port, url: `ws://127.0.0.1:${port}/signal` }
}

/** A signaling client that hands out received messages in order. */
class Client {
  readonly closed: Promise<number>
  private readonly received: unknown[] = []
  private readonly waiting: Array<(message: unknown) => void> = []

  static async connect(url: string, options?: ClientOptions): Promise<Client> {
    const client = new Client(new WebSocket(url, options))
    await once(client.ws, 'open')
    return client
  }

  private constructor(readonly ws: WebSocket) {
    cleanups.push(() => ws.terminate())
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)))
    ws.on('message', (data) => {
      const message: unknown = JSON.parse(String(data))
      const waiter = this.waiting.shift()
      if (waiter) waiter(message)
      else this.received.push(message)
    })
  }

  next(): Promise<unknown> {
    if (this.received.length > 0) return Promise.resolve(this.received.shift())
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  /** The server handles one connection's frames in order, so a pong means everything sent before was handled. */
  async roundTrip(): Promise<void> {
    this.send({ type: 'ping' })
    expect(await this.next()).toEqual({ type: 'pong' })
  }

  async subscribe(...topics: string[]): Promise<void> {
    this.send({ type: 'subscribe', topics })
    await this.roundTrip()
  }
}

function connectAll(url: string, count: number): Promise<Client[]> {
  return Promise.all(Array.from({ length: count }, () => Client.connect(url)))
}

function publish(topic: string, data: unknown) {
  return { type: 'publish', topic, data }
}

/** A connection the server ends during the handshake's aftermath: resolves with its close code. */
async function closeCodeOf(url: string, options?: ClientOptions): Promise<number> {
  const ws = new WebSocket(url, options)
  cleanups.push(() => ws.terminate())
  const [code] = (await once(ws, 'close')) as [number]
  return code
}

describe('signaling relay', () => {
  it('relays a publish verbatim to every subscriber of the topic, the sender included', async () => {
    const { url } = await startServer()
    const [alice, bob, carol] = await connectAll(url, 3)
    await alice.subscribe('room')
    await bob.subscribe('room')
    await carol.subscribe('elsewhere')

    alice.send({ ...publish('room', 'c2lnbmFs'), extra: { kept: [1, 2] } })
    const relayed = { type: 'publish', topic: 'room', data: 'c2lnbmFs', extra: { kept: [1, 2] }, clients: 2 }
    expect(await bob.next()).toEqual(relayed)
    expect(await alice.next()).toEqual(relayed)

    // Carol's first message is this one, so the publish to 'room' never reached her.
    bob.send(publish('elsewhere', 'marker'))
    expect(await carol.next()).toEqual({ ...publish('elsewhere', 'marker'), clients: 1 })
  })

  it('overrides a client-supplied clients count and relays frames too deep to re-serialise', async () => {
    const { url } = await startServer({ maxFrameBytes: 64 * 1024 })
    const [alice, bob] = await connectAll(url, 2)
    await alice.subscribe('room')
    await bob.subscribe('room')

    alice.send({ ...publish('room', 'x'), clients: 99 })
    expect(await bob.next()).toEqual({ ...publish('room', 'x'), clients: 2 })
    // JSON.stringify overflows the stack on this; y-webrtc's server would throw in its message handler.
    const depth = 20_000
    alice.send(`{"type":"publish","topic":"room","data":${'['.repeat(depth)}${']'.repeat(depth)}}`)
    const deep = (await bob.next()) as { data: unknown; clients: number }
    expect(deep.clients).toBe(2)
    let level = 0
    for (let node = deep.data; Array.isArray(node); node = node[0]) level++
    expect(level).toBe(depth)
  })

  it('stops delivering a topic after unsubscribe', async () => {
    const { url, signaling } = await startServer()
    const [alice, bob] = await connectAll(url, 2)
    await alice.subscribe('room')
    await bob.subscribe('room', 'marker')

    bob.send({ type: 'unsubscribe', topics: ['room'] })
    await bob.roundTrip()
    alice.send(publish('room', 'after'))
    expect(await alice.next()).toEqual({ ...publish('room', 'after'), clients: 1 })
    alice.send(publish('marker', 'marker'))
    expect(await bob.next()).toEqual({ ...publish('marker', 'marker'), clients: 1 })

    alice.send({ type: 'unsubscribe', topics: ['room'] })
    await alice.roundTrip()
    expect(signaling.stats().topics).toBe(1)
  })

  it('answers ping with pong', async () => {
    const { url } = await startServer()
    const [alice] = await connectAll(url, 1)
    alice.send({ type: 'ping' })
    expect(await alice.next()).toEqual({ type: 'pong' })
  })

  const badFrames: Array<[string, DropReason, string | Buffer]> = [
    ['invalid JSON', 'invalid-json', '{"type":"publish",'],
    ['a JSON array', 'not-an-object', JSON.stringify([publish('room', 'x')])],
    ['a number', 'not-an-object', '42'],
    ['null', 'not-an-object', 'null'],
    ['topics that are a string', 'bad-field', JSON.stringify({ type: 'subscribe', topics: 'room' })],
    ['a topic that is a number', 'bad-field', JSON.stringify({ type: 'publish', topic: 5, data: 'x' })],
    ['a missing topic', 'bad-field', JSON.stringify({ type: 'publish', data: 'x' })],
    ['an unknown type', 'unknown-type', JSON.stringify({ type: 'shout', topic: 'room', data: 'x' })],
    ['a missing type', 'unknown-type', JSON.stringify({ topic: 'room', data: 'x' })],
    ['a binary frame', 'binary', Buffer.from(JSON.stringify(publish('room', 'binary')))],
    ['an empty topic name', 'bad-field', JSON.stringify({ type: 'subscribe', topics: [''] })],
    [
      'a topic name over the limit',
      'topic-too-long',
      JSON.stringify({ type: 'subscribe', topics: ['x'.repeat(TOPIC_LENGTH_CAP + 1)] }),
    ],
    [
      'a publish to a topic name over the limit',
      'topic-too-long',
      JSON.stringify(publish('r'.repeat(TOPIC_LENGTH_CAP + 1), 'x')),
    ],
  ]

  it.each(badFrames)('drops %s as %s and keeps the connection working', async (_, reason, frame) => {
    const { url, signaling } = await startServer()
    const [alice, bob] = await connectAll(url, 2)
    await alice.subscribe('room')
    await bob.subscribe('room')

    alice.ws.send(frame, { binary: Buffer.isBuffer(frame) })
    await alice.roundTrip()
    const { drops, ...stats } = signaling.stats()
    expect(stats).toMatchObject({ topics: 1, connections: 2 })
    expect(Object.entries(drops).filter(([, count]) => count > 0)).toEqual([[reason, 1]])

    alice.send(publish('room', 'still here'))
    expect(await bob.next()).toEqual({ ...publish('room', 'still here'), clients: 2 })
    expect(await alice.next()).toEqual({ ...publish('room', 'still here'), clients: 2 })
  })

  it('reaps a connection that stops answering pings and cleans its topics', async () => {
    const { url, signaling } = await startServer({ heartbeatIntervalMs: 20 })
    const [healthy] = await connectAll(url, 1)
    // Answers pings by hand until it has subscribed, so it cannot be reaped before the test is set up.
    const dead = await Client.connect(url, { autoPong: false })
    let answering = true
    dead.ws.on('ping', () => answering && dead.ws.pong())
    await healthy.subscribe('room')
    await dead.subscribe('room', 'dead-only')
    expect(signaling.stats()).toMatchObject({ connections: 2, topics: 2 })

    answering = false
    await dead.closed
    await vi.waitFor(() => expect(signaling.stats()).toMatchObject({ connections: 1, topics: 1 }))
    expect(signaling.stats().drops['heartbeat-timeout']).toBe(1)

    // The healthy client went through the same heartbeat rounds.
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN)
    healthy.send(publish('room', 'alone'))
    expect(await healthy.next()).toEqual({ ...publish('room', 'alone'), clients: 1 })
  })

  it('leaves upgrades on other paths to other handlers', async () => {
    const { server, signaling, port } = await startServer()
    server.on('upgrade', (request, socket) => {
      if (request.url === '/hmr') socket.end('HTTP/1.1 418 I am a teapot\r\nConnection: close\r\n\r\n')
    })
    const ws = new WebSocket(`ws://127.0.0.1:${port}/hmr`)
    const [, response] = (await once(ws, 'unexpected-response')) as [unknown, http.IncomingMessage]
    expect(response.statusCode).toBe(418)
    expect(signaling.stats().connections).toBe(0)
  })

  it('closes clients with 1001 on close()', async () => {
    const { url, signaling } = await startServer()
    const [alice] = await connectAll(url, 1)
    await alice.subscribe('room')
    await signaling.close()
    expect(await alice.closed).toBe(1001)
    expect(signaling.stats()).toMatchObject({ connections: 0, topics: 0 })
  })
})

describe('limits', () => {
  it('closes a connection that sends an oversize frame with 1009, and nobody else', async () => {
    const { url, signaling, logsAt } = await startServer()
    const [alice, bob] = await connectAll(url, 2)
    await alice.subscribe('room')
    await bob.subscribe('room')

    alice.send(publish('room', 'x'.repeat(FRAME_CAP)))
    expect(await alice.closed).toBe(1009)
    await vi.waitFor(() => expect(signaling.stats().connections).toBe(1))
    expect(signaling.stats().drops['frame-too-big']).toBe(1)
    expect(logsAt(LEVEL.warn).filter((line) => line.reason === 'frame-too-big')).toHaveLength(1)

    bob.send(publish('room', 'alone'))
    expect(await bob.next()).toEqual({ ...publish('room', 'alone'), clients: 1 })
  })

  it('refuses subscriptions past the per-connection cap and logs it once per connection', async () => {
    const { url, signaling, logsAt } = await startServer()
    const [alice, bob, carol] = await connectAll(url, 3)
    const topics = Array.from({ length: TOPIC_CAP + 2 }, (_, i) => `board-topic-${i}`)

    await alice.subscribe(...topics)
    await alice.subscribe(topics[TOPIC_CAP + 1])
    await alice.subscribe(topics[0])
    expect(signaling.stats()).toMatchObject({ topics: TOPIC_CAP })
    expect(signaling.stats().drops['topic-limit']).toBe(3)
    const warnings = () => logsAt(LEVEL.warn).filter((line) => line.reason === 'topic-limit')
    expect(warnings()).toHaveLength(1)

    // The refused topic delivers nothing: Alice's next message is the one on a topic she holds.
    bob.send(publish(topics[TOPIC_CAP], 'refused'))
    bob.send(publish(topics[0], 'accepted'))
    expect(await alice.next()).toEqual({ ...publish(topics[0], 'accepted'), clients: 1 })

    // Unsubscribing frees a slot.
    alice.send({ type: 'unsubscribe', topics: [topics[0]] })
    await alice.subscribe(topics[TOPIC_CAP])
    bob.send(publish(topics[TOPIC_CAP], 'now accepted'))
    expect(await alice.next()).toEqual({ ...publish(topics[TOPIC_CAP], 'now accepted'), clients: 1 })

    // The cap is per connection.
    await carol.subscribe(...topics)
    expect(warnings()).toHaveLength(2)
  })

  describe('message rate', () => {
    // Only Date is faked: the token bucket reads it, while sockets and timers run for real.
    afterEach(() => void vi.useRealTimers())

    it('drops frames over the token bucket, refills it with time, and logs once per connection', async () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      const { url, signaling, logsAt } = await startServer({ maxMessagesPerSecond: 2, maxMessageBurst: 5 })
      const [alice, bob] = await connectAll(url, 2)
      await alice.subscribe('room') // a subscribe and a ping: 3 of Alice's 5 tokens left
      await bob.subscribe('room')

      for (let i = 0; i < 6; i++) alice.send(publish('room', `burst ${i}`))
      for (let i = 0; i < 3; i++) expect(await bob.next()).toEqual({ ...publish('room', `burst ${i}`), clients: 2 })

      // Half a second refills one token.
      vi.setSystemTime(Date.now() + 500)
      alice.send(publish('room', 'refilled'))
      expect(await bob.next()).toEqual({ ...publish('room', 'refilled'), clients: 2 })
      expect(signaling.stats().drops['rate-limited']).toBe(3)

      // Alice is out of tokens again: this frame and the next are dropped, and logged no more.
      alice.send(publish('room', 'dropped'))
      alice.send({ type: 'ping' })
      await vi.waitFor(() => expect(signaling.stats().drops['rate-limited']).toBe(5))
      expect(logsAt(LEVEL.warn).filter((line) => line.reason === 'rate-limited')).toHaveLength(1)
    })
  })

  it('closes connections over the per-address limit with 1008, until one leaves', async () => {
    const { url, signaling, logsAt } = await startServer({ maxConnectionsPerIp: 2 })
    const [alice] = await connectAll(url, 2)
    expect(await closeCodeOf(url)).toBe(1008)
    expect(signaling.stats()).toMatchObject({ connections: 2 })
    expect(signaling.stats().drops['connections-per-ip']).toBe(1)
    expect(logsAt(LEVEL.warn).filter((line) => line.reason === 'connections-per-ip')).toHaveLength(1)

    alice.ws.close()
    await vi.waitFor(() => expect(signaling.stats().connections).toBe(1))
    const carol = await Client.connect(url)
    await carol.roundTrip()
  })

  it('believes X-Forwarded-For only with TRUST_PROXY, and then only the hop the proxy added', async () => {
    const forwarded = (header: string) => ({ headers: { 'X-Forwarded-For': header } })
    const direct = await startServer({ maxConnectionsPerIp: 1 })
    await Client.connect(direct.url, forwarded('203.0.113.1'))
    // Without TRUST_PROXY both come from 127.0.0.1, whatever the header says.
    expect(await closeCodeOf(direct.url, forwarded('203.0.113.2'))).toBe(1008)

    const proxied = await startServer({ maxConnectionsPerIp: 1, trustProxy: 1 })
    await Client.connect(proxied.url, forwarded('203.0.113.1'))
    await Client.connect(proxied.url, forwarded('203.0.113.2'))
    // A client cannot pose as someone else: the proxy appends the real address after what it claims.
    expect(await closeCodeOf(proxied.url, forwarded('198.51.100.9, 203.0.113.1'))).toBe(1008)
    // An IPv6 host owns its /64: two addresses in it share one allowance.
    await Client.connect(proxied.url, forwarded('2001:db8:1:2::1'))
    expect(await closeCodeOf(proxied.url, forwarded('2001:db8:1:2:ffff::2'))).toBe(1008)
    expect(proxied.signaling.stats()).toMatchObject({ connections: 3 })
  })

  it('closes connections over the total limit with 1013 (try again later)', async () => {
    const { url, signaling } = await startServer({ maxConnections: 2 })
    const [alice] = await connectAll(url, 2)
    expect(await closeCodeOf(url)).toBe(1013)
    expect(signaling.stats().drops['connections-total']).toBe(1)

    alice.ws.close()
    await vi.waitFor(() => expect(signaling.stats().connections).toBe(1))
    await (await Client.connect(url)).roundTrip()
  })

  it('cuts off a client that stops reading once its unsent messages pass the limit', async () => {
    const maxBufferedBytes = 256 * 1024
    const { url, signaling, logsAt } = await startServer({
      maxFrameBytes: 64 * 1024,
      maxBufferedBytes,
      maxMessagesPerSecond: 1_000_000,
      maxMessageBurst: 1_000_000,
    })
    const [sender, slow] = await connectAll(url, 2)
    await slow.subscribe('room')
    const frame = JSON.stringify(publish('room', 'x'.repeat(60 * 1024)))
    slow.ws.pause()

    // Enough to fill the kernel's socket buffers many times over. The sender does not subscribe, so the
    // only thing it receives is its pongs.
    for (let batch = 0; batch < 500 && signaling.stats().drops['slow-consumer'] === 0; batch++) {
      for (let i = 0; i < 10; i++) sender.send(frame)
      await sender.roundTrip()
    }
    expect(signaling.stats().drops['slow-consumer']).toBe(1)
    await vi.waitFor(() => expect(signaling.stats()).toMatchObject({ connections: 1, topics: 0 }))
    expect(logsAt(LEVEL.warn).filter((line) => line.reason === 'slow-consumer')).toHaveLength(1)
    await sender.subscribe('room')
    sender.send(publish('room', 'alone'))
    expect(await sender.next()).toEqual({ ...publish('room', 'alone'), clients: 1 })
  })
})

describe('observability', () => {
  it('serves Prometheus metrics: connections, topics, messages and bytes both ways, drops by reason', async () => {
    const { url, port } = await startServer({ metrics: true })
    const [alice, bob] = await connectAll(url, 2)
    await alice.subscribe('room', 'other')
    await bob.subscribe('room')
    alice.send('not json')
    alice.send(publish('room', 'hello'))
    expect(await bob.next()).toMatchObject({ data: 'hello' })
    expect(await alice.next()).toMatchObject({ data: 'hello' })
    await alice.roundTrip()

    const response = await request(port, '/metrics')
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    const value = (series: string) => {
      const line = response.body.split('\n').find((l) => l.startsWith(`${series} `))
      return line === undefined ? undefined : Number(line.slice(series.length + 1))
    }
    expect(value('meshboard_connections')).toBe(2)
    expect(value('meshboard_topics')).toBe(2)
    // Alice: subscribe, ping, garbage, publish, ping; Bob: subscribe, ping.
    expect(value('meshboard_messages_received_total')).toBe(7)
    // A pong each for the subscriptions, the publish to both subscribers, Alice's last pong.
    expect(value('meshboard_messages_sent_total')).toBe(5)
    expect(value('meshboard_received_bytes_total')).toBeGreaterThan(0)
    expect(value('meshboard_sent_bytes_total')).toBeGreaterThan(0)
    expect(value('meshboard_drops_total{reason="invalid-json"}')).toBe(1)
    expect(value('meshboard_drops_total{reason="rate-limited"}')).toBe(0)
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(0)
    // Without Redis there is no Redis state to report.
    expect(response.body).not.toContain('meshboard_redis')
  })

  it('logs JSON lines without payloads, topic names or client addresses at info level and above', async () => {
    const { url, logs, logsAt } = await startServer({ maxMessageBurst: 8 })
    const topic = 'a'.repeat(TOPIC_LENGTH_CAP)
    const payload = 'very-secret-payload'
    const [alice, bob] = await connectAll(url, 2)
    await alice.subscribe(topic, 'b1', 'b2', 'b3', 'b4')
    await bob.subscribe(topic)
    alice.send(publish(topic, payload))
    alice.send(`{"type":"${payload}","topic":"${topic}"}`)
    alice.send(`{"type":"publish","topic":"${topic}","data":"${payload}"`)
    for (let i = 0; i < 5; i++) alice.send(publish(topic, payload))
    alice.send(publish(topic, 'x'.repeat(FRAME_CAP)))
    expect(await alice.closed).toBe(1009)

    const loud = logsAt(LEVEL.info)
    expect(loud.map((line) => line.reason)).toEqual([
      'topic-limit',
      'unknown-type',
      'invalid-json',
      'rate-limited',
      'frame-too-big',
    ])
    const shape = { level: LEVEL.warn, time: expect.any(Number), pid: process.pid, conn: expect.any(Number) }
    for (const line of loud) expect(line).toEqual({ ...shape, reason: expect.any(String), msg: expect.any(String) })
    const text = JSON.stringify(loud)
    for (const secret of [topic, payload, '127.0.0.1']) expect(text).not.toContain(secret)
    // Addresses are there for an operator who asks for debug logs.
    expect(logs.filter((line) => line.level === LEVEL.debug && line.address === '127.0.0.1')).toHaveLength(2)
  })
})

/** How many connections Redis has subscribed to a channel. */
async function subscribersInRedis(redisUrl: string, channel: string): Promise<number> {
  const client = new Redis(redisUrl)
  try {
    const [, count] = (await client.pubsub('NUMSUB', channel)) as [string, number]
    return count
  } finally {
    client.disconnect()
  }
}

describe('scale-out through Redis', () => {
  let redis: RedisHandle
  let channelPrefix: string
  let prefixes = 0
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(() => redis?.stop())

  /** Two instances sharing a channel prefix of this test's own, both connected to Redis. */
  async function twoInstances() {
    channelPrefix = `test-${++prefixes}:`
    const options = { redis: { url: redis.url, channelPrefix }, metrics: true }
    const instances = [await startServer(options), await startServer(options)] as const
    await vi.waitFor(() => {
      for (const { signaling } of instances) expect(signaling.stats().bus?.connected).toBe(true)
    }, REDIS_WAIT)
    return instances
  }

  /** Waits until Redis knows that both instances want the topic. */
  const bothSubscribed = (topic: string) =>
    vi.waitFor(async () => expect(await subscribersInRedis(redis.url, channelPrefix + topic)).toBe(2), REDIS_WAIT)

  it('relays between clients on different instances, in both directions', async () => {
    const [one, two] = await twoInstances()
    const alice = await Client.connect(one.url)
    const bob = await Client.connect(two.url)
    await alice.subscribe('room')
    await bob.subscribe('room')
    await bothSubscribed('room')

    alice.send(publish('room', 'from one'))
    // `clients` counts the receiving instance's subscribers.
    expect(await bob.next()).toEqual({ ...publish('room', 'from one'), clients: 1 })
    expect(await alice.next()).toEqual({ ...publish('room', 'from one'), clients: 1 })
    bob.send(publish('room', 'from two'))
    expect(await alice.next()).toEqual({ ...publish('room', 'from two'), clients: 1 })
    expect(await bob.next()).toEqual({ ...publish('room', 'from two'), clients: 1 })

    // An instance leaves a topic's channel with its last subscriber.
    bob.send({ type: 'unsubscribe', topics: ['room'] })
    await vi.waitFor(async () => expect(await subscribersInRedis(redis.url, `${channelPrefix}room`)).toBe(1))
    expect(one.signaling.stats().bus).toMatchObject({ published: 1, received: 1, dropped: 0 })
    const metrics = (await request(one.port, '/metrics')).body
    expect(metrics).toContain('meshboard_redis_connected 1')
    expect(metrics).toContain('meshboard_redis_messages_total{direction="published"} 1')
  })

  it('delivers locally while Redis is down and across instances again once it is back', async () => {
    const [one, two] = await twoInstances()
    const [alice, amy] = await connectAll(one.url, 2)
    const bob = await Client.connect(two.url)
    for (const client of [alice, amy, bob]) await client.subscribe('room')
    await bothSubscribed('room')

    await redis.kill()
    await vi.waitFor(() => {
      for (const { signaling } of [one, two]) expect(signaling.stats().bus?.connected).toBe(false)
    }, REDIS_WAIT)
    alice.send(publish('room', 'during the outage'))
    expect(await amy.next()).toEqual({ ...publish('room', 'during the outage'), clients: 2 })
    expect(await alice.next()).toEqual({ ...publish('room', 'during the outage'), clients: 2 })
    expect(one.signaling.stats().bus?.dropped).toBe(1)
    expect((await request(one.port, '/metrics')).body).toContain('meshboard_redis_connected 0')

    await redis.restart()
    // A fresh Redis knows no subscriptions: the instances must have restored them by themselves.
    await vi.waitFor(() => {
      for (const { signaling } of [one, two]) expect(signaling.stats().bus?.connected).toBe(true)
    }, REDIS_WAIT)
    await bothSubscribed('room')
    bob.send(publish('room', 'after the outage'))
    for (const client of [alice, amy]) {
      expect(await client.next()).toEqual({ ...publish('room', 'after the outage'), clients: 2 })
    }
    // Bob's first message since the outage: nothing published on one while Redis was away reached him.
    expect(await bob.next()).toEqual({ ...publish('room', 'after the outage'), clients: 1 })
    alice.send(publish('room', 'both ways'))
    expect(await bob.next()).toEqual({ ...publish('room', 'both ways'), clients: 1 })

    for (const { logs } of [one, two]) {
      const messages = logs.filter((line) => line.level >= LEVEL.info).map((line) => line.msg)
      // Once per outage, however many reconnection attempts failed.
      expect(messages.filter((msg) => msg.startsWith('redis unavailable'))).toHaveLength(1)
      expect(messages.filter((msg) => msg.startsWith('redis connected'))).toHaveLength(2)
    }
  })
})
interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  /** The body as sent (not decompressed), as text and as bytes. */
  body: string
  bytes: Buffer
}

// Raw requests: fetch would normalise '..' segments away before they reach the server.
function request(port: number, path: string, method = 'GET', headers: http.OutgoingHttpHeaders = {}) {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const bytes = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('http', () => {
  it('answers /healthz', async () => {
    const { port } = await startServer()
    const response = await request(port, '/healthz')
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' })
  })

  it('serves the configured ICE servers at /config.json', async () => {
    const iceServers = [{ urls: ['turn:turn.example.org:3478'], username: 'u', credential: 'c' }]
    const { port } = await startServer({ iceServers })
    const response = await request(port, '/config.json')
    expect(response.status).toBe(200)
    expect(response.headers['cache-control']).toBe('no-cache')
    expect(JSON.parse(response.body)).toEqual({ iceServers })
  })

  it('serves index.html for / without long-term caching', async () => {
    const { port } = await startServer()
    const response = await request(port, '/')
    expect(response).toMatchObject({ status: 200, body: INDEX_HTML })
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.headers['cache-control']).toBe('no-cache')
    expect((await request(port, '/index.html')).body).toBe(INDEX_HTML)
  })

  it('serves hashed assets as immutable and other files as no-cache, with their content types', async () => {
    const { port } = await startServer()
    const asset = await request(port, '/assets/main-3f2a1b.js')
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const worker = await request(port, '/sw.js')
    expect(worker.headers['cache-control']).toBe('no-cache')
    const manifest = await request(port, '/manifest.webmanifest')
    expect(manifest.headers['content-type']).toBe('application/manifest+json')
  })

  it('sends the copy the build compressed to a browser that takes it, brotli first, and the file itself otherwise', async () => {
    const { port } = await startServer()
    const path = '/assets/big-9c8d7e.js'
    const brotli = await request(port, path, 'GET', { 'Accept-Encoding': 'gzip, deflate, br, zstd' })
    expect(brotli.headers).toMatchObject({ 'content-encoding': 'br', vary: 'Accept-Encoding', 'content-type': 'text/javascript; charset=utf-8' })
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(Number(brotli.headers['content-length'])).toBe(brotli.bytes.byteLength)
    expect(brotli.bytes.byteLength).toBeLessThan(BIG_ASSET.length / 5)
    expect(brotliDecompressSync(brotli.bytes).toString()).toBe(BIG_ASSET)

    for (const accept of ['gzip', 'br;q=0, gzip;q=0.8', 'BR;Q=0, *']) {
      const gzip = await request(port, path, 'GET', { 'Accept-Encoding': accept })
      expect(gzip.headers['content-encoding'], accept).toBe('gzip')
      expect(gunzipSync(gzip.bytes).toString()).toBe(BIG_ASSET)
    }
    for (const accept of [undefined, 'identity', 'deflate', 'gzip;q=0, br;q=0.0']) {
      const plain = await request(port, path, 'GET', accept === undefined ? {} : { 'Accept-Encoding': accept })
      expect(plain.headers['content-encoding'], accept).toBeUndefined()
      expect(plain.headers.vary).toBe('Accept-Encoding')
      expect(plain.body).toBe(BIG_ASSET)
    }
    // Each encoding revalidates on its own: an ETag is one representation's.
    const gzipTag = (await request(port, path, 'HEAD', { 'Accept-Encoding': 'gzip' })).headers.etag
    expect(gzipTag).not.toBe(brotli.headers.etag)
    expect((await request(port, path, 'GET', { 'Accept-Encoding': 'br', 'If-None-Match': brotli.headers.etag })).status).toBe(304)
    expect((await request(port, path, 'GET', { 'Accept-Encoding': 'br', 'If-None-Match': gzipTag })).status).toBe(200)
    // A compressed copy older than its file is another build's: the file goes as it is.
    const stale = await request(port, '/assets/stale-1f2e3d.js', 'GET', { 'Accept-Encoding': 'br' })
    expect(stale.headers['content-encoding']).toBeUndefined()
    expect(stale.body).toBe('export const fresh = true\n')
  })

  it('answers HEAD with headers only, revalidation with 304, other methods with 405', async () => {
    const { port } = await startServer()
    const head = await request(port, '/', 'HEAD')
    expect(head).toMatchObject({ status: 200, body: '' })
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(INDEX_HTML)))
    const etag = head.headers.etag
    expect((await request(port, '/', 'GET', { 'If-None-Match': etag })).status).toBe(304)
    expect((await request(port, '/', 'POST')).status).toBe(405)
  })

  it('serves the embeddable library at /lib/ to any origin (CORS), and the app without CORS', async () => {
    const { port } = await startServer()
    const library = await request(port, '/lib/meshboard.js')
    expect(library).toMatchObject({ status: 200, body: LIBRARY })
    expect(library.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(library.headers['access-control-allow-origin']).toBe('*')
    const app = await request(port, '/')
    expect(app.headers['access-control-allow-origin']).toBeUndefined()
    expect((await request(port, '/lib/missing.js')).status).toBe(404)
    expect((await request(port, '/lib/../package.json')).body).not.toContain(SECRET)
    expect((await request(port, '/lib/%2e%2e/secret.txt')).status).toBe(404)
  })

  it('answers 404 for a missing file', async () => {
    const { port } = await startServer()
    expect((await request(port, '/nope.js')).status).toBe(404)
    expect((await request(port, '/assets/')).status).toBe(404)
  })

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00/index.html',
    '/%E0%A4%A',
  ])('refuses the traversal attempt %s', async (path) => {
    const { port } = await startServer()
    const response = await request(port, path)
    expect(response.status).toBe(404)
    expect(response.body).not.toContain(SECRET)
  })
})

describe('config', () => {
  it('has production defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      maxFrameBytes: 64 * 1024,
      maxTopicsPerConnection: 64,
      maxTopicLength: 128,
      maxMessagesPerSecond: 50,
      maxMessageBurst: 300,
      maxConnectionsPerIp: 100,
      maxConnections: 10_000,
      maxBufferedBytes: 1024 * 1024,
      heartbeatIntervalMs: 30_000,
      trustProxy: 0,
      iceServers: [],
      logLevel: 'info',
      redisUrl: undefined,
      redisChannelPrefix: 'meshboard:signal:',
    })
  })

  it('reads every variable, PORT=0 included', () => {
    const iceServers = [{ urls: 'stun:stun.example.org' }]
    expect(
      loadConfig({
        PORT: '0',
        HOST: '::1',
        MAX_FRAME_BYTES: '2048',
        MAX_TOPICS_PER_CONNECTION: '3',
        MAX_TOPIC_LENGTH: '16',
        MAX_MESSAGES_PER_SECOND: '5',
        MAX_MESSAGE_BURST: '20',
        MAX_CONNECTIONS_PER_IP: '7',
        MAX_CONNECTIONS: '500',
        MAX_BUFFERED_BYTES: '65536',
        HEARTBEAT_INTERVAL_MS: '10000',
        TRUST_PROXY: '1',
        ICE_SERVERS: JSON.stringify(iceServers),
        STATIC_DIR: '/srv/app',
        LIB_DIR: '/srv/lib',
        LOG_LEVEL: 'DEBUG',
        REDIS_URL: 'redis://:secret@redis.internal:6379/0',
        REDIS_CHANNEL_PREFIX: 'staging:',
        STORE: 'OFF',
        DATA_DIR: '/srv/data',
        STORE_MAX_RECORD_BYTES: '1000',
        STORE_MAX_BOARD_BYTES: '9000',
        STORE_MAX_LOG_RECORDS: '50',
        STORE_MAX_LOG_BYTES: '4000',
        STORE_WRITES_PER_MINUTE: '60',
        STORE_READS_PER_MINUTE: '30',
        STORE_NEW_BOARDS_PER_DAY: '5',
        STORE_TTL_DAYS: '7',
        REDIS_STORE_PREFIX: 'staging:store:',
        STUN_URLS: 'stun:stun.example.org:3478',
        TURN_URLS: 'turn:turn.example.org:3478?transport=udp, turns:turn.example.org:443?transport=tcp',
        TURN_SECRET: 'a-secret-of-twenty-chars',
        TURN_TTL: '3600',
        ICE_SERVERS_PER_MINUTE: '10',
      }),
    ).toEqual({
      port: 0,
      host: '::1',
      maxFrameBytes: 2048,
      maxTopicsPerConnection: 3,
      maxTopicLength: 16,
      maxMessagesPerSecond: 5,
      maxMessageBurst: 20,
      maxConnectionsPerIp: 7,
      maxConnections: 500,
      maxBufferedBytes: 65536,
      heartbeatIntervalMs: 10_000,
      trustProxy: 1,
      iceServers,
      staticDir: '/srv/app',
      libDir: '/srv/lib',
      logLevel: 'debug',
      redisUrl: 'redis://:secret@redis.internal:6379/0',
      redisChannelPrefix: 'staging:',
      storeEnabled: false,
      dataDir: '/srv/data',
      storeMaxRecordBytes: 1000,
      storeMaxBoardBytes: 9000,
      storeMaxLogRecords: 50,
      storeMaxLogBytes: 4000,
      storeWritesPerMinute: 60,
      storeReadsPerMinute: 30,
      storeNewBoardsPerDay: 5,
      storeTtlDays: 7,
      redisStorePrefix: 'staging:store:',
      stunUrls: ['stun:stun.example.org:3478'],
      turnUrls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp'],
      turnSecret: 'a-secret-of-twenty-chars',
      turnTtlSeconds: 3600,
      iceServersPerMinute: 10,
    })
  })

  it.each([
    ['PORT', 'abc'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['MAX_FRAME_BYTES', '64'],
    ['MAX_FRAME_BYTES', '1e5'],
    ['MAX_TOPICS_PER_CONNECTION', '0'],
    ['MAX_TOPIC_LENGTH', '12.5'],
    ['MAX_MESSAGES_PER_SECOND', '0'],
    ['MAX_MESSAGE_BURST', 'lots'],
    ['MAX_CONNECTIONS_PER_IP', '0'],
    ['STORE', 'maybe'],
    ['STORE_MAX_RECORD_BYTES', '0'],
    ['STORE_MAX_BOARD_BYTES', '4294967296'],
    ['STORE_MAX_LOG_BYTES', '99999999'],
    ['STORE_TTL_DAYS', '0'],
    ['MAX_CONNECTIONS', '-5'],
    ['MAX_BUFFERED_BYTES', '100'],
    ['HEARTBEAT_INTERVAL_MS', '30s'],
    ['TRUST_PROXY', 'true'],
    ['LOG_LEVEL', 'verbose'],
    ['REDIS_URL', 'localhost:6379'],
    ['ICE_SERVERS', '[{"urls":'],
    ['ICE_SERVERS', '{"urls":"stun:x"}'],
    ['ICE_SERVERS', '[{"url":"stun:x"}]'],
  ])('rejects %s=%s with an error naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name)
  })

  it('never repeats REDIS_URL in its error: it usually holds a password', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://:hunter2@redis' })).toThrow(/^((?!hunter2).)*$/)
  })
})

describe('production entry (compiled main.js)', () => {
  let buildDir: string
  const children: ChildProcess[] = []

  // Compiled into a private directory: dist/server may be in use by other test files at the same time.
  beforeAll(async () => {
    buildDir = await mkdtemp(join(tmpdir(), 'meshboard-main-'))
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')
    const tsconfig = join(repoRoot, 'signaling', 'tsconfig.json')
    await promisify(execFile)(process.execPath, [tsc, '-p', tsconfig, '--outDir', join(buildDir, 'server')])
    await symlink(join(repoRoot, 'node_modules'), join(buildDir, 'node_modules'))
    // Where the compiled config looks by default: '../app' from server/config.js.
    await mkdir(join(buildDir, 'app'))
    await writeFile(join(buildDir, 'app', 'index.html'), INDEX_HTML)
  }, 120_000)

  afterEach(() => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  })
  afterAll(() => rm(buildDir, { recursive: true, force: true }))

  const VARIABLES = ['PORT', 'HOST', 'STATIC_DIR', 'ICE_SERVERS', 'LOG_LEVEL', 'REDIS_URL', 'TRUST_PROXY']

  function startMain(env: Record<string, string>) {
    const cleanEnv = { ...process.env }
    for (const name of Object.keys(cleanEnv)) {
      if (VARIABLES.includes(name) || name.startsWith('MAX_')) delete cleanEnv[name]
    }
    const child = spawn(process.execPath, [join(buildDir, 'server', 'main.js')], {
      // The board store's files go beside the private build, never into the checkout's ./data.
      env: { ...cleanEnv, DATA_DIR: join(buildDir, 'data'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    const stdout: LogLine[] = []
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const lines = createInterface({ input: child.stdout! })
    // 'close' rather than 'exit': it waits for stdout and stderr to be drained.
    const exited = once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }))
    const listening = new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        const entry = JSON.parse(line) as LogLine
        stdout.push(entry)
        const match = /^meshboard listening on (http:\/\/127\.0\.0\.1:(\d+)\/)$/.exec(entry.msg)
        if (match?.[1] && match[2] !== '0') resolve(match[1])
      })
      void exited.then(({ code }) => reject(new Error(`main exited with ${code}: ${stderr}`)))
    })
    // Tests that expect a failed start never wait for the listening line.
    listening.catch(() => {})
    return { child, listening, exited }
  }

  it('logs its address, serves the app, signaling and metrics, and shuts down on SIGTERM', async () => {
    const iceServers = [{ urls: 'stun:stun.example.org:3478' }]
    const main = startMain({ PORT: '0', ICE_SERVERS: JSON.stringify(iceServers) })
    const base = await main.listening

    const index = await fetch(base)
    expect(await index.text()).toBe(INDEX_HTML)
    expect(await (await fetch(new URL('config.json', base))).json()).toEqual({ iceServers })

    const client = await Client.connect(`${base.replace('http', 'ws')}signal`)
    await client.roundTrip()
    const stray = new WebSocket(`${base.replace('http', 'ws')}elsewhere`)
    const [, response] = (await once(stray, 'unexpected-response')) as [unknown, http.IncomingMessage]
    expect(response.statusCode).toBe(404)
    expect(await (await fetch(new URL('metrics', base))).text()).toContain('meshboard_connections 1')

    main.child.kill('SIGTERM')
    expect(await client.closed).toBe(1001)
    const { code, stdout, stderr } = await main.exited
    expect(code).toBe(0)
    // One line for the person at the terminal, beside the JSON logs (which stay alone on stdout).
    expect(stderr).toBe(
      `meshboard is running: open ${base} · boards kept encrypted (sqlite) · for other machines set HOST=0.0.0.0 behind an https proxy; for people behind home routers set TURN_URLS and TURN_SECRET (docs/operating.md)\n`,
    )
    expect(stdout.map(({ level, msg }) => [level, msg])).toEqual([
      [LEVEL.info, `meshboard listening on ${base}`],
      [LEVEL.info, 'shutting down'],
      [LEVEL.info, 'stopped'],
    ])
  })

  it('shuts down on SIGINT too, with Redis configured but unreachable, logging the outage once', async () => {
    const main = startMain({ PORT: '0', REDIS_URL: 'redis://127.0.0.1:1' })
    const base = await main.listening
    const client = await Client.connect(`${base.replace('http', 'ws')}signal`)
    await client.subscribe('room')
    // Local delivery works without Redis.
    client.send(publish('room', 'alone'))
    expect(await client.next()).toEqual({ ...publish('room', 'alone'), clients: 1 })

    main.child.kill('SIGINT')
    expect(await client.closed).toBe(1001)
    const { code, stdout } = await main.exited
    expect(code).toBe(0)
    expect(stdout.filter((line) => line.msg.startsWith('redis unavailable'))).toHaveLength(1)
  })

  it('refuses to start without a built app and says how to build it', async () => {
    const main = startMain({ PORT: '0', STATIC_DIR: join(buildDir, 'missing') })
    const { code, stderr } = await main.exited
    expect(code).toBe(1)
    expect(stderr).toContain('npm run build')
  })

  it.each([
    ['ICE_SERVERS', 'not json'],
    ['MAX_CONNECTIONS', 'many'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses to start with invalid %s', async (name, value) => {
    const main = startMain({ PORT: '0', [name]: value })
    const { code, stderr } = await main.exited
    expect(code).toBe(1)
    expect(stderr).toContain(name)
  })
})
