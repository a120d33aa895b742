/**
 * Chunked, back-pressured RTCDataChannels for y-webrtc (DESIGN.md §5, "Known hole: big boards").
 *
 * y-webrtc sends a joiner the whole document as one DataChannel message and swallows the send
 * error; Chromium refuses messages over 256 KiB (and @roamhq/wrtc silently closes the channel on
 * anything over the SDP max-message-size of 256 KiB), so big boards never reach late joiners. Rather
 * than forking y-webrtc we hand simple-peer (`peerOpts.wrtc`) an RTCPeerConnection subclass whose
 * data channels frame every message, split big ones into chunks, reassemble them on receipt and
 * pace sends by `bufferedAmount`.
 *
 * Wire format: every DataChannel message is a frame = 1 header byte + payload.
 *   header = 0b1100_z_t_pp  z: 1 if the message's bytes are deflated (deflate-raw)
 *                           t: 1 if the original message was a string (sent as UTF-8)
 *                           pp: 0 whole message, 1 chunk with more to come, 2 last chunk
 * The 0b1100 marker exists because y-protocols messages start with a small varuint (0..4): a peer
 * running an unpatched build is then reported as malformed instead of having its first byte eaten.
 * The channel is ordered and reliable and we never interleave two messages' chunks, so chunks need
 * neither message ids nor offsets. Both peers must use this module; it is all-or-nothing per board.
 *
 * Compression: binary messages of COMPRESS_FROM_BYTES or more (a board sent to a joiner) are
 * deflated as they are sent, their frames going out while the rest is still being compressed. A
 * Yjs update halves (a 10,000-stroke board: 5.2 to 2.5 MB). Where bytes are the limit (real
 * links: a home upload of 10 Mbit/s takes 4 s for 5 MB) a joiner gets the board in about half
 * the time; on loopback, Chromium's compressor (~21 MB/s) and a data channel (~11 MB/s) are about
 * even, so there it gains little. The receiver inflates the whole message, refusing to produce more
 * than MAX_MESSAGE_BYTES, and delivers every message in the order it was sent. Peers running a
 * build from before compression drop such messages as malformed (and say so).
 *
 * Memory across messages: the receiver inflates one message at a time (the messages after it wait,
 * deflated or not), and holds at most RECEIVE_BUDGET_BYTES and MAX_QUEUED_MESSAGES of messages not
 * yet delivered. A peer that goes past either is disconnected: its channel is closed, as when a
 * send fails (simple-peer then destroys the peer, y-webrtc drops the connection).
 *
 * Strings: y-webrtc only sends Uint8Array, but simple-peer's API accepts strings, so they are framed
 * as UTF-8 with the text bit and delivered as strings again (what a plain channel would do). Blobs
 * would need an asynchronous read that cannot keep send()'s synchronous contract, so they are refused.
 *
 * It runs in browsers (native RTCPeerConnection) and in Node (@roamhq/wrtc, passed in by the
 * caller), and uses the platform's CompressionStream. Taking the channel's place for simple-peer
 * is wire-internals.ts's (takeOverDataChannel).
 */
import { takeOverDataChannel, type NativeDataChannel } from '../wire/wire-internals'

/** Largest frame we put on the wire, header included: 16 KiB is the cross-browser safe size. */
export const CHUNK_BYTES = 16 * 1024
export const HEADER_BYTES = 1
export const CHUNK_PAYLOAD_BYTES = CHUNK_BYTES - HEADER_BYTES
/**
 * We stop handing frames to the channel while its `bufferedAmount` is at or above this, so it
 * never exceeds HIGH_WATER_MARK_BYTES + CHUNK_BYTES because of us. Big enough to keep a link busy
 * between 'bufferedamountlow' events (25 ms of a 10 MB/s link), far below Chromium's 16 MiB "send
 * queue full" closure. Not bigger: with 1 MiB queued, a board sent at full speed over loopback on a
 * busy two-core machine stalled for 0.25-0.5 s in most joins (SCTP retransmission waits); with
 * 256 KiB such stalls were rare and shorter.
 */
export const HIGH_WATER_MARK_BYTES = 256 * 1024
/**
 * Largest message we send or reassemble. A hostile peer can otherwise make us buffer without limit
 * by never sending a last chunk. 64 MiB is far above any board we expect.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024
/**
 * Most bytes a channel holds at once of messages received and not yet delivered: the message being
 * reassembled (its buffer), deflated messages waiting to be inflated, what the one being inflated
 * has produced so far, and the messages waiting behind it. MAX_MESSAGE_BYTES caps each message but
 * nothing capped them together: a peer sending 60 deflate bombs of 63 MiB back to back took a
 * victim to 2.9 GB. Twice the largest message, so that the largest message an honest peer can send
 * (deflated, then inflated to MAX_MESSAGE_BYTES: a 64 MiB board deflates to about half) fits with
 * room for what it sends meanwhile (a big board goes in 256 KiB pieces anyway, joiner-answers.ts).
 * A peer that makes us hold more is disconnected (the channel is closed).
 *
 * Not counted: the one synchronous copy that joins an inflated message's parts (for that moment the
 * message is there twice; never more than one at a time), and what the application keeps of
 * delivered messages.
 */
