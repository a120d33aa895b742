/**
 * Everything that exists once per open board: the document, its undo history, local storage and
 * the peer connection. The element creates one per (board, key) and destroys it when either
 * changes or the element leaves the page.
 */
import * as Y from 'yjs'
import { msg, str } from '@lit/localize'
import { Awareness, removeAwarenessStates } from 'y-protocols/awareness'
import { History } from '../model/history'
import { signalingTopic, type BoardAddress } from '../net/board-address'
import { BoardConnection, type ConnectionStatus } from '../net/board-connection'
import { IceServers } from '../net/ice-servers'
import { readPresence } from '../net/presence'
import { VoiceMesh } from '../net/voice-mesh'
import { ServerRelay } from '../net/server-relay'
import { deriveStoreKeys, type StoreKeys } from '../net/store-keys'
import { isStoredOnDevice, LocalStore, type StoreState } from '../store/local-store'
import { ServerStore, type ServerStoreStatus } from '../store/server-store'
import { equalBytes } from '../store/copy-contents'
import { storeUrlFor } from '../store/store-wire'
import { LOCAL_ORIGIN } from '../model/board-doc'
import { BoardBudget } from '../model/board-budget'
import { WHOLE_BOARD_LIMITS, screenUpdate, watchDeletions } from '../model/update-screen'
import { openVersion, restoreVersion, shapesDeletedBy, type RestoreCounts } from '../model/versions'
import { MANY_SHAPES, VersionKeeper } from '../store/version-keeper'
import { ServerVersions } from '../store/server-versions'
import { VersionStore, type VersionInfo } from '../store/version-store'
import { unfinishedTransactions } from '../wire/wire-internals'

export interface SessionOptions {
  /** null: a scratch board that lives only in this tab. */
  readonly address: BoardAddress | null
  readonly signalingUrl: string
  readonly iceServers: readonly RTCIceServer[]
  readonly persist: boolean
  /** Keep an encrypted copy on the signaling URL's server and relay through it (store/server-store.ts, net/server-relay.ts). */
  readonly serverCopy: boolean
  /** Something observable changed: status, peers or storage state. */
  readonly onChange: () => void
  readonly onError: (error: unknown) => void
  /** A peer's audio arrived. */
  readonly onStream: (peerId: string, stream: MediaStream) => void
  /** The board is loaded from this device (or there is nothing to load) and joining its peers. */
  readonly onReady: () => void
  /** Something about the server's copy the user should be told (a limit reached, a refusal). */
  readonly onStoreProblem: (message: string) => void
  /** A peer sent data this board refused (model/update-screen.ts) and was disconnected; `name` as its presence says, if known. */
  readonly onPeerRefused: (name: string | null, reason: string) => void
  /** Part of what this device stored of the board was refused on reading it (`count` records) and left out. */
  readonly onStoredRefused: (count: number) => void
  /**
   * The document stopped applying changes (see checkWedged) and the board can be opened again
   * from what this device and its peers keep; null: it cannot (nothing of it is kept), and the
   * status says to reload.
   */
  readonly onWedged: (() => void) | null
}

/** This user's own changes: the ones this peer uploads and relays (others' are theirs to send). */
const isOwnChange = (origin: unknown): boolean => origin === LOCAL_ORIGIN || origin instanceof Y.UndoManager

const NOBODY: ReadonlySet<string> = new Set()
/** How long a first-time joiner waits for the server's copy before asking its peers for the board. */
const COPY_BEFORE_PEERS_MS = 3000
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const WEDGE_CHECK_MS = 1000
const wedgedMessage = (): string =>
  msg('This board stopped taking changes after an error: what is drawn now is not saved. Reload the page to go on.', { id: 'board.wedged' })

/**
 * How long someone may be found and not connected before they count as unreachable: past the
 * relay's grace (server-relay.ts) and a connection through TURN, which take a few seconds at most.
 */
