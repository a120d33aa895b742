/**
 * src/wire, simple-peer 9.11.1 (as y-webrtc 10.3.0 makes it: `new Peer({ initiator, ...peerOpts })`)
 * and the RTCDataChannel it writes to: the peer's private `_channel`, its `emit`, and the channel
 * taken over for chunking. Part of the wire adapter (wire-internals.ts says what the layer is);
 * every hook names the private field or behaviour it relies on, read against exactly this version.
 */

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

/** The parts of simple-peer 9.11.1's Peer, undocumented or private, that the hooks below read. */
interface PeerInternals {
  /** From `opts.initiator` (y-webrtc: whether this side's announcement came second). */
  readonly initiator?: boolean
  /** Made in the constructor (`new (wrtc.RTCPeerConnection)(config)`); null once destroyed. */
  readonly _pc?: RTCPeerConnection | null
  _channel?: RTCDataChannel | null
  negotiate(): void
  _createOffer(): void
}

const internals = (peer: SimplePeer) => peer as unknown as PeerInternals

/**
 * simple-peer's RTCPeerConnection: the private `_pc`, made in its constructor from `opts.wrtc`'s
 * (or the platform's) RTCPeerConnection; null once the peer is destroyed (`_destroy` closes and
 * clears it, then emits 'close').
 */
export function peerConnectionOf(peer: SimplePeer): RTCPeerConnection | null {
  return internals(peer)._pc ?? null
}

/** Whether this side made the first offer: `peer.initiator` (undocumented; set from `opts.initiator`). */
export function isInitiator(peer: SimplePeer): boolean {
  return internals(peer).initiator === true
}

/**
 * Asks for a new negotiation, as simple-peer does when a track is added (`peer.negotiate()`,
 * undocumented): the initiator makes an offer on the next task unless it is negotiating already
 * (then once that ends); the other side sends the initiator a 'renegotiate' signal. Throws on a
 * destroyed peer.
 */
export function negotiate(peer: SimplePeer): void {
  internals(peer).negotiate()
}

/**
 * Makes, sets and sends an offer at once, whatever the negotiation state (the private
 * `peer._createOffer()`; negotiate() would wait for the answer to the last offer first, for good
 * when that offer was lost). Does nothing on a destroyed peer.
 */
export function offerAgain(peer: SimplePeer): void {
  internals(peer)._createOffer()
}

/**
 * simple-peer's data channel: the private `_channel` (set from its RTCPeerConnection's own
 * channel, or the one 'datachannel' gave it; null once destroyed).
 */
export function dataChannelOf(peer: SimplePeer): RTCDataChannel | null {
  return internals(peer)._channel ?? null
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