export const RECEIVE_BUDGET_BYTES = 2 * MAX_MESSAGE_BYTES
/**
 * Most messages waiting behind one that is being inflated. The budget counts their bytes but not
 * their objects (an empty message costs ~200 bytes of them and nothing of the budget). An honest
 * peer sends far fewer meanwhile: a few seconds of edits and presence (tens a second), or the
 * pieces of a board (256 KiB each: 4,096 of them are 1 GiB). Past it the channel is closed.
 */
export const MAX_QUEUED_MESSAGES = 4096
/**
 * @roamhq/wrtc has neither `bufferedAmountLowThreshold` nor the 'bufferedamountlow' event, so there
 * we can only poll. Short against the time 1 MiB takes to drain there (20-40 ms on loopback).
 */
export const DRAIN_POLL_MS = 5
/** Where the event exists we still re-check this often, in case it never comes (see waitForDrain). */
export const DRAIN_SAFETY_POLL_MS = 250
/**
 * Deflated frames of payloads their sender promised never to change (`shareUnchanged`), by payload:
 * the same board sent to several joiners is compressed once. Frames are only read once made.
 */
const deflatedFrames = new WeakMap<Uint8Array, Uint8Array<ArrayBuffer>[]>()
const unchanging = new WeakSet<Uint8Array>()

/**
 * The caller will never change `payload`'s bytes, and may send it on several channels: it is not
 * copied, and its deflated frames are kept with it (for as long as the caller keeps it) and reused.
 */
export function shareUnchanged(payload: Uint8Array): void {
  unchanging.add(payload)
}

/** Binary messages this big or bigger are deflated: below, the saving is not worth a delay. */
export const COMPRESS_FROM_BYTES = 64 * 1024
/** How much the compressor takes at a time, so that its first frames leave before it has read everything. */
const COMPRESS_SLICE_BYTES = 256 * 1024

const FRAME_MARKER = 0b1100_0000
const FRAME_MARKER_MASK = 0b1111_0000
const FRAME_COMPRESSED = 0b0000_1000
const FRAME_TEXT = 0b0000_0100
const FRAME_POSITION_MASK = 0b0000_0011
export const FRAME_WHOLE = FRAME_MARKER | 0
export const FRAME_MORE = FRAME_MARKER | 1
export const FRAME_LAST = FRAME_MARKER | 2
export const FRAME_TEXT_FLAG = FRAME_TEXT
export const FRAME_COMPRESSED_FLAG = FRAME_COMPRESSED

const POSITION_WHOLE = 0
const POSITION_LAST = 2

/** What simple-peer's `wrtc` option expects. */
export interface WrtcImplementation {
  RTCPeerConnection: typeof RTCPeerConnection
  RTCSessionDescription: typeof RTCSessionDescription
  RTCIceCandidate: typeof RTCIceCandidate
}

type MessageHandler = ((this: RTCDataChannel, event: MessageEvent) => unknown) | null

interface MessageListenerEntry {
  listener: EventListenerOrEventListenerObject
  once: boolean
}

let textEncoder: TextEncoder | undefined
let textDecoder: TextDecoder | undefined

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  // instanceof fails across realms (iframes, vm contexts), the brand check does not.
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]'
}

/** Copying is deliberate: like the native send(), the caller may reuse its buffer right after. */
function frameMessage(payload: Uint8Array, text: boolean): Uint8Array<ArrayBuffer>[] {
  const flag = text ? FRAME_TEXT : 0
  const length = payload.byteLength
  if (length <= CHUNK_PAYLOAD_BYTES) {
    const frame = new Uint8Array(length + HEADER_BYTES)
    frame[0] = FRAME_WHOLE | flag
    frame.set(payload, HEADER_BYTES)
    return [frame]
  }
  const frames: Uint8Array<ArrayBuffer>[] = []
  for (let offset = 0; offset < length; offset += CHUNK_PAYLOAD_BYTES) {
    const end = Math.min(offset + CHUNK_PAYLOAD_BYTES, length)
    const frame = new Uint8Array(end - offset + HEADER_BYTES)
    frame[0] = (end === length ? FRAME_LAST : FRAME_MORE) | flag
    frame.set(payload.subarray(offset, end), HEADER_BYTES)
    frames.push(frame)
  }
  return frames
}

function invalidState(message: string): Error {
  return typeof DOMException === 'function'
    ? new DOMException(message, 'InvalidStateError')
    : Object.assign(new Error(message), { name: 'InvalidStateError' })
}

