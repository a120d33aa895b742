import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { addressKey, clientAddress } from '../client-address.js'
import type { StoreConfig } from '../config.js'
import type { Logger } from '../log.js'
import {
  STORE_ERROR_CODES,
  StoreError,
  TOKEN_PATTERN,
  type AppendResult,
  type BoardStore,
  type EngineStats,
  type StoreErrorCode,
} from './board-store.js'
import { AddressRateLimit, type NewBoardQuota } from './limits.js'
import { readBody } from './read-body.js'
import { encodeBoard } from './wire-format.js'

export const STORE_PATH = '/store'

export interface StoreRoutesOptions extends StoreConfig {
  /** Undefined with STORE=off. */
  store: BoardStore | undefined
  newBoards: NewBoardQuota
  trustProxy: number
  logger: Logger
}

export interface StoreStats {
  writes: { record: number; snapshot: number }
  writtenBytes: number
  reads: number
  readBytes: number
  refusals: Record<StoreErrorCode, number>
  engine: EngineStats
}

export interface StoreRoutes {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>
  stats(): StoreStats
}

export function isStorePath(pathname: string): boolean {
  return pathname === STORE_PATH || pathname.startsWith(`${STORE_PATH}/`)
}

// Boards are embedded on other sites, which read and write this server's store from their origin.
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'X-Store-Last-Seq, Retry-After',
}
const PREFLIGHT = {
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
}

const STATUS: Record<StoreErrorCode, number> = {
  'bad-request': 400,
  'secret-required': 401,
  'wrong-secret': 403,
  'store-off': 404,
  'method-not-allowed': 405,
  'log-full': 409,
  'stale-base': 409,
  'unknown-base': 409,
  'record-too-big': 413,
  'board-full': 413,
  'rate-limited': 429,
  'new-board-limit': 429,
  'store-unavailable': 503,
  'server-full': 507,
}
// The server's trouble, not the client's: logged at error, not once per address at warn.
const FAILURES: ReadonlySet<StoreErrorCode> = new Set(['store-unavailable', 'server-full'])
// (address, reason) pairs already logged; emptied when full, so that it stays bounded.
const LOGGED_CAP = 10_000
// During an outage every request fails: one error line a minute says so.
const FAILURE_LOG_INTERVAL_MS = 60_000

const ROUTE = /^\/store\/([^/]*)(\/records|\/snapshot)?$/
const BEARER = /^Bearer ([A-Za-z0-9_-]{43})$/
const DIGITS = /^\d+$/

type Route = { id: string; kind: 'board' | 'record' | 'snapshot' }

