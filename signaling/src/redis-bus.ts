import { randomBytes } from 'node:crypto'
import { Redis, type RedisOptions } from 'ioredis'
import type { Bus, BusFactory } from './bus.js'
import type { Logger } from './log.js'

export interface RedisBusOptions {
  url: string
  /** Prepended to every topic to make its channel, so that deployments can share one Redis. */
  channelPrefix: string
  logger: Logger
}

// Every instance hears its own publishes back from Redis; this tag at the start of each message
// tells it to skip them (its own clients already had them).
const ORIGIN_BYTES = 8
const ORIGIN_LENGTH = ORIGIN_BYTES * 2

const CONNECTION_OPTIONS: RedisOptions = {
  // During an outage publishes are dropped, not queued: a signaling message is only worth anything
  // now, and a queue would grow without bound for as long as Redis is away.
  enableOfflineQueue: false,
  // Subscriptions are restored by hand from the live topic set on every 'ready' (see `resubscribe`).
  autoResubscribe: false,
  // Quickly at first, then every two seconds for as long as it takes: degrading beats exiting.
  retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
}

/**
 * Fans publishes out through Redis pub/sub, one channel per topic: an instance subscribes to a
 * topic's channel while it has subscribers for it, so Redis sends each instance only what it needs.
 */
export function redisBus({ url, channelPrefix, logger }: RedisBusOptions): BusFactory {
  return (host) => {
    const origin = randomBytes(ORIGIN_BYTES).toString('hex')
    const publisher = new Redis(url, CONNECTION_OPTIONS)
    // A connection in subscriber mode can do nothing else, hence two.
    const subscriber = new Redis(url, CONNECTION_OPTIONS)
    const channel = (topic: string) => channelPrefix + topic
    let subscribed = false
    let connected = false
    let outageLogged = false
    let closing = false
    let published = 0
    let received = 0
    let dropped = 0

    const up = () => {
      if (connected || !subscribed || publisher.status !== 'ready') return
      connected = true
      outageLogged = false
      logger.info('redis connected: publishes fan out to every instance')
    }

    const down = (error?: Error) => {
      connected = false
      if (closing || outageLogged) return
      outageLogged = true
      logger.warn(
        { err: error?.message },
        'redis unavailable: delivering to this instance’s clients only, reconnecting in the background',
      )
    }

    const resubscribe = () => {
      const channels = [...host.topics()].map(channel)
      // All batches leave in this tick, so a later join or leave reaches Redis after them, in order.
      const batches: Promise<unknown>[] = []
      for (let i = 0; i < channels.length; i += 1000) batches.push(subscriber.subscribe(...channels.slice(i, i + 1000)))
      Promise.all(batches).then(
        () => {
          subscribed = true
          up()
        },
        (error: Error) => down(error),
      )
    }

    // Errors come with every failed reconnect attempt; without listeners ioredis prints each one.
    publisher.on('error', down).on('close', () => down()).on('ready', up)
    subscriber.on('error', down).on('ready', resubscribe).on('close', () => {
      subscribed = false
      down()
    })
    subscriber.on('message', (name: string, message: string) => {
      if (message.startsWith(origin)) return
      received++
      host.deliver(name.slice(channelPrefix.length), message.slice(ORIGIN_LENGTH))
    })

    // Commands sent while the subscriber is not ready would be refused; `resubscribe` catches up.
    const ifReady = (command: () => Promise<unknown>) => {
      if (subscriber.status === 'ready') command().catch(down)
    }

    const bus: Bus = {
      join: (topic) => ifReady(() => subscriber.subscribe(channel(topic))),
      leave: (topic) => ifReady(() => subscriber.unsubscribe(channel(topic))),
      publish(topic, text) {
        if (publisher.status !== 'ready') {
          dropped++
          return
        }
        publisher.publish(channel(topic), origin + text).then(
          () => published++,
          (error: Error) => {
            dropped++
            down(error)
          },
        )
      },
      stats: () => ({ connected, published, received, dropped }),
      async close() {
        closing = true
        connected = false
        publisher.disconnect()
        subscriber.disconnect()
      },
    }
    return bus
  }
}
