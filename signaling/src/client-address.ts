import type { IncomingMessage } from 'node:http'
import { isIP, isIPv6 } from 'node:net'

/**
 * The client's address: the socket's peer, or with `trustProxy` reverse proxies in front, the
 * X-Forwarded-For entry appended by the trusted proxy that the client talked to. Entries left of it
 * were written by the client and prove nothing. An entry that is not an address means a misconfigured proxy chain:
 * falling back to the peer then groups clients more tightly, never more loosely.
 */
export function clientAddress(request: IncomingMessage, trustProxy: number): string {
  const peer = request.socket.remoteAddress ?? 'unknown'
  const header = request.headers['x-forwarded-for']
  if (trustProxy === 0 || header === undefined) return peer
  // Node has already joined repeated X-Forwarded-For headers into one list.
  const hops = [...String(header).split(','), peer].map((hop) => hop.trim())
  const chosen = hops[Math.max(0, hops.length - 1 - trustProxy)]!
  return isIP(chosen) === 0 ? peer : chosen
}

/**
 * The key that connections per IP are counted under. An IPv6 host usually owns a whole /64, so its
 * addresses are grouped by that prefix; IPv4 addresses mapped into IPv6 count as themselves.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return mapped[1]!
  if (!isIPv6(address)) return address
  const [head = '', tail] = address.split('%')[0]!.toLowerCase().split('::')
  const headGroups = head === '' ? [] : head.split(':')
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':')
  const zeros = Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0')
  const groups = [...headGroups, ...zeros, ...tailGroups]
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`
}
