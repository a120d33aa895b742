/**
 * Which way a peer's WebRTC connections carry its board: the candidate types of their selected
 * pairs ('host', 'srflx', 'prflx' or 'relay', the last through TURN), for the NAT tests and the
 * latency benchmark over TURN.
 */
import type { Peer } from './browser'

export interface SelectedPair {
  readonly local: string
  readonly remote: string
}

/** The candidate types of every connected RTCPeerConnection's selected pair, from getStats. */
export function selectedCandidates(peer: Peer): Promise<SelectedPair[]> {
  return peer.page.evaluate(async () => {
    const found: { local: string; remote: string }[] = []
    for (const connection of (window as unknown as { __meshTestConnections?: RTCPeerConnection[] }).__meshTestConnections ?? []) {
      if (connection.connectionState !== 'connected') continue
      const stats = new Map<string, Record<string, unknown>>()
      ;(await connection.getStats()).forEach((entry: Record<string, unknown>) => stats.set(entry.id as string, entry))
      for (const entry of stats.values()) {
        if (entry.type !== 'transport' || !entry.selectedCandidatePairId) continue
        const pair = stats.get(entry.selectedCandidatePairId as string)!
        found.push({ local: stats.get(pair.localCandidateId as string)!.candidateType as string, remote: stats.get(pair.remoteCandidateId as string)!.candidateType as string })
      }
    }
    return found
  })
}

/** Whether a selected pair goes through a TURN relay on either side. */
export const throughRelay = (pair: SelectedPair): boolean => pair.local === 'relay' || pair.remote === 'relay'
