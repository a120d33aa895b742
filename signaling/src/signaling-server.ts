import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import type { Bus, BusFactory, BusStats } from './bus.js'
import { addressKey, clientAddress } from './client-address.js'
import type { Limits, LogLevel } from './config.js'
import { createLogger, type Logger } from './log.js'
import { FRAME_REJECT_REASONS, parseFrame, withClientCount } from './protocol.js'
import { TokenBucket } from './token-bucket.js'

export const SIGNAL_PATH = '/signal'

export interface SignalingOptions extends Limits {
  /** Where operational messages go; without one, a new logger at `logLevel` (default info). */
  logger?: Logger
  logLevel?: LogLevel
  /** Fan-out to other instances; without one this instance works alone. */
  bus?: BusFactory
}

export const DROP_REASONS = [
  ...FRAME_REJECT_REASONS,
  'rate-limited',
  'topic-limit',
  'frame-too-big',
  'protocol-error',
  'slow-consumer',
  'heartbeat-timeout',
  'connections-per-ip',
  'connections-total',
] as const
export type DropReason = (typeof DROP_REASONS)[number]

export interface SignalingStats {
  connections: number
  topics: number
  /** Frames received from clients, dropped ones included. */
  messagesIn: number
  bytesIn: number
  /** Frames sent to clients: relayed publishes and pongs. */
  messagesOut: number
  bytesOut: number
  /** Frames, subscriptions or connections dropped, by reason. */
  drops: Record<DropReason, number>
  /** Present with a bus. */
  bus?: BusStats
}

export interface Signaling {
  /** Closes every connection with 1001 (going away), stops handling upgrades and closes the bus. */
  close(): Promise<void>
  stats(): SignalingStats
}

const POLICY_VIOLATION = 1008
const GOING_AWAY = 1001
// IANA's "try again later": the server is full, the client did nothing wrong.
const TRY_AGAIN_LATER = 1013
// A peer that never completes the closing handshake must not hold up a shutdown.
const CLOSE_GRACE_MS = 2000
const PONG = Buffer.from(JSON.stringify({ type: 'pong' }))

type Level = 'warn' | 'debug'
// Logged once per connection and reason: a client repeating a bad frame must not be able to flood the log.
const DROP_LOG: Record<DropReason, readonly [Level, string]> = {
  binary: ['warn', 'dropping binary frames'],
  'invalid-json': ['warn', 'dropping frames that are not JSON'],
  'not-an-object': ['warn', 'dropping frames that are not JSON objects'],
  'unknown-type': ['warn', 'dropping frames of an unknown type'],
  'bad-field': ['warn', 'dropping frames with a missing or mistyped field'],
  'topic-too-long': ['warn', 'dropping frames with a topic name over the length limit'],
  'rate-limited': ['warn', 'dropping frames over the message rate limit'],
  'topic-limit': ['warn', 'refusing subscriptions over the per-connection topic limit'],
  'frame-too-big': ['warn', 'closed a connection that sent a frame over the size limit'],
  'protocol-error': ['warn', 'closed a connection after a WebSocket protocol error'],
  'slow-consumer': ['warn', 'closed a connection that stopped reading'],
  // A laptop lid closing looks exactly like this: normal life, not an incident.
  'heartbeat-timeout': ['debug', 'closed a connection that stopped answering pings'],
  'connections-per-ip': ['warn', 'refused a connection over the per-address limit'],
  'connections-total': ['warn', 'refused a connection: the server is at its connection limit'],
}
const REASON_BIT = Object.fromEntries(DROP_REASONS.map((reason, i) => [reason, 1 << i])) as Record<DropReason, number>

class Connection {
  readonly topics = new Set<string>()
  awaitingPong = false
  /** Drop reasons already logged for this connection, a bit each. */
  logged = 0

  constructor(
    readonly ws: WebSocket,
    readonly id: number,
    readonly bucket: TokenBucket,
  ) {}
}

export function isSignalingRequest(request: IncomingMessage): boolean {
  return new URL(request.url ?? '/', 'http://localhost').pathname === SIGNAL_PATH
}