const UNREACHABLE_AFTER_MS = 10_000

export class BoardSession {
  readonly doc = new Y.Doc()
  readonly history = new History(this.doc)
  /** How big the board may grow (model/board-budget.ts): refused past it, from here and from elsewhere. */
  private readonly budget = new BoardBudget(this.doc)
  readonly awareness = new Awareness(this.doc)
  readonly voice = new VoiceMesh(() => this.connection?.connectedPeers() ?? [])
  private store: LocalStore | null = null
  private storedFound!: (store: LocalStore | null) => void
  /**
   * The store, once known to hold the board from an earlier visit; null when there is nothing to
   * load (never stored here, or not kept on this device).
   */
  private readonly whenStored = new Promise<LocalStore | null>((resolve) => (this.storedFound = resolve))
  private connection: BoardConnection | null = null
  private serverStore: ServerStore | null = null
  private relay: ServerRelay | null = null
  private versions: VersionKeeper | null = null
  private versionStore: VersionStore | null = null
  private serverVersions: ServerVersions | null = null
  /** States of the versions listed from the server, by their (negative) ids. */
  private readonly serverStates = new Map<number, Uint8Array>()
  /** Peers whose data was refused, by y-webrtc id: the user is told once each. */
  private readonly refusedPeers = new Set<string>()
  private wedged = false
  private readonly wedgeCheck: ReturnType<typeof setInterval>
  private iceServers: IceServers | null = null
  /** When each peer found but not connected was first found, by peer id: after a while they count as unreachable. */
  private readonly foundAt = new Map<string, number>()
  private destroyed = false
  private readonly abort = new AbortController()

  constructor(private readonly options: SessionOptions) {
    void this.start().catch((error) => options.onError(error))
    // Leaving says goodbye at once, so others do not see a frozen cursor for 30 seconds.
    addEventListener('pagehide', () => removeAwarenessStates(this.awareness, [this.doc.clientID], 'page hidden'), {
      signal: this.abort.signal,
    })
    this.wedgeCheck = setInterval(() => this.checkWedged(), WEDGE_CHECK_MS)
  }

  /**
   * A transaction whose cleanup threw (something slipped past the update screen; Yjs's recursive
   * delete overflowed the stack) stays first in Yjs's cleanup queue for good, and no later
   * transaction is ever cleaned up: no change fires an update, so nothing is drawn, sent or saved.
   * Between tasks that queue is empty, so one that is not is that.
   */
  private checkWedged(): void {
    if (this.wedged || unfinishedTransactions(this.doc) === 0) return
    this.wedged = true
    clearInterval(this.wedgeCheck)
    console.error('meshboard: the board stopped applying changes (a transaction never finished)')
    this.options.onChange()
    this.options.onWedged?.()
  }

  get status(): ConnectionStatus {
    const status = this.connection?.status ?? (this.options.address ? 'connecting' : 'offline')
    return status !== 'connected' && this.relayedPeers.size > 0 ? 'connected' : status
  }

  /** People connected: directly over WebRTC, or through the server's relay. */
  get peerCount(): number {
    return (this.connection?.peerCount ?? 0) + this.relayedPeers.size
  }

  /** People found (through signaling or the relay) who are not connected yet, directly or through the server. */
  get connectingPeerCount(): number {
    return this.unconnected().length - this.unreachablePeers.size
  }

  /**
   * People found (through signaling or the relay) who have been reachable neither directly nor
   * through the server for longer than a connection takes: a NAT or firewall is in the way, and
   * no TURN relay (or no server copy and relay) gets around it.
   */
  get unreachablePeers(): ReadonlySet<string> {
    const now = performance.now()
    return new Set(this.unconnected().filter((peerId) => now - this.foundAt.get(peerId)! >= UNREACHABLE_AFTER_MS))
  }

  /** Whether the peer with this y-webrtc id is connected over WebRTC through a TURN relay. */
  isThroughTurn(peerId: string): boolean {
    return this.connection?.turnPeerIds().has(peerId) ?? false
  }

