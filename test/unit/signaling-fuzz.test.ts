/**
 * Fuzzing the signaling server over real sockets: well over 100,000 random and malformed frames from
 * several connections at once, then the server must be alive, its heap back near where it started,
 * and two well-behaved clients must still relay to each other. Seeded: a failure replays exactly.
 */
import { once } from 'node:events'
import http from 'node:http'
import { createConnection, type AddressInfo } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { loadConfig } from '../../signaling/src/config.js'
import { createHttpApp } from '../../signaling/src/http-app.js'
import { createLogger } from '../../signaling/src/log.js'
import { DROP_REASONS, attachSignaling, type Signaling } from '../../signaling/src/signaling-server.js'
import { random } from '../helpers/boards.js'

// A collectable heap is what "memory returned near where it started" means; vitest gives no --expose-gc.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const FUZZERS = 5
const FRAMES_PER_FUZZER = 24_000
const BATCH = 250
const RAW_SESSIONS = 200
const TOPICS = Array.from({ length: 40 }, (_, i) => `fuzz-topic-${i}`)
/**
 * Generous against allocator and JIT noise (about 1 MB here), yet a leak of 50 bytes per frame or
 * 25 KB per connection would exceed it.
 */
const HEAP_SLACK_BYTES = 8 * 1024 * 1024

let server: http.Server
let signaling: Signaling
let port: number
let logLines = 0
beforeAll(async () => {
  server = http.createServer()
  signaling = attachSignaling(server, {
    ...loadConfig({}),
    // Every frame must reach the parser: the rate limit has a test of its own.
    maxMessagesPerSecond: Number.MAX_SAFE_INTEGER,
    maxMessageBurst: Number.MAX_SAFE_INTEGER,
    logger: createLogger('info', { write: () => void logLines++ }),
  })
  server.on('request', createHttpApp({ staticDir: '/nonexistent', libDir: '/nonexistent', iceServers: [] }))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  await signaling.close()
  server.closeAllConnections()
  server.close()
})

type Rng = () => number

const pick = <T>(next: Rng, items: readonly T[]): T => items[Math.floor(next() * items.length)]!
const int = (next: Rng, max: number) => Math.floor(next() * max)

function randomBytes(next: Rng, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length)
  for (let i = 0; i < length; i++) bytes[i] = int(next, 256)
  return bytes
}

function randomString(next: Rng, length: number): string {
  let text = ''
  // Mostly printable ASCII, with quotes, backslashes, control characters and astral code points.
  for (let i = 0; i < length; i++) {
    const roll = next()
    if (roll < 0.9) text += String.fromCharCode(32 + int(next, 95))
    else if (roll < 0.95) text += String.fromCharCode(int(next, 32))
    else text += '😀'
  }
  return text
}

function randomValue(next: Rng, depth: number): unknown {
  const roll = next()
  if (depth <= 0 || roll < 0.5) {
    const scalars = [null, true, false, 0, -1, 1e308, -0.5, 2 ** 53 + 1, '', '__proto__']
    return next() < 0.3 ? randomString(next, int(next, 20)) : pick(next, scalars)
  }
  if (roll < 0.75) return Array.from({ length: int(next, 5) }, () => randomValue(next, depth - 1))
  const object: Record<string, unknown> = {}
  const keys = ['type', 'topic', 'topics', 'data', 'clients', '__proto__', 'constructor']
  for (let i = int(next, 5); i > 0; i--) {
    object[next() < 0.2 ? randomString(next, 6) : pick(next, keys)] = randomValue(next, depth - 1)
  }
  return object
}

function nested(next: Rng, depth: number): string {
  return next() < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
}

function validFrame(next: Rng): string {
  const topic = pick(next, TOPICS)
  switch (int(next, 4)) {
    case 0:
      return JSON.stringify({ type: 'subscribe', topics: [topic, pick(next, TOPICS)] })
    case 1:
      return JSON.stringify({ type: 'unsubscribe', topics: [topic] })
    case 2:
      return JSON.stringify({ type: 'publish', topic, data: randomValue(next, 3) })
    default:
      return JSON.stringify({ type: 'ping' })
  }
}

