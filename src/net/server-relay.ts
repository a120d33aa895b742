/**
 * The relay through the server (DESIGN.md §12) for peers that find each other but cannot open a
 * WebRTC connection (two home-router NATs without TURN, a firewall). It speaks on its own
 * signaling topic (derived, store-keys.ts), every message sealed with the relay key, so the server
 * forwards what it cannot read. WebRTC stays the fast path: the relay carries this user's changes
 * and presence only while someone on the board is not connected directly, and ignores what comes
 * from peers that are.
 *
 * Who is on the board comes from a hello every few seconds; a peer heard from but still not
 * connected directly after a grace period is "through the server". Small changes travel inline;
 * a change too big for one signaling frame is announced once stored, and fetched from the store.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { fromBase64, toBase64 } from 'lib0/buffer'
import { WebsocketClient } from 'lib0/websocket'
import * as Y from 'yjs'
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates, type Awareness } from 'y-protocols/awareness'
import { screenUpdate } from '../model/update-screen'
import { readPresence } from './presence'
import { seal, unseal } from './sealed'
import type { StoreKeys } from './store-keys'

/** How long a peer heard of through the relay may take to connect directly before the relay carries its changes. */
const DIRECT_GRACE_MS = 3000
const HELLO_INTERVAL_MS = 5000
/** A peer not heard from for this long has left (it missed several hellos). */
const GONE_AFTER_MS = 16_000
const TICK_MS = 500
/** A newcomer is greeted at once, but one greeting answers all the newcomers of this moment. */
const GREETING_GAP_MS = 250
/** Changes gather this long before they go: about a second of latency in all, and few frames. */
const SEND_BATCH_MS = 80
/** Largest change sent inline: sealed and base64'd, it must fit the server's 64 KiB frames. */
const RELAY_INLINE_MAX_BYTES = 40 * 1024

const HELLO = 0
const BYE = 1
const UPDATE = 2
const AWARENESS = 3
const STORED = 4

export interface RelayOptions {
  readonly doc: Y.Doc
  readonly awareness: Awareness
  readonly keys: StoreKeys
  readonly signalingUrl: string
  /** This peer's id, the one its presence carries (y-webrtc's), once known. */
  readonly peerId: string
  /** Ids of the peers with an open WebRTC connection. */
  readonly directPeers: () => ReadonlySet<string>
  /** Whether an update with this transaction origin is this user's own change. */
  readonly isOwnChange: (origin: unknown) => boolean
  /** Who is relayed changed. */
  readonly onChange: () => void
  /** The store holds something new this peer should read (a big change, or someone newly relayed). */
  readonly onStoreChanged: () => void
  /** A relayed peer sent a change the update screen refused: nothing more of it is taken. */
  readonly onRefused: (peerId: string, reason: string) => void
}

interface Seen {
  readonly firstSeen: number
  lastSeen: number
  /** When it was last seen connected directly (0: never). */
  lastDirect: number
}

export class ServerRelay {
  private readonly socket: WebsocketClient
  private readonly roster = new Map<string, Seen>()
  private relayed = new Set<string>()
  private pendingUpdates: Uint8Array[] = []
  private sendTimer: ReturnType<typeof setTimeout> | undefined
  private awarenessDirty = false
  /** A change was too big to send inline: relayed peers get it from the store. */
  private storeHasBig = false
  private readonly ticker: ReturnType<typeof setInterval>
  private lastHello = 0
  private destroyed = false
  /** Peers whose changes were refused: whatever else they send is ignored. */
  private readonly refused = new Set<string>()

  constructor(private readonly options: RelayOptions) {
    this.socket = new WebsocketClient(options.signalingUrl)
    this.socket.on('connect', this.onConnect)
    this.socket.on('message', this.onMessage)
    options.doc.on('update', this.onUpdate)
    options.awareness.on('update', this.onAwareness)
    this.ticker = setInterval(() => this.tick(), TICK_MS)
    globalThis.addEventListener?.('pagehide', this.sayBye)
  }