  /** Peers found but connected neither directly nor through the server, noting when each was first found. */
  private unconnected(): string[] {
    const found = new Set([...(this.connection?.announcedPeerIds() ?? []), ...(this.relay?.knownPeers ?? [])])
    for (const peerId of this.connection?.directPeerIds() ?? []) found.delete(peerId)
    for (const peerId of this.relayedPeers) found.delete(peerId)
    for (const peerId of this.foundAt.keys()) if (!found.has(peerId)) this.foundAt.delete(peerId)
    for (const peerId of found) {
      if (this.foundAt.has(peerId)) continue
      this.foundAt.set(peerId, performance.now())
      // Nothing else changes when the wait is over: the status must still say so.
      setTimeout(() => !this.destroyed && this.options.onChange(), UNREACHABLE_AFTER_MS)
    }
    return [...found]
  }

  /** Everyone this board knows of, by y-webrtc peer id: found through signaling or the relay, or connected. */
  knownPeerIds(): ReadonlySet<string> {
    return new Set([
      ...(this.connection?.announcedPeerIds() ?? []),
      ...(this.connection?.directPeerIds() ?? []),
      ...(this.relay?.knownPeers ?? []),
      ...this.relayedPeers,
    ])
  }

  /** Whether the peer with this y-webrtc id is connected over WebRTC. */
  isDirect(peerId: string): boolean {
    return this.connection?.directPeerIds().has(peerId) ?? false
  }

  /** Peers reached only through the server's relay, by y-webrtc peer id. */
  get relayedPeers(): ReadonlySet<string> {
    return this.relay?.relayedPeers ?? NOBODY
  }

  /** The server's encrypted copy: 'off' when not kept (store="off", or a server without a store). */
  get serverStatus(): ServerStoreStatus {
    if (this.wedged && this.serverStore) return 'error'
    return this.serverStore?.status ?? 'off'
  }

  /** Why the server's copy is behind, in words for the user; null when it is up to date or off. */
  get serverError(): string | null {
    if (this.wedged && this.serverStore) return wedgedMessage()
    return this.serverStore?.error ?? null
  }

  /** Bytes of the board arriving from a peer that have come so far (0 when nothing big is arriving). */
  get receivingBytes(): number {
    return this.connection?.receivingBytes ?? 0
  }

  /** Whether a peer or the server is sending the board in pieces and has not sent all of them yet. */
  get boardArriving(): boolean {
    return (this.connection?.boardArriving ?? false) || (this.serverStore?.arriving ?? false)
  }

  /** Whether the board's copy on the server is being read for the first time. */
  get readingServerCopy(): boolean {
    return this.serverStore?.receiving ?? false
  }

  get storeState(): StoreState | 'off' {
    if (this.wedged && this.store) return 'error'
    return this.store?.state ?? 'off'
  }

  get storeError(): string | null {
    if (this.wedged) return wedgedMessage()
    return this.store?.error ?? null
  }

  /** The view kept with the board on this device (render/kept-view.ts), as soon as it is read; undefined if none. */
  async readKeptView(): Promise<unknown> {
    return (await this.whenStored)?.keptView
  }

  /** Resolves once the board stored on this device is in the document (at once if none is stored). */
  async whenStoreLoaded(): Promise<void> {
    await (await this.whenStored)?.whenLoaded
  }

  keepView(view: unknown): Promise<void> {
    return this.store?.keepView(view) ?? Promise.resolve()
  }

  /** Writes pending local changes to storage now. */
  flush(): void {
    this.store?.flush()
    this.serverStore?.flush()
  }