/** Why inflate() stopped early: the receiver did not `take` a part (over its budget, or closed). */
class NotTaken extends Error {
  override name = 'NotTaken'
}

/**
 * The message a peer deflated, refusing to make more than `limit` bytes of it (a small message can
 * inflate to gigabytes). `take` is asked for every part before it is kept; when it says no, the
 * inflation stops and this rejects with NotTaken.
 */
async function inflate(
  deflated: Uint8Array<ArrayBuffer>,
  limit: number,
  take: (bytes: number) => boolean,
): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new DecompressionStream('deflate-raw')
  const writer = stream.writable.getWriter()
  // Errors surface on the reading side; these promises only need someone to hear them.
  writer.write(deflated).catch(() => {})
  writer.close().catch(() => {})
  const reader = stream.readable.getReader()
  const parts: Uint8Array[] = []
  let length = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    length += value.byteLength
    if (length > limit) {
      void reader.cancel().catch(() => {})
      throw new RangeError(`inflates to over MAX_MESSAGE_BYTES (${limit})`)
    }
    if (!take(value.byteLength)) {
      void reader.cancel().catch(() => {})
      throw new NotTaken('inflation stopped by the receiver')
    }
    parts.push(value)
  }
  // Joined here, synchronously, rather than through a Blob: its arrayBuffer() is asynchronous (the
  // parts and copies of them were held across a task) and copies twice.
  const message = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    message.set(part, offset)
    offset += part.byteLength
  }
  return message
}

/**
 * A message received whole, waiting to be delivered. `compressed` until it is inflated: `bytes` are
 * then the deflated ones. `held`: the bytes of it counted against RECEIVE_BUDGET_BYTES.
 */
interface Arrival {
  bytes: Uint8Array<ArrayBuffer>
  readonly text: boolean
  compressed: boolean
  held: number
}

/**
 * A throwing application handler must neither break our reassembly state nor stop the other
 * handlers; reporting it asynchronously is what the platform does for a throwing event handler.
 */
function reportHandlerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError
  if (typeof report === 'function') report(error)
  else
    queueMicrotask(() => {
      throw error
    })
}

/**
 * Per-channel state. It takes the channel's place for simple-peer (wire-internals.ts
 * takeOverDataChannel: own `send`, `onmessage`, `binaryType`, `addEventListener`,
 * `removeEventListener` on the channel INSTANCE; everything else, readyState, bufferedAmount,
 * label, onbufferedamountlow, close, ..., stays native with no forwarding code to get wrong).
 *
 * Raw frames reach us through a real 'message' listener, and `onmessage` only stores the
 * application's handler (it reads back null). Nor can the reassembler live in the native
 * `onmessage` slot: wrtc has no such slot, only a property read. A listener behaves the same everywhere.
 */
class ChunkedChannel {
  private readonly queue: Uint8Array<ArrayBuffer>[] = []
  /** Messages sent while a big one is being compressed: they go out after it, in order. */
  private held: { payload: Uint8Array<ArrayBuffer>; text: boolean }[] | null = null
  private waiting = false
  private drainTimer: ReturnType<typeof setTimeout> | undefined
  private readonly onDrain = (): void => this.resume()

  /** Reassembly buffer, grown by doubling: a flood of tiny chunks costs bytes, not objects. */
  private assembly: Uint8Array<ArrayBuffer> | null = null
  private assembled = 0
  /** The header's z and t bits of the message being reassembled. */
  private assemblingKind = 0
  /**
   * Messages not yet delivered because one before them is still being inflated: the first one,
   * which is `inflatingNow`. Only one is inflated at a time: side by side, every deflate bomb of a
   * flood grew at once (and it is no faster: browsers inflate on this thread).
   */
  private readonly inbox: Arrival[] = []
  /** The first message of the inbox while it is being inflated. */
  private inflatingNow: Arrival | null = null
  /** Bytes of the deflated messages waiting to be inflated or being inflated, for progress. */
  private inflating = 0
  /** Bytes counted against RECEIVE_BUDGET_BYTES now, and the most there ever were. */
  private heldBytes = 0
  private peakHeldBytes = 0
  /** The peer went past RECEIVE_BUDGET_BYTES or MAX_QUEUED_MESSAGES: nothing more of it is read, the channel is closing. */
  private refused = false
  /** Bytes of every chunked message received whole so far (as sent), for progress. */
  private chunkedReceived = 0
  /** When the last chunk of a chunked message arrived (performance.now()); -Infinity before any. */
  private lastChunkAt = -Infinity
  /** After dropping part of a message, skip its remaining chunks rather than misread them. */
  private discarding = false
  private warned = false

  private onMessage: MessageHandler = null
  private readonly listeners: MessageListenerEntry[] = []
  private binaryType: BinaryType = 'arraybuffer'

