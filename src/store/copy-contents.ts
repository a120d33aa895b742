/**
 * What the server's copy of a board holds, as the browser works it out without the server's
 * help: what a document has that the copy lacks, whether a piece read from the copy adds anything,
 * and the plain layout of a snapshot (the board in pieces, so a reader applies it a piece at a
 * time). The server sees none of this: all of it is sealed before it leaves (net/sealed.ts).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { encodeStateInPieces } from '../net/update-pieces'

/**
 * What `doc` holds that the updates (the server's whole copy) do not, as an update against the
 * server's state; null if nothing. Structs: what lies past the server's state vector. Deletions:
 * the document's delete set, unless merging it into the server's changes nothing.
 */
export function lackingFrom(doc: Y.Doc, serverUpdates: readonly Uint8Array[]): Uint8Array | null {
  const ranges = new Map<number, Array<[number, number]>>()
  const serverDeletes: Uint8Array[] = [EMPTY_UPDATE]
  for (const update of serverUpdates) {
    const { from, to } = Y.parseUpdateMeta(update)
    for (const [client, start] of from) {
      const list = ranges.get(client) ?? []
      list.push([start, to.get(client) ?? start])
      ranges.set(client, list)
    }
    serverDeletes.push(Y.diffUpdate(update, Y.encodeStateVector(to)))
  }
  // The state vector of the server's copy: per client, how far its structs run unbroken from 0.
  const serverState = new Map<number, number>()
  for (const [client, list] of ranges) {
    list.sort((a, b) => a[0] - b[0])
    let reach = 0
    for (const [start, end] of list) if (start <= reach) reach = Math.max(reach, end)
    if (reach > 0) serverState.set(client, reach)
  }
  const lacking = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(serverState))
  if (Y.parseUpdateMeta(lacking).to.size > 0) return lacking
  const theirs = Y.mergeUpdates(serverDeletes)
  const ours = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc))
  return equalBytes(Y.mergeUpdates([theirs, ours]), theirs) ? null : lacking
}

const EMPTY_UPDATE = new Uint8Array([0, 0])

/** A snapshot's plain bytes: the board in pieces (update-pieces.ts), so a reader can apply it a piece at a time. */
export function encodeSnapshot(doc: Y.Doc, pieceBytes: number): Uint8Array {
  const pieces = encodeStateInPieces(doc, pieceBytes)
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, pieces.length)
  for (const piece of pieces) encoding.writeVarUint8Array(encoder, piece)
  return encoding.toUint8Array(encoder)
}

export function snapshotPieces(plain: Uint8Array): Uint8Array[] {
  try {
    const decoder = decoding.createDecoder(plain)
    return Array.from({ length: decoding.readVarUint(decoder) }, () => decoding.readVarUint8Array(decoder))
  } catch {
    console.warn('meshboard: the snapshot of the server copy is malformed; skipped')
    return []
  }
}

/** Whether `doc` has every struct of `update` (one with none, only deletions, is never held: it is cheap to apply). */
export function heldAlready(doc: Y.Doc, update: Uint8Array): boolean {
  const { to } = Y.parseUpdateMeta(update)
  if (to.size === 0) return false
  const state = Y.decodeStateVector(Y.encodeStateVector(doc))
  for (const [client, end] of to) if ((state.get(client) ?? 0) < end) return false
  return true
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index])
}