interface Frame {
  readonly data: string | Buffer
  readonly binary: boolean
}

const text = (data: string | Buffer): Frame => ({ data, binary: false })

/**
 * One fuzz frame. The rare kinds end the connection (oversize: 1009, invalid UTF-8: 1007), so the
 * fuzzer reconnects; everything else must be dropped or handled with the connection kept.
 */
function fuzzFrame(next: Rng): Frame {
  const roll = next()
  if (roll < 0.001) return text(`{"type":"publish","topic":"t","data":"${'x'.repeat(70_000)}"}`)
  if (roll < 0.002) return text(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))
  if (roll < 0.1) return { data: randomBytes(next, int(next, 512)), binary: true }
  if (roll < 0.2) return text(randomString(next, int(next, 200)))
  if (roll < 0.3) {
    const frame = validFrame(next)
    return text(frame.slice(0, int(next, frame.length)))
  }
  if (roll < 0.31) {
    // At most 60,000 characters: under the frame cap, far past JSON.stringify's recursion limit.
    const body = nested(next, 1 + int(next, 10_000))
    return text(next() < 0.5 ? body : `{"type":"publish","topic":"${pick(next, TOPICS)}","data":${body}}`)
  }
  if (roll < 0.45) {
    // Known types with fields of any type.
    const type = pick(next, ['subscribe', 'unsubscribe', 'publish', 'ping'])
    return text(JSON.stringify({ type, ...(randomValue(next, 3) as object) }))
  }
  if (roll < 0.5) {
    // Half of them all names (a subscribe runs into the topic cap), half with some junk among the names.
    const junk = next() < 0.5 ? 0.1 : 0
    const topics = Array.from({ length: int(next, 4000) }, (_, i) =>
      next() < junk ? randomValue(next, 1) : `huge-${i}`,
    )
    return text(JSON.stringify({ type: pick(next, ['subscribe', 'unsubscribe']), topics }))
  }
  if (roll < 0.55) {
    return text(JSON.stringify({ type: randomString(next, int(next, 12)), topic: pick(next, TOPICS), data: 'x' }))
  }
  if (roll < 0.6) {
    const topic = randomString(next, 100 + int(next, 200))
    const frame = next() < 0.5 ? { type: 'subscribe', topics: [topic] } : { type: 'publish', topic, data: 'x' }
    return text(JSON.stringify(frame))
  }
  if (roll < 0.7) return text(JSON.stringify(randomValue(next, 4)))
  return text(validFrame(next))
}

/**
 * Sends frames in batches. Each batch ends with a publish of its number on the fuzzer's own topic:
 * its echo means the server has handled the whole batch, which then counts. (Pongs would not do:
 * fuzz frames include pings.)
 */