export function createStoreRoutes(options: StoreRoutesOptions): StoreRoutes {
  const { store, newBoards, logger } = options
  const writeLimit = new AddressRateLimit(options.storeWritesPerMinute)
  const readLimit = new AddressRateLimit(options.storeReadsPerMinute)
  const refusals = Object.fromEntries(STORE_ERROR_CODES.map((code) => [code, 0])) as Record<StoreErrorCode, number>
  const logged = new Set<string>()
  const failureLoggedAt = new Map<StoreErrorCode, number>()
  const writes = { record: 0, snapshot: 0 }
  let writtenBytes = 0
  let reads = 0
  let readBytes = 0

  const report = (error: StoreError, address: string) => {
    refusals[error.code]++
    if (FAILURES.has(error.code)) {
      const now = Date.now()
      if (now - (failureLoggedAt.get(error.code) ?? -Infinity) < FAILURE_LOG_INTERVAL_MS) return
      failureLoggedAt.set(error.code, now)
      const cause = error.cause instanceof Error ? error.cause.message : undefined
      logger.error({ reason: error.code, err: cause }, `board store: ${error.message}`)
      return
    }
    const key = `${error.code} ${address}`
    if (logged.has(key)) return
    if (logged.size >= LOGGED_CAP) logged.clear()
    logged.add(key)
    logger.warn({ reason: error.code }, `board store refused a request: ${error.message}`)
  }

  const fail = (response: ServerResponse, error: StoreError, address: string, retryAfter?: number) => {
    report(error, address)
    const body = JSON.stringify({ error: error.code, message: error.message, limit: error.limit })
    const headers: Record<string, string | number> = {
      ...CORS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    }
    if (retryAfter !== undefined) headers['Retry-After'] = retryAfter
    // The refused body may still be arriving: the connection is not reused after it.
    if (STATUS[error.code] === 413) headers.Connection = 'close'
    if (error.code === 'method-not-allowed') headers.Allow = 'GET, HEAD, POST, OPTIONS'
    response.writeHead(STATUS[error.code], headers)
    response.end(body)
  }

  const read = async (request: IncomingMessage, response: ServerResponse, id: string, url: URL) => {
    if (!store) throw new StoreError('store-off', 'this server keeps no boards')
    const raw = url.searchParams.get('after')
    const after = raw === null ? undefined : DIGITS.test(raw) ? Number(raw) : NaN
    if (Number.isNaN(after)) throw new StoreError('bad-request', '`after` must be a sequence number')
    const content = await store.read(id, after)
    const body = encodeBoard(content)
    reads++
    response.writeHead(200, {
      ...CORS,
      'Content-Type': 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
      'X-Store-Last-Seq': content.lastSeq,
    })
    if (request.method === 'HEAD') {
      response.end()
      return
    }
    readBytes += body.length
    response.end(body)
  }

  const write = async (request: IncomingMessage, response: ServerResponse, route: Route, url: URL, address: string) => {
    if (!store) throw new StoreError('store-off', 'this server keeps no boards')
    const authorization = request.headers.authorization
    if (authorization === undefined) throw new StoreError('secret-required', 'writes need the board’s write secret')
    const token = BEARER.exec(authorization)?.[1]
    if (token === undefined) throw new StoreError('bad-request', 'the write secret must be `Bearer` and 43 base64url characters')
    // The hash of the token as sent (its 43 ASCII characters): all the server ever keeps of it.
    const secretHash = createHash('sha256').update(token).digest()
    const rawBase = url.searchParams.get('base')
    if (route.kind === 'snapshot' && (rawBase === null || !DIGITS.test(rawBase))) {
      throw new StoreError('bad-request', '`base` must be the sequence number the snapshot holds everything up to')
    }

    const snapshot = route.kind === 'snapshot'
    const cap = snapshot ? options.storeMaxBoardBytes : options.storeMaxRecordBytes
    const body = await readBody(request, cap)
    if (body === 'too-big') {
      throw snapshot
        ? new StoreError('board-full', 'the snapshot is larger than a board may be', cap)
        : new StoreError('record-too-big', 'the record is larger than the limit', cap)
    }
    if (body.length === 0) throw new StoreError('bad-request', 'the body must be the encrypted record')

    let result: object
    if (snapshot) {
      result = await store.compact(route.id, secretHash, Number(rawBase), body)
      writes.snapshot++
    } else {
      let appended = await store.append(route.id, secretHash, body, false)
      if (appended === 'unknown-board') {
        const wait = await newBoards.take(address)
        if (wait > 0) return fail(response, newBoardLimit(options.storeNewBoardsPerDay), address, wait)
        appended = (await store.append(route.id, secretHash, body, true)) as AppendResult
      }
      result = appended
      writes.record++
    }
    writtenBytes += body.length
    const json = JSON.stringify(result)
    response.writeHead(200, {
      ...CORS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(json),
      'Cache-Control': 'no-store',
    })
    response.end(json)
  }

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const address = addressKey(clientAddress(request, options.trustProxy))
    // Answered even with the store off, so that a cross-origin client gets to read the 404 that says so.
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...CORS, ...PREFLIGHT })
      response.end()
      return
    }
    try {
      if (!store) throw new StoreError('store-off', 'this server keeps no boards')
      const route = parseRoute(url.pathname)
      const reading = route.kind === 'board'
      const allowed = reading ? request.method === 'GET' || request.method === 'HEAD' : request.method === 'POST'
      if (!allowed) throw new StoreError('method-not-allowed', `${request.method} is not a method of this route`)
      const wait = (reading ? readLimit : writeLimit).take(address)
      if (wait > 0) {
        const limit = reading ? options.storeReadsPerMinute : options.storeWritesPerMinute
        return fail(response, new StoreError('rate-limited', 'too many requests from your address', limit), address, wait)
      }
      if (reading) await read(request, response, route.id, url)
      else await write(request, response, route, url, address)
    } catch (error) {
      const refusal =
        error instanceof StoreError
          ? error
          : new StoreError('store-unavailable', 'the board store failed', undefined, { cause: error })
      if (response.headersSent) response.destroy()
      else fail(response, refusal, address)
    }
  }

  return {
    handle,
    stats: () => ({ writes: { ...writes }, writtenBytes, reads, readBytes, refusals: { ...refusals }, engine: store?.stats() ?? {} }),
  }
}

function parseRoute(pathname: string): Route {
  const match = ROUTE.exec(pathname)
  const id = match?.[1]
  if (id === undefined || !TOKEN_PATTERN.test(id)) {
    throw new StoreError('bad-request', 'not a store route: /store/{43 base64url characters}[/records|/snapshot]')
  }
  const kind = match![2] === '/records' ? 'record' : match![2] === '/snapshot' ? 'snapshot' : 'board'
  return { id, kind }
}

function newBoardLimit(perDay: number): StoreError {
  return new StoreError('new-board-limit', 'your address has created its boards for today', perDay)
}
