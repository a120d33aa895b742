import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { IceServer } from './config.js'
import type { Metrics } from './metrics.js'
import { createStaticHandler } from './static-files.js'
import { isStorePath, type StoreRoutes } from './store/store-routes.js'

export interface HttpAppOptions {
  staticDir: string
  libDir: string
  iceServers: readonly IceServer[]
  /** Served at /metrics when given. */
  metrics?: Metrics
  /** The board store's routes under /store/, when given. */
  store?: StoreRoutes
  /** GET /ice-servers (ice-servers.ts), when given. */
  iceServersRoute?: RequestListener
}

/**
 * Any site may embed the board with `<script type="module" src="https://this-server/lib/meshboard.js">`:
 * module scripts from another origin load only with CORS.
 */
const LIBRARY_HEADERS = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' }

export function createHttpApp({ staticDir, libDir, iceServers, metrics, store, iceServersRoute }: HttpAppOptions): RequestListener {
  const serveStatic = createStaticHandler(staticDir)
  const serveLibrary = createStaticHandler(libDir, { mount: '/lib', headers: LIBRARY_HEADERS })
  // Serialised once: the ICE servers cannot change without a restart.
  const clientConfig = JSON.stringify({ iceServers })

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname
    // The store takes writes, so it comes before the GET/HEAD rule of everything else.
    if (store && isStorePath(pathname)) return store.handle(request, response)
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
      response.end('Method not allowed\n')
      return
    }
    if (pathname.startsWith('/lib/')) return serveLibrary(request, response)
    switch (pathname) {
      case '/healthz':
        return send(request, response, '{"status":"ok"}', JSON_TYPE, 'no-store')
      case '/metrics':
        if (metrics) return send(request, response, await metrics.render(), metrics.contentType, 'no-store')
        break
      case '/config.json':
        // no-cache so that a changed ICE_SERVERS reaches clients at the next page load.
        return send(request, response, clientConfig, JSON_TYPE, 'no-cache')
      case '/ice-servers':
        if (iceServersRoute) return iceServersRoute(request, response)
        break
    }
    return serveStatic(request, response)
  }

  return (request, response) => {
    route(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
      response.end()
    })
  }
}

const JSON_TYPE = 'application/json; charset=utf-8'

function send(request: IncomingMessage, response: ServerResponse, body: string, type: string, cacheControl: string) {
  response.writeHead(200, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': cacheControl,
  })
  response.end(request.method === 'HEAD' ? undefined : body)
}