async function fuzzer(seed: number): Promise<{ acknowledged: number; connections: number }> {
  const next = random(seed)
  const ackTopic = `ack-${seed}`
  let acknowledged = 0
  let connections = 0
  let batch = 0
  while (acknowledged < FRAMES_PER_FUZZER) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/signal`)
    connections++
    let settle: (answered: boolean) => void = () => {}
    let expected = ''
    ws.on('message', (data) => String(data).startsWith(expected) && settle(true))
    ws.on('close', () => settle(false))
    ws.on('error', () => {})
    await once(ws, 'open')
    // First, while the connection is below its topic cap.
    ws.send(JSON.stringify({ type: 'subscribe', topics: [ackTopic] }))
    while (acknowledged < FRAMES_PER_FUZZER && ws.readyState === WebSocket.OPEN) {
      const answered = new Promise<boolean>((resolve) => (settle = resolve))
      for (let i = 0; i < BATCH; i++) {
        const { data, binary } = fuzzFrame(next)
        ws.send(data, { binary })
      }
      const marker = `{"type":"publish","topic":"${ackTopic}","data":${++batch}`
      expected = `${marker},"clients":`
      ws.send(`${marker}}`)
      if (await answered) acknowledged += BATCH
    }
    ws.terminate()
  }
  return { acknowledged, connections }
}

/** A raw TCP client: a real handshake, then bytes that are not WebSocket framing at all. */
async function rawSession(next: Rng): Promise<void> {
  const socket = createConnection({ host: '127.0.0.1', port })
  socket.on('error', () => {})
  // Whatever the server answers is read and discarded: an unread socket never sees the end of the stream.
  socket.resume()
  await once(socket, 'connect')
  const handshake = [
    'GET /signal HTTP/1.1',
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
  ]
  // One in four sessions skips the handshake: garbage straight into the HTTP parser.
  socket.write(next() < 0.75 ? `${handshake.join('\r\n')}\r\n\r\n` : '')
  socket.write(randomBytes(next, 1 + int(next, 2048)))
  socket.end()
  await once(socket, 'close')
}

/** Heap in use after collecting everything collectable. */
function settledHeap(): number {
  for (let i = 0; i < 3; i++) gc()
  return process.memoryUsage().heapUsed
}

async function wellBehavedPair() {
  const url = `ws://127.0.0.1:${port}/signal`
  const [alice, bob] = await Promise.all([url, url].map(async (u) => {
    const ws = new WebSocket(u)
    await once(ws, 'open')
    return ws
  }))
  const nextMessage = (ws: WebSocket) => once(ws, 'message').then(([data]) => JSON.parse(String(data)) as unknown)
  for (const ws of [alice!, bob!]) {
    ws.send(JSON.stringify({ type: 'subscribe', topics: ['well-behaved'] }))
    ws.send(JSON.stringify({ type: 'ping' }))
    expect(await nextMessage(ws)).toEqual({ type: 'pong' })
  }
  const relays = async (from: WebSocket, to: WebSocket, data: string) => {
    // The sender gets its own publish back too: both are awaited, so neither is left to arrive later.
    const received = Promise.all([nextMessage(to), nextMessage(from)])
    from.send(JSON.stringify({ type: 'publish', topic: 'well-behaved', data }))
    const relayed = { type: 'publish', topic: 'well-behaved', data, clients: 2 }
    expect(await received).toEqual([relayed, relayed])
  }
  return { alice: alice!, bob: bob!, relays }
}

it('survives 100,000+ malformed frames from several connections and gives back the memory', async () => {
  const { alice, bob, relays } = await wellBehavedPair()
  // Alice and Bob also receive their own publishes; only the direction under test is read.
  alice.on('message', () => {})
  bob.on('message', () => {})
  const before = settledHeap()

  const results = await Promise.all(Array.from({ length: FUZZERS }, (_, i) => fuzzer(0xf022 + i)))
  const rawRng = random(0xbad)
  for (let i = 0; i < RAW_SESSIONS; i++) await rawSession(rawRng)

  const acknowledged = results.reduce((sum, result) => sum + result.acknowledged, 0)
  const connections = results.reduce((sum, result) => sum + result.connections, 0)
  expect(acknowledged).toBeGreaterThanOrEqual(100_000)
  // Every fuzzer is gone: only Alice and Bob, and their one topic, remain.
  await vi.waitFor(() => expect(signaling.stats()).toMatchObject({ connections: 2, topics: 1 }))
  const { drops, messagesIn } = signaling.stats()
  expect(messagesIn).toBeGreaterThan(acknowledged)
  const provoked = [
    'binary',
    'invalid-json',
    'not-an-object',
    'unknown-type',
    'bad-field',
    'topic-too-long',
    'topic-limit',
    'frame-too-big',
    'protocol-error',
  ] as const
  for (const reason of provoked) expect(drops[reason], `drops for ${reason}`).toBeGreaterThan(0)
  // Logged once per connection and reason, never per frame.
  expect(logLines).toBeLessThanOrEqual((connections + RAW_SESSIONS) * DROP_REASONS.length)
  expect(logLines).toBeLessThan(acknowledged / 20)

  const after = settledHeap()
  expect(after - before, `heap grew from ${before} to ${after} bytes`).toBeLessThan(HEAP_SLACK_BYTES)

  const health = await fetch(`http://127.0.0.1:${port}/healthz`)
  expect(await health.json()).toEqual({ status: 'ok' })
  alice.removeAllListeners('message')
  bob.removeAllListeners('message')
  await relays(alice, bob, 'still friends')
  await relays(bob, alice, 'still friends too')
  alice.terminate()
  bob.terminate()
}, 120_000)