  /** Peers on the board that this one reaches only through the server. */
  get relayedPeers(): ReadonlySet<string> {
    return this.relayed
  }

  /**
   * Peers on the board by the relay's account (directly connected ones included). A peer whose
   * direct connection closed counts again only once heard from since: one whose browser died
   * sends nothing more, and must not look reachable until it is forgotten.
   */
  get knownPeers(): ReadonlySet<string> {
    const direct = this.options.directPeers()
    return new Set([...this.roster].filter(([peerId, seen]) => direct.has(peerId) || seen.lastSeen > seen.lastDirect).map(([peerId]) => peerId))
  }

  /** Ignores everything the peer with this id sends from now on (its data was refused). */
  block(peerId: string): void {
    this.refused.add(peerId)
    this.forget(peerId)
    this.recompute()
  }

  /**
   * One of this user's changes is stored: relayed peers are told to read the store if a change
   * too big to send inline is waiting for it. `settled`: nothing else of this user's is on its way.
   */
  announceStored(settled: boolean): void {
    if (!this.storeHasBig) return
    if (settled) this.storeHasBig = false
    if (this.relayed.size > 0) void this.publish(STORED, () => {})
  }

  destroy(): void {
    this.destroyed = true
    this.sayBye()
    globalThis.removeEventListener?.('pagehide', this.sayBye)
    clearInterval(this.ticker)
    clearTimeout(this.sendTimer)
    this.options.doc.off('update', this.onUpdate)
    this.options.awareness.off('update', this.onAwareness)
    this.socket.off('connect', this.onConnect)
    this.socket.off('message', this.onMessage)
    this.socket.destroy()
  }

  private readonly onConnect = () => {
    this.socket.send({ type: 'subscribe', topics: [this.options.keys.relayTopic] })
    this.hello()
  }

  private readonly sayBye = () => {
    if (this.socket.connected) void this.publish(BYE, () => {})
  }

  private hello(): void {
    this.lastHello = performance.now()
    void this.publish(HELLO, () => {})
  }

  private tick(): void {
    const now = performance.now()
    if (now - this.lastHello >= HELLO_INTERVAL_MS && this.socket.connected) this.hello()
    const gone: string[] = []
    for (const [peerId, seen] of this.roster) if (now - seen.lastSeen > GONE_AFTER_MS) gone.push(peerId)
    for (const peerId of gone) this.forget(peerId)
    this.recompute()
  }

  /** Works out who is relayed; someone newly relayed gets this user's presence, and the store is read for what they have. */
  private recompute(): void {
    const now = performance.now()
    const direct = this.options.directPeers()
    const relayed = new Set<string>()
    for (const [peerId, seen] of this.roster) {
      if (direct.has(peerId)) seen.lastDirect = now
      else if (now - seen.firstSeen >= DIRECT_GRACE_MS && seen.lastSeen > seen.lastDirect) relayed.add(peerId)
    }
    const added = [...relayed].some((peerId) => !this.relayed.has(peerId))
    const changed = added || relayed.size !== this.relayed.size
    this.relayed = relayed
    if (!changed) return
    if (added) {
      this.awarenessDirty = true
      this.scheduleSend()
      this.options.onStoreChanged()
    }
    this.options.onChange()
  }

  private forget(peerId: string): void {
    this.roster.delete(peerId)
    const clients: number[] = []
    this.options.awareness.getStates().forEach((state, clientId) => {
      if (clientId !== this.options.awareness.clientID && readPresence(clientId, state)?.peerId === peerId) clients.push(clientId)
    })
    if (clients.length > 0) removeAwarenessStates(this.options.awareness, clients, this)
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (this.relayed.size === 0 || !this.options.isOwnChange(origin)) return
    this.pendingUpdates.push(update)
    this.scheduleSend()
  }

