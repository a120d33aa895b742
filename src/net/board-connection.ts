/**
 * The link to other peers of one board: a y-webrtc provider on our signaling server, with data
 * channels that chunk large messages (chunked-channel.ts) and no ICE servers unless configured.
 * It turns y-webrtc's internals (read through wire-internals.ts) into two honest facts: how many
 * peers are connected over WebRTC, and whether we can currently find new ones.
 *
 * Each peer's messages go through one chain, in this order: the peer screen (nothing refused
 * reaches the others), the joiner answers (requests for the board are answered here), the relay
 * filter (which notes the source while y-webrtc applies the message), then y-webrtc. Every
 * listener put on a peer is taken off again when it closes or this connection is destroyed.
 */
import { msg } from '@lit/localize'
import * as yWebrtcModule from 'y-webrtc'
import type * as Y from 'yjs'
import { removeAwarenessStates, type Awareness } from 'y-protocols/awareness'
import { messageYjsSyncStep2 } from 'y-protocols/sync'
import { chunkedReceipt, chunkedWrtc, incomingBytes, receiveMemory, type WrtcImplementation } from './chunked-channel'
import { IceRecovery } from './ice-recovery'
import { JoinerAnswers } from './joiner-answers'
import { readPresence } from './presence'
import { PeerScreen } from './peer-screen'
import { RelayFilter } from './relay-filter'
import { dropSendsWhileConnecting } from './signaling-sends'
import { quietUntilAnotherTab } from './tab-channel'
import {
  chainPeerData,
  dataChannelOf,
  MESSAGE_SYNC,
  roomOf,
  roomPeerId,
  roomPeers,
  signalingClientOf,
  whenRoom,
  type ConnectedPeer,
  type Room,
  type SignalingClient,
  type SimplePeer,
  type WebrtcProvider,
  type YWebrtc,
} from '../wire/wire-internals'

export type { ConnectedPeer, SimplePeer }

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
  /**
   * The y-webrtc module to connect with (default: this app's). Tests give each peer of one process
   * its own instance of it: y-webrtc keeps its rooms in a module-level map, one per name.
   */
  readonly yWebrtc?: YWebrtc
}

/**
 * Topics open in this page, by y-webrtc module: y-webrtc allows one provider per room per module
 * (it throws, uncatchably, in a promise).
 */
const openTopics = new WeakMap<YWebrtc['WebrtcProvider'], Set<string>>()