  destroy(): void {
    this.destroyed = true
    clearInterval(this.wedgeCheck)
    this.abort.abort()
    removeAwarenessStates(this.awareness, [this.doc.clientID], 'destroy')
    this.voice.destroy()
    watchDeletions(this.doc, null)
    this.versions?.destroy()
    this.relay?.destroy()
    this.serverStore?.destroy()
    this.connection?.destroy()
    this.iceServers?.destroy()
    this.store?.destroy()
    this.history.destroy()
    this.budget.destroy()
    this.awareness.destroy()
    this.doc.destroy()
  }

  /**
   * Versions of the board kept on this device (store/version-keeper.ts), beside its database, and
   * with `keys` on its server as well (store/server-versions.ts).
   */
  private keepVersions(database: string, keys: StoreKeys | null): void {
    this.versionStore = new VersionStore(database)
    this.serverVersions = keys ? new ServerVersions({ keys, baseUrl: storeUrlFor(this.options.signalingUrl) }) : null
    const keeper = new VersionKeeper({
      doc: this.doc,
      awareness: this.awareness,
      store: this.versionStore,
      server: this.serverVersions,
      onChange: this.options.onChange,
    })
    this.versions = keeper
    watchDeletions(this.doc, (deleteSet) => {
      const count = shapesDeletedBy(this.doc, deleteSet, MANY_SHAPES)
      if (count > 0) keeper.beforeDeletion(count)
    })
  }

  /** Whether versions of the board are kept (on this device: only a board stored here has them). */
  get keepsVersions(): boolean {
    return this.versionStore !== null
  }

  /** Why the last version could not be kept, or null. */
  get versionError(): string | null {
    return this.versions?.error ?? null
  }

  /**
   * The versions kept on this device, and those on the server that this device does not have
   * (`onServer`, with ids below 0), oldest first. The server's are left out when it cannot be read,
   * and the second element says why.
   */
  async listVersions(): Promise<[VersionInfo[], string | null]> {
    const here = (await this.versionStore?.list()) ?? []
    let problem: string | null = null
    const there = await (this.serverVersions?.list() ?? Promise.resolve([])).catch((error: unknown) => {
      const reason = (error as Error).message
      problem = msg(str`The versions on the server could not be read: ${reason}`, { id: 'history.server-unreadable', desc: 'the placeholder is the technical reason, often in English' })
      return []
    })
    this.serverStates.clear()
    const known = (snapshot: Uint8Array) => here.some((version) => equalBytes(version.snapshot, snapshot))
    const fromServer = there
      .filter(({ info }) => !known(info.snapshot))
      .map(({ info, state }, index): VersionInfo => {
        const id = -(index + 1)
        this.serverStates.set(id, state)
        return { ...info, id, onServer: true }
      })
    return [[...here, ...fromServer].sort((a, b) => a.at - b.at), problem]
  }

  /** The board as a version has it, as a document of its own; null when the version is gone (or, from the server, refused). */
  async openVersion(id: number): Promise<Y.Doc | null> {
    const state = id < 0 ? this.serverStates.get(id) : await this.versionStore?.state(id)
    if (!state) return null
    // Anyone with the link can write to the server: its versions pass the update screen first.
    const refused = id < 0 ? screenUpdate(new Y.Doc(), state, WHOLE_BOARD_LIMITS) : null
    if (refused) {
      console.warn(`meshboard: a version on the server was refused: ${refused}`)
      return null
    }
    return openVersion(state)
  }

  /** Brings the board back to `version` as one change this user can undo; the board as it was is kept first. */
  restore(version: Y.Doc): RestoreCounts {
    this.versions?.keepNow('before-restore')
    this.history.beginGesture()
    const counts = restoreVersion(this.doc, version)
    this.history.beginGesture()
    return counts
  }

  private peerRefused(peerId: string, reason: string): void {
    if (this.refusedPeers.has(peerId)) return
    this.refusedPeers.add(peerId)
    let name: string | null = null
    this.awareness.getStates().forEach((state, clientId) => {
      const presence = readPresence(clientId, state)
      if (presence?.peerId === peerId) name = presence.user.name
    })
    // Refused on one path, kept off both: the other would carry the same.
    this.connection?.block(peerId)
    this.relay?.block(peerId)
    console.warn(`meshboard: disconnected ${name ?? 'a peer'} (${peerId}), whose data this board refused: ${reason}`)
    this.options.onPeerRefused(name, reason)
  }

