/**
 * The one place that touches private parts of y-webrtc, simple-peer, lib0 and Yjs (issue 21, item
 * 4). Everything else in src goes through the hooks here, each of which says which private field
 * or behaviour it relies on. They were written and checked against exactly the versions in
 * WIRED_AGAINST; package.json pins those (simple-peer, which y-webrtc brings, by an override), and
 * test/unit/wire-contract.test.ts checks that the installed packages are those versions and runs
 * real y-webrtc providers over @roamhq/wrtc through these hooks (chunking, pieces, the relay filter,
 * quiet tabs). Moving any of these packages to another version means reading its source against
 * each hook below first: nothing of this is their public API.
 *
 * src/wire is the bottom layer, beneath src/model: the model needs Yjs internals too (the update
 * screen, versions) and must not import src/net, so the adapter sits where every layer may import
 * it. It imports only those vendor packages, never another layer of the app.
 *
 * Nothing here imports y-webrtc at runtime: the y-webrtc module in use (the app's, or one instance
 * per peer in tests) hands its Room class to the hook that needs it.
 */
import * as decoding from 'lib0/decoding'
import { length, toUint8Array, writeUint8Array, writeVarUint } from 'lib0/encoding'
import type { Room, WebrtcProvider } from 'y-webrtc'
import * as Y from 'yjs'

/** The exact versions every hook here was read against. */
export const WIRED_AGAINST = {
  'y-webrtc': '10.3.0',
  'simple-peer': '9.11.1',
  lib0: '0.2.120',
  yjs: '13.6.33',
  'y-protocols': '1.0.7',
} as const

export type { Room, WebrtcProvider }

/** The y-webrtc module a board connects with: the app's own import, or a separate instance of it (tests). */
export interface YWebrtc {
  readonly WebrtcProvider: typeof WebrtcProvider
  readonly Room: typeof Room
}

// ---- y-webrtc's message types (y-webrtc.js, not exported) ----

/** y-webrtc's first byte of a y-protocols sync message (`messageSync`). */
export const MESSAGE_SYNC = 0
/** y-webrtc's first byte of a presence update (`messageAwareness`). */
export const MESSAGE_AWARENESS = 1
/** y-webrtc's first byte of a request for everyone's presence (`messageQueryAwareness`). */
export const MESSAGE_QUERY_AWARENESS = 3

// ---- simple-peer 9.11.1, as y-webrtc makes it (`new Peer({ initiator, ...peerOpts })`) ----

/** A peer whose received messages come out of `emit('data', message)`, as simple-peer's do. */
export interface EmittingPeer {
  emit(event: string | symbol, ...args: unknown[]): boolean
}

/** The public parts of simple-peer's Peer that the app uses (an EventEmitter and Duplex stream). */
export interface SimplePeer extends EmittingPeer {
  connected: boolean
  send(data: Uint8Array): void
  destroyed: boolean
  destroy(): void
  on(event: 'connect' | 'close', listener: () => void): void
  on(event: 'stream', listener: (stream: MediaStream) => void): void
  on(event: 'data', listener: (data: unknown) => void): void
  off(event: 'connect' | 'close', listener: () => void): void
  off(event: 'stream', listener: (stream: MediaStream) => void): void
  off(event: 'data', listener: (data: unknown) => void): void
  addStream(stream: MediaStream): void
  removeStream(stream: MediaStream): void
}

/** A peer with an open WebRTC connection, by its y-webrtc id (which its presence carries). */
export interface ConnectedPeer {
  readonly peerId: string
  readonly peer: SimplePeer
}

/**
 * simple-peer's data channel: the private `_channel` (set from its RTCPeerConnection's own
 * channel, or the one 'datachannel' gave it; null once destroyed).
 */
export function dataChannelOf(peer: SimplePeer): RTCDataChannel | null {
  return (peer as { _channel?: RTCDataChannel | null })._channel ?? null
}

/**
 * One step of a peer's chain of screens (chainPeerData): it sees each message the peer received
 * before the steps after it, and passes it on with `next` (the same message, or another in its
 * place), or keeps it from them by returning without calling `next`. What it returns is what
 * `emit` returns.
 */
export type DataStep = (data: unknown, next: (data: unknown) => boolean) => boolean

const chained = new WeakSet<EmittingPeer>()

