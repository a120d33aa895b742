import type { BoardContent } from './board-store.js'

export const SNAPSHOT_KIND = 1
export const RECORD_KIND = 2
const HEADER_BYTES = 9

/**
 * A board as the browser downloads it: entries back to back, each a kind byte, a sequence number
 * (a snapshot's base) and a length, both uint32 big-endian, then the ciphertext. No framing beyond
 * that: the client knows where each entry ends, and a body cut short is detectable.
 */
export function encodeBoard({ snapshot, records }: BoardContent): Buffer {
  const entries: Array<[number, number, Buffer]> = []
  if (snapshot) entries.push([SNAPSHOT_KIND, snapshot.base, snapshot.data])
  for (const { seq, data } of records) entries.push([RECORD_KIND, seq, data])
  const size = entries.reduce((total, [, , data]) => total + HEADER_BYTES + data.length, 0)
  const body = Buffer.allocUnsafe(size)
  let offset = 0
  for (const [kind, seq, data] of entries) {
    offset = body.writeUInt8(kind, offset)
    offset = body.writeUInt32BE(seq, offset)
    offset = body.writeUInt32BE(data.length, offset)
    offset += data.copy(body, offset)
  }
  return body
}