  private readonly onAwareness = ({ added, updated, removed }: AwarenessChanges, origin: unknown) => {
    if (this.relayed.size === 0 || origin === this) return
    const own = this.options.awareness.clientID
    if ([...added, ...updated, ...removed].includes(own)) {
      this.awarenessDirty = true
      this.scheduleSend()
    }
  }

  private scheduleSend(): void {
    this.sendTimer ??= setTimeout(() => {
      this.sendTimer = undefined
      this.sendPending()
    }, SEND_BATCH_MS)
  }

  private sendPending(): void {
    if (this.pendingUpdates.length > 0) {
      const update = Y.mergeUpdates(this.pendingUpdates)
      this.pendingUpdates = []
      // Too big for a frame: the store has it soon, and announceStored tells the relayed peers.
      if (update.byteLength <= RELAY_INLINE_MAX_BYTES) void this.publish(UPDATE, (encoder) => encoding.writeVarUint8Array(encoder, update))
      else this.storeHasBig = true
    }
    if (this.awarenessDirty) {
      this.awarenessDirty = false
      const update = encodeAwarenessUpdate(this.options.awareness, [this.options.awareness.clientID])
      void this.publish(AWARENESS, (encoder) => encoding.writeVarUint8Array(encoder, update))
    }
  }

  private async publish(kind: number, write: (encoder: encoding.Encoder) => void): Promise<void> {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, kind)
    encoding.writeVarString(encoder, this.options.peerId)
    write(encoder)
    const { relayKey, relayTopic } = this.options.keys
    const sealed = await seal(relayKey, 'relay', relayTopic, encoding.toUint8Array(encoder))
    // lib0's client sends on a socket still connecting, which throws: what is said then is lost anyway.
    if (!this.socket.connected || (this.destroyed && kind !== BYE)) return
    this.socket.send({ type: 'publish', topic: relayTopic, data: toBase64(sealed) })
  }

  private readonly onMessage = (message: unknown) => {
    const { relayTopic } = this.options.keys
    if (!isRecord(message) || message.type !== 'publish' || message.topic !== relayTopic || typeof message.data !== 'string') return
    void this.receive(message.data).catch(() => {
      // Not sealed with this board's relay key, or malformed: nobody on this board sent it.
    })
  }

  private async receive(data: string): Promise<void> {
    const { relayKey, relayTopic } = this.options.keys
    const plain = await unseal(relayKey, 'relay', relayTopic, fromBase64(data))
    if (this.destroyed) return
    const decoder = decoding.createDecoder(plain)
    const kind = decoding.readVarUint(decoder)
    const from = decoding.readVarString(decoder)
    if (from === this.options.peerId || from.length === 0 || from.length > 64 || this.refused.has(from)) return
    if (kind === BYE) {
      this.forget(from)
      return this.recompute()
    }
    const now = performance.now()
    const seen = this.roster.get(from)
    if (seen) seen.lastSeen = now
    else {
      this.roster.set(from, { firstSeen: now, lastSeen: now, lastDirect: 0 })
      // A newcomer hears of us at once rather than at our next hello.
      if (now - this.lastHello > GREETING_GAP_MS) this.hello()
      this.options.onChange()
    }
    // Peers connected directly send all of this over WebRTC already.
    if (this.options.directPeers().has(from)) {
      this.roster.get(from)!.lastDirect = now
      return
    }
    switch (kind) {
      case UPDATE: {
        const update = decoding.readVarUint8Array(decoder)
        const refused = screenUpdate(this.options.doc, update)
        if (refused) {
          this.block(from)
          return this.options.onRefused(from, refused)
        }
        Y.applyUpdate(this.options.doc, update, this)
        break
      }
      case AWARENESS:
        applyAwarenessUpdate(this.options.awareness, decoding.readVarUint8Array(decoder), this)
        break
      case STORED:
        this.options.onStoreChanged()
        break
    }
  }
}

interface AwarenessChanges {
  readonly added: readonly number[]
  readonly updated: readonly number[]
  readonly removed: readonly number[]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