  /** The channel's own members: frames go out and come in through them. */
  private readonly native: NativeDataChannel

  constructor(private readonly channel: RTCDataChannel) {
    const self = this
    // Natively the channel now reads ArrayBuffers (reassembly needs the bytes synchronously); the
    // application's choice of binaryType is honoured on delivery.
    this.native = takeOverDataChannel(channel, {
      send: (data) => this.send(data),
      setMessageHandler: (handler) => {
        this.onMessage = typeof handler === 'function' ? (handler as MessageHandler) : null
      },
      get binaryType() {
        return self.binaryType
      },
      set binaryType(value: BinaryType) {
        self.binaryType = value
      },
      addMessageListener: (listener, options) => this.addMessageListener(listener, options),
      removeMessageListener: (listener) => this.removeMessageListener(listener),
    })
    this.binaryType = this.native.binaryType
    this.native.addEventListener('message', (event: Event) => this.onRawMessage(event as MessageEvent))
    this.native.addEventListener('close', () => this.reset())
  }

  // ---- sending ----

  send(data: unknown): void {
    const channel = this.channel
    if (channel.readyState !== 'open') {
      throw invalidState(`RTCDataChannel.send: readyState is '${channel.readyState}', not 'open'`)
    }
    let payload: Uint8Array
    let text = false
    if (typeof data === 'string') {
      payload = (textEncoder ??= new TextEncoder()).encode(data)
      text = true
    } else if (ArrayBuffer.isView(data)) {
      // The caller's own object where it is one: shareUnchanged() knows payloads by identity.
      payload = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    } else if (isArrayBuffer(data)) {
      payload = new Uint8Array(data)
    } else {
      throw new TypeError('chunked RTCDataChannel.send: expected a string, ArrayBuffer or ArrayBufferView')
    }
    if (payload.byteLength > MAX_MESSAGE_BYTES) {
      // y-webrtc swallows send errors, so say it out loud as well.
      console.warn(
        `[meshboard] chunked-channel: refusing to send a ${payload.byteLength}-byte message (limit ${MAX_MESSAGE_BYTES})`,
      )
      throw new RangeError(`message of ${payload.byteLength} bytes exceeds MAX_MESSAGE_BYTES (${MAX_MESSAGE_BYTES})`)
    }

    this.sendPayload(payload, text, false)
  }

  /** `owned`: the bytes are ours to keep (otherwise they are copied, as the caller may reuse them). */
  private sendPayload(payload: Uint8Array, text: boolean, owned: boolean): void {
    const own = (): Uint8Array<ArrayBuffer> =>
      owned || unchanging.has(payload) ? (payload as Uint8Array<ArrayBuffer>) : payload.slice()
    if (this.held) {
      this.held.push({ payload: own(), text })
      return
    }
    const compress = !text && payload.byteLength >= COMPRESS_FROM_BYTES && typeof CompressionStream === 'function'
    if (compress && !deflatedFrames.has(payload)) {
      this.held = []
      void this.sendCompressed(own())
      return
    }
    const frames = compress ? deflatedFrames.get(payload)! : frameMessage(payload, text)
    if (frames.length === 1 && this.queue.length === 0 && !this.waiting && this.channel.bufferedAmount < HIGH_WATER_MARK_BYTES) {
      // Small messages on an idle channel go out synchronously, so a native send error still
      // reaches the caller exactly as it would without this layer.
      this.native.send(frames[0]!)
      return
    }
    for (const frame of frames) this.queue.push(frame)
    if (!this.waiting) this.pump()
  }