/**
 * Runs every message `peer` receives through `steps`, in their order, before simple-peer hands it
 * to its 'data' listeners (y-webrtc's reading of it among them). simple-peer 9.11.1 delivers a
 * message by `this.push(data)` into its readable stream, which calls `emit('data', data)` on the
 * peer: the peer's own `emit` is replaced, once, by one that runs the chain. Returns what undoes
 * it. A peer is chained once, with every step its board has, in one explicit order.
 */
export function chainPeerData(peer: EmittingPeer, steps: readonly DataStep[]): () => void {
  if (chained.has(peer)) throw new Error('chainPeerData: this peer already has its chain')
  chained.add(peer)
  const own = Object.prototype.hasOwnProperty.call(peer, 'emit')
  const emit = peer.emit
  const chain = function emitThroughChain(this: EmittingPeer, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'data') return emit.call(this, event, ...args)
    const rest = args.slice(1)
    const run = (index: number, data: unknown): boolean => {
      const step = steps[index]
      return step ? step(data, (next) => run(index + 1, next)) : emit.call(this, event, data, ...rest)
    }
    return run(0, args[0])
  }
  peer.emit = chain
  return () => {
    if (!chained.delete(peer) || peer.emit !== chain) return
    if (own) peer.emit = emit
    else delete (peer as Partial<EmittingPeer>).emit
  }
}

// ---- y-webrtc 10.3.0: the provider, its room and the room's connections ----

/**
 * The room of `provider` once y-webrtc has made it (`provider.room`): made, and connected, in
 * y-webrtc's own handler of `provider.key`, so it exists when a handler added after it runs.
 */
export function whenRoom(provider: WebrtcProvider): Promise<Room | null> {
  return Promise.resolve(provider.key).then(() => provider.room)
}

/** The provider's room (`provider.room`), or null before y-webrtc has made it. */
export function roomOf(provider: WebrtcProvider): Room | null {
  return provider.room
}

/** This peer's id in signaling (`room.peerId`): what other peers know it by. */
export function roomPeerId(room: Room): string {
  return room.peerId
}

/**
 * The room's WebRTC connections (`room.webrtcConns`: WebrtcConn by remote peer id, each with its
 * simple-peer as `conn.peer`), from the moment signaling announced them, connected or not.
 */
export function roomPeers(room: Room): ConnectedPeer[] {
  return [...room.webrtcConns].map(([peerId, conn]) => ({ peerId, peer: conn.peer as SimplePeer }))
}

/** lib0 0.2.120's WebsocketClient, as y-webrtc's SignalingConn extends it (public fields of lib0's class). */
export interface SignalingClient {
  connected: boolean
  connecting: boolean
  unsuccessfulReconnects: number
  on(event: 'connect' | 'disconnect', listener: () => void): void
  off(event: 'connect' | 'disconnect', listener: () => void): void
}

/** The provider's signaling connection (`provider.signalingConns`, one per URL, shared by every provider of the page on it). */
export function signalingClientOf(provider: WebrtcProvider): SignalingClient | undefined {
  return (provider.signalingConns as unknown as SignalingClient[])[0]
}

/** Whether a transaction of this origin applied a message from one of the room's peers (y-webrtc reads sync messages with the room as origin). */
export function fromRoomPeers(room: Room, origin: unknown): boolean {
  return origin === room
}

/**
 * Sends an update on y-webrtc's way (a sync 'update' message to every connection of the room, and
 * to other tabs while the room posts to them), or to every connection but `except`'s.
 */
export type RoomSend = (update: Uint8Array, origin: unknown, except?: unknown) => void

/**
 * Puts `route` between the document's updates and y-webrtc's sending of them. y-webrtc listens to
 * the document with `room._docUpdateHandler` (which writes the update and sends it to every entry
 * of `room.webrtcConns` and posts it to other tabs while `room.bcconnected`); `route` is called in
 * its place, with that handler as `send`. It replaces `_docUpdateHandler` on the room as well, so
 * y-webrtc's own disconnect and connect take off and put on `route`. Call it on a connected room.
 *
 * `send(update, origin, except)` leaves the connection of `except` out of that one send by taking
 * its entry out of `webrtcConns` for the length of the (synchronous) call; when `except` is not
 * one of the room's connections, it sends to all.
 */
