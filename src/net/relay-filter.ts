/**
 * y-webrtc sends every change of the document to every connected peer, changes that just arrived
 * from a peer included: that is how a change crosses a partial mesh (maxConns), but it also sends
 * each change back to the peer it came from. A joiner uploaded the whole board it had just
 * downloaded (5 MB for 10,000 strokes), and the holder decoded it all again to learn nothing.
 *
 * Here a change made by applying a peer's message goes on to every other peer (and to other
 * tabs) as before, just not back to that peer. That is safe when nothing was waiting in the
 * document before (Yjs's pending structs and deletes, held back for a missing dependency): then
 * all the change holds came in that message, so its sender has it. Otherwise the change may also
 * hold what another peer sent earlier, and it goes to everyone, as y-webrtc would send it.
 *
 * Big changes (a board sent to a joiner) are passed on as they arrived. Yjs encodes every
 * transaction anew for its 'update' listeners (this store, y-webrtc): for a 5 MB board that
 * encoding was 0.13 s of the joiner's one long task, to produce what the message already held.
 * While such a message is applied nobody listens, and the listeners then get the message's own
 * update. It may repeat what this document had already: applying an update twice changes nothing.
 *
 * How it gets between y-webrtc's room, the document and each peer is wire-internals.ts's
 * (routeRoomUpdates, applyAsUpdate, and a step of each peer's chain).
 */
import type * as Y from 'yjs'
import { changedDocument } from '../model/board-doc'
import { PIECE_BYTES } from './joiner-answers'
import { updateIn } from './peer-screen'
import { changeInPieces } from './update-pieces'
import { applyAsUpdate, fromRoomPeers, hasPending, routeRoomUpdates, type DataStep, type Room, type RoomSend } from '../wire/wire-internals'

/** From this size on, a change is passed on as it arrived instead of encoded again. */
const VERBATIM_FROM_BYTES = 64 * 1024

export class RelayFilter {
  /** The peer whose message is being applied right now (messages are applied synchronously). */
  private source: unknown = null
  private pendingBefore = false
  private readonly beforeTransaction = () => {
    this.pendingBefore = hasPending(this.doc)
  }

  /** For a room y-webrtc has just connected (its handler is listening to the document). */
  constructor(
    private readonly room: Room,
    private readonly doc: Y.Doc,
  ) {
    routeRoomUpdates(room, doc, (update, origin, send, transaction) => this.onUpdate(update, origin, send, transaction))
    doc.on('beforeTransaction', this.beforeTransaction)
  }

  /** The step of `peer`'s chain (wire-internals.ts chainPeerData) that learns which messages come from it. */
  stepFor(peer: unknown): DataStep {
    return (data, next) => {
      const update = data instanceof Uint8Array && data.byteLength >= VERBATIM_FROM_BYTES ? updateIn(data) : null
      const outer = this.source
      this.source = peer
      try {
        return update ? this.applyVerbatim(update, () => next(data)) : next(data)
      } finally {
        this.source = outer
      }
    }
  }

  /** Applies a big change without Yjs encoding it again; its listeners get `update` itself. */
  private applyVerbatim(update: Uint8Array, apply: () => boolean): boolean {
    // What waited in the document would be in Yjs's encoding but not in this update.
    if (hasPending(this.doc)) return apply()
    return applyAsUpdate(this.doc, update, this.room, changedDocument, apply)
  }

  destroy(): void {
    this.doc.off('beforeTransaction', this.beforeTransaction)
  }

  private onUpdate(update: Uint8Array, origin: unknown, send: RoomSend, transaction: Y.Transaction | undefined): void {
    const source = this.source
    if (source === null && transaction && !this.pendingBefore && update.byteLength > PIECE_BYTES) {
      // A big change of this user's (or from this device, another tab, the server's copy): in
      // pieces, as every receiver refuses an update of more structs than MAX_UPDATE_STRUCTS.
      for (const piece of changeInPieces(this.doc, update, transaction.beforeState, transaction.afterState, PIECE_BYTES)) send(piece, origin)
      return
    }
    if (source === null || !fromRoomPeers(this.room, origin) || this.pendingBefore) return send(update, origin)
    // Every connection but the source's, for this one send.
    send(update, origin, source)
  }
}
