/**
 * Answers first-time joiners from one encoding of the board. A peer that holds nothing of the board
 * (a fresh browser opening a shared link) asks for it with an empty state vector, and y-webrtc
 * answers each such peer by encoding the whole document again: for 10,000 strokes, 0.15 s of this
 * page's main thread, and then 0.25 s to deflate the 5 MB (chunked-channel.ts). When a class joins
 * a teacher's board, that was repeated for every student.
 *
 * Here the answer is made once and shared, with its deflated frames, by every such peer until the
 * board changes. Peers that already hold part of the board are answered by y-webrtc as before.
 *
 * A big board goes in pieces of about PIECE_BYTES (update-pieces.ts), which the joiner applies
 * and indexes as they arrive, while the rest is still on the wire. They are sent as y-protocols
 * updates, and the last piece (the deletions) as the sync step 2 that answers the request, so the
 * joiner knows the whole board is there when that arrives (board-connection.ts). A board smaller
 * than a piece is one message, byte for byte y-webrtc's.
 *
 * Every other request is answered here too, so that none costs more than it must:
 * - a peer returning after a long absence may lack more than one message can hold (y-webrtc sent
 *   the whole gap as one, and past 64 MiB nothing at all): a big gap goes in pieces as well;
 * - each answer is a fresh encoding of what the asker lacks, so a peer asking again and again
 *   (with made-up state vectors: 3,720 requests took a victim to 10.7 GB) is answered a few times
 *   a minute at most, and disconnected when it keeps asking far beyond what an honest peer does.
 */
import { createDecoder, readVarUint, readVarUint8Array } from 'lib0/decoding'
import { createEncoder, toUint8Array, writeVarUint, writeVarUint8Array } from 'lib0/encoding'
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate, writeSyncStep2 } from 'y-protocols/sync'
import * as Y from 'yjs'
import { changedDocument } from '../model/board-doc'
import { shareUnchanged } from './chunked-channel'
import { encodeStateInPieces } from './update-pieces'
import { MESSAGE_SYNC, type DataStep } from '../wire/wire-internals'

/** Sync step 1 with a state vector of no client (a length of 1, then 0 clients): "I hold nothing". */
const NOTHING_HELD = [MESSAGE_SYNC, messageYjsSyncStep1, 1, 0]
/**
 * Encoded size of each piece of a big board. Small enough that the joiner starts on the first
 * piece soon after the first bytes arrive (a 10,000-stroke board is 20 pieces), big enough that
 * each is still deflated (chunked-channel.ts) and passed on as it arrived (relay-filter.ts).
 */
export const PIECE_BYTES = 256 * 1024
/**
 * Requests answered per peer: a burst, then one every REQUEST_REFILL_MS. An honest peer asks once
 * per connection; y-webrtc asks again only when it reconnects.
 */
const REQUEST_BURST = 4
const REQUEST_REFILL_MS = 15_000
/** Requests dropped for being over the rate before the asker counts as hostile. */
const REQUESTS_DROPPED_BEFORE_REFUSAL = 20

/** The part of simple-peer this needs. */
export interface AnsweringPeer {
  send(data: Uint8Array): void
}

/** A peer asked for the board far more often than an honest one does; its requests are no longer answered. */
export type FloodHandler = (peer: AnsweringPeer, reason: string) => void

/** How many more requests a peer may make now, refilled over time. */
interface Allowance {
  tokens: number
  at: number
  dropped: number
}

export class JoinerAnswers {
  /** The answer for a peer that holds nothing, while the board has not changed since it was made. */
  private answer: Uint8Array[] | null = null
  private readonly forget = (transaction: Y.Transaction) => {
    if (changedDocument(transaction)) this.answer = null
  }

  constructor(
    private readonly doc: Y.Doc,
    private readonly onFlood: FloodHandler,
  ) {
    doc.on('afterTransaction', this.forget)
  }