export function routeRoomUpdates(room: Room, doc: Y.Doc, route: (update: Uint8Array, origin: unknown, send: RoomSend) => void): void {
  const handler = room._docUpdateHandler
  const send: RoomSend = (update, origin, except) => {
    const conns = room.webrtcConns
    const entry = except === undefined ? undefined : [...conns].find(([, conn]) => conn.peer === except)
    if (!entry) return handler(update, origin)
    conns.delete(entry[0])
    try {
      handler(update, origin)
    } finally {
      conns.set(entry[0], entry[1])
    }
  }
  const routed = (update: Uint8Array, origin: unknown) => route(update, origin, send)
  room._docUpdateHandler = routed
  doc.off('update', handler)
  doc.on('update', routed)
}

// ---- y-webrtc 10.3.0 and other tabs (lib0 0.2.120's broadcastchannel) ----

/**
 * What a room's connect can do instead of y-webrtc's (overrideConnect). y-webrtc's `connect()`
 * listens to the document and presence, announces itself to signaling, subscribes
 * `room._bcSubscriber` to lib0's broadcastchannel under the room's name, sets `room.bcconnected`
 * (without which nothing is posted to other tabs) and posts to other tabs its peer id, a sync step
 * 1, the whole document (sync step 2), a presence query and its own presence.
 */
export interface RoomConnect {
  readonly room: Room
  /** y-webrtc's own connect(). */
  connect(): void
  /**
   * y-webrtc's connect() with an empty stand-in for the document while it runs (connect reads
   * `room.doc` only synchronously; the stand-in has the document's client id, under which presence
   * is announced), and `bcconnected` cleared after: other tabs hear of an empty document and no
   * changes after it. Signaling, peers and presence go on as usual.
   */
  connectWithoutTabs(): void
  /** Whether the room posts changes to other tabs (`room.bcconnected`). */
  readonly postingToTabs: boolean
}

const connectOverrides = new WeakMap<object, (connect: RoomConnect) => void>()
const overriddenRooms = new WeakSet<typeof Room>()

/**
 * Has `override` connect the room of `provider` in place of y-webrtc's connect(). Call it right
 * after making the provider: y-webrtc makes its room, and connects it, only once the provider's
 * key is derived. y-webrtc calls `room.connect()` from its own module (the provider's handler of
 * its key, and `provider.connect()`), so the hook is on `Room.prototype.connect` of that module,
 * put there once; rooms of other providers connect as y-webrtc's do.
 */
export function overrideConnect(RoomClass: typeof Room, provider: WebrtcProvider, override: (connect: RoomConnect) => void): void {
  connectOverrides.set(provider, override)
  if (overriddenRooms.has(RoomClass)) return
  overriddenRooms.add(RoomClass)
  const connect = RoomClass.prototype.connect
  RoomClass.prototype.connect = function connectAsOverridden(this: Room): void {
    const chosen = connectOverrides.get(this.provider)
    if (!chosen) return connect.call(this)
    const room = this
    chosen({
      room,
      connect: () => connect.call(room),
      connectWithoutTabs: () => connectWithoutTabs(room, connect),
      get postingToTabs() {
        return room.bcconnected
      },
    })
  }
}

function connectWithoutTabs(room: Room, connect: (this: Room) => void): void {
  const doc = room.doc
  const standIn = new Y.Doc()
  standIn.clientID = doc.clientID
  room.doc = standIn
  try {
    connect.call(room)
  } finally {
    room.doc = doc
    standIn.off('update', room._docUpdateHandler)
    standIn.destroy()
  }
  doc.on('update', room._docUpdateHandler)
  room.bcconnected = false
}

/** What lib0's broadcastchannel hands a subscriber: a message, and 'broadcastchannel' when it came from another tab. */
export type TabSubscriber = (data: ArrayBuffer, origin?: unknown) => unknown

/**
 * Puts `make(y-webrtc's subscriber)` in the place of the room's subscriber to other tabs
 * (`room._bcSubscriber`, which decrypts a message and reads it as a peer's). y-webrtc subscribes and
 * unsubscribes that same function on connect and disconnect, so call this once per room, before
 * it connects.
 */
export function replaceTabSubscriber(room: Room, make: (subscriber: TabSubscriber) => TabSubscriber): void {
  room._bcSubscriber = make(room._bcSubscriber as TabSubscriber) as Room['_bcSubscriber']
}

