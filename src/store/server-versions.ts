/**
 * Versions of a board kept on its server as well as on devices (issue 20), sealed like the board's
 * copy, so that someone who was not there when a board was wiped, or opens it on another device,
 * can still bring it back. They live on the server's store under an id of their own
 * (StoreKeys.historyId, with its own write secret): the server sees opaque records of a board it
 * cannot tell from any other.
 *
 * Each version goes up as one record when it fits in one; the history is compacted into one
 * snapshot of the newest versions (at most MAX_SERVER_VERSIONS, MAX_SERVER_VERSION_BYTES in all)
 * when the log grows past what a compaction is for, when the server says its log is full, or when a
 * version is too big for a record.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { seal, unseal } from '../net/sealed'
import type { StoreKeys } from '../net/store-keys'
import { equalBytes } from './copy-contents'
import { ENTRY_SNAPSHOT, parseEntries, readRefusal, type StoreRefusal, type WriteReceipt } from './store-wire'
import { VERSION_REASONS, type NewVersion, type VersionInfo } from './version-store'

/** Versions kept on the server at most: the newest. */
export const MAX_SERVER_VERSIONS = 10
/** Bytes of versions kept on the server at most (the server's default board limit is 32 MiB). */
export const MAX_SERVER_VERSION_BYTES = 12 * 1024 * 1024
/** A version up to this size goes up as one record (the server's default record limit is 2 MiB). */
const RECORD_BYTES = 1024 * 1024
/** Past this many bytes of records, the history is compacted after the next one. */
const COMPACT_FROM_LOG_BYTES = MAX_SERVER_VERSION_BYTES
const COMPACT_FROM_LOG_RECORDS = 2 * MAX_SERVER_VERSIONS

/** A version read from the server: what the panel lists, and the board's state in it. */
export interface ServerVersion {
  readonly info: Omit<VersionInfo, 'id'>
  readonly state: Uint8Array
}

export class ServerVersionsRefusedError extends Error {
  override name = 'ServerVersionsRefusedError'
  constructor(readonly refusal: StoreRefusal) {
    super(refusal.message)
  }
}

/** A version bigger than the whole history on the server may hold (version-keeper.ts words it for the user). */
export class VersionTooBigError extends RangeError {
  override name = 'VersionTooBigError'
  constructor(readonly limit: number) {
    super(`the board is over ${limit / (1024 * 1024)} MB, more than its history on the server may hold`)
  }
}

export interface ServerVersionsOptions {
  readonly keys: Pick<StoreKeys, 'historyId' | 'historyWriteSecret' | 'recordKey'>
  /** The store's base URL, `https://host/store/`. */
  readonly baseUrl: string
}

export class ServerVersions {
  /** The server keeps no boards (STORE=off): there is no history there, and nothing to say about it. */
  private off = false

  constructor(private readonly options: ServerVersionsOptions) {}

  /** The versions on the server, oldest first; what cannot be read (not sealed by this board) is left out. */
  async list(): Promise<ServerVersion[]> {
    return (await this.read()).versions
  }

  /** Keeps a version on the server. Throws when the server refuses it (or it is bigger than the history may hold). */
  async add(version: NewVersion, state: Uint8Array): Promise<void> {
    if (this.off) return
    const plain = encodeVersion({ info: version, state })
    if (plain.byteLength > MAX_SERVER_VERSION_BYTES) {
      throw new VersionTooBigError(MAX_SERVER_VERSION_BYTES)
    }
    if (plain.byteLength <= RECORD_BYTES) {
      const { historyId } = this.options.keys
      const response = await this.post(`${historyId}/records`, await this.seal('version', plain))
      if (response.ok) {
        const receipt = (await response.json()) as WriteReceipt
        if (receipt.logBytes > COMPACT_FROM_LOG_BYTES || receipt.logRecords > COMPACT_FROM_LOG_RECORDS) await this.compact([])
        return
      }
      const refusal = await readRefusal(response)
      if (refusal.error === 'store-off') return void (this.off = true)
      if (refusal.error !== 'log-full' && refusal.error !== 'board-full' && refusal.error !== 'record-too-big') throw new ServerVersionsRefusedError(refusal)
    }
    await this.compact([{ info: version, state }])
  }

  /**
   * Replaces the history with one snapshot of its newest versions (and `added`) that fit. A board's
   * first version, when too big for a record, first creates the history with an empty record:
   * a snapshot cannot create a board on the server.
   */
  private async compact(added: readonly ServerVersion[], attempts = 3): Promise<void> {
    let { lastSeq, versions } = await this.read()
    if (this.off) return
    if (lastSeq === 0) {
      const response = await this.post(`${this.options.keys.historyId}/records`, await this.seal('version-bundle', encodeBundle([])))
      if (!response.ok) throw new ServerVersionsRefusedError(await readRefusal(response))
      ;({ lastSeq, versions } = await this.read())
    }
    const kept = newestThatFit([...versions, ...added])
    const response = await this.post(`${this.options.keys.historyId}/snapshot?base=${lastSeq}`, await this.seal('version-bundle', encodeBundle(kept)))
    if (response.ok) return
    const refusal = await readRefusal(response)
    // Someone else compacted or added meanwhile: again from what is there now, a few times.
    if ((refusal.error === 'stale-base' || refusal.error === 'unknown-base') && attempts > 1) return this.compact(added, attempts - 1)
    throw new ServerVersionsRefusedError(refusal)
  }

