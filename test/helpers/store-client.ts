/** A minimal client of the board store's HTTP contract, for tests: ids, secrets and the download format. */
import { randomBytes } from 'node:crypto'

export const token = (): string => randomBytes(32).toString('base64url')

export interface Entry {
  kind: 1 | 2
  seq: number
  data: Buffer
}

/** Parses a download, failing on anything that is not exactly entries back to back. */
export function parseEntries(body: Buffer): Entry[] {
  const entries: Entry[] = []
  let offset = 0
  while (offset < body.length) {
    if (body.length - offset < 9) throw new Error(`a truncated entry header at ${offset}`)
    const kind = body.readUInt8(offset)
    const seq = body.readUInt32BE(offset + 1)
    const length = body.readUInt32BE(offset + 5)
    offset += 9
    if (kind !== 1 && kind !== 2) throw new Error(`unknown kind ${kind}`)
    if (body.length - offset < length) throw new Error(`a truncated entry at ${offset}`)
    entries.push({ kind, seq, data: body.subarray(offset, offset + length) })
    offset += length
  }
  return entries
}

export class StoreClient {
  constructor(
    readonly base: string,
    readonly id: string = token(),
    readonly secret: string = token(),
  ) {}

  private url(path: string): string {
    return new URL(`store/${this.id}${path}`, this.base).href
  }

  async append(data: Buffer | string, secret: string | null = this.secret) {
    return this.post('/records', data, secret)
  }

  async snapshot(base: number, data: Buffer | string, secret: string | null = this.secret) {
    return this.post(`/snapshot?base=${base}`, data, secret)
  }

  async post(path: string, data: Buffer | string, secret: string | null = this.secret) {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' }
    if (secret !== null) headers.Authorization = `Bearer ${secret}`
    const response = await fetch(this.url(path), { method: 'POST', headers, body: Buffer.from(data) })
    return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> }
  }

  async read(after?: number) {
    const response = await fetch(this.url(after === undefined ? '' : `?after=${after}`))
    const body = Buffer.from(await response.arrayBuffer())
    return {
      status: response.status,
      headers: response.headers,
      lastSeq: Number(response.headers.get('x-store-last-seq')),
      body,
      entries: response.status === 200 ? parseEntries(body) : [],
    }
  }

  /** The entries as [kind, seq, text], which is what most assertions compare. */
  async contents(after?: number): Promise<Array<[number, number, string]>> {
    const { entries } = await this.read(after)
    return entries.map(({ kind, seq, data }) => [kind, seq, data.toString()])
  }
}