/**
 * Whether a message came from another tab. lib0's `publish()` hands every message to the page's own
 * subscribers too, with the origin its caller gave (y-webrtc gives none); messages that came
 * through the BroadcastChannel from another tab have the origin 'broadcastchannel'.
 */
export function isFromOtherTab(origin: unknown): boolean {
  return origin === 'broadcastchannel'
}

/**
 * A message from another tab, opened as y-webrtc's crypto.js seals it with the room's key
 * (`room.key`): var string 'AES-GCM', var IV, var ciphertext; plain when the board has no key.
 * Null when it cannot be opened (y-webrtc then drops it too).
 */
export async function openTabMessage(room: Room, data: ArrayBuffer): Promise<Uint8Array | null> {
  const message = new Uint8Array(data)
  const key = room.key as CryptoKey | null
  if (!key) return message
  try {
    const decoder = decoding.createDecoder(message)
    if (decoding.readVarString(decoder) !== 'AES-GCM') return null
    const iv = decoding.readVarUint8Array(decoder)
    const cipher = decoding.readVarUint8Array(decoder)
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer> }, key, cipher as Uint8Array<ArrayBuffer>))
  } catch {
    return null
  }
}

// ---- Yjs 13.6.33 documents (lib0 0.2.120's ObservableV2) and their store ----

/** Whether Yjs holds structs or deletions back for a missing dependency (`doc.store.pendingStructs`, `pendingDs`). */
export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null
}

/**
 * Runs `apply` (which applies `update` to `doc` in a transaction of `origin`) with nobody
 * listening to the document's 'update' (Yjs encodes every transaction anew for those listeners);
 * then, if that transaction changed the document by `changed`, emits 'update' with `update`
 * itself, as Yjs emits its own encoding: (update, origin, doc, transaction). lib0's ObservableV2
 * keeps listeners in `_observers` (a Set by event name): the set is taken out and put back.
 * `update` may repeat what the document had: applying an update twice changes nothing.
 */
export function applyAsUpdate<T>(doc: Y.Doc, update: Uint8Array, origin: unknown, changed: (transaction: Y.Transaction) => boolean, apply: () => T): T {
  const observers = (doc as unknown as { _observers: Map<string, Set<(...args: unknown[]) => void>> })._observers
  const listeners = observers.get('update')
  let applied: Y.Transaction | null = null
  const note = (transaction: Y.Transaction) => {
    if (transaction.origin === origin) applied = transaction
  }
  observers.delete('update')
  doc.on('afterTransaction', note)
  let result: T
  try {
    result = apply()
  } finally {
    doc.off('afterTransaction', note)
    if (listeners) observers.set('update', listeners)
  }
  if (applied && changed(applied)) doc.emit('update', [update, origin, doc, applied])
  return result
}

export type Struct = Y.Item | Y.GC

/** Every struct of the document, by client, each client's in clock order (`doc.store.clients`). */
export function structsByClient(doc: Y.Doc): ReadonlyMap<number, readonly Struct[]> {
  return doc.store.clients
}

/**
 * What a struct refers to and must not arrive before: an item's left and right origins and the
 * item of the type it is in (`parent._item`; null for a root type). A GC refers to nothing.
 */
export function referencesOf(struct: Struct): Y.ID[] {
  if (!(struct instanceof Y.Item)) return []
  const references: Y.ID[] = []
  if (struct.origin) references.push(struct.origin)
  if (struct.rightOrigin) references.push(struct.rightOrigin)
  const parent = struct.parent instanceof Y.AbstractType ? struct.parent._item?.id : null
  if (parent) references.push(parent)
  return references
}

/** A run of one client's consecutive structs, written as Yjs writes them into an update (V1). */
export class StructRun {
  count = 0
  private readonly encoder = new Y.UpdateEncoderV1()

  /** `clock`: of the run's first struct (after any offset into it). */
  constructor(readonly clock: number) {}

  /** Writes `struct` from `offset` on (`struct.write`, as Yjs's writeStructs does); returns the bytes it took. */
  write(struct: Struct, offset: number): number {
    const before = length(this.encoder.restEncoder)
    struct.write(this.encoder, offset)
    this.count++
    return length(this.encoder.restEncoder) - before
  }

  /** The written structs' bytes. */
  bytes(): Uint8Array {
    return toUint8Array(this.encoder.restEncoder)
  }
}