  private async start(): Promise<void> {
    const { address } = this.options
    if (!address || !this.options.persist) this.storedFound(null)
    if (!address) return this.options.onReady()
    // Asked for at once: the answer usually comes while the board is read from this device.
    const iceServers = new IceServers(this.options.signalingUrl, this.options.iceServers)
    this.iceServers = iceServers
    const [topic, keys] = await Promise.all([
      signalingTopic(address),
      this.options.serverCopy ? deriveStoreKeys(address) : null,
    ])
    if (this.destroyed) return this.storedFound(null)
    /** Whether the board was read from this device (then the server's copy is read in the background). */
    let storedHere = false
    if (this.options.persist) {
      const name = `meshboard-${topic}`
      // Asked before the store opens its database, which creates it (IndexedDB answers requests in order).
      const stored = isStoredOnDevice(name)
      this.store = new LocalStore(name, this.doc, { onChange: this.options.onChange, onRefused: (count) => this.options.onStoredRefused(count) })
      this.keepVersions(name, keys)
      this.storedFound((await stored) ? this.store : null)
      // Connect with the local board loaded, so the first exchange with peers already carries it
      // (otherwise peers would send us what we have, and we them). A board this device never
      // stored has nothing to load: a first-time joiner connects at once, and what arrives before
      // the store is open is written when it opens (it stores the document it finds first).
      storedHere = await stored
      if (storedHere) await this.store.whenLoaded
      if (this.destroyed) return
    }
    this.options.onReady()
    this.budget.follow()
    void this.versions?.start()
    // Beside the peers, not after them: whichever has the board first gives it.
    if (keys) {
      this.serverStore = new ServerStore({
        doc: this.doc,
        keys,
        baseUrl: storeUrlFor(this.options.signalingUrl),
        isOwnChange,
        onChange: this.options.onChange,
        onProblem: this.options.onStoreProblem,
        onStored: () => this.relay?.announceStored(this.serverStatus !== 'saving'),
        alreadyHere: storedHere,
      })
    }
    // A connection made without the TURN servers would not reach a peer behind another NAT.
    await iceServers.whenFirstAnswered
    // A first-time joiner takes the board from the server's copy before it asks its peers: asked
    // while the copy was still arriving, a peer sends what it lacked then, and the joiner applied
    // both (a 10,000-stroke join took 3.0 s, against 1.9 s from the copy and 2.3-2.6 s from a peer).
    if (this.serverStore && !storedHere) await Promise.race([this.serverStore.whenLoaded, delay(COPY_BEFORE_PEERS_MS)])
    if (this.destroyed) return
    const connection = new BoardConnection({
      doc: this.doc,
      awareness: this.awareness,
      topic,
      key: address.key,
      signalingUrl: this.options.signalingUrl,
      rtc: iceServers.rtc,
      onChange: this.options.onChange,
      onStream: this.options.onStream,
      reachableElsewhere: (peerId) => this.relayedPeers.has(peerId),
      onRefused: (peerId, reason) => this.peerRefused(peerId, reason),
    })
    this.connection = connection
    this.options.onChange()
    if (keys) {
      const peerId = await connection.whenPeerId
      if (this.destroyed) return
      this.relay = new ServerRelay({
        doc: this.doc,
        awareness: this.awareness,
        keys,
        signalingUrl: this.options.signalingUrl,
        peerId,
        directPeers: () => connection.directPeerIds(),
        isOwnChange,
        onChange: this.options.onChange,
        onStoreChanged: () => void this.serverStore?.refresh(),
        onRefused: (peerId, reason) => this.peerRefused(peerId, reason),
      })
    }
  }
}
