import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket, type ClientOptions } from 'ws'
import { loadConfig, type IceServer } from '../../signaling/src/config.js'
import { createHttpApp } from '../../signaling/src/http-app.js'
import { attachSignaling, type SignalingOptions } from '../../signaling/src/signaling-server.js'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const FRAME_CAP = 1024
const TOPIC_CAP = 4
const TOPIC_LENGTH_CAP = 32
const INDEX_HTML = '<!doctype html><title>meshboard test</title>'
const SECRET = 'not for the web'

// Run after every test in reverse order of registration, so clients close before their server.
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) await cleanup()
})

let sandbox: string
let staticDir: string
beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'meshboard-signaling-'))
  staticDir = join(sandbox, 'static')
  await mkdir(join(staticDir, 'assets'), { recursive: true })
  await writeFile(join(staticDir, 'index.html'), INDEX_HTML)
  await writeFile(join(staticDir, 'assets', 'main-3f2a1b.js'), 'export {}\n')
  await writeFile(join(staticDir, 'sw.js'), 'self.skipWaiting()\n')
  await writeFile(join(staticDir, 'manifest.webmanifest'), '{}')
  // Files a traversal would reach: siblings of the static root.
  await writeFile(join(sandbox, 'package.json'), JSON.stringify({ secret: SECRET }))
  await writeFile(join(sandbox, 'secret.txt'), SECRET)
})
afterAll(() => rm(sandbox, { recursive: true, force: true }))

interface ServerOverrides extends Partial<SignalingOptions> {
  iceServers?: IceServer[]
}

