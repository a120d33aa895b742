// The wire format of y-webrtc's signaling servers. Parsing is strict and never throws: anything a
// y-webrtc client would not send is rejected with a reason, and the caller drops it.
// Frame size is not checked here: ws enforces maxPayload before a frame ever reaches the parser.

export type SignalingMessage =
  | { readonly type: 'subscribe' | 'unsubscribe'; readonly topics: readonly string[] }
  // `text` is the frame as received: it is relayed verbatim, so its payload fields are never named here.
  | { readonly type: 'publish'; readonly topic: string; readonly text: string }
  | { readonly type: 'ping' }

export const FRAME_REJECT_REASONS = [
  'binary',
  'invalid-json',
  'not-an-object',
  'unknown-type',
  'bad-field',
  'topic-too-long',
] as const
export type RejectReason = (typeof FRAME_REJECT_REASONS)[number]

export type ParseResult =
  | { readonly ok: true; readonly message: SignalingMessage }
  | { readonly ok: false; readonly reason: RejectReason }

export function parseFrame(data: Buffer, isBinary: boolean, maxTopicLength: number): ParseResult {
  // y-webrtc only sends JSON text; ws has already rejected text frames that are not valid UTF-8.
  if (isBinary) return reject('binary')
  // Trimmed so that a relayed publish ends with its closing brace (see `withClientCount`).
  const text = data.toString('utf8').trim()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return reject('invalid-json')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return reject('not-an-object')
  const frame = value as Record<string, unknown>
  switch (frame.type) {
    case 'subscribe':
    case 'unsubscribe': {
      const { topics } = frame
      if (!Array.isArray(topics) || !topics.every(isTopicName)) return reject('bad-field')
      if (!topics.every((topic) => topic.length <= maxTopicLength)) return reject('topic-too-long')
      return accept({ type: frame.type, topics })
    }
    case 'publish':
      if (!isTopicName(frame.topic)) return reject('bad-field')
      if (frame.topic.length > maxTopicLength) return reject('topic-too-long')
      return accept({ type: 'publish', topic: frame.topic, text })
    case 'ping':
      return accept({ type: 'ping' })
    default:
      return reject('unknown-type')
  }
}

/**
 * A publish as y-webrtc's server relays it: the frame plus `clients`, the receiving server's subscriber
 * count. Spliced into the text rather than re-serialised: JSON.stringify recurses, and a 64 KiB frame
 * of nested arrays would overflow the stack. A sender's own `clients` field is overridden, as JSON.parse
 * keeps the last of duplicate keys.
 */
export function withClientCount(publishText: string, clients: number): string {
  // A publish is a JSON object with at least `type` and `topic`, so it ends in '}' after a member.
  return `${publishText.slice(0, -1)},"clients":${clients}}`
}

function isTopicName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

function accept(message: SignalingMessage): ParseResult {
  return { ok: true, message }
}

function reject(reason: RejectReason): ParseResult {
  return { ok: false, reason }
}
