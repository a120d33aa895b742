import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

// Vite puts a content hash in every file name under /assets/, so those never change.
const IMMUTABLE = 'public, max-age=31536000, immutable'
// Everything else (index.html, the service worker, the manifest) keeps its name across releases and must be
// revalidated, or a deploy would never reach returning visitors.
const REVALIDATE = 'no-cache'

export interface StaticOptions {
  /** URL path the directory is mounted at, e.g. '/lib'. */
  readonly mount?: string
  /** Sent with every file, e.g. CORS headers for files other sites load. */
  readonly headers?: Readonly<Record<string, string>>
}

/** Serves files under `root` for GET and HEAD requests; the caller answers other methods. */
export function createStaticHandler(root: string, { mount = '', headers: extraHeaders = {} }: StaticOptions = {}) {
  const base = resolve(root)

  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const decoded = decodePath(request.url ?? '/')
    const pathname = decoded?.startsWith(`${mount}/`) ? decoded.slice(mount.length) : undefined
    // Decoding happens before the containment check, so '%2e%2e' and '%2f' cannot smuggle a '..' past it.
    const file = pathname === undefined ? undefined : await findFile(base, pathname)
    if (pathname === undefined || file === undefined) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n')
      return
    }
    const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`
    const headers = {
      ...extraHeaders,
      'Content-Type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': pathname.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
      'X-Content-Type-Options': 'nosniff',
      ETag: etag,
    }
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers).end()
      return
    }
    response.writeHead(200, { ...headers, 'Content-Length': file.size })
    if (request.method === 'HEAD') {
      response.end()
      return
    }
    // A file that vanishes mid-response (a redeploy) can only end the response; the headers are already out.
    await pipeline(createReadStream(file.path), response).catch(() => response.destroy())
  }
}

function decodePath(url: string): string | undefined {
  try {
    const pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname)
    return pathname.includes('\0') ? undefined : pathname
  } catch {
    return undefined
  }
}

async function findFile(base: string, pathname: string) {
  let path = join(base, pathname)
  if (path !== base && !path.startsWith(base + sep)) return undefined
  let stats = await statOrUndefined(path)
  if (stats?.isDirectory()) {
    path = join(path, 'index.html')
    stats = await statOrUndefined(path)
  }
  return stats?.isFile() ? { path, size: stats.size, mtimeMs: stats.mtimeMs } : undefined
}

function statOrUndefined(path: string) {
  return stat(path).catch(() => undefined)
}
