/**
 * The credentials of /ice-servers against a real coturn (Debian's, `use-auth-secret`), without a
 * browser: fresh ones get an allocation and relay data (turnutils_uclient), expired ones are
 * refused with 401, and the ones a browser asks for next work again.
 */
import { execFile } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../signaling/src/config.js'
import { createIceServersRoute, turnCredentials } from '../../signaling/src/ice-servers.js'
import { hasCoturn, startCoturn, TURN_CLIENT, type CoturnHandle } from '../helpers/coturn'

const SECRET = 'coturn-static-auth-secret-for-tests'
const run = promisify(execFile)
/** turnutils_uclient sends for a few seconds, and retries a refused allocation a while before it gives up. */
const UCLIENT_MS = 10_000
/**
 * Runs of uclient for credentials that must work: on a machine busy with the e2e browsers one run
 * now and then hung until its timeout (its failure is printed), and the next one allocated.
 */
const TRIES = 3

/** A UDP port free on 127.0.0.1 right now (coturn cannot be told to pick one). */
async function freePort(): Promise<number> {
  const socket = createSocket('udp4')
  socket.bind(0, '127.0.0.1')
  await once(socket, 'listening')
  const { port } = socket.address()
  socket.close()
  return port
}

/** Whether turnutils_uclient gets an allocation with these credentials and relays a few messages through it. */
async function allocates(port: number, username: string, credential: string): Promise<boolean> {
  try {
    await run(TURN_CLIENT, ['-y', '-n', '1', '-m', '1', '-l', '100', '-u', username, '-w', credential, '-p', String(port), '127.0.0.1'], { timeout: UCLIENT_MS })
    return true
  } catch (error) {
    console.info(`turnutils_uclient did not relay: ${(error as Error).message.split('\n')[0]}`)
    return false
  }
}

/** Whether credentials that must work get an allocation, in one of TRIES runs. */
async function allocatesWithin(port: number, username: string, credential: string): Promise<boolean> {
  for (let attempt = 0; attempt < TRIES; attempt++) if (await allocates(port, username, credential)) return true
  return false
}

describe.skipIf(!hasCoturn())('TURN credentials against coturn', () => {
  let coturn: CoturnHandle
  let port: number
  let server: http.Server
  let base: string
  beforeAll(async () => {
    port = await freePort()
    coturn = await startCoturn({ listenIp: '127.0.0.1', port, secret: SECRET, allowLoopbackPeers: true })
    const config = loadConfig({ TURN_URLS: `turn:127.0.0.1:${port}`, TURN_SECRET: SECRET, TURN_TTL: '60' })
    server = http.createServer(createIceServersRoute(config))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ice-servers`
  })
  afterAll(async () => {
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve))
    await coturn?.stop()
  })

  const fetchTurn = async () => {
    const { iceServers } = (await (await fetch(base)).json()) as { iceServers: { urls: string[]; username: string; credential: string }[] }
    expect(iceServers[0]!.urls).toEqual([`turn:127.0.0.1:${port}`])
    return iceServers[0]!
  }

  it('allocates with the credentials a browser is given', async () => {
    const { username, credential } = await fetchTurn()
    expect(await allocatesWithin(port, username, credential)).toBe(true)
  }, (TRIES + 1) * UCLIENT_MS)

  it('refuses expired credentials with 401, and allocates again with the next ones a browser asks for', async () => {
    const expired = turnCredentials(SECRET, 60, Date.now() - 120_000)
    expect(await allocates(port, expired.username, expired.credential)).toBe(false)
    expect(coturn.output()).toMatch(new RegExp(`user <${expired.username}>: .*error 401: Unauthorized`))
    // A forged password for a username that is still valid is refused too.
    const { username } = await fetchTurn()
    expect(await allocates(port, username, Buffer.from('forged').toString('base64'))).toBe(false)
    const refreshed = await fetchTurn()
    expect(await allocatesWithin(port, refreshed.username, refreshed.credential)).toBe(true)
  }, (TRIES + 3) * UCLIENT_MS)
})
