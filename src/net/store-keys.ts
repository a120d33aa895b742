/**
 * What a board's server copy and relay need (DESIGN.md §12), derived in the browser from the
 * board's id and key with HKDF-SHA-256, one output per purpose: outputs of HKDF under different
 * `info` are independent, so none of them (nor the signaling topic, a plain SHA-256 of the same
 * secret) tells the server anything about the others.
 */
import { InsecureContextError, type BoardAddress } from './board-address'

export interface StoreKeys {
  /** The server's name for the board: 32 bytes, base64url. */
  readonly storeId: string
  /** Proves the right to append and compact; the server keeps only its hash. 32 bytes, base64url. */
  readonly writeSecret: string
  /** Seals the stored records (AES-GCM-256). */
  readonly recordKey: CryptoKey
  /** The signaling topic the relay speaks on: 32 bytes, hex. */
  readonly relayTopic: string
  /** Seals relayed messages (AES-GCM-256). */
  readonly relayKey: CryptoKey
  /** The server's name for the board's history (store/server-versions.ts), unrelated to `storeId` for the server. */
  readonly historyId: string
  /** The write secret of the history. */
  readonly historyWriteSecret: string
}

const SALT = new TextEncoder().encode('meshboard/v1 store')

export async function deriveStoreKeys(address: BoardAddress): Promise<StoreKeys> {
  if (!globalThis.crypto?.subtle) throw new InsecureContextError()
  const secret = new TextEncoder().encode(`meshboard/v1\n${address.board}\n${address.key}`)
  const master = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits', 'deriveKey'])
  const info = (purpose: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: SALT, info: new TextEncoder().encode(purpose) })
  const bytes = async (purpose: string) => new Uint8Array(await crypto.subtle.deriveBits(info(purpose), master, 256))
  const aesKey = (purpose: string) =>
    crypto.subtle.deriveKey(info(purpose), master, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
  const [storeId, writeSecret, relayTopic, recordKey, relayKey, historyId, historyWriteSecret] = await Promise.all([
    bytes('store-id'),
    bytes('write-secret'),
    bytes('relay-topic'),
    aesKey('record-key'),
    aesKey('relay-key'),
    bytes('history-id'),
    bytes('history-write-secret'),
  ])
  return {
    storeId: base64Url(storeId),
    writeSecret: base64Url(writeSecret),
    relayTopic: hex(relayTopic),
    recordKey,
    relayKey,
    historyId: base64Url(historyId),
    historyWriteSecret: base64Url(historyWriteSecret),
  }
}

export function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
