/**
 * The server store's HTTP contract (signaling/src/store), as the browser speaks it. A read answers
 * entries back to back: kind (1 byte: 1 snapshot, 2 record), seq (uint32 BE; a snapshot's is its
 * base), length (uint32 BE), bytes; the snapshot first, records ascending.
 */
import { msg, str } from '@lit/localize'
import { besideSignaling } from '../net/board-address'

export const ENTRY_SNAPSHOT = 1
export const ENTRY_RECORD = 2
const ENTRY_HEADER_BYTES = 9

export interface StoredEntry {
  readonly kind: typeof ENTRY_SNAPSHOT | typeof ENTRY_RECORD
  readonly seq: number
  readonly bytes: Uint8Array
}

/** What the server says after a write. */
export interface WriteReceipt {
  readonly seq: number
  readonly logRecords: number
  readonly logBytes: number
  readonly boardBytes: number
}

/** A refusal as the server words it: `error` is a stable code, `message` a sentence for people. */
export interface StoreRefusal {
  readonly status: number
  readonly error: string
  readonly message: string
  readonly limit?: number
  /** Seconds, from Retry-After. */
  readonly retryAfter?: number
}

export class MalformedStoreResponseError extends Error {
  override name = 'MalformedStoreResponseError'
}

export function parseEntries(body: Uint8Array): StoredEntry[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength)
  const entries: StoredEntry[] = []
  let offset = 0
  while (offset < body.byteLength) {
    if (offset + ENTRY_HEADER_BYTES > body.byteLength) throw new MalformedStoreResponseError('an entry header is cut short')
    const kind = view.getUint8(offset)
    const seq = view.getUint32(offset + 1)
    const length = view.getUint32(offset + 5)
    const start = offset + ENTRY_HEADER_BYTES
    if (kind !== ENTRY_SNAPSHOT && kind !== ENTRY_RECORD) throw new MalformedStoreResponseError(`unknown entry kind ${kind}`)
    if (start + length > body.byteLength) throw new MalformedStoreResponseError('an entry is cut short')
    entries.push({ kind, seq, bytes: body.subarray(start, start + length) })
    offset = start + length
  }
  return entries
}

/** The refusal in a non-2xx response; a server without a store (or not meshboard's) answers no JSON. */
export async function readRefusal(response: Response): Promise<StoreRefusal> {
  const retryAfter = Number(response.headers.get('Retry-After') ?? NaN)
  let body: Partial<StoreRefusal> = {}
  try {
    const parsed: unknown = await response.json()
    if (parsed && typeof parsed === 'object') body = parsed as Partial<StoreRefusal>
  } catch {
    // Not our server's answer: described by its status below.
  }
  return {
    status: response.status,
    error: typeof body.error === 'string' ? body.error : response.status === 404 ? 'store-off' : `http-${response.status}`,
    message: typeof body.message === 'string' ? body.message : answered(response),
    ...(typeof body.limit === 'number' ? { limit: body.limit } : {}),
    ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfter } : {}),
  }
}

/** A refusal the server did not word (not meshboard's server, or a proxy in front of it): its HTTP status. */
function answered(response: Response): string {
  const { status, statusText } = response
  return msg(str`The server answered ${status} ${statusText}.`, {
    id: 'store.http-status',
    desc: 'the placeholders are the HTTP status code and its name as the server sent it (e.g. 413 Payload Too Large)',
  })
}

/** The store's base URL beside a signaling URL: `wss://host/prefix/signal` → `https://host/prefix/store/`. */
export function storeUrlFor(signalingUrl: string): string {
  return besideSignaling(signalingUrl, 'store/')
}