export class BoardAlreadyOpenError extends Error {
  override name = 'BoardAlreadyOpenError'
  constructor() {
    super(msg('This board is already open in another <mesh-board> on this page.', { id: 'connection.already-open', desc: 'shown in the status line; <mesh-board> is the name of the board element in the page, not to be translated' }))
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
  /** Peers being watched, with what takes everything this put on each off again. */
  private readonly watched = new Map<SimplePeer, () => void>()
  private readonly topics: Set<string>
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
  private readonly onPeers = ({ removed }: { removed: string[] }) => {
    this.forgetPresences(removed)
    this.watchPeers()
  }

  constructor(private readonly options: ConnectionOptions) {
    const yWebrtc = options.yWebrtc ?? yWebrtcModule
    let topics = openTopics.get(yWebrtc.WebrtcProvider)
    if (!topics) openTopics.set(yWebrtc.WebrtcProvider, (topics = new Set()))
    if (topics.has(options.topic)) throw new BoardAlreadyOpenError()
    topics.add(options.topic)
    this.topics = topics
    this.answers = new JoinerAnswers(options.doc, (peer, reason) => this.refuse(peer as SimplePeer, reason))
    this.screen = new PeerScreen({
      doc: options.doc,
      awareness: options.awareness,
      peerIdOf: (peer) => this.peerEntries().find((entry) => entry.peer === peer)?.peerId,
      directPeerIds: () => this.directPeerIds(),
      onRefused: (peer, reason) => this.refuse(peer as SimplePeer, reason),
    })
    this.recovery = new IceRecovery(options.rtc, this.update)
    this.provider = new yWebrtc.WebrtcProvider(options.topic, options.doc, {
      signaling: [options.signalingUrl],
      password: options.key,
      awareness: options.awareness,
      peerOpts: { wrtc: chunkedWrtc(options.wrtc), config: options.rtc },
    })
    // Before the room exists: y-webrtc makes and connects it once the key is derived.
    quietUntilAnotherTab(yWebrtc, this.provider, options.doc)
    this.signaling = signalingClientOf(this.provider)
    if (this.signaling) dropSendsWhileConnecting(this.signaling)
    this.signaling?.on('connect', this.update)
    this.signaling?.on('disconnect', this.update)
    this.provider.on('peers', this.onPeers)
    this.whenPeerId = whenRoom(this.provider).then((room) => {
      if (!room) return new Promise<string>(() => {})
      this.relayFor(room)
      // Peers learn our y-webrtc id through presence, so they can drop us the moment we disconnect.
      options.awareness.setLocalStateField('peerId', roomPeerId(room))
      return roomPeerId(room)
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
    for (const peer of this.peers()) {
      const channel = dataChannelOf(peer)
      if (channel) bytes += Math.max(incomingBytes(channel), this.piecesFrom(peer))
    }
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
    const channel = dataChannelOf(peer)
    if (!channel || this.answered.has(peer)) return 0
    const receipt = chunkedReceipt(channel)
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
    this.provider.off('peers', this.onPeers)
    for (const unwatch of [...this.watched.values()]) unwatch()
    // disconnect() first: destroy() alone leaves the shared signaling socket open for good.
    this.provider.disconnect()
    this.provider.destroy()
    this.relay?.destroy()
    this.answers.destroy()
    this.recovery.destroy()
    this.topics.delete(this.options.topic)
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
    const room = roomOf(this.provider)
    return room ? roomPeers(room) : []
  }

  /** The relay filter of the room, made the first time it is needed (the room is connected by then). */
  private relayFor(room: Room): RelayFilter {
    return (this.relay ??= new RelayFilter(room, this.options.doc))
  }

  /**
   * A peer sent a change the update screen refused: it is disconnected, and a new connection from
   * it is closed at once for a while (it would only send the same again).
   */
  private refuse(peer: SimplePeer, reason: string): void {
    const peerId = this.peerEntries().find((entry) => entry.peer === peer)?.peerId
    if (peerId) this.refuseId(peerId, reason)
  }

  private refuseId(peerId: string, reason: string): void {
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

  /**
   * y-webrtc announces a peer before its connection opens and says nothing when it does. The
   * stream listener goes on now, not later: a stream arriving before anyone listens is lost.
   */
  private watchPeers(): void {
    const room = roomOf(this.provider)
    if (room) for (const { peerId, peer } of roomPeers(room)) {
      if (this.watched.has(peer)) continue
      if (this.isRefused(peerId)) {
        peer.destroy()
        continue
      }
      this.watch(room, peerId, peer)
    }
    this.update()
  }

  private watch(room: Room, peerId: string, peer: SimplePeer): void {
    const unchain = chainPeerData(peer, [
      this.screen.stepFor(peer),
      this.answers.stepFor(peer),
      this.relayFor(room).stepFor(peer),
    ])
    this.recovery.watch(peer)
    const onStream = (stream: MediaStream) => this.options.onStream?.(peerId, stream)
    // After y-webrtc's own listener: the answer is applied when this notes it.
    const onData = (data: unknown) => {
      if (isSyncStep2(data)) this.answered.add(peer)
    }
    // Kept from when it opens: simple-peer forgets its channel before it says 'close'.
    let channel = dataChannelOf(peer)
    const onConnect = () => {
      channel = dataChannelOf(peer) ?? channel
      this.update()
    }
    const onClose = () => {
      this.watched.get(peer)?.()
      // The chunked layer closed the channel of a peer that made this board hold more than
      // RECEIVE_BUDGET_BYTES or MAX_QUEUED_MESSAGES: kept away like one whose change was refused.
      if (channel && receiveMemory(channel).refused) this.refuseId(peerId, 'it sent more than a peer may make this board hold at once')
      this.update()
    }
    peer.on('stream', onStream)
    peer.on('data', onData)
    peer.on('connect', onConnect)
    peer.on('close', onClose)
    this.watched.set(peer, () => {
      this.watched.delete(peer)
      unchain()
      peer.off('stream', onStream)
      peer.off('data', onData)
      peer.off('connect', onConnect)
      peer.off('close', onClose)
    })
  }
}

function isSyncStep2(data: unknown): boolean {
  return data instanceof Uint8Array && data[0] === MESSAGE_SYNC && data[1] === messageYjsSyncStep2
}
