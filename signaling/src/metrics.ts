import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import { DROP_REASONS, type SignalingStats } from './signaling-server.js'
import { STORE_ERROR_CODES } from './store/board-store.js'
import type { StoreStats } from './store/store-routes.js'

export interface Metrics {
  readonly contentType: string
  /** The Prometheus text exposition of every metric, read at this moment. */
  render(): Promise<string>
}

/**
 * Prometheus metrics over the server's own counters. The hot path counts with plain additions; the
 * metrics read those counters when scraped, so a relayed frame never touches prom-client. A registry
 * of its own, not prom-client's global one, so that several servers can live in one process (tests).
 */
export function createMetrics(stats: () => SignalingStats, store?: () => StoreStats): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const registers = [registry]

  const { gauge, counter } = readers(registers, stats)

  gauge('meshboard_connections', 'Open signaling WebSocket connections.', (s) => s.connections)
  gauge('meshboard_topics', 'Topics (boards) with at least one subscriber on this instance.', (s) => s.topics)
  counter('meshboard_messages_received_total', 'Frames received, dropped ones included.', (s) => s.messagesIn)
  counter('meshboard_received_bytes_total', 'Payload bytes of the frames received from clients.', (s) => s.bytesIn)
  counter('meshboard_messages_sent_total', 'Frames sent to clients: relayed publishes and pongs.', (s) => s.messagesOut)
  counter('meshboard_sent_bytes_total', 'Payload bytes of the frames sent to clients.', (s) => s.bytesOut)
  new Counter({
    name: 'meshboard_drops_total',
    help: 'Frames, subscriptions and connections dropped, by reason (see docs/operating.md).',
    labelNames: ['reason'],
    registers,
    collect() {
      const { drops, bus } = stats()
      this.reset()
      for (const reason of DROP_REASONS) this.inc({ reason }, drops[reason])
      if (bus) this.inc({ reason: 'redis-unavailable' }, bus.dropped)
    },
  })

  // Only with REDIS_URL: an instance without Redis has no Redis state to report.
  if (stats().bus) {
    gauge('meshboard_redis_connected', '1 while publishes fan out through Redis, 0 while only local.', (s) =>
      s.bus?.connected ? 1 : 0,
    )
    new Counter({
      name: 'meshboard_redis_messages_total',
      help: 'Publishes handed to Redis (published) and taken from it for this instance (received).',
      labelNames: ['direction'],
      registers,
      collect() {
        const bus = stats().bus!
        this.reset()
        this.inc({ direction: 'published' }, bus.published)
        this.inc({ direction: 'received' }, bus.received)
      },
    })
  }

  if (store) storeMetrics(registers, store)

  return { contentType: registry.contentType, render: () => registry.metrics() }
}

/** A gauge and a counter that read one number of `stats()` each time they are scraped. */
function readers<S>(registers: Registry[], stats: () => S) {
  return {
    gauge: (name: string, help: string, read: (stats: S) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(stats()))
        },
      }),
    counter: (name: string, help: string, read: (stats: S) => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset()
          this.inc(read(stats()))
        },
      }),
  }
}

function storeMetrics(registers: Registry[], stats: () => StoreStats): void {
  const { gauge, counter } = readers(registers, stats)
  new Counter({
    name: 'meshboard_store_writes_total',
    help: 'Writes the board store acknowledged, by kind: appended records and snapshots.',
    labelNames: ['kind'],
    registers,
    collect() {
      const { writes } = stats()
      this.reset()
      this.inc({ kind: 'record' }, writes.record)
      this.inc({ kind: 'snapshot' }, writes.snapshot)
    },
  })
  counter('meshboard_store_written_bytes_total', 'Bytes of the acknowledged writes.', (s) => s.writtenBytes)
  counter('meshboard_store_reads_total', 'Board downloads answered (GET and HEAD).', (s) => s.reads)
  counter('meshboard_store_read_bytes_total', 'Bytes of the board downloads.', (s) => s.readBytes)
  new Counter({
    name: 'meshboard_store_refusals_total',
    help: 'Store requests refused or failed, by error code (see docs/operating.md).',
    labelNames: ['reason'],
    registers,
    collect() {
      const { refusals } = stats()
      this.reset()
      for (const reason of STORE_ERROR_CODES) this.inc({ reason }, refusals[reason])
    },
  })
  // Only where the engine counts them: SQLite does, Redis expires keys by itself and is not scanned.
  const engine = stats().engine
  if (engine.expiredBoards !== undefined) {
    counter('meshboard_store_expired_boards_total', 'Boards deleted for being idle longer than STORE_TTL_DAYS.', (s) => s.engine.expiredBoards ?? 0)
  }
  if (engine.boards !== undefined) {
    gauge('meshboard_store_boards', 'Boards in the store.', (s) => s.engine.boards ?? 0)
    gauge('meshboard_store_bytes', 'Bytes of snapshots and records in the store.', (s) => s.engine.bytes ?? 0)
  }
}
