/** How each person on the board is reached, in the people panel's words (mesh-people.ts). */
import type { BoardSession } from '../editor/board-session'
import type { Presence } from '../net/presence'
import type { PeerLink } from './mesh-people'

/** Each person's link, by the peer id their presence carries. */
export function peerLinks(session: BoardSession | null, peers: readonly Presence[]): ReadonlyMap<string, PeerLink> {
  const links = new Map<string, PeerLink>()
  if (!session) return links
  for (const peer of peers) if (peer.peerId) links.set(peer.peerId, linkOf(session, peer.peerId))
  return links
}

/** People found but unreachable whose presence never arrived (nothing carried it): no avatar shows them otherwise. */
export function unreachableWithoutPresence(session: BoardSession | null, peers: readonly Presence[]): number {
  if (!session) return 0
  const present = new Set(peers.map((peer) => peer.peerId))
  return [...session.unreachablePeers].filter((peerId) => !present.has(peerId)).length
}

function linkOf(session: BoardSession, peerId: string): PeerLink {
  if (session.relayedPeers.has(peerId)) return 'server'
  if (session.isDirect(peerId)) return session.isThroughTurn(peerId) ? 'turn' : 'direct'
  return session.unreachablePeers.has(peerId) ? 'unreachable' : 'connecting'
}
