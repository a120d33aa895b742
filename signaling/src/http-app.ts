import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { IceServer } from './config.js'
import { createStaticHandler } from './static-files.js'

export interface HttpAppOptions {
  staticDir: string
  iceServers: readonly IceServer[]
}

export function createHttpApp({ staticDir, iceServers }: HttpAppOptions): RequestListener {
  const serveStatic = createStaticHandler(staticDir)
  // Serialised once: the ICE servers cannot change without a restart.
  const clientConfig = JSON.stringify({ iceServers })

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
      response.end('Method not allowed\n')
      return
    }
    switch (new URL(request.url ?? '/', 'http://localhost').pathname) {
      case '/healthz':
        return sendJson(request, response, '{"status":"ok"}', 'no-store')
      case '/config.json':
        // no-cache so that new TURN credentials reach clients at the next page load.
        return sendJson(request, response, clientConfig, 'no-cache')
      default:
        return serveStatic(request, response)
    }
  }

  return (request, response) => {
    route(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
      response.end()
    })
  }
}

function sendJson(request: IncomingMessage, response: ServerResponse, body: string, cacheControl: string) {
  response.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': cacheControl,
  })
  response.end(request.method === 'HEAD' ? undefined : body)
}
