/**
 * The link to other peers of one board: a y-webrtc provider on our signaling server, with data
 * channels that chunk large messages (chunked-channel.ts) and no ICE servers unless configured.
 * It turns y-webrtc's internals into two honest facts: how many peers are connected over WebRTC,
 * and whether we can currently find new ones.
 */
import { WebrtcProvider } from 'y-webrtc'
import type * as Y from 'yjs'
import { removeAwarenessStates, type Awareness } from 'y-protocols/awareness'
import { messageYjsSyncStep2 } from 'y-protocols/sync'
import { chunkedReceipt, chunkedWrtc, incomingBytes, type WrtcImplementation } from './chunked-channel'
import { IceRecovery, type RestartablePeer } from './ice-recovery'
import { JoinerAnswers, MESSAGE_SYNC } from './joiner-answers'
import { readPresence } from './presence'
import { PeerScreen } from './peer-screen'
import { RelayFilter } from './relay-filter'
import { dropSendsWhileConnecting, type SignalingSocket } from './signaling-sends'
import './tab-channel'

export type ConnectionStatus = 'offline' | 'connecting' | 'connected'

export interface ConnectionOptions {
  readonly doc: Y.Doc
  readonly awareness: Awareness
  /** The signaling topic (see board-address.ts), used as y-webrtc's room name. */
  readonly topic: string
  /** The board key: y-webrtc's password, which encrypts every signaling payload. */
  readonly key: string
  readonly signalingUrl: string
  /**
   * What every WebRTC connection is made with. The same object for all of them: its `iceServers`
   * may be replaced at any time (fresh TURN credentials, ice-servers.ts) and the next connection uses them.
   */
  readonly rtc: RTCConfiguration
  readonly onChange: () => void
  /** A peer sent a media stream (voice). Listened to from the moment a connection appears. */
  readonly onStream?: (peerId: string, stream: MediaStream) => void
  /**
   * The WebRTC classes to use, for environments without their own (Node: `@roamhq/wrtc`, as the
   * mesh benchmark's peers do). Default: the browser's. Chunked either way (chunked-channel.ts).
   */
  readonly wrtc?: WrtcImplementation
  /**
   * Whether a peer whose WebRTC connection closed is still reachable another way (the relay
   * through the server): its presence then stays.
   */
  readonly reachableElsewhere?: (peerId: string) => boolean
  /** A peer sent data the update screen refused (model/update-screen.ts); it is disconnected. */
  readonly onRefused?: (peerId: string, reason: string) => void
}

/** y-webrtc does not type its internals; these are the parts of simple-peer this app relies on. */
export interface SimplePeer {
  connected: boolean
  emit(event: string | symbol, ...args: unknown[]): boolean
  send(data: Uint8Array): void
  destroyed: boolean
  destroy(): void
  on(event: 'connect' | 'close', listener: () => void): void
  on(event: 'stream', listener: (stream: MediaStream) => void): void
  on(event: 'data', listener: (data: unknown) => void): void
  off(event: 'connect' | 'close', listener: () => void): void
  /** simple-peer's data channel (internal, stable across its versions). */
  readonly _channel?: RTCDataChannel | null
  addStream(stream: MediaStream): void
  removeStream(stream: MediaStream): void
}

/** A peer with an open WebRTC connection, by its y-webrtc id (which its presence carries). */
export interface ConnectedPeer {
  readonly peerId: string
  readonly peer: SimplePeer
}
interface SignalingClient {
  connected: boolean
  connecting: boolean
  unsuccessfulReconnects: number
  on(event: 'connect' | 'disconnect', listener: () => void): void
  off(event: 'connect' | 'disconnect', listener: () => void): void
}

/** Topics open in this page: y-webrtc allows one provider per room per page (it throws, uncatchably, in a promise). */
const openTopics = new Set<string>()

export class BoardAlreadyOpenError extends Error {
  override name = 'BoardAlreadyOpenError'
  constructor() {
    super('This board is already open in another <mesh-board> on this page.')
  }
}

/** How long a peer whose data was refused is not connected to again. */
const REFUSED_FOR_MS = 10 * 60 * 1000
/** How often the status is re-read while the signaling socket is down: lib0 reports failed attempts to nobody. */
const OFFLINE_RECHECK_MS = 1000
/**
 * A board sent in pieces counts as arriving while its chunks keep coming: after this long without
 * one, the sender is stuck or hostile (pieces and no answer), and the page no longer waits for it.
 */
const PIECES_QUIET_MS = 1000

