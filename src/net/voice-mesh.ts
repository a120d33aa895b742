/**
 * Voice over the board's existing peer connections (DESIGN.md §6): the microphone stream is added
 * to the connection of every peer who is in voice too, and removed when either leaves; simple-peer
 * renegotiates through the (encrypted) signaling.
 *
 * Each peer gets its own clone of the microphone stream. simple-peer refuses to add a track it has
 * once removed from a connection, so a peer who leaves voice and comes back needs fresh tracks;
 * clones share the one microphone capture and stopping a clone leaves the others running.
 */
import type { ConnectedPeer, SimplePeer } from './board-connection'

export class VoiceMesh {
  private microphone: MediaStream | null = null
  private muted = false
  private readonly sending = new Map<SimplePeer, MediaStream>()

  constructor(private readonly connectedPeers: () => ConnectedPeer[]) {}

  /** The microphone to send, or null to send nothing (left voice). */
  setMicrophone(stream: MediaStream | null): void {
    if (stream === this.microphone) return
    for (const peer of [...this.sending.keys()]) this.stopSending(peer)
    this.microphone = stream
  }

  setMuted(muted: boolean): void {
    this.muted = muted
    for (const clone of this.sending.values()) for (const track of clone.getAudioTracks()) track.enabled = !muted
  }

  /** Sends to exactly the connected peers whose ids are in `peerIds` (the people in voice). */
  sendTo(peerIds: ReadonlySet<string>): void {
    const wanted = new Set<SimplePeer>()
    if (this.microphone) {
      for (const { peerId, peer } of this.connectedPeers()) if (peerIds.has(peerId)) wanted.add(peer)
    }
    for (const peer of [...this.sending.keys()]) if (!wanted.has(peer) || peer.destroyed) this.stopSending(peer)
    for (const peer of wanted) if (!this.sending.has(peer)) this.startSending(peer)
  }

  destroy(): void {
    this.setMicrophone(null)
  }

  private startSending(peer: SimplePeer): void {
    const clone = this.microphone!.clone()
    for (const track of clone.getAudioTracks()) track.enabled = !this.muted
    try {
      peer.addStream(clone)
      this.sending.set(peer, clone)
    } catch (error) {
      // The connection is closing; the next sendTo() after it is gone starts over cleanly.
      for (const track of clone.getTracks()) track.stop()
      console.warn('meshboard: could not send voice to a peer', error)
    }
  }

  private stopSending(peer: SimplePeer): void {
    const clone = this.sending.get(peer)
    this.sending.delete(peer)
    if (!clone) return
    try {
      if (!peer.destroyed) peer.removeStream(clone)
    } catch {
      // Already closed: nothing is being sent any more.
    }
    for (const track of clone.getTracks()) track.stop()
  }
}
