/**
 * GET /ice-servers: the ICE servers a browser should use, with TURN credentials of its own that
 * expire (DESIGN.md §13). Static TURN credentials would make the relay open to anyone who reads
 * them once; these follow coturn's `use-auth-secret` scheme, so coturn checks them with the
 * shared secret alone and no user database: the username is `expiry:random`, the password the
 * base64 HMAC-SHA1 of the username under the secret. The secret itself never leaves the server.
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { addressKey, clientAddress } from './client-address.js'
import type { IceServer } from './config.js'
import { AddressRateLimit } from './store/limits.js'

export interface IceServersOptions {
  /** ICE_SERVERS, handed out as they are. */
  readonly iceServers: readonly IceServer[]
  readonly stunUrls: readonly string[]
  readonly turnUrls: readonly string[]
  readonly turnSecret: string | undefined
  readonly turnTtlSeconds: number
  readonly iceServersPerMinute: number
  readonly trustProxy: number
}

export interface TurnCredentials {
  readonly username: string
  readonly credential: string
  /** When coturn stops accepting them, in ms since the epoch. */
  readonly expiresAt: number
}

/** What a browser gets: `ttl` (seconds) and `expiresAt` (ms since the epoch) are null without TURN, as nothing expires then. */
export interface IceServersAnswer {
  readonly iceServers: IceServer[]
  readonly ttl: number | null
  readonly expiresAt: number | null
}

export function turnCredentials(secret: string, ttlSeconds: number, now = Date.now()): TurnCredentials {
  const expiry = Math.floor(now / 1000) + ttlSeconds
  // The random part keeps two browsers asking in the same second from sharing a username.
  const username = `${expiry}:${randomBytes(9).toString('base64url')}`
  const credential = createHmac('sha1', secret).update(username).digest('base64')
  return { username, credential, expiresAt: expiry * 1000 }
}

export function iceServersAnswer(options: IceServersOptions, now = Date.now()): IceServersAnswer {
  const iceServers: IceServer[] = [...options.iceServers]
  if (options.stunUrls.length > 0) iceServers.push({ urls: [...options.stunUrls] })
  if (options.turnSecret === undefined || options.turnUrls.length === 0) return { iceServers, ttl: null, expiresAt: null }
  const { username, credential, expiresAt } = turnCredentials(options.turnSecret, options.turnTtlSeconds, now)
  iceServers.push({ urls: [...options.turnUrls], username, credential })
  return { iceServers, ttl: options.turnTtlSeconds, expiresAt }
}

const HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  // Credentials are per browser: no cache, shared or private, may hand them to anyone else.
  'Cache-Control': 'no-store',
  // An embed on another site asks its signaling server for these.
  'Access-Control-Allow-Origin': '*',
}

export function createIceServersRoute(options: IceServersOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const limit = new AddressRateLimit(options.iceServersPerMinute)
  return (request, response) => {
    const wait = limit.take(addressKey(clientAddress(request, options.trustProxy)))
    if (wait > 0) {
      response.writeHead(429, { ...HEADERS, 'Retry-After': String(wait) })
      response.end(request.method === 'HEAD' ? undefined : '{"error":"rate-limited"}')
      return
    }
    const body = JSON.stringify(iceServersAnswer(options))
    response.writeHead(200, { ...HEADERS, 'Content-Length': Buffer.byteLength(body) })
    response.end(request.method === 'HEAD' ? undefined : body)
  }
}
