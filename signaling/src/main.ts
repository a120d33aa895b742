import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { ConfigError, loadConfig, type Config } from './config.js'
import { createHttpApp } from './http-app.js'
import { createIceServersRoute } from './ice-servers.js'
import { createLogger } from './log.js'
import { createMetrics } from './metrics.js'
import { redisBus } from './redis-bus.js'
import { attachSignaling, isSignalingRequest } from './signaling-server.js'
import { openStore, type OpenedStore } from './store/open-store.js'
import { startupLine } from './startup-line.js'
import { createStoreRoutes } from './store/store-routes.js'

// Past this a shutdown is stuck (a peer ignoring the close handshake, a hung request): exit anyway.
const SHUTDOWN_DEADLINE_MS = 5000

// Before the logger exists (its level is configuration too), and for a human reading the terminal.
function fail(message: string): never {
  console.error(`meshboard: ${message}`)
  process.exit(1)
}

function readConfig(): Config {
  try {
    return loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message)
    throw error
  }
}

const config = readConfig()
if (!existsSync(join(config.staticDir, 'index.html'))) {
  fail(`no built app in ${config.staticDir}: run \`npm run build\` first (or set STATIC_DIR)`)
}
const logger = createLogger(config.logLevel)

function readStore(): OpenedStore {
  try {
    return openStore(config)
  } catch (error) {
    fail(`cannot open the board store in ${config.dataDir} (${(error as Error).message}): set DATA_DIR, or STORE=off`)
  }
}
const { store, newBoards } = readStore()
const storeRoutes = createStoreRoutes({ ...config, store, newBoards, logger })

const server = createServer()
const { redisUrl, redisChannelPrefix } = config
const signaling = attachSignaling(server, {
  ...config,
  logger,
  bus: redisUrl === undefined ? undefined : redisBus({ url: redisUrl, channelPrefix: redisChannelPrefix, logger }),
})
server.on(
  'request',
  createHttpApp({
    ...config,
    store: storeRoutes,
    metrics: createMetrics(signaling.stats, storeRoutes.stats),
    iceServersRoute: createIceServersRoute(config),
  }),
)

// Nothing else upgrades in production; an unanswered upgrade would hang until the client gives up.
server.on('upgrade', (request, socket) => {
  if (!isSignalingRequest(request)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
})

server.once('error', (error) => fail(`cannot listen on ${config.host}:${config.port} (${error.message})`))

server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host}:${port}/`
  const engine = store === undefined ? 'off' : config.redisUrl === undefined ? 'sqlite' : 'redis'
  logger.info({ url, redis: config.redisUrl !== undefined, store: engine, turn: config.turnUrls.length > 0 }, `meshboard listening on ${url}`)
  console.error(startupLine({ host: config.host, port, turn: config.turnUrls.length > 0, store: engine }))
})

function shutdown(signal: NodeJS.Signals) {
  logger.info({ signal }, 'shutting down')
  setTimeout(() => {
    logger.error('shutdown timed out')
    process.exit(1)
  }, SHUTDOWN_DEADLINE_MS).unref()
  // Stops accepting connections; the open ones are closed with 1001 below.
  server.close()
  // The store closes once no connection is left that could still reach it.
  void signaling.close().then(async () => {
    server.closeAllConnections()
    await store?.close()
    logger.info('stopped')
    process.exit(0)
  })
}

process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