export function attachSignaling(httpServer: Server, options: SignalingOptions): Signaling {
  const { maxTopicsPerConnection, maxTopicLength, maxBufferedBytes, trustProxy } = options
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info')
  // permessage-deflate stays off (the ws default): payloads are ciphertext, and inflating is a memory hazard.
  // Connections are tracked below, with their state, rather than by ws.
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, clientTracking: false })
  const connections = new Set<Connection>()
  const perAddress = new Map<string, number>()
  const topics = new Map<string, Set<Connection>>()
  const drops = Object.fromEntries(DROP_REASONS.map((reason) => [reason, 0])) as Record<DropReason, number>
  let messagesIn = 0
  let bytesIn = 0
  let messagesOut = 0
  let bytesOut = 0
  let lastId = 0

  const drop = (conn: Connection, reason: DropReason) => {
    drops[reason]++
    if (conn.logged & REASON_BIT[reason]) return
    conn.logged |= REASON_BIT[reason]
    const [level, message] = DROP_LOG[reason]
    logger[level]({ conn: conn.id, reason }, message)
  }

  const send = (conn: Connection, frame: Buffer) => {
    const { ws } = conn
    if (ws.readyState !== WebSocket.OPEN) return
    // A client that stops reading would otherwise make its messages pile up here without bound. A close
    // frame would queue behind them, so the socket is cut.
    if (ws.bufferedAmount > maxBufferedBytes) {
      drop(conn, 'slow-consumer')
      ws.terminate()
      return
    }
    ws.send(frame, { binary: false })
    messagesOut++
    bytesOut += frame.length
  }

  const deliver = (topic: string, text: string) => {
    const receivers = topics.get(topic)
    if (receivers === undefined) return
    // Encoded once, shared by every receiver: ws does not mask or copy a server's outgoing frames.
    const frame = Buffer.from(withClientCount(text, receivers.size))
    for (const receiver of receivers) send(receiver, frame)
  }

  const bus: Bus | undefined = options.bus?.({ deliver, topics: () => topics.keys() })

  const subscribe = (conn: Connection, topic: string) => {
    if (conn.topics.has(topic)) return
    if (conn.topics.size >= maxTopicsPerConnection) return drop(conn, 'topic-limit')
    conn.topics.add(topic)
    let subscribers = topics.get(topic)
    if (subscribers === undefined) {
      subscribers = new Set()
      topics.set(topic, subscribers)
      bus?.join(topic)
    }
    subscribers.add(conn)
  }

  const unsubscribe = (conn: Connection, topic: string) => {
    if (!conn.topics.delete(topic)) return
    const subscribers = topics.get(topic)!
    subscribers.delete(conn)
    if (subscribers.size > 0) return
    topics.delete(topic)
    bus?.leave(topic)
  }

  const onMessage = (conn: Connection, data: RawData, isBinary: boolean) => {
    // With the default binaryType ('nodebuffer') ws always hands over a single Buffer.
    const buffer = data as Buffer
    messagesIn++
    bytesIn += buffer.length
    // Before parsing: a flood costs a subtraction per frame, not a JSON.parse.
    if (!conn.bucket.take()) return drop(conn, 'rate-limited')
    const result = parseFrame(buffer, isBinary, maxTopicLength)
    if (!result.ok) return drop(conn, result.reason)
    const { message } = result
    switch (message.type) {
      case 'subscribe':
        for (const topic of message.topics) subscribe(conn, topic)
        break
      case 'unsubscribe':
        for (const topic of message.topics) unsubscribe(conn, topic)
        break
      case 'publish':
        // The sender is among the receivers, as with y-webrtc's own server; clients skip their own messages.
        deliver(message.topic, message.text)
        bus?.publish(message.topic, message.text)
        break
      case 'ping':
        send(conn, PONG)
        break
    }
  }

  const refuse = (ws: WebSocket, id: number, reason: DropReason, code: number) => {
    drops[reason]++
    logger.warn({ conn: id, reason }, DROP_LOG[reason][1])
    ws.close(code, reason)
  }

  const onConnection = (ws: WebSocket, request: IncomingMessage) => {
    const id = ++lastId
    let conn: Connection | undefined
    // ws closes the connection itself (1009 for an oversize frame, 1002/1007 for broken framing); without
    // a listener the 'error' event would throw and take the whole process down.
    ws.on('error', (error: Error & { code?: string }) => {
      if (conn) drop(conn, error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'frame-too-big' : 'protocol-error')
    })
    if (connections.size >= options.maxConnections) return refuse(ws, id, 'connections-total', TRY_AGAIN_LATER)
    const address = clientAddress(request, trustProxy)
    const key = addressKey(address)
    const fromAddress = perAddress.get(key) ?? 0
    if (fromAddress >= options.maxConnectionsPerIp) return refuse(ws, id, 'connections-per-ip', POLICY_VIOLATION)
    perAddress.set(key, fromAddress + 1)

    const accepted = new Connection(ws, id, new TokenBucket(options.maxMessagesPerSecond, options.maxMessageBurst))
    conn = accepted
    connections.add(accepted)
    logger.debug({ conn: id, address }, 'connection opened')
    ws.on('message', (data, isBinary) => onMessage(accepted, data, isBinary))
    ws.on('pong', () => (accepted.awaitingPong = false))
    ws.on('close', (code) => {
      connections.delete(accepted)
      const left = perAddress.get(key)! - 1
      if (left === 0) perAddress.delete(key)
      else perAddress.set(key, left)
      for (const topic of accepted.topics) unsubscribe(accepted, topic)
      logger.debug({ conn: id, code }, 'connection closed')
    })
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Other paths belong to someone else on the same server, e.g. Vite's HMR socket in development.
    if (!isSignalingRequest(request)) return
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, request))
  }

  // One timer for all connections. A connection that dies is reaped one to two intervals later.
  const heartbeat = setInterval(() => {
    for (const conn of connections) {
      if (conn.awaitingPong) {
        drop(conn, 'heartbeat-timeout')
        conn.ws.terminate()
        continue
      }
      conn.awaitingPong = true
      conn.ws.ping()
    }
  }, options.heartbeatIntervalMs)
  // The heartbeat alone must not keep a process alive whose server has stopped.
  heartbeat.unref()

  httpServer.on('upgrade', onUpgrade)

  return {
    async close() {
      clearInterval(heartbeat)
      httpServer.off('upgrade', onUpgrade)
      const clients = [...connections].map((conn) => conn.ws)
      const closed = clients.map((ws) => new Promise((resolve) => ws.once('close', resolve)))
      clients.forEach((ws) => ws.close(GOING_AWAY, 'server shutting down'))
      const straggling = setTimeout(() => clients.forEach((ws) => ws.terminate()), CLOSE_GRACE_MS)
      await Promise.all(closed)
      clearTimeout(straggling)
      await bus?.close()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
    stats() {
      return {
        connections: connections.size,
        topics: topics.size,
        messagesIn,
        bytesIn,
        messagesOut,
        bytesOut,
        drops: { ...drops },
        ...(bus && { bus: bus.stats() }),
      }
    },
  }
}