  /** Deflates `payload` and queues its frames as the compressor produces them; then the messages held meanwhile. */
  private async sendCompressed(payload: Uint8Array<ArrayBuffer>): Promise<void> {
    const channel = this.channel
    try {
      const stream = new CompressionStream('deflate-raw')
      const writer = stream.writable.getWriter()
      const fed = (async () => {
        for (let offset = 0; offset < payload.byteLength; offset += COMPRESS_SLICE_BYTES) {
          await writer.write(payload.subarray(offset, offset + COMPRESS_SLICE_BYTES))
          // Stream steps chain as microtasks: without a task boundary the whole message would be
          // compressed in one long task, and the channel's drain events could not refill it meanwhile.
          await new Promise((resolve) => setTimeout(resolve))
        }
        await writer.close()
      })()
      // When the channel closes, the reader is cancelled and the writer fails: nobody needs to hear it.
      fed.catch(() => {})
      const reader = stream.readable.getReader()
      let frame = new Uint8Array(CHUNK_BYTES)
      let filled = HEADER_BYTES
      const made: Uint8Array<ArrayBuffer>[] = []
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        if (channel.readyState !== 'open') {
          void reader.cancel().catch(() => {})
          return
        }
        for (let offset = 0; offset < value.byteLength; ) {
          const taken = Math.min(CHUNK_BYTES - filled, value.byteLength - offset)
          frame.set(value.subarray(offset, offset + taken), filled)
          filled += taken
          offset += taken
          if (filled < CHUNK_BYTES) continue
          frame[0] = FRAME_MORE | FRAME_COMPRESSED
          this.queue.push(frame)
          made.push(frame)
          frame = new Uint8Array(CHUNK_BYTES)
          filled = HEADER_BYTES
        }
        if (!this.waiting) this.pump()
      }
      await fed
      const last = frame.slice(0, filled)
      last[0] = (made.length === 0 ? FRAME_WHOLE : FRAME_LAST) | FRAME_COMPRESSED
      this.queue.push(last)
      made.push(last)
      if (unchanging.has(payload)) deflatedFrames.set(payload, made)
    } catch (error) {
      // The peer may hold part of the message: a dead connection is better than a corrupt one.
      this.warnOnce('compressing a message failed, closing the channel', error)
      this.closeBroken()
      return
    } finally {
      const held = this.held ?? []
      this.held = null
      if (channel.readyState === 'open') for (const message of held) this.sendPayload(message.payload, message.text, true)
    }
    if (!this.waiting) this.pump()
  }

  private pump(): void {
    const channel = this.channel
    while (this.queue.length > 0) {
      if (channel.readyState !== 'open') {
        this.dropQueue()
        return
      }
      if (channel.bufferedAmount >= HIGH_WATER_MARK_BYTES) {
        this.waitForDrain()
        return
      }
      const frame = this.queue.shift()!
      try {
        this.native.send(frame)
      } catch (error) {
        // Nobody is on the stack to hear this, and the peer may now hold part of a message: close
        // the channel so simple-peer (and y-webrtc) see a dead connection instead of a corrupt one.
        this.warnOnce('send failed, closing the channel', error)
        this.closeBroken()
        return
      }
    }
  }

  private closeBroken(): void {
    this.dropQueue()
    try {
      this.channel.close()
    } catch {
      // Already closing: nothing more to do.
    }
  }

  private waitForDrain(): void {
    this.waiting = true
    const channel = this.channel
    const threshold = (channel as { bufferedAmountLowThreshold?: unknown }).bufferedAmountLowThreshold
    // The event only fires when bufferedAmount falls from above the threshold to at or below it.
    // simple-peer sets the threshold to 64 KiB; if someone set it at or above our mark, the event
    // may never come, so then poll, like where the event does not exist (@roamhq/wrtc).
    const eventWillFire = typeof threshold === 'number' && channel.bufferedAmount > threshold
    if (eventWillFire) this.native.addEventListener('bufferedamountlow', this.onDrain)
    this.drainTimer = setTimeout(this.onDrain, eventWillFire ? DRAIN_SAFETY_POLL_MS : DRAIN_POLL_MS)
  }

  private stopWaiting(): void {
    if (!this.waiting) return
    this.waiting = false
    clearTimeout(this.drainTimer)
    this.drainTimer = undefined
    this.native.removeEventListener('bufferedamountlow', this.onDrain)
  }

  private resume(): void {
    if (!this.waiting) return
    this.stopWaiting()
    this.pump()
  }

  private dropQueue(): void {
    this.stopWaiting()
    this.queue.length = 0
    if (this.held) this.held.length = 0
  }

  private reset(): void {
    this.dropQueue()
    this.dropReceived()
  }

  /** Forgets every message received and not yet delivered (an inflation under way stops at its next part). */
  private dropReceived(): void {
    this.clearAssembly()
    this.discarding = false
    this.inbox.length = 0
    this.inflatingNow = null
    this.inflating = 0
    this.heldBytes = 0
  }

  // ---- receiving ----

  private onRawMessage(event: MessageEvent): void {
    try {
      this.receive(event.data)
    } catch (error) {
      // Only our own bug can get here; losing one message beats breaking the connection.
      this.warnOnce('internal error while reassembling, message dropped', error)
      this.clearAssembly()
    }
  }

  private receive(data: unknown): void {
    // Frames already on their way when we refused the peer, or when the channel was closed here
    // (a peer whose data was refused is destroyed): Chromium goes on delivering them until the
    // close completes, and a flood of deflate bombs kept the page inflating for seconds after.
    if (this.refused || this.channel.readyState !== 'open') return this.dropReceived()
    let frame: Uint8Array
    if (isArrayBuffer(data)) frame = new Uint8Array(data)
    else if (ArrayBuffer.isView(data)) frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    else return this.malformed(`non-binary frame (${typeof data})`)

    const header = frame[0]
    if (header === undefined) return this.malformed('empty frame')
    const position = header & FRAME_POSITION_MASK
    if ((header & FRAME_MARKER_MASK) !== FRAME_MARKER || position > POSITION_LAST) {
      return this.malformed(`bad frame header 0x${header.toString(16).padStart(2, '0')}`)
    }
    const kind = header & (FRAME_TEXT | FRAME_COMPRESSED)
    if (kind === (FRAME_TEXT | FRAME_COMPRESSED)) return this.malformed('compressed text frame')
    const payload = frame.subarray(HEADER_BYTES)

    if (position === POSITION_WHOLE) {
      // Self-contained, so deliverable even amid garbage; a partial message before it is lost.
      if (this.assembly) this.malformed('unterminated chunked message')
      this.discarding = false
      return this.arrived(payload.slice(), kind)
    }
    if (this.discarding) {
      if (position === POSITION_LAST) this.discarding = false
      return
    }
    if (!this.assembly) {
      if (position === POSITION_LAST) return this.malformed('last chunk without a first')
      this.assemblingKind = kind
    } else if (this.assemblingKind !== kind) {
      this.malformed('chunk kind changed mid-message')
      if (position === POSITION_LAST) this.discarding = false
      return
    }
    this.lastChunkAt = performance.now()
    const appended = this.append(payload)
    if (appended === 'too big') {
      this.warnOnce(`reassembled message over MAX_MESSAGE_BYTES (${MAX_MESSAGE_BYTES}), dropped`)
      this.clearAssembly()
      this.discarding = position !== POSITION_LAST
      return
    }
    if (appended === 'over budget') return this.refuse('a chunked message arriving')
    if (position === POSITION_LAST) {
      const assembly = this.assembly!
      const length = this.assembled
      this.chunkedReceived += length
      this.clearAssembly()
      this.arrived(length === assembly.byteLength ? assembly : assembly.slice(0, length), kind)
    }
  }

  /** A whole message is here: delivered now, or inflated first; never ahead of one sent before it. */
  private arrived(bytes: Uint8Array<ArrayBuffer>, kind: number): void {
    const text = (kind & FRAME_TEXT) !== 0
    const compressed = (kind & FRAME_COMPRESSED) !== 0
    if (!compressed && this.inbox.length === 0) return this.deliver(bytes, text)
    if (this.inbox.length >= MAX_QUEUED_MESSAGES) {
      return this.refuse(`over MAX_QUEUED_MESSAGES (${MAX_QUEUED_MESSAGES}) messages waiting behind a compressed one`)
    }
    if (!this.hold(bytes.byteLength)) return this.refuse(compressed ? 'a compressed message waiting' : 'a message waiting')
    this.inbox.push({ bytes, text, compressed, held: bytes.byteLength })
    if (compressed) this.inflating += bytes.byteLength
    this.deliverArrived()
  }

  /** Delivers the messages at the front of the inbox, up to the first deflated one, which is then inflated. */
  private deliverArrived(): void {
    while (!this.inflatingNow) {
      const first = this.inbox[0]
      if (!first) return
      if (first.compressed) return this.inflateFirst(first)
      this.inbox.shift()
      this.release(first.held)
      this.deliver(first.bytes, first.text)
    }
  }

  private inflateFirst(arrival: Arrival): void {
    this.inflatingNow = arrival
    const deflated = arrival.bytes
    // Whether the channel still waits for this inflation: not once it closed, began to close or refused the peer.
    const wanted = () => this.inflatingNow === arrival && this.channel.readyState === 'open'
    let produced = 0
    let overBudget = false
    const take = (bytes: number): boolean => {
      if (!wanted()) return false
      if (!this.hold(bytes)) {
        overBudget = true
        return false
      }
      produced += bytes
      arrival.held += bytes
      return true
    }
    inflate(deflated, MAX_MESSAGE_BYTES, take).then(
      (inflated) => {
        if (!wanted()) return
        // The deflated bytes can go; the inflated ones are held until delivered.
        this.release(deflated.byteLength)
        arrival.held -= deflated.byteLength
        arrival.bytes = inflated
        arrival.compressed = false
        this.inflated(deflated.byteLength)
      },
      (error: unknown) => {
        if (!wanted()) return
        if (overBudget) return this.refuse('a compressed message inflating')
        this.warnOnce('undecodable compressed message, dropped', error)
        this.inbox.shift()
        this.release(arrival.held)
        this.inflated(deflated.byteLength)
      },
    )
  }

  /** The first message of the inbox is inflated (or dropped), `deflatedBytes` of it were deflated: on to the next. */
  private inflated(deflatedBytes: number): void {
    this.inflatingNow = null
    this.inflating -= deflatedBytes
    this.deliverArrived()
  }

  /** Appends a chunk's payload, unless the message would grow past MAX_MESSAGE_BYTES or its buffer past the budget. */
  private append(payload: Uint8Array): 'ok' | 'too big' | 'over budget' {
    const needed = this.assembled + payload.byteLength
    if (needed > MAX_MESSAGE_BYTES) return 'too big'
    let assembly = this.assembly
    if (!assembly || needed > assembly.byteLength) {
      const had = assembly?.byteLength ?? 0
      const capacity = Math.min(MAX_MESSAGE_BYTES, Math.max(needed, 2 * (assembly?.byteLength ?? CHUNK_PAYLOAD_BYTES)))
      if (!this.hold(capacity - had)) return 'over budget'
      const grown = new Uint8Array(capacity)
      if (assembly) grown.set(assembly.subarray(0, this.assembled))
      this.assembly = assembly = grown
    }
    assembly.set(payload, this.assembled)
    this.assembled = needed
    return 'ok'
  }

  /** Counts `bytes` more against RECEIVE_BUDGET_BYTES; false (and nothing counted) if that would go past it. */
  private hold(bytes: number): boolean {
    if (this.heldBytes + bytes > RECEIVE_BUDGET_BYTES) return false
    this.heldBytes += bytes
    if (this.heldBytes > this.peakHeldBytes) this.peakHeldBytes = this.heldBytes
    return true
  }

  private release(bytes: number): void {
    this.heldBytes -= bytes
  }

  /**
   * The peer made us hold more than RECEIVE_BUDGET_BYTES or MAX_QUEUED_MESSAGES (`what` did): what
   * it sent is dropped and the channel closed. Only a hostile peer gets here, and dropping one
   * message of the ordered stream would leave its document short of it: a closed connection is better.
   */
  private refuse(what: string): void {
    this.refused = true
    this.dropReceived()
    // Said even after another warning: it happens once per channel, and ends it.
    this.warned = false
    this.warnOnce(
      `${what} took us past what a peer may make us hold (RECEIVE_BUDGET_BYTES ${RECEIVE_BUDGET_BYTES}, MAX_QUEUED_MESSAGES ${MAX_QUEUED_MESSAGES}), closing the channel`,
    )
    this.closeBroken()
  }

  /** What this channel holds of messages received and not yet delivered; see receiveMemory(). */
  get receiveMemory(): ReceiveMemory {
    return { heldBytes: this.heldBytes, peakHeldBytes: this.peakHeldBytes, waiting: this.inbox.length, refused: this.refused }
  }

  /** Bytes of a chunked message received so far (as sent: compressed), 0 when none is arriving or being inflated. */
  get incomingBytes(): number {
    return this.assembled + this.inflating
  }

  /** Bytes of every chunked message received so far, the one arriving included (as sent: compressed), and when the last chunk came. */
  get chunkedReceipt(): ChunkedReceipt {
    return { bytes: this.chunkedReceived + this.assembled, lastAt: this.lastChunkAt }
  }

  private clearAssembly(): void {
    if (this.assembly) this.release(this.assembly.byteLength)
    this.assembly = null
    this.assembled = 0
  }

  /** Drops the frame; if it interrupted a message, the rest of that message is dropped too. */
  private malformed(reason: string): void {
    this.warnOnce(`${reason}, dropped (is the peer running a build without chunked channels?)`)
    if (this.assembly) {
      this.clearAssembly()
      this.discarding = true
    }
  }

  private warnOnce(reason: string, error?: unknown): void {
    // Once per channel: a hostile or outdated peer must not be able to flood the console.
    if (this.warned) return
    this.warned = true
    console.warn(`[meshboard] chunked-channel '${this.channel.label}': ${reason}`, ...(error === undefined ? [] : [error]))
  }

  private deliver(bytes: Uint8Array<ArrayBuffer>, text: boolean): void {
    let data: string | ArrayBuffer | Blob
    if (text) data = (textDecoder ??= new TextDecoder()).decode(bytes)
    else if (this.binaryType === 'blob' && typeof Blob === 'function') data = new Blob([bytes])
    else data = bytes.buffer
    const event: MessageEvent =
      typeof MessageEvent === 'function'
        ? new MessageEvent('message', { data })
        : ({ type: 'message', data, target: this.channel, currentTarget: this.channel } as unknown as MessageEvent)

    const handler = this.onMessage
    if (handler) {
      try {
        handler.call(this.channel, event)
      } catch (error) {
        reportHandlerError(error)
      }
    }
    for (const entry of this.listeners.slice()) {
      if (entry.once) this.removeMessageListener(entry.listener)
      try {
        const { listener } = entry
        if (typeof listener === 'function') listener.call(this.channel, event)
        else listener.handleEvent(event)
      } catch (error) {
        reportHandlerError(error)
      }
    }
  }

  private addMessageListener(
    listener: EventListenerOrEventListenerObject | null,
    options: boolean | AddEventListenerOptions | undefined,
  ): void {
    if (!listener || this.listeners.some((entry) => entry.listener === listener)) return
    const opts = typeof options === 'object' && options !== null ? options : {}
    if (opts.signal?.aborted) return
    this.listeners.push({ listener, once: opts.once === true })
    opts.signal?.addEventListener('abort', () => this.removeMessageListener(listener), { once: true })
  }

  private removeMessageListener(listener: EventListenerOrEventListenerObject | null): void {
    const index = this.listeners.findIndex((entry) => entry.listener === listener)
    if (index >= 0) this.listeners.splice(index, 1)
  }
}

