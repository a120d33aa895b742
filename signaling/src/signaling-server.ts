import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import { parseFrame } from './protocol.js'

export const SIGNAL_PATH = '/signal'

export interface SignalingOptions {
  maxFrameBytes: number
  maxTopicsPerConnection: number
  maxTopicLength: number
  /** How often every connection is pinged; one that has not answered the previous ping is dropped. */
  heartbeatIntervalMs?: number
  /** Receives operational messages. Never given payloads or topic names: topics identify boards. */
  log?: (line: string) => void
}

export interface SignalingStats {
  connections: number
  topics: number
  droppedFrames: number
  refusedSubscriptions: number
}

export interface Signaling {
  /** Closes every connection with 1001 (going away) and stops handling upgrades. */
  close(): Promise<void>
  stats(): SignalingStats
}

const GOING_AWAY = 1001
// A peer that never completes the closing handshake must not hold up a shutdown.
const CLOSE_GRACE_MS = 2000

export function isSignalingRequest(request: IncomingMessage): boolean {
  return new URL(request.url ?? '/', 'http://localhost').pathname === SIGNAL_PATH
}

export function attachSignaling(httpServer: Server, options: SignalingOptions): Signaling {
  const { maxTopicsPerConnection, maxTopicLength, heartbeatIntervalMs = 30_000, log = console.warn } = options
  // permessage-deflate stays off (the ws default): payloads are ciphertext, and inflating is a memory hazard.
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes })
  const topics = new Map<string, Set<WebSocket>>()
  const awaitingPong = new Set<WebSocket>()
  let droppedFrames = 0
  let refusedSubscriptions = 0

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Other paths belong to someone else on the same server, e.g. Vite's HMR socket in development.
    if (!isSignalingRequest(request)) return
    wss.handleUpgrade(request, socket, head, onConnection)
  }

  const onConnection = (ws: WebSocket) => {
    const subscribed = new Set<string>()
    let warnedAboutTopicCap = false

    const subscribe = (topic: string) => {
      if (subscribed.has(topic)) return
      if (subscribed.size >= maxTopicsPerConnection) {
        refusedSubscriptions++
        // Once per connection: a client retrying every frame must not be able to flood the log.
        if (!warnedAboutTopicCap) {
          warnedAboutTopicCap = true
          log(`signaling: a connection reached the cap of ${maxTopicsPerConnection} topics; refusing more`)
        }
        return
      }
      subscribed.add(topic)
      let subscribers = topics.get(topic)
      if (subscribers === undefined) {
        subscribers = new Set()
        topics.set(topic, subscribers)
      }
      subscribers.add(ws)
    }

    const unsubscribe = (topic: string) => {
      if (!subscribed.delete(topic)) return
      const subscribers = topics.get(topic)
      subscribers?.delete(ws)
      if (subscribers?.size === 0) topics.delete(topic)
    }

    const publish = (topic: string, frame: Readonly<Record<string, unknown>>) => {
      const receivers = topics.get(topic)
      if (receivers === undefined) return
      // The sender is among the receivers, as with y-webrtc's own server; clients skip their own messages.
      const text = JSON.stringify({ ...frame, clients: receivers.size })
      for (const receiver of receivers) {
        if (receiver.readyState === WebSocket.OPEN) receiver.send(text)
      }
    }

    ws.on('message', (data, isBinary) => {
      // With the default binaryType ('nodebuffer') ws always hands over a single Buffer.
      const result = parseFrame(data as Buffer, isBinary, maxTopicLength)
      if (!result.ok) {
        droppedFrames++
        return
      }
      const { message } = result
      switch (message.type) {
        case 'subscribe':
          message.topics.forEach(subscribe)
          break
        case 'unsubscribe':
          message.topics.forEach(unsubscribe)
          break
        case 'publish':
          publish(message.topic, message.frame)
          break
        case 'ping':
          ws.send(JSON.stringify({ type: 'pong' }))
          break
      }
    })
    ws.on('pong', () => awaitingPong.delete(ws))
    // ws closes the connection itself (1009 for an oversize frame, 1002/1007 for broken framing); without
    // a listener the 'error' event would throw and take the whole process down.
    ws.on('error', (error) => log(`signaling: closing a connection after a protocol error (${error.message})`))
    ws.on('close', () => {
      awaitingPong.delete(ws)
      subscribed.forEach(unsubscribe)
    })
  }

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (awaitingPong.has(ws)) {
        ws.terminate()
        continue
      }
      awaitingPong.add(ws)
      ws.ping()
    }
  }, heartbeatIntervalMs)
  // The heartbeat alone must not keep a process alive whose server has stopped.
  heartbeat.unref()

  httpServer.on('upgrade', onUpgrade)

  return {
    async close() {
      clearInterval(heartbeat)
      httpServer.off('upgrade', onUpgrade)
      const clients = [...wss.clients]
      const closed = clients.map((ws) => new Promise((resolve) => ws.once('close', resolve)))
      clients.forEach((ws) => ws.close(GOING_AWAY, 'server shutting down'))
      const straggling = setTimeout(() => clients.forEach((ws) => ws.terminate()), CLOSE_GRACE_MS)
      await Promise.all(closed)
      clearTimeout(straggling)
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
    stats() {
      return { connections: wss.clients.size, topics: topics.size, droppedFrames, refusedSubscriptions }
    },
  }
}