/** A V1 update of these runs (by client) and no deletions, laid out as Yjs's own writeClientsStructs does. */
export function updateOfRuns(runs: ReadonlyMap<number, StructRun>): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  const out = encoder.restEncoder
  writeVarUint(out, runs.size)
  for (const [client, run] of runs) {
    writeVarUint(out, run.count)
    encoder.writeClient(client)
    writeVarUint(out, run.clock)
    writeUint8Array(out, run.bytes())
  }
  // The delete set: no clients.
  writeVarUint(out, 0)
  return encoder.toUint8Array()
}

// ---- RTCDataChannel as simple-peer 9.11.1 uses it ----

type ListenerMethod = (
  this: RTCDataChannel,
  type: string,
  listener: EventListenerOrEventListenerObject | null,
  options?: boolean | AddEventListenerOptions | EventListenerOptions,
) => void

/** What takes a data channel's place for simple-peer (takeOverDataChannel). */
export interface DataChannelStandIn {
  send(data: unknown): void
  /** `onmessage = handler`: the handler to call with each message; the property reads back null. */
  setMessageHandler(handler: unknown): void
  /** `binaryType`, read and set (unknown values are ignored, as the IDL enum attribute does). */
  binaryType: BinaryType
  addMessageListener(listener: EventListenerOrEventListenerObject | null, options: boolean | AddEventListenerOptions | undefined): void
  removeMessageListener(listener: EventListenerOrEventListenerObject | null): void
}

/** The channel's own members, from before it was taken over. */
export interface NativeDataChannel {
  /** What binaryType was (it is 'arraybuffer' natively from now on). */
  readonly binaryType: BinaryType
  send(data: Uint8Array<ArrayBuffer>): void
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void
}

/**
 * Has `standIn` take the place of the channel's messages, for whoever holds the channel: own
 * `send`, `onmessage`, `binaryType`, `addEventListener` and `removeEventListener` are defined on
 * the channel INSTANCE (everything else — readyState, bufferedAmount, close, the other on*
 * handlers — stays native). simple-peer 9.11.1 sets the channel's `binaryType` and `onmessage`,
 * reads `bufferedAmount`, sets `bufferedAmountLowThreshold` and `onbufferedamountlow`, and writes
 * with `send`; it receives the channel inside the platform's RTCDataChannelEvent, whose `channel`
 * is read-only, hence the instance and not a wrapper. The native channel reads ArrayBuffers from
 * now on; its own members are returned for the stand-in's use.
 *
 * `onmessage` reads back null: @roamhq/wrtc dispatches every message by reading `this.onmessage`,
 * which would otherwise hand the stand-in's handler every raw message too.
 */
export function takeOverDataChannel(channel: RTCDataChannel, standIn: DataChannelStandIn): NativeDataChannel {
  const send = channel.send as (data: Uint8Array<ArrayBuffer>) => void
  const add = channel.addEventListener as ListenerMethod
  const remove = channel.removeEventListener as ListenerMethod
  const native: NativeDataChannel = {
    binaryType: channel.binaryType,
    send: (data) => send.call(channel, data),
    addEventListener: (type, listener, options) => add.call(channel, type, listener, options),
    removeEventListener: (type, listener, options) => remove.call(channel, type, listener, options),
  }
  channel.binaryType = 'arraybuffer'
  Object.defineProperties(channel, {
    send: {
      configurable: true,
      writable: true,
      value: function send(data: unknown): void {
        standIn.send(data)
      },
    },
    onmessage: {
      configurable: true,
      get: () => null,
      set: (handler: unknown) => standIn.setMessageHandler(handler),
    },
    binaryType: {
      configurable: true,
      get: () => standIn.binaryType,
      set: (value: unknown) => {
        if (value === 'arraybuffer' || value === 'blob') standIn.binaryType = value
      },
    },
    addEventListener: {
      configurable: true,
      writable: true,
      value: function addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
        if (type !== 'message') return add.call(channel, type, listener, options)
        standIn.addMessageListener(listener, options)
      },
    },
    removeEventListener: {
      configurable: true,
      writable: true,
      value: function removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
        if (type !== 'message') return remove.call(channel, type, listener, options)
        standIn.removeMessageListener(listener)
      },
    },
  })
  return native
}