const patched = new WeakMap<RTCDataChannel, ChunkedChannel>()

function patchChannel(channel: RTCDataChannel | null | undefined): void {
  // wrtc has been seen to return undefined from createDataChannel; simple-peer reports that itself.
  if (!channel || patched.has(channel)) return
  patched.set(channel, new ChunkedChannel(channel))
}

/** How much of a big message (a board sent to a joiner) has arrived on `channel` so far; 0 when none is arriving. */
export function incomingBytes(channel: RTCDataChannel): number {
  return patched.get(channel)?.incomingBytes ?? 0
}

export interface ReceiveMemory {
  /** Bytes held now of messages received and not yet delivered (counted against RECEIVE_BUDGET_BYTES). */
  readonly heldBytes: number
  /** The most bytes ever held at once. */
  readonly peakHeldBytes: number
  /** Messages waiting to be delivered (behind, or being, a message inflated). */
  readonly waiting: number
  /** Whether the peer went past RECEIVE_BUDGET_BYTES or MAX_QUEUED_MESSAGES, and the channel was closed for it. */
  readonly refused: boolean
}

/** What `channel` holds of messages received and not yet delivered; nothing for a channel not ours. */
export function receiveMemory(channel: RTCDataChannel): ReceiveMemory {
  return patched.get(channel)?.receiveMemory ?? { heldBytes: 0, peakHeldBytes: 0, waiting: 0, refused: false }
}