export class BoardConnection {
  private readonly provider: WebrtcProvider
  private readonly signaling: SignalingClient | undefined
  private readonly watched = new Set<SimplePeer>()
  /** Peers whose answer to our request for the board (sync step 2) has arrived. */
  private readonly answered = new WeakSet<SimplePeer>()
  private relay: RelayFilter | null = null
  /** Peers whose changes were refused, by y-webrtc id, with when. */
  private readonly refused = new Map<string, number>()
  /** This peer's y-webrtc id, which its presence carries, once the room exists. */
  readonly whenPeerId: Promise<string>
  private readonly answers: JoinerAnswers
  private readonly screen: PeerScreen
  private readonly recovery: IceRecovery
  private readonly recheck: ReturnType<typeof setInterval>
  private readonly update = () => this.options.onChange()

  constructor(private readonly options: ConnectionOptions) {
    if (openTopics.has(options.topic)) throw new BoardAlreadyOpenError()
    openTopics.add(options.topic)
    this.answers = new JoinerAnswers(options.doc, (peer, reason) => this.refuse(peer as SimplePeer, reason))
    this.screen = new PeerScreen({
      doc: options.doc,
      awareness: options.awareness,
      peerIdOf: (peer) => this.peerEntries().find((entry) => entry.peer === peer)?.peerId,
      directPeerIds: () => this.directPeerIds(),
      onRefused: (peer, reason) => this.refuse(peer as SimplePeer, reason),
    })
    this.recovery = new IceRecovery(options.rtc, this.update)
    this.provider = new WebrtcProvider(options.topic, options.doc, {
      signaling: [options.signalingUrl],
      password: options.key,
      awareness: options.awareness,
      peerOpts: { wrtc: chunkedWrtc(options.wrtc), config: options.rtc },
    })
    this.signaling = (this.provider.signalingConns as unknown as SignalingClient[])[0]
    if (this.signaling) dropSendsWhileConnecting(this.signaling as unknown as SignalingSocket)
    this.signaling?.on('connect', this.update)
    this.signaling?.on('disconnect', this.update)
    this.provider.on('peers', ({ removed }: { removed: string[] }) => {
      this.forgetPresences(removed)
      this.watchPeers()
    })
    this.whenPeerId = Promise.resolve(this.provider.key).then(() => {
      // y-webrtc made and connected the room just before (in its own handler of the same promise).
      const room = this.provider.room
      if (!room) return new Promise<string>(() => {})
      this.relay = new RelayFilter(room, options.doc)
      // Peers learn our y-webrtc id through presence, so they can drop us the moment we disconnect.
      options.awareness.setLocalStateField('peerId', room.peerId)
      return room.peerId
    })
    this.recheck = setInterval(() => {
      if (!this.signaling?.connected) this.update()
    }, OFFLINE_RECHECK_MS)
  }

  /** Peers with an open WebRTC connection (not merely announced by signaling). */
  get peerCount(): number {
    let count = 0
    for (const peer of this.peers()) if (peer.connected) count++
    return count
  }

  /**
   * Bytes of the board arriving from peers (0 when nothing is): of big messages partly arrived,
   * or, from a peer sending the board in pieces, of all its pieces so far.
   */
  get receivingBytes(): number {
    let bytes = 0
    for (const peer of this.peers()) if (peer._channel) bytes += Math.max(incomingBytes(peer._channel), this.piecesFrom(peer))
    return bytes
  }

  /** Whether a peer is sending the board in pieces and has not sent all of them yet. */
  get boardArriving(): boolean {
    return this.peers().some((peer) => this.piecesFrom(peer) > 0)
  }

  /**
   * Bytes of the board `peer` is sending in pieces (joiner-answers.ts), 0 if it is not: big
   * messages from a peer that has not answered our request for the board yet, while they keep coming.
   */
  private piecesFrom(peer: SimplePeer): number {
    if (!peer._channel || this.answered.has(peer)) return 0
    const receipt = chunkedReceipt(peer._channel)
    return performance.now() - receipt.lastAt < PIECES_QUIET_MS ? receipt.bytes : 0
  }

  get status(): ConnectionStatus {
    if (this.peerCount > 0 || this.signaling?.connected) return 'connected'
    if (this.signaling?.connecting && this.signaling.unsuccessfulReconnects === 0) return 'connecting'
    return 'offline'
  }