async function startServer({ iceServers = [], ...overrides }: ServerOverrides = {}) {
  const log = vi.fn()
  const server = http.createServer(createHttpApp({ staticDir, iceServers }))
  const signaling = attachSignaling(server, {
    maxFrameBytes: FRAME_CAP,
    maxTopicsPerConnection: TOPIC_CAP,
    maxTopicLength: TOPIC_LENGTH_CAP,
    log,
    ...overrides,
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  cleanups.push(async () => {
    await signaling.close()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  const { port } = server.address() as AddressInfo
  return { server, signaling, log, port, url: `ws://127.0.0.1:${port}/signal` }
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

  const badFrames: Array<[string, string | Buffer]> = [
    ['invalid JSON', '{"type":"publish",'],
    ['a JSON array', JSON.stringify([publish('room', 'x')])],
    ['a number', '42'],
    ['null', 'null'],
    ['topics that are a string', JSON.stringify({ type: 'subscribe', topics: 'room' })],
    ['a topic that is a number', JSON.stringify({ type: 'publish', topic: 5, data: 'x' })],
    ['a missing topic', JSON.stringify({ type: 'publish', data: 'x' })],
    ['an unknown type', JSON.stringify({ type: 'shout', topic: 'room', data: 'x' })],
    ['a missing type', JSON.stringify({ topic: 'room', data: 'x' })],
    ['a binary frame', Buffer.from(JSON.stringify(publish('room', 'binary')))],
    ['an empty topic name', JSON.stringify({ type: 'subscribe', topics: [''] })],
    ['a topic name over the limit', JSON.stringify({ type: 'subscribe', topics: ['x'.repeat(TOPIC_LENGTH_CAP + 1)] })],
    ['a publish to a topic name over the limit', JSON.stringify(publish('r'.repeat(TOPIC_LENGTH_CAP + 1), 'x'))],
  ]

  it.each(badFrames)('drops %s and keeps the connection working', async (_, frame) => {
    const { url, signaling } = await startServer()
    const [alice, bob] = await connectAll(url, 2)
    await alice.subscribe('room')
    await bob.subscribe('room')

    alice.ws.send(frame, { binary: Buffer.isBuffer(frame) })
    await alice.roundTrip()
    expect(signaling.stats()).toMatchObject({ droppedFrames: 1, topics: 1, connections: 2 })

    alice.send(publish('room', 'still here'))
    expect(await bob.next()).toEqual({ ...publish('room', 'still here'), clients: 2 })
    expect(await alice.next()).toEqual({ ...publish('room', 'still here'), clients: 2 })
  })

  it('closes a connection that sends an oversize frame with 1009, and nobody else', async () => {
    const { url, signaling } = await startServer()
    const [alice, bob] = await connectAll(url, 2)
    await alice.subscribe('room')
    await bob.subscribe('room')

    alice.send(publish('room', 'x'.repeat(FRAME_CAP)))
    expect(await alice.closed).toBe(1009)
    await vi.waitFor(() => expect(signaling.stats().connections).toBe(1))

    bob.send(publish('room', 'alone'))
    expect(await bob.next()).toEqual({ ...publish('room', 'alone'), clients: 1 })
  })

  it('refuses subscriptions past the per-connection cap and logs it once per connection', async () => {
    const { url, signaling, log } = await startServer()
    const [alice, bob, carol] = await connectAll(url, 3)
    const topics = Array.from({ length: TOPIC_CAP + 2 }, (_, i) => `board-topic-${i}`)

    await alice.subscribe(...topics)
    await alice.subscribe(topics[TOPIC_CAP + 1])
    await alice.subscribe(topics[0])
    expect(signaling.stats()).toMatchObject({ topics: TOPIC_CAP, refusedSubscriptions: 3 })
    expect(log).toHaveBeenCalledTimes(1)
    expect(String(log.mock.calls[0])).not.toContain('board-topic')

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
    expect(log).toHaveBeenCalledTimes(2)
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

interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

// Raw requests: fetch would normalise '..' segments away before they reach the server.
function request(port: number, path: string, method = 'GET', headers: http.OutgoingHttpHeaders = {}) {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
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

  it('answers HEAD with headers only, revalidation with 304, other methods with 405', async () => {
    const { port } = await startServer()
    const head = await request(port, '/', 'HEAD')
    expect(head).toMatchObject({ status: 200, body: '' })
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(INDEX_HTML)))
    const etag = head.headers.etag
    expect((await request(port, '/', 'GET', { 'If-None-Match': etag })).status).toBe(304)
    expect((await request(port, '/', 'POST')).status).toBe(405)
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
      iceServers: [],
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
        ICE_SERVERS: JSON.stringify(iceServers),
        STATIC_DIR: '/srv/app',
      }),
    ).toEqual({
      port: 0,
      host: '::1',
      maxFrameBytes: 2048,
      maxTopicsPerConnection: 3,
      maxTopicLength: 16,
      iceServers,
      staticDir: '/srv/app',
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
    ['ICE_SERVERS', '[{"urls":'],
    ['ICE_SERVERS', '{"urls":"stun:x"}'],
    ['ICE_SERVERS', '[{"url":"stun:x"}]'],
  ])('rejects %s=%s with an error naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name)
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

  function startMain(env: Record<string, string>) {
    const cleanEnv = { ...process.env }
    for (const name of ['PORT', 'HOST', 'STATIC_DIR', 'ICE_SERVERS', 'MAX_FRAME_BYTES']) delete cleanEnv[name]
    const child = spawn(process.execPath, [join(buildDir, 'server', 'main.js')], {
      env: { ...cleanEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    const stdout: string[] = []
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const lines = createInterface({ input: child.stdout! })
    // 'close' rather than 'exit': it waits for stdout and stderr to be drained.
    const exited = once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }))
    const listening = new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        stdout.push(line)
        const match = /^meshboard listening on (http:\/\/127\.0\.0\.1:(\d+)\/)$/.exec(line)
        if (match?.[1] && match[2] !== '0') resolve(match[1])
      })
      void exited.then(({ code }) => reject(new Error(`main exited with ${code}: ${stderr}`)))
    })
    // Tests that expect a failed start never wait for the listening line.
    listening.catch(() => {})
    return { child, listening, exited }
  }

  it('prints its address, serves the app and signaling, and shuts down on SIGTERM', async () => {
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

    main.child.kill('SIGTERM')
    expect(await client.closed).toBe(1001)
    const { code, stdout } = await main.exited
    expect(code).toBe(0)
    expect(stdout).toEqual([`meshboard listening on ${base}`])
  })

  it('refuses to start without a built app and says how to build it', async () => {
    const main = startMain({ PORT: '0', STATIC_DIR: join(buildDir, 'missing') })
    const { code, stderr } = await main.exited
    expect(code).toBe(1)
    expect(stderr).toContain('npm run build')
  })

  it('refuses to start with invalid ICE_SERVERS', async () => {
    const main = startMain({ PORT: '0', ICE_SERVERS: 'not json' })
    const { code, stderr } = await main.exited
    expect(code).toBe(1)
    expect(stderr).toContain('ICE_SERVERS')
  })
})
