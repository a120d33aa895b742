// The wire format of y-webrtc's signaling servers. Parsing is strict and never throws: anything a
// y-webrtc client would not send is rejected with a reason, and the caller drops it.
// Frame size is not checked here: ws enforces maxPayload before a frame ever reaches the parser.

export type SignalingMessage =
  | { readonly type: 'subscribe' | 'unsubscribe'; readonly topics: readonly string[] }
  // `frame` is the whole parsed object: it is relayed verbatim, so its payload fields are never named here.
  | { readonly type: 'publish'; readonly topic: string; readonly frame: Readonly<Record<string, unknown>> }
  | { readonly type: 'ping' }

export type RejectReason = 'binary' | 'invalid-json' | 'not-an-object' | 'unknown-type' | 'bad-field'

export type ParseResult =
  | { readonly ok: true; readonly message: SignalingMessage }
  | { readonly ok: false; readonly reason: RejectReason }

export function parseFrame(data: Buffer, isBinary: boolean, maxTopicLength: number): ParseResult {
  // y-webrtc only sends JSON text; ws has already rejected text frames that are not valid UTF-8.
  if (isBinary) return reject('binary')
  let value: unknown
  try {
    value = JSON.parse(data.toString('utf8'))
  } catch {
    return reject('invalid-json')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return reject('not-an-object')
  const frame = value as Record<string, unknown>
  switch (frame.type) {
    case 'subscribe':
    case 'unsubscribe': {
      const { topics } = frame
      if (!Array.isArray(topics) || !topics.every((topic) => isTopic(topic, maxTopicLength))) {
        return reject('bad-field')
      }
      return accept({ type: frame.type, topics })
    }
    case 'publish':
      if (!isTopic(frame.topic, maxTopicLength)) return reject('bad-field')
      return accept({ type: 'publish', topic: frame.topic, frame })
    case 'ping':
      return accept({ type: 'ping' })
    default:
      return reject('unknown-type')
  }
}

function isTopic(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength
}

function accept(message: SignalingMessage): ParseResult {
  return { ok: true, message }
}

function reject(reason: RejectReason): ParseResult {
  return { ok: false, reason }
}