  /**
   * The step of `peer`'s chain (wire-internals.ts chainPeerData) that answers its requests for the
   * board: they go no further (y-webrtc would answer them again).
   */
  stepFor(peer: AnsweringPeer): DataStep {
    const allowance: Allowance = { tokens: REQUEST_BURST, at: performance.now(), dropped: 0 }
    return (data, next) => {
      const request = requestIn(data)
      if (!request) return next(data)
      if (!this.allowed(peer, allowance)) return true
      // y-webrtc's own sends swallow errors too: a closing channel is reported by its events.
      try {
        for (const message of request === EVERYTHING ? this.everything() : this.gap(request)) peer.send(message)
      } catch {
        // Nothing to add: the peer is going away.
      }
      return true
    }
  }

  private allowed(peer: AnsweringPeer, allowance: Allowance): boolean {
    const now = performance.now()
    allowance.tokens = Math.min(REQUEST_BURST, allowance.tokens + (now - allowance.at) / REQUEST_REFILL_MS)
    allowance.at = now
    if (allowance.tokens >= 1) {
      allowance.tokens--
      return true
    }
    if (++allowance.dropped === REQUESTS_DROPPED_BEFORE_REFUSAL) this.onFlood(peer, 'a flood of requests for the board')
    return false
  }

  /** What a peer holding `known` lacks: y-webrtc's one sync step 2, or in pieces when that would be big. */
  private gap(known: Map<number, number>): Uint8Array[] {
    const lacking = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(known))
    if (lacking.byteLength <= 2 * PIECE_BYTES) return [syncMessage(messageYjsSyncStep2, lacking)]
    const pieces = encodeStateInPieces(this.doc, PIECE_BYTES, known)
    const last = pieces.length - 1
    return pieces.map((piece, i) => syncMessage(i < last ? messageYjsUpdate : messageYjsSyncStep2, piece))
  }

  destroy(): void {
    this.doc.off('afterTransaction', this.forget)
    this.answer = null
  }

  /** The whole board: one sync step 2 as y-webrtc writes it, or the board's pieces as updates ending with sync step 2. */
  private everything(): Uint8Array[] {
    if (!this.answer) {
      const pieces = encodeStateInPieces(this.doc, PIECE_BYTES)
      const last = pieces.length - 1
      // Structs in one piece, then the deletions: small enough for one message.
      this.answer = last <= 1 ? [wholeBoard(this.doc)] : pieces.map((piece, i) => syncMessage(i < last ? messageYjsUpdate : messageYjsSyncStep2, piece))
      for (const message of this.answer) shareUnchanged(message)
    }
    return this.answer
  }
}

function wholeBoard(doc: Y.Doc): Uint8Array {
  const encoder = createEncoder()
  writeVarUint(encoder, MESSAGE_SYNC)
  writeSyncStep2(encoder, doc)
  return toUint8Array(encoder)
}

function syncMessage(type: number, update: Uint8Array): Uint8Array {
  const encoder = createEncoder()
  writeVarUint(encoder, MESSAGE_SYNC)
  writeVarUint(encoder, type)
  writeVarUint8Array(encoder, update)
  return toUint8Array(encoder)
}

const EVERYTHING = 'everything'

/** A request for the board (sync step 1): EVERYTHING when the asker holds nothing, else its state vector; null for other messages. */
function requestIn(data: unknown): typeof EVERYTHING | Map<number, number> | null {
  if (!(data instanceof Uint8Array) || data[0] !== MESSAGE_SYNC || data[1] !== messageYjsSyncStep1) return null
  if (data.length === NOTHING_HELD.length && NOTHING_HELD.every((byte, i) => data[i] === byte)) return EVERYTHING
  try {
    const decoder = createDecoder(data)
    readVarUint(decoder)
    readVarUint(decoder)
    return Y.decodeStateVector(readVarUint8Array(decoder))
  } catch {
    // Malformed: y-webrtc reads it as it always has (and drops it).
    return null
  }
}
