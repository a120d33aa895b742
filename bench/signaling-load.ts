/**
 * The load generator of bench/signaling.bench.ts: a separate process (child_process.fork), so the
 * load shares neither a process nor an event loop with the server under test or the other
 * generators. It owns whole rooms (topics), so every delivery it counts was sent by itself, and the
 * latency of a relay is measured on one clock.
 */
import { WebSocket } from 'ws'

export type LoadCommand =
  | { readonly type: 'connect'; readonly url: string; readonly rooms: readonly string[]; readonly perRoom: number }
  /** Each room's first client keeps `window` publishes in flight: the server's pace, not ours. */
  | { readonly type: 'flood'; readonly window: number; readonly warmupMs: number; readonly measureMs: number }
  /** Each room's first client publishes `perSecond` times a second, stamped with the time. */
  | { readonly type: 'paced'; readonly perSecond: number; readonly warmupMs: number; readonly measureMs: number }
  | { readonly type: 'exit' }

export type LoadReport =
  | { readonly type: 'connected' }
  | {
      readonly type: 'measured'
      /** Messages received by all clients during the measurement. */
      readonly deliveries: number
      /** Including warm-up, to relate to the server's CPU time over the whole phase. */
      readonly totalDeliveries: number
      readonly seconds: number
      /** Publish-to-receipt times in milliseconds, paced load only. */
      readonly latencies: number[]
    }

// A signaling payload of typical size: y-webrtc's encrypted SDP and ICE messages are a few hundred bytes of base64.
const PADDING = 'x'.repeat(300)
// Connecting thousands at once would overflow the server's listen backlog.
const CONNECT_CONCURRENCY = 100

const rooms: { topic: string; clients: WebSocket[] }[] = []
let onMessage: (room: number, client: number, data: Buffer) => void = () => {}

const report = (message: LoadReport) => process.send!(message)
const now = () => performance.timeOrigin + performance.now()
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function open(url: string, topic: string, room: number, index: number): Promise<WebSocket> {
  // Validation of what the server sends is not what is measured here.
  const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true })
  ws.on('error', (error) => {
    console.error(`load: ${error.message}`)
    process.exit(1)
  })
  await new Promise((resolve) => ws.once('open', resolve))
  ws.send(JSON.stringify({ type: 'subscribe', topics: [topic] }))
  ws.send(JSON.stringify({ type: 'ping' }))
  // The pong proves the subscription is in place.
  await new Promise((resolve) => ws.once('message', resolve))
  ws.on('message', (data: Buffer) => onMessage(room, index, data))
  return ws
}

async function connect({ url, rooms: topics, perRoom }: Extract<LoadCommand, { type: 'connect' }>) {
  const pending = topics.flatMap((topic, room) =>
    Array.from({ length: perRoom }, (_, index) => ({ topic, room, index })),
  )
  topics.forEach((topic) => rooms.push({ topic, clients: [] }))
  while (pending.length > 0) {
    const batch = pending.splice(0, CONNECT_CONCURRENCY)
    const sockets = await Promise.all(batch.map(({ topic, room, index }) => open(url, topic, room, index)))
    batch.forEach(({ room, index }, i) => (rooms[room]!.clients[index] = sockets[i]!))
  }
  report({ type: 'connected' })
}

function publishFrame(topic: string): string {
  return JSON.stringify({ type: 'publish', topic, data: `${now().toFixed(3)} ${PADDING}` })
}

/** Runs `load` through warm-up and measurement, counting deliveries; `stop` ends the load. */
async function measure(warmupMs: number, measureMs: number, stop: () => void, latencies: number[] | null) {
  let deliveries = 0
  let totalDeliveries = 0
  let measuring = false
  const previous = onMessage
  onMessage = (room, client, data) => {
    previous(room, client, data)
    totalDeliveries++
    if (!measuring) return
    deliveries++
    if (latencies) {
      const text = data.toString('latin1')
      const start = text.indexOf('"data":"') + 8
      latencies.push(now() - Number.parseFloat(text.slice(start, start + 20)))
    }
  }
  await delay(warmupMs)
  measuring = true
  const started = now()
  await delay(measureMs)
  measuring = false
  const seconds = (now() - started) / 1000
  stop()
  report({ type: 'measured', deliveries, totalDeliveries, seconds, latencies: latencies ?? [] })
  onMessage = () => {}
}

async function flood({ window, warmupMs, measureMs }: Extract<LoadCommand, { type: 'flood' }>) {
  let running = true
  // Only the room's first client publishes, so every message it receives is its own coming back.
  onMessage = (room, client) => {
    if (client !== 0 || !running) return
    const { topic, clients } = rooms[room]!
    clients[0]!.send(publishFrame(topic))
  }
  for (const { topic, clients } of rooms) for (let i = 0; i < window; i++) clients[0]!.send(publishFrame(topic))
  await measure(warmupMs, measureMs, () => (running = false), null)
}

async function paced({ perSecond, warmupMs, measureMs }: Extract<LoadCommand, { type: 'paced' }>) {
  const started = now()
  let sent = 0
  // Catches up by the clock rather than trusting the timer's period.
  const timer = setInterval(() => {
    const due = Math.floor(((now() - started) / 1000) * perSecond)
    for (; sent < due; sent++) for (const { topic, clients } of rooms) clients[0]!.send(publishFrame(topic))
  }, 5)
  await measure(warmupMs, measureMs, () => clearInterval(timer), [])
}

process.on('message', (command: LoadCommand) => {
  switch (command.type) {
    case 'connect':
      return void connect(command)
    case 'flood':
      return void flood(command)
    case 'paced':
      return void paced(command)
    case 'exit':
      for (const { clients } of rooms) for (const ws of clients) ws.terminate()
      process.exit(0)
  }
})
