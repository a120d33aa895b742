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
 */
import type { Room } from 'y-webrtc'
import type * as Y from 'yjs'
import { changedDocument } from '../model/board-doc'
import { updateIn } from './peer-screen'

/** From this size on, a change is passed on as it arrived instead of encoded again. */
const VERBATIM_FROM_BYTES = 64 * 1024

/** lib0's Observable keeps its listeners by event name. */
interface Observed {
  _observers: Map<string, Set<(...args: unknown[]) => void>>
}

/** The part of simple-peer this needs: it emits each message received as 'data'. */
interface EmittingPeer {
  emit(event: string | symbol, ...args: unknown[]): boolean
}

interface RoomConn {
  peer: unknown
}

export class RelayFilter {
  /** The peer whose message is being applied right now (messages are applied synchronously). */
  private source: unknown = null
  private pendingBefore = false
  private readonly send: (update: Uint8Array, origin: unknown) => void
  private readonly relay = (update: Uint8Array, origin: unknown) => this.onUpdate(update, origin)
  private readonly beforeTransaction = () => {
    this.pendingBefore = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null
  }

  /** For a room y-webrtc has just connected (its handler is listening to the document). */
  constructor(
    private readonly room: Room,
    private readonly doc: Y.Doc,
  ) {
    this.send = room._docUpdateHandler
    // Swapped on the room as well, so y-webrtc's own disconnect and reconnect use this one.
    room._docUpdateHandler = this.relay
    doc.off('update', this.send)
    doc.on('update', this.relay)
    doc.on('beforeTransaction', this.beforeTransaction)
  }

  /** Learns which messages come from `peer` (call once per simple-peer, before it can receive). */
  watch(peer: EmittingPeer): void {
    const emit = peer.emit
    const filter = this
    peer.emit = function emitNotingSource(this: EmittingPeer, event, ...args) {
      if (event !== 'data') return emit.call(this, event, ...args)
      const data = args[0]
      const update = data instanceof Uint8Array && data.byteLength >= VERBATIM_FROM_BYTES ? updateIn(data) : null
      const outer = filter.source
      filter.source = peer
      try {
        const apply = () => emit.call(this, event, ...args)
        return update ? filter.applyVerbatim(update, apply) : apply()
      } finally {
        filter.source = outer
      }
    }
  }

  /** Applies a big change without Yjs encoding it again; its listeners get `update` itself. */
  private applyVerbatim(update: Uint8Array, apply: () => boolean): boolean {
    const doc = this.doc
    // What waited in the document would be in Yjs's encoding but not in this update.
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return apply()
    const observers = (doc as unknown as Observed)._observers
    const listeners = observers.get('update')
    let applied: Y.Transaction | null = null
    const noteTransaction = (transaction: Y.Transaction) => {
      if (transaction.origin === this.room) applied = transaction
    }
    observers.delete('update')
    doc.on('afterTransaction', noteTransaction)
    let result: boolean
    try {
      result = apply()
    } finally {
      doc.off('afterTransaction', noteTransaction)
      if (listeners) observers.set('update', listeners)
    }
    if (applied && changedDocument(applied)) doc.emit('update', [update, this.room, doc, applied])
    return result
  }

  destroy(): void {
    this.doc.off('beforeTransaction', this.beforeTransaction)
  }

  private onUpdate(update: Uint8Array, origin: unknown): void {
    const source = this.source
    if (source === null || origin !== this.room || this.pendingBefore) return this.send(update, origin)
    const conns = this.room.webrtcConns as Map<string, RoomConn>
    const back = [...conns].find(([, conn]) => conn.peer === source)
    if (!back) return this.send(update, origin)
    // y-webrtc sends to every entry of webrtcConns: leave the source out for this one send.
    conns.delete(back[0])
    try {
      this.send(update, origin)
    } finally {
      conns.set(back[0], back[1])
    }
  }
}
