/**
 * Time-limited TURN credentials (DESIGN.md §13): coturn's `use-auth-secret` scheme, served at
 * /ice-servers per browser, never cached, rate-limited, and the secret in no response; the
 * variables that configure them; and the browser side, which asks again before they expire.
 */
import { createHmac } from 'node:crypto'
import { once } from 'node:events'
import { readdir, readFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigError, loadConfig } from '../../signaling/src/config.js'
import { createHttpApp } from '../../signaling/src/http-app.js'
import { createIceServersRoute, turnCredentials } from '../../signaling/src/ice-servers.js'
import { IceServers, iceServersUrlFor } from '../../src/net/ice-servers'
import { REPO_ROOT } from '../helpers/server'

const SECRET = 'coturn-static-auth-secret-for-tests'
const TURN_ENV = { TURN_URLS: 'turn:turn.example.org:3478,turns:turn.example.org:443?transport=tcp', TURN_SECRET: SECRET }
const APP_DIR = join(REPO_ROOT, 'dist', 'app')
const LIB_DIR = join(REPO_ROOT, 'dist', 'lib')

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) await cleanup()
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

/** The HTTP app as main.ts wires it (the built app and library), on a free port. */
async function startServer(env: Record<string, string>): Promise<string> {
  const config = loadConfig({ STATIC_DIR: APP_DIR, LIB_DIR, ...env })
  const server = http.createServer(createHttpApp({ ...config, iceServersRoute: createIceServersRoute(config) }))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  cleanups.push(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

interface Answer {
  iceServers: { urls: string | string[]; username?: string; credential?: string }[]
  ttl: number | null
  expiresAt: number | null
}

describe('TURN credentials', () => {
  it("follow coturn's use-auth-secret scheme: username expiry:random, password base64 HMAC-SHA1 of it", () => {
    const now = Date.UTC(2030, 0, 1, 12)
    const { username, credential, expiresAt } = turnCredentials(SECRET, 3600, now)
    const [expiry, random] = username.split(':')
    expect(Number(expiry)).toBe(now / 1000 + 3600)
    expect(expiresAt).toBe(now + 3600_000)
    expect(random).toMatch(/^[\w-]{12}$/)
    expect(credential).toBe(createHmac('sha1', SECRET).update(username).digest('base64'))
    // Two browsers asking in the same second get different credentials.
    expect(turnCredentials(SECRET, 3600, now).username).not.toBe(username)
  })

  it('are served per request at /ice-servers with STUN and ICE_SERVERS beside them, never cached, to any origin', async () => {
    const base = await startServer({ ...TURN_ENV, TURN_TTL: '7200', STUN_URLS: 'stun:stun.example.org', ICE_SERVERS: '[{"urls":"stun:other.example.org"}]' })
    const before = Date.now()
    const response = await fetch(new URL('ice-servers', base))
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    const answer = (await response.json()) as Answer
    expect(answer.ttl).toBe(7200)
    expect(answer.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 7200_000)
    expect(answer.expiresAt).toBeLessThanOrEqual(Date.now() + 7200_000)
    const [configured, stun, turn] = answer.iceServers
    expect(configured).toEqual({ urls: 'stun:other.example.org' })
    expect(stun).toEqual({ urls: ['stun:stun.example.org'] })
    expect(turn!.urls).toEqual(['turn:turn.example.org:3478', 'turns:turn.example.org:443?transport=tcp'])
    expect(Number(turn!.username!.split(':')[0]) * 1000).toBe(answer.expiresAt)
    expect(turn!.credential).toBe(createHmac('sha1', SECRET).update(turn!.username!).digest('base64'))
    const again = (await (await fetch(new URL('ice-servers', base))).json()) as Answer
    expect(again.iceServers[2]!.username).not.toBe(turn!.username)
  })

  it('are not there without TURN, and nothing expires then', async () => {
    const base = await startServer({ STUN_URLS: 'stun:stun.example.org' })
    expect(await (await fetch(new URL('ice-servers', base))).json()).toEqual({ iceServers: [{ urls: ['stun:stun.example.org'] }], ttl: null, expiresAt: null })
  })

  it('are rate-limited per address, saying how long to wait', async () => {
    const base = await startServer({ ...TURN_ENV, ICE_SERVERS_PER_MINUTE: '3' })
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await fetch(new URL('ice-servers', base))).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const refused = await fetch(new URL('ice-servers', base))
    expect(refused.headers.get('cache-control')).toBe('no-store')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('never reveal the secret: not in /ice-servers, /config.json, the app or the library', async () => {
    const base = await startServer({ ...TURN_ENV, ICE_SERVERS: '[{"urls":"stun:stun.example.org"}]' })
    const built = async (dir: string, mount: string) =>
      (await readdir(dir, { recursive: true, withFileTypes: true })).filter((file) => file.isFile()).map((file) => `${mount}${join(file.parentPath, file.name).slice(dir.length + 1)}`)
    const paths = ['/', '/ice-servers', '/config.json', '/healthz', ...(await built(APP_DIR, '/')), ...(await built(LIB_DIR, '/lib/'))]
    const secret = Buffer.from(SECRET)
    for (const path of paths) {
      const response = await fetch(new URL(path.slice(1), base))
      expect(response.status, path).toBe(200)
      expect(Buffer.from(await response.arrayBuffer()).includes(secret), `${path} contains the secret`).toBe(false)
    }
    // Nor does anything built hold it: the files themselves, not only what the server makes of them.
    for (const dir of [APP_DIR, LIB_DIR]) {
      for (const file of await readdir(dir, { recursive: true, withFileTypes: true })) {
        if (file.isFile()) expect((await readFile(join(file.parentPath, file.name))).includes(secret)).toBe(false)
      }
    }
  })
})

describe('TURN configuration', () => {
  it('has defaults: no STUN, no TURN, credentials valid for four hours', () => {
    expect(loadConfig({})).toMatchObject({ stunUrls: [], turnUrls: [], turnSecret: undefined, turnTtlSeconds: 14_400, iceServersPerMinute: 120 })
  })

  it.each([
    [{ TURN_URLS: 'turn:turn.example.org' }, /TURN_URLS needs TURN_SECRET/],
    [{ TURN_SECRET: SECRET }, /TURN_SECRET is set but TURN_URLS is not/],
    [{ ...TURN_ENV, TURN_SECRET: 'short' }, /TURN_SECRET must be at least 16 characters/],
    [{ ...TURN_ENV, TURN_URLS: 'stun:turn.example.org' }, /TURN_URLS must be comma-separated turn: or turns: URLs, got "stun:turn.example.org"/],
    [{ ...TURN_ENV, TURN_URLS: 'turn:' }, /TURN_URLS must be/],
    [{ STUN_URLS: 'https://stun.example.org' }, /STUN_URLS must be comma-separated stun: or stuns: URLs/],
    [{ ...TURN_ENV, TURN_TTL: '59' }, /TURN_TTL must be an integer from 60 to 604800/],
    [{ ...TURN_ENV, TURN_TTL: '604801' }, /TURN_TTL must be an integer/],
    [{ ICE_SERVERS_PER_MINUTE: '0' }, /ICE_SERVERS_PER_MINUTE must be an integer/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })

  it('never names the secret in an error', () => {
    expect(() => loadConfig({ TURN_SECRET: SECRET })).toThrow(expect.objectContaining({ message: expect.not.stringContaining(SECRET) }))
  })
})

describe('the browser side', () => {
  it('asks the signaling server beside /signal', () => {
    expect(iceServersUrlFor('wss://board.example.org/signal')).toBe('https://board.example.org/ice-servers')
    expect(iceServersUrlFor('ws://127.0.0.1:8787/boards/signal?x=1')).toBe('http://127.0.0.1:8787/boards/ice-servers')
  })

  it('puts the configured servers first, and the fresh credentials into the same configuration at 80 % of their lifetime', async () => {
    vi.useFakeTimers()
    let served = 0
    const fetched: string[] = []
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url)
      served++
      return Response.json({ iceServers: [{ urls: 'turn:turn.example.org', username: `u${served}`, credential: 'c' }], ttl: 100, expiresAt: 0 })
    })
    const configured = [{ urls: 'stun:page.example.org' }]
    const ice = new IceServers('wss://board.example.org/signal', configured)
    cleanups.push(() => ice.destroy())
    const rtc = ice.rtc
    await ice.whenFirstAnswered
    expect(rtc.iceServers).toEqual([configured[0], { urls: 'turn:turn.example.org', username: 'u1', credential: 'c' }])
    await vi.advanceTimersByTimeAsync(79_000)
    expect(served).toBe(1)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(served).toBe(2)
    expect(ice.rtc).toBe(rtc)
    expect(rtc.iceServers![1]).toMatchObject({ username: 'u2' })
    expect(fetched).toEqual(['https://board.example.org/ice-servers', 'https://board.example.org/ice-servers'])
  })

  it('keeps what it has when a request fails, and tries again later; a server without the route is not asked again', async () => {
    vi.useFakeTimers()
    const answers: Array<() => Response> = [
      () => Response.json({ iceServers: [{ urls: 'turn:t', username: 'u1', credential: 'c' }], ttl: 60 }),
      () => {
        throw new TypeError('Failed to fetch')
      },
      () => Response.json({ iceServers: [{ urls: 'turn:t', username: 'u2', credential: 'c' }], ttl: 60 }),
    ]
    vi.stubGlobal('fetch', async () => answers.shift()!())
    const ice = new IceServers('ws://127.0.0.1:1/signal', [])
    cleanups.push(() => ice.destroy())
    await ice.whenFirstAnswered
    await vi.advanceTimersByTimeAsync(48_000)
    expect(ice.rtc.iceServers).toEqual([{ urls: 'turn:t', username: 'u1', credential: 'c' }])
    await vi.advanceTimersByTimeAsync(30_000)
    expect(ice.rtc.iceServers).toEqual([{ urls: 'turn:t', username: 'u2', credential: 'c' }])
    ice.destroy()

    let asked = 0
    vi.stubGlobal('fetch', async () => {
      asked++
      return new Response('not found', { status: 404 })
    })
    const elsewhere = new IceServers('wss://signaling.example.org/', [{ urls: 'stun:s' }])
    cleanups.push(() => elsewhere.destroy())
    await elsewhere.whenFirstAnswered
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    expect(asked).toBe(1)
    expect(elsewhere.rtc.iceServers).toEqual([{ urls: 'stun:s' }])
  })
})