export interface ChunkedReceipt {
  /** Bytes of all chunked messages received so far, the one arriving included (as sent: compressed). */
  readonly bytes: number
  /** When the last chunk arrived (`performance.now()`); -Infinity before any. */
  readonly lastAt: number
}

/** What chunked messages `channel` has received so far; nothing for a channel not ours. */
export function chunkedReceipt(channel: RTCDataChannel): ChunkedReceipt {
  return patched.get(channel)?.chunkedReceipt ?? { bytes: 0, lastAt: -Infinity }
}

const classes = new WeakMap<typeof RTCPeerConnection, typeof RTCPeerConnection>()

/**
 * An RTCPeerConnection subclass whose data channels (created or received) are chunked and paced.
 * Both ends of a connection must use it.
 */
export function chunkedPeerConnectionClass(Base: typeof RTCPeerConnection): typeof RTCPeerConnection {
  const existing = classes.get(Base)
  if (existing) return existing

  class ChunkedRTCPeerConnection extends Base {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args)
      // Registered before anyone can set `ondatachannel`, so it runs first: in browsers listeners
      // run in registration order, and wrtc runs the `on*` handler after all listeners. The
      // application therefore only ever sees patched channels.
      this.addEventListener('datachannel', (event: RTCDataChannelEvent) => patchChannel(event.channel))
    }

    override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
      const channel = super.createDataChannel(label, init)
      patchChannel(channel)
      return channel
    }
  }

  classes.set(Base, ChunkedRTCPeerConnection)
  return ChunkedRTCPeerConnection
}