  destroy(): void {
    clearInterval(this.recheck)
    this.signaling?.off('connect', this.update)
    this.signaling?.off('disconnect', this.update)
    for (const peer of this.watched) {
      peer.off('connect', this.update)
      peer.off('close', this.update)
    }
    // disconnect() first: destroy() alone leaves the shared signaling socket open for good.
    this.provider.disconnect()
    this.provider.destroy()
    this.relay?.destroy()
    this.answers.destroy()
    this.recovery.destroy()
    openTopics.delete(this.options.topic)
  }

  /**
   * A peer whose connection closed is gone now: waiting for awareness's 30-second timeout would
   * leave its cursor frozen on everyone's screen.
   */
  private forgetPresences(peerIds: readonly string[]): void {
    if (peerIds.length === 0) return
    const gone = new Set(peerIds)
    const clients: number[] = []
    this.options.awareness.getStates().forEach((state, clientId) => {
      const peerId = readPresence(clientId, state)?.peerId
      if (clientId === this.options.awareness.clientID || !peerId || !gone.has(peerId)) return
      if (!this.options.reachableElsewhere?.(peerId)) clients.push(clientId)
    })
    if (clients.length > 0) removeAwarenessStates(this.options.awareness, clients, 'peer disconnected')
  }

  /** Peers whose WebRTC connection is open. */
  connectedPeers(): ConnectedPeer[] {
    return this.peerEntries().filter(({ peer }) => peer.connected && !peer.destroyed)
  }

  /** Ids of the peers signaling has announced, connected or not. */
  announcedPeerIds(): string[] {
    return this.peerEntries()
      .map(({ peerId }) => peerId)
      .filter((peerId) => !this.isRefused(peerId))
  }

  /** Ids of the peers whose WebRTC connection is open. */
  directPeerIds(): Set<string> {
    return new Set(this.connectedPeers().map(({ peerId }) => peerId))
  }

  /** Ids of the peers whose open WebRTC connection goes through a TURN relay. */
  turnPeerIds(): Set<string> {
    return new Set(this.connectedPeers().filter(({ peer }) => this.recovery.throughTurn(peer)).map(({ peerId }) => peerId))
  }

  private peers(): SimplePeer[] {
    return this.peerEntries().map(({ peer }) => peer)
  }

  private peerEntries(): ConnectedPeer[] {
    const room = this.provider.room as unknown as { webrtcConns: Map<string, { peer: SimplePeer }> } | null
    return room ? [...room.webrtcConns].map(([peerId, conn]) => ({ peerId, peer: conn.peer })) : []
  }

  /**
   * y-webrtc announces a peer before its connection opens and says nothing when it does. The
   * stream listener goes on now, not later: a stream arriving before anyone listens is lost.
   */
  /**
   * A peer sent a change the update screen refused: it is disconnected, and a new connection from
   * it is closed at once for a while (it would only send the same again).
   */
  private refuse(peer: SimplePeer, reason: string): void {
    const peerId = this.peerEntries().find((entry) => entry.peer === peer)?.peerId
    if (!peerId) return
    const first = !this.refused.has(peerId)
    this.block(peerId)
    if (first) this.options.onRefused?.(peerId, reason)
  }

  /** Disconnects the peer with this y-webrtc id and keeps it away for a while (its data was refused). */
  block(peerId: string): void {
    this.refused.set(peerId, performance.now())
    for (const entry of this.peerEntries()) if (entry.peerId === peerId) entry.peer.destroy()
  }

  private isRefused(peerId: string): boolean {
    const since = this.refused.get(peerId)
    if (since === undefined) return false
    if (performance.now() - since < REFUSED_FOR_MS) return true
    this.refused.delete(peerId)
    return false
  }

  private watchPeers(): void {
    for (const { peerId, peer } of this.peerEntries()) {
      if (this.watched.has(peer)) continue
      if (this.isRefused(peerId)) {
        peer.destroy()
        continue
      }
      this.watched.add(peer)
      this.relay?.watch(peer)
      this.answers.watch(peer)
      // Last, so it sees every message first: nothing refused reaches the others.
      this.screen.watch(peer)
      this.recovery.watch(peer as RestartablePeer)
      peer.on('stream', (stream) => this.options.onStream?.(peerId, stream))
      // After y-webrtc's own listener: the answer is applied when this notes it.
      peer.on('data', (data) => {
        if (isSyncStep2(data)) this.answered.add(peer)
      })
      peer.on('connect', this.update)
      peer.on('close', () => {
        this.watched.delete(peer)
        this.update()
      })
    }
    this.update()
  }
}

function isSyncStep2(data: unknown): boolean {
  return data instanceof Uint8Array && data[0] === MESSAGE_SYNC && data[1] === messageYjsSyncStep2
}
