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
 */
import type { Room } from 'y-webrtc'
import type * as Y from 'yjs'

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
      const outer = filter.source
      filter.source = peer
      try {
        return emit.call(this, event, ...args)
      } finally {
        filter.source = outer
      }
    }
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