const wrtcs = new WeakMap<object, WrtcImplementation>()

/**
 * The object to pass as simple-peer's `wrtc` option (y-webrtc: `peerOpts: { wrtc: chunkedWrtc() }`).
 * Without an argument it wraps the browser's own WebRTC classes. Memoised per implementation, so
 * every peer of a provider shares one subclass.
 */
export function chunkedWrtc(impl?: WrtcImplementation): WrtcImplementation {
  const source = impl ?? defaultImplementation()
  // The default object is rebuilt on every call, so key it by its constructor instead.
  const key: object = impl ?? source.RTCPeerConnection
  const existing = wrtcs.get(key)
  if (existing) return existing
  const wrapped: WrtcImplementation = Object.freeze({
    RTCPeerConnection: chunkedPeerConnectionClass(source.RTCPeerConnection),
    RTCSessionDescription: source.RTCSessionDescription,
    RTCIceCandidate: source.RTCIceCandidate,
  })
  wrtcs.set(key, wrapped)
  return wrapped
}

function defaultImplementation(): WrtcImplementation {
  const g = globalThis as Partial<WrtcImplementation>
  if (!g.RTCPeerConnection || !g.RTCSessionDescription || !g.RTCIceCandidate) {
    throw new Error('chunkedWrtc: no WebRTC in this environment; pass an implementation such as @roamhq/wrtc')
  }
  return {
    RTCPeerConnection: g.RTCPeerConnection,
    RTCSessionDescription: g.RTCSessionDescription,
    RTCIceCandidate: g.RTCIceCandidate,
  }
}
