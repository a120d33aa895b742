/**
 * What the ICE layer of each WebRTC connection knows and y-webrtc does not: whether it goes
 * through a TURN relay, and when its network went away (Wi-Fi to mobile, a laptop waking up, a
 * NAT mapping that expired). simple-peer destroys a connection only once ICE has 'failed', which
 * takes Chromium about half a minute after the path died; y-webrtc then makes a new one. Here a
 * connection that stays 'disconnected' is restarted at once instead (ICE restart: new candidates,
 * with fresh TURN credentials, through signaling; the data channel and what it was sending
 * survive), and one that does not come back is closed, so y-webrtc makes a new connection.
 *
 * When the network changed, the signaling socket usually died with the path, unnoticed (TCP finds
 * out when a write fails), and the offer with it: a restart is offered again every few seconds,
 * replacing the unanswered one, and those writes are what brings a new socket. A connection that
 * never connects (its offer or answer lost the same way) is closed too: y-webrtc then announces
 * itself and the peers start over.
 */
import { isInitiator, negotiate, offerAgain, peerConnectionOf, type SimplePeer } from '../wire/wire-internals'

/** A blip this short usually heals by itself; past it the path is gone. */
const RESTART_AFTER_MS = 1500
/** Restarts are offered again this often: signaling may have been down when the last one went. */
const RESTART_EVERY_MS = 5000
/** Past this a connection is not coming back: closed, so that y-webrtc makes a new one. */
const GIVE_UP_MS = 20_000
/**
 * Past this one that never connected is a zombie (its offer or answer lost): closed too. Far
 * longer than a lost one gets: on a busy machine 24 to 32 peers take tens of seconds to connect,
 * and closing them at 20 s kept the mesh from ever settling (the mesh benchmark stopped at 24).
 */
const NEVER_CONNECTED_GIVE_UP_MS = 60_000

export class IceRecovery {
  private readonly overTurn = new WeakSet<SimplePeer>()
  private readonly cleanups = new Map<SimplePeer, () => void>()

  constructor(
    /** The configuration new connections get, whose ICE servers are kept fresh (ice-servers.ts). */
    private readonly rtc: RTCConfiguration,
    private readonly onChange: () => void,
  ) {}

  /** Whether this connection's data goes through a TURN relay (its selected candidate pair has a relay candidate). */
  throughTurn(peer: SimplePeer): boolean {
    return this.overTurn.has(peer)
  }

  watch(peer: SimplePeer): void {
    const pc = peerConnectionOf(peer)
    if (!pc || this.cleanups.has(peer)) return
    const watchedAt = performance.now()
    let everConnected = false
    let lostAt = 0
    /** When this side last offered a restart since the path was lost, or 0. */
    let restartedAt = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    // The ICE transport exists once the connection is negotiated; it says when the path changes.
    let transport: RTCIceTransport | null = null
    const readPath = () => void this.readPath(peer, pc)
    const check = () => {
      clearTimeout(timer)
      timer = undefined
      const state = pc.iceConnectionState
      const connected = state === 'connected' || state === 'completed'
      if (connected) {
        if (!transport && pc.sctp) {
          transport = pc.sctp.transport.iceTransport
          transport.addEventListener('selectedcandidatepairchange', readPath)
        }
        readPath()
      }
      // A restart is over once its offer is answered. Until then the offering side's ICE may say
      // 'connected' on what is left of the old path while the other side still has none (seen
      // after a NAT changed its public address): the offer, lost with signaling, is made again.
      if (connected && !(restartedAt > 0 && pc.signalingState === 'have-local-offer')) {
        lostAt = 0
        restartedAt = 0
        everConnected = true
        return
      }
      if (peer.destroyed) return
      const now = performance.now()
      // Restarting one still connecting for the first time would only interrupt it.
      if (!everConnected) {
        if (now - watchedAt >= NEVER_CONNECTED_GIVE_UP_MS) return peer.destroy()
        timer = setTimeout(check, watchedAt + NEVER_CONNECTED_GIVE_UP_MS - now)
        return
      }
      // Once lost, a restart's 'checking' still counts as lost until it connects.
      if (state === 'disconnected') lostAt ||= now
      if (lostAt === 0) return
      if (now - lostAt >= GIVE_UP_MS) return peer.destroy()
      // The restart's own offer and ICE states come back here: one restart per RESTART_EVERY_MS.
      if (now - lostAt >= RESTART_AFTER_MS && (restartedAt === 0 || now - restartedAt >= RESTART_EVERY_MS)) {
        restartedAt = now
        this.restart(peer, pc)
      }
      const next = restartedAt === 0 ? lostAt + RESTART_AFTER_MS : restartedAt + RESTART_EVERY_MS
      timer = setTimeout(check, Math.min(next, lostAt + GIVE_UP_MS) - now)
    }
    pc.addEventListener('iceconnectionstatechange', check)
    // An answer to a restart may come while ICE stays 'connected' throughout.
    pc.addEventListener('signalingstatechange', check)
    // Once the connection closed or this recovery is destroyed: nothing of it stays on the peer.
    const cleanup = () => {
      clearTimeout(timer)
      pc.removeEventListener('iceconnectionstatechange', check)
      pc.removeEventListener('signalingstatechange', check)
      transport?.removeEventListener('selectedcandidatepairchange', readPath)
      peer.off('close', cleanup)
      this.cleanups.delete(peer)
    }
    this.cleanups.set(peer, cleanup)
    peer.on('close', cleanup)
    check()
  }

  destroy(): void {
    for (const cleanup of [...this.cleanups.values()]) cleanup()
  }

  /**
   * Only the side that made the offer restarts: two restarts crossing each other would each undo
   * the other. The other side does not even ask (simple-peer's 'renegotiate'): arriving after the
   * offering side gave up, y-webrtc would take it for a new connection that never connects.
   */
  private restart(peer: SimplePeer, pc: RTCPeerConnection): void {
    if (!isInitiator(peer)) return
    try {
      // The credentials this connection started with may have expired since.
      pc.setConfiguration({ ...pc.getConfiguration(), iceServers: this.rtc.iceServers ?? [] })
    } catch {
      // A browser refusing the change restarts with the servers it has.
    }
    pc.restartIce()
    // The last offer was never answered (lost with signaling): simple-peer would wait for its
    // answer before making another, for good. A new offer replaces it.
    if (pc.signalingState === 'have-local-offer') offerAgain(peer)
    else negotiate(peer)
  }

  private async readPath(peer: SimplePeer, pc: RTCPeerConnection): Promise<void> {
    let relayed: boolean
    try {
      relayed = relayedPath(await pc.getStats())
    } catch {
      return // closed meanwhile
    }
    if (relayed === this.overTurn.has(peer)) return
    if (relayed) this.overTurn.add(peer)
    else this.overTurn.delete(peer)
    this.onChange()
  }
}

/** Whether the selected candidate pair of a connection's stats has a relay candidate on either side. */
export function relayedPath(report: RTCStatsReport): boolean {
  const stats = new Map<string, Record<string, unknown>>()
  report.forEach((entry: Record<string, unknown>) => stats.set(entry.id as string, entry))
  for (const entry of stats.values()) {
    if (entry.type !== 'transport' || typeof entry.selectedCandidatePairId !== 'string') continue
    const pair = stats.get(entry.selectedCandidatePairId)
    if (!pair) continue
    const local = stats.get(pair.localCandidateId as string)
    const remote = stats.get(pair.remoteCandidateId as string)
    return local?.candidateType === 'relay' || remote?.candidateType === 'relay'
  }
  return false
}
