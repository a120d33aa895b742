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
    const { sent, hasCopies } = await compressedCopy(file, request.headers['accept-encoding'])
    const body = sent ?? file
    const etag = `W/"${body.size.toString(16)}-${Math.floor(body.mtimeMs).toString(16)}${sent ? `-${sent.encoding}` : ''}"`
    const headers: Record<string, string> = {
      ...extraHeaders,
      'Content-Type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': pathname.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
      'X-Content-Type-Options': 'nosniff',
      ETag: etag,
    }
    // Caches keep one answer per encoding asked for, not the first one for everyone.
    if (hasCopies) headers.Vary = 'Accept-Encoding'
    if (sent) headers['Content-Encoding'] = sent.encoding
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers).end()
      return
    }
    response.writeHead(200, { ...headers, 'Content-Length': body.size })
    if (request.method === 'HEAD') {
      response.end()
      return
    }
    // A file that vanishes mid-response (a redeploy) can only end the response; the headers are already out.
    await pipeline(createReadStream(body.path), response).catch(() => response.destroy())
  }
}

/** What the build writes beside a text file (vite.config.ts, precompressed), best first. */
const COMPRESSED_COPIES = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const

/**
 * `sent`: the copy of `file` the build compressed in an encoding the request takes
 * (`Accept-Encoding`, where `q=0` refuses one), brotli before gzip, undefined to send the file as
 * it is; `hasCopies`: whether the build compressed it at all (the answer then varies). Served as
 * stored: nothing is compressed per request. One stat per copy.
 */
async function compressedCopy(file: FoundFile, acceptEncoding: string | undefined) {
  let sent: (FoundFile & { encoding: string }) | undefined
  let hasCopies = false
  for (const { encoding, suffix } of COMPRESSED_COPIES) {
    const copy = await statOrUndefined(file.path + suffix)
    if (!copy?.isFile()) continue
    hasCopies = true
    // A copy older than its file is from another build: never send it for this one.
    if (!sent && copy.mtimeMs >= file.mtimeMs && acceptsEncoding(acceptEncoding, encoding)) {
      sent = { encoding, path: file.path + suffix, size: copy.size, mtimeMs: copy.mtimeMs }
    }
  }
  return { sent, hasCopies }
}

/**
 * Whether an `Accept-Encoding` header takes `encoding`: named with a weight above 0, or not named
 * and `*` is (RFC 9110 §12.5.3).
 */
export function acceptsEncoding(header: string | undefined, encoding: string): boolean {
  const weights = new Map<string, number>()
  for (const item of (header ?? '').split(',')) {
    const [name, ...parameters] = item.trim().toLowerCase().split(';').map((part) => part.trim())
    if (!name) continue
    const q = parameters.find((parameter) => parameter.startsWith('q='))
    weights.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0)
  }
  return (weights.get(encoding) ?? weights.get('*') ?? 0) > 0
}

function decodePath(url: string): string | undefined {
  try {
    const pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname)
    return pathname.includes('\0') ? undefined : pathname
  } catch {
    return undefined
  }
}

interface FoundFile {
  readonly path: string
  readonly size: number
  readonly mtimeMs: number
}

async function findFile(base: string, pathname: string): Promise<FoundFile | undefined> {
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
