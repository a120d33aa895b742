/**
 * What the ICE layer of each WebRTC connection knows and y-webrtc does not: whether it goes
 * through a TURN relay, and when its network went away (Wi-Fi to mobile, a laptop waking up, a
 * NAT mapping that expired). simple-peer destroys a connection only once ICE has 'failed', which
 * takes Chromium about half a minute after the path died; y-webrtc then makes a new one. Here a
 * connection that stays 'disconnected' is restarted at once instead (ICE restart: new candidates,
 * with fresh TURN credentials, through signaling; the data channel and what it was sending
 * survive), and one that does not come back is closed, so y-webrtc makes a new connection.
 */
import type { SimplePeer } from './board-connection'

/** A blip this short usually heals by itself; past it the path is gone. */
const RESTART_AFTER_MS = 1500
/** Restarts are offered again this often: signaling may have been down when the last one went. */
const RESTART_EVERY_MS = 5000
/** Past this a connection is not coming back: closed, so that y-webrtc makes a new one. */
const GIVE_UP_MS = 20_000

/** The parts of simple-peer (internal, stable across its 9.x versions) a restart needs. */
export interface RestartablePeer extends SimplePeer {
  readonly initiator: boolean
  readonly _pc?: RTCPeerConnection
  negotiate(): void
  destroy(): void
}

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

  watch(peer: RestartablePeer): void {
    const pc = peer._pc
    if (!pc || this.cleanups.has(peer)) return
    let lostAt = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    // The ICE transport exists once the connection is negotiated; it says when the path changes.
    let transport: RTCIceTransport | null = null
    const readPath = () => void this.readPath(peer, pc)
    const check = () => {
      clearTimeout(timer)
      timer = undefined
      const state = pc.iceConnectionState
      if (state === 'connected' || state === 'completed') {
        lostAt = 0
        if (!transport && pc.sctp) {
          transport = pc.sctp.transport.iceTransport
          transport.addEventListener('selectedcandidatepairchange', readPath)
        }
        readPath()
        return
      }
      if (peer.destroyed) return
      const now = performance.now()
      // Once lost, a restart's 'checking' still counts as lost until it connects.
      if (state === 'disconnected') lostAt ||= now
      if (lostAt === 0) return
      if (now - lostAt >= GIVE_UP_MS) return peer.destroy()
      if (now - lostAt >= RESTART_AFTER_MS) this.restart(peer, pc)
      timer = setTimeout(check, now - lostAt < RESTART_AFTER_MS ? RESTART_AFTER_MS : RESTART_EVERY_MS)
    }
    pc.addEventListener('iceconnectionstatechange', check)
    const cleanup = () => {
      clearTimeout(timer)
      pc.removeEventListener('iceconnectionstatechange', check)
      transport?.removeEventListener('selectedcandidatepairchange', readPath)
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
   * Only the side that made the offer restarts: simple-peer's other side can only ask it to
   * negotiate, and two restarts crossing each other would each undo the other.
   */
  private restart(peer: RestartablePeer, pc: RTCPeerConnection): void {
    if (!peer.initiator) return
    try {
      // The credentials this connection started with may have expired since.
      pc.setConfiguration({ ...pc.getConfiguration(), iceServers: this.rtc.iceServers ?? [] })
    } catch {
      // A browser refusing the change restarts with the servers it has.
    }
    pc.restartIce()
    peer.negotiate()
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
