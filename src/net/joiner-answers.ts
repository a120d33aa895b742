/**
 * Answers first-time joiners from one encoding of the board. A peer that holds nothing of the board
 * (a fresh browser opening a shared link) asks for it with an empty state vector, and y-webrtc
 * answers each such peer by encoding the whole document again: for 10,000 strokes, 0.15 s of this
 * page's main thread, and then 0.25 s to deflate the 5 MB (chunked-channel.ts). When a class joins
 * a teacher's board, that was repeated for every student.
 *
 * Here the answer is made once and shared, with its deflated frames, by every such peer until the
 * board changes. Peers that already hold part of the board are answered by y-webrtc as before.
 */
import { createEncoder, toUint8Array, writeVarUint, writeVarUint8Array } from 'lib0/encoding'
import * as Y from 'yjs'
import { changedDocument } from '../model/board-doc'
import { shareUnchanged } from './chunked-channel'

/** y-protocols: a sync message (0) of type sync step 1 (0) whose state vector has no client (length 1: [0]). */
const NOTHING_HELD = [0, 0, 1, 0]
const MESSAGE_SYNC = 0
const SYNC_STEP_2 = 1

/** The part of simple-peer this needs. */
interface AnsweringPeer {
  emit(event: string | symbol, ...args: unknown[]): boolean
  send(data: Uint8Array): void
}

export class JoinerAnswers {
  /** The answer for a peer that holds nothing, while the board has not changed since it was made. */
  private answer: Uint8Array | null = null
  private readonly forget = (transaction: Y.Transaction) => {
    if (changedDocument(transaction)) this.answer = null
  }

  constructor(private readonly doc: Y.Doc) {
    doc.on('afterTransaction', this.forget)
  }

  /** Answers `peer`'s requests for the whole board (call once per simple-peer, before it can receive). */
  watch(peer: AnsweringPeer): void {
    const emit = peer.emit
    const answers = this
    peer.emit = function emitAnsweringJoiners(this: AnsweringPeer, event, ...args) {
      if (event === 'data' && asksForEverything(args[0])) {
        // y-webrtc's own sends swallow errors too: a closing channel is reported by its events.
        try {
          peer.send(answers.everything())
        } catch {
          // Nothing to add: the peer is going away.
        }
        return true
      }
      return emit.call(this, event, ...args)
    }
  }

  destroy(): void {
    this.doc.off('afterTransaction', this.forget)
    this.answer = null
  }

  /** Sync step 2 with the whole board, exactly as y-webrtc writes it. */
  private everything(): Uint8Array {
    if (!this.answer) {
      const encoder = createEncoder()
      writeVarUint(encoder, MESSAGE_SYNC)
      writeVarUint(encoder, SYNC_STEP_2)
      writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc))
      this.answer = toUint8Array(encoder)
      shareUnchanged(this.answer)
    }
    return this.answer
  }
}

function asksForEverything(data: unknown): boolean {
  return data instanceof Uint8Array && data.length === NOTHING_HELD.length && NOTHING_HELD.every((byte, i) => data[i] === byte)
}
