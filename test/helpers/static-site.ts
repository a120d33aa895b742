/** A built site (a directory) served on 127.0.0.1, any free port, for the e2e's pages on another origin. */
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, resolve } from 'node:path'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.json': 'application/json' }

export interface StaticSite {
  /** The site's root URL, ending in /. */
  readonly url: string
  close(): Promise<void>
}

export async function serveDirectory(directory: string): Promise<StaticSite> {
  const root = resolve(directory)
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname
    const file = resolve(join(root, path === '/' ? 'index.html' : path))
    if (!file.startsWith(root)) return void response.writeHead(403).end()
    readFile(file).then(
      (body) => response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    )
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((done) => server.close(() => done())),
  }
}
