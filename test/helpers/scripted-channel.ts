/**
 * A data channel pair whose send buffer the test drains by hand, as a browser's does: every
 * `send` adds its bytes to `bufferedAmount` at once, and 'bufferedamountlow' fires when draining
 * takes it from above `bufferedAmountLowThreshold` to at or below it (the HTML spec's rule).
 *
 * Backpressure tests need this: @roamhq/wrtc's `bufferedAmount` is a value its native thread
 * updates when it likes, so under load it read 0 after every send and whether the brake engaged
 * depended on the machine, not on the code under test.
 */
export class ScriptedChannel extends EventTarget {
  readyState: RTCDataChannelState = 'open'
  bufferedAmount = 0
  /** Unset, like @roamhq/wrtc's, unless a test sets it (simple-peer sets 64 KiB in browsers). */
  bufferedAmountLowThreshold: number | undefined
  binaryType: BinaryType = 'arraybuffer'
  onmessage: ((event: MessageEvent) => void) | null = null
  /** Frames sent and not yet drained, oldest first. */
  readonly wire: Uint8Array[] = []
  /** Every native send, and the most `bufferedAmount` ever was right after one. */
  sends = 0
  maxBuffered = 0
  peer: ScriptedChannel | null = null

  constructor(readonly label: string) {
    super()
  }

  send(data: Uint8Array): void {
    if (this.readyState !== 'open') throw new DOMException(`readyState is '${this.readyState}'`, 'InvalidStateError')
    const copy = new Uint8Array(data)
    this.wire.push(copy)
    this.bufferedAmount += copy.byteLength
    this.sends++
    this.maxBuffered = Math.max(this.maxBuffered, this.bufferedAmount)
  }

  /** Hands up to `bytes` of whole frames to the peer; returns how many frames went. */
  drain(bytes: number): number {
    let frames = 0
    let budget = bytes
    while (this.wire.length > 0 && budget > 0) {
      const frame = this.wire.shift()!
      budget -= frame.byteLength
      frames++
      const before = this.bufferedAmount
      this.bufferedAmount -= frame.byteLength
      this.peer?.receive(frame)
      const threshold = this.bufferedAmountLowThreshold
      if (threshold !== undefined && before > threshold && this.bufferedAmount <= threshold) {
        this.dispatchEvent(new Event('bufferedamountlow'))
      }
    }
    return frames
  }

  close(): void {
    if (this.readyState === 'closed') return
    this.readyState = 'closed'
    this.wire.length = 0
    this.bufferedAmount = 0
    this.dispatchEvent(new Event('close'))
  }

  private receive(frame: Uint8Array): void {
    const data = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength)
    const event = new MessageEvent('message', { data })
    this.dispatchEvent(event)
    this.onmessage?.(event)
  }
}

/**
 * Stands in for RTCPeerConnection under chunkedPeerConnectionClass: `createDataChannel` returns
 * one end of a scripted pair and keeps the other, which `announce` hands to a second connection
 * as its 'datachannel' event, the way a received channel reaches the layer.
 */
export class ScriptedPeerConnection extends EventTarget {
  farEnd: ScriptedChannel | null = null

  createDataChannel(label: string): ScriptedChannel {
    const near = new ScriptedChannel(label)
    const far = new ScriptedChannel(label)
    near.peer = far
    far.peer = near
    this.farEnd = far
    return near
  }

  announce(channel: ScriptedChannel): void {
    this.dispatchEvent(Object.assign(new Event('datachannel'), { channel }))
  }

  close(): void {}
}
