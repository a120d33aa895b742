/**
 * src/wire, y-webrtc 10.3.0: its message types, the provider, its room and the room's connections,
 * its signaling connection (lib0 0.2.120's WebsocketClient) and other tabs (lib0's
 * broadcastchannel). Part of the wire adapter (wire-internals.ts says what the layer is); every
 * hook names the private field or behaviour it relies on, read against exactly these versions.
 *
 * Nothing here imports y-webrtc at runtime: the y-webrtc module in use (the app's, or one instance
 * per peer in tests) hands its Room class to the hook that needs it.
 */
import * as decoding from 'lib0/decoding'
import type { Room, WebrtcProvider } from 'y-webrtc'
import * as Y from 'yjs'
import type { SimplePeer } from './simple-peer-internals'

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

// ---- y-webrtc 10.3.0: the provider, its room and the room's connections ----

/**
 * The room of `provider` once y-webrtc has made it (`provider.room`): made, and connected, in
 * y-webrtc's own handler of `provider.key`, so it exists when a handler added after it runs.
 */
export function whenRoom(provider: WebrtcProvider): Promise<Room | null> {
  return Promise.resolve(provider.key).then(() => provider.room)
}

/** A peer with an open WebRTC connection, by its y-webrtc id (which its presence carries). */
export interface ConnectedPeer {
  readonly peerId: string
  readonly peer: SimplePeer
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

/**
 * The socket the signaling client writes on now (lib0's `client.ws`): a new WebSocket on each
 * (re)connect, still CONNECTING until it opens; null between sockets.
 */
export function signalingSocketOf(client: SignalingClient): WebSocket | null {
  return (client as unknown as { ws: WebSocket | null }).ws
}

/**
 * Puts `intercept` in the place of the client's `send` for everyone who sends through it: y-webrtc
 * (subscribe, publish) and lib0's own pings. lib0's `WebsocketClient.prototype.send` writes
 * `JSON.stringify(message)` on `client.ws` whenever there is one, open or not (a CONNECTING socket
 * throws); `intercept` gets that send, bound, and decides. An own `send` on the instance; y-webrtc
 * shares one client per URL between providers, so intercept a client once.
 */
export function interceptSignalingSends(client: SignalingClient, intercept: (message: unknown, send: (message: unknown) => void) => void): void {
  const own = client as unknown as { send(message: unknown): void }
  const send = own.send.bind(client)
  own.send = (message) => intercept(message, send)
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
export function routeRoomUpdates(
  room: Room,
  doc: Y.Doc,
  route: (update: Uint8Array, origin: unknown, send: RoomSend, transaction: Y.Transaction | undefined) => void,
): void {
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
  // Yjs's 'update' listeners get (update, origin, doc, transaction); y-webrtc declares the first two.
  const routed = (update: Uint8Array, origin: unknown, _doc?: Y.Doc, transaction?: Y.Transaction) => route(update, origin, send, transaction)
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
