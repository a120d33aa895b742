/**
 * Board addresses (DESIGN.md §5). The board id and its 128-bit key live only in the URL fragment,
 * which browsers never send to a server. The signaling topic is a hash of both, and the key is
 * y-webrtc's password, so the signaling server can neither read nor tamper with what peers say.
 */
import { msg } from '@lit/localize'

export interface BoardAddress {
  readonly board: string
  readonly key: string
}

const TOKEN = /^[A-Za-z0-9_-]+$/
const KEY_BYTES = 16
const BOARD_BYTES = 9

export function isBoardId(value: string): boolean {
  return value.length >= 4 && value.length <= 64 && TOKEN.test(value)
}

/** A key must carry at least 128 bits: 22 base64url characters. */
export function isBoardKey(value: string): boolean {
  return value.length >= 22 && value.length <= 128 && TOKEN.test(value)
}

export function newBoardAddress(): BoardAddress {
  return { board: randomBase64Url(BOARD_BYTES), key: randomBase64Url(KEY_BYTES) }
}

/** `#board=ID&key=KEY`: parsed leniently (order, extra parameters), validated strictly. */
export function parseBoardFragment(fragment: string): BoardAddress | null {
  const params = new URLSearchParams(fragment.replace(/^#/, ''))
  const board = params.get('board') ?? ''
  const key = params.get('key') ?? ''
  return isBoardId(board) && isBoardKey(key) ? { board, key } : null
}

export function boardFragment(address: BoardAddress): string {
  return `#board=${address.board}&key=${address.key}`
}

/** The room name peers meet under: SHA-256 of id and key, so it reveals neither. */
export async function signalingTopic(address: BoardAddress): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new InsecureContextError()
  const input = new TextEncoder().encode(`meshboard/v1\n${address.board}\n${address.key}`)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Web Crypto, which the encrypted signaling needs, exists only on https pages and localhost. */
export class InsecureContextError extends Error {
  override name = 'InsecureContextError'
  constructor() {
    super(msg('meshboard needs a secure page (https:// or localhost) to connect to other people.', { id: 'connection.insecure-page', desc: 'meshboard is the name of the app' }))
  }
}

/** The signaling WebSocket of the server that served the page: same origin, path /signal. */
export function sameOriginSignalingUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`
}

/**
 * A URL of the server a signaling URL belongs to, beside `/signal` (and under the same prefix
 * behind a proxy): `wss://host/prefix/signal` and `store/` give `https://host/prefix/store/`.
 */
export function besideSignaling(signalingUrl: string, path: string): string {
  const url = new URL(signalingUrl)
  url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol
  url.pathname = url.pathname.replace(/[^/]*$/, path)
  url.search = ''
  url.hash = ''
  return url.href
}

function randomBase64Url(bytes: number): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes))
  return btoa(String.fromCharCode(...data)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