  private async read(): Promise<{ lastSeq: number; versions: ServerVersion[] }> {
    const { baseUrl, keys } = this.options
    const nothing = { lastSeq: 0, versions: [] }
    if (this.off) return nothing
    const response = await fetch(`${baseUrl}${keys.historyId}`, { cache: 'no-store' })
    if (!response.ok) {
      const refusal = await readRefusal(response)
      if (refusal.error !== 'store-off') throw new ServerVersionsRefusedError(refusal)
      this.off = true
      return nothing
    }
    const lastSeq = Number(response.headers.get('X-Store-Last-Seq'))
    // A server that answers any path with its app: no meshboard store behind it.
    if (!response.headers.has('X-Store-Last-Seq') || !Number.isSafeInteger(lastSeq)) {
      this.off = true
      return nothing
    }
    const versions: ServerVersion[] = []
    for (const entry of parseEntries(new Uint8Array(await response.arrayBuffer()))) {
      const bundle = entry.kind === ENTRY_SNAPSHOT
      const plain = await unseal(keys.recordKey, bundle ? 'version-bundle' : 'version', keys.historyId, entry.bytes).catch(() => null)
      // Anyone with the link can write here: what does not read as versions is left out.
      const read = plain && (bundle ? decodeBundle(plain) : [decodeVersion(plain)])
      if (read) for (const version of read) if (version) versions.push(version)
    }
    versions.sort((a, b) => a.info.at - b.info.at)
    return { lastSeq, versions }
  }

  private seal(purpose: 'version' | 'version-bundle', plain: Uint8Array): Promise<Uint8Array> {
    return seal(this.options.keys.recordKey, purpose, this.options.keys.historyId, plain)
  }

  private post(path: string, body: Uint8Array): Promise<Response> {
    return fetch(`${this.options.baseUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.options.keys.historyWriteSecret}`, 'Content-Type': 'application/octet-stream' },
      body: body as Uint8Array<ArrayBuffer>,
    })
  }
}

/**
 * The newest versions, at most MAX_SERVER_VERSIONS and MAX_SERVER_VERSION_BYTES in all, oldest
 * first; of versions of the same board (two devices kept it as it was) only the newest.
 */
function newestThatFit(versions: readonly ServerVersion[]): ServerVersion[] {
  const kept: ServerVersion[] = []
  let bytes = 0
  for (const version of [...versions].sort((a, b) => b.info.at - a.info.at)) {
    if (kept.some((newer) => equalBytes(newer.info.snapshot, version.info.snapshot))) continue
    const size = version.state.byteLength + version.info.snapshot.byteLength
    if (kept.length === MAX_SERVER_VERSIONS || bytes + size > MAX_SERVER_VERSION_BYTES) break
    kept.push(version)
    bytes += size
  }
  return kept.reverse()
}

function encodeVersion({ info, state }: ServerVersion): Uint8Array {
  const encoder = encoding.createEncoder()
  const { snapshot, ...described } = info
  encoding.writeVarString(encoder, JSON.stringify(described))
  encoding.writeVarUint8Array(encoder, snapshot)
  encoding.writeVarUint8Array(encoder, state)
  return encoding.toUint8Array(encoder)
}

/** A version as sealed, or null when it is not one (written by someone hostile, or by a newer meshboard). */
function decodeVersion(plain: Uint8Array): ServerVersion | null {
  try {
    const decoder = decoding.createDecoder(plain)
    const described: unknown = JSON.parse(decoding.readVarString(decoder))
    const snapshot = decoding.readVarUint8Array(decoder)
    const state = decoding.readVarUint8Array(decoder)
    const info = versionInfo(described, snapshot, state)
    return info ? { info, state } : null
  } catch {
    return null
  }
}

function encodeBundle(versions: readonly ServerVersion[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, versions.length)
  for (const version of versions) encoding.writeVarUint8Array(encoder, encodeVersion(version))
  return encoding.toUint8Array(encoder)
}

function decodeBundle(plain: Uint8Array): (ServerVersion | null)[] | null {
  try {
    const decoder = decoding.createDecoder(plain)
    const count = decoding.readVarUint(decoder)
    if (count > MAX_SERVER_VERSIONS) return null
    return Array.from({ length: count }, () => decodeVersion(decoding.readVarUint8Array(decoder)))
  } catch {
    return null
  }
}

/** What a version says of itself, checked: the panel shows it, so nothing but what it expects. */
function versionInfo(value: unknown, snapshot: Uint8Array, state: Uint8Array): Omit<VersionInfo, 'id'> | null {
  if (typeof value !== 'object' || value === null) return null
  const { at, reason, authors, deleted, shapes } = value as Record<string, unknown>
  const count = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
  if (!count(at) || !count(shapes) || (deleted !== undefined && !count(deleted))) return null
  if (typeof reason !== 'string' || !(VERSION_REASONS as readonly string[]).includes(reason)) return null
  if (!Array.isArray(authors) || authors.length > 100 || !authors.every((name) => typeof name === 'string' && name.length <= 100)) return null
  return {
    at,
    reason: reason as VersionInfo['reason'],
    authors: authors as string[],
    ...(deleted !== undefined ? { deleted } : {}),
    shapes,
    bytes: state.byteLength,
    snapshot,
  }
}
