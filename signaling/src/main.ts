import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { ConfigError, loadConfig, type Config } from './config.js'
import { createHttpApp } from './http-app.js'
import { attachSignaling, isSignalingRequest } from './signaling-server.js'

// Past this a shutdown is stuck (a peer ignoring the close handshake, a hung request): exit anyway.
const SHUTDOWN_DEADLINE_MS = 5000

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

const server = createServer(createHttpApp(config))
const signaling = attachSignaling(server, config)

// Nothing else upgrades in production; an unanswered upgrade would hang until the client gives up.
server.on('upgrade', (request, socket) => {
  if (!isSignalingRequest(request)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
})

server.once('error', (error) => fail(`cannot listen on ${config.host}:${config.port} (${error.message})`))

server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  console.log(`meshboard listening on http://${host}:${port}/`)
})

function shutdown() {
  setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref()
  server.close()
  void signaling.close().then(() => server.closeAllConnections())
}

process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
