/**
 * Keeps a board on this device (DESIGN.md §7), in IndexedDB as y-indexeddb lays it out
 * (board-database.ts). Updates are written in one transaction per batch (small ones merged), not
 * one per Yjs update as y-indexeddb writes them, which lost most pending writes when a tab closed;
 * the batch is flushed at once when the page is hidden or closed, and a failed write (quota,
 * private mode) is kept in memory, reported, and retried with the next change. What is read back
 * is screened record by record (model/update-screen.ts), once: a record the board refuses is left
 * out (and deleted) and the user told, and the rest of the board opens.
 */
import * as Y from 'yjs'
import { msg, str } from '@lit/localize'
import { screenStoredRecord } from '../model/update-screen'
import { BoardDatabase, type StoredRecord } from './board-database'

export type StoreState = 'loading' | 'saving' | 'saved' | 'error'

/** How long changes gather before they are written; a stroke drawn for a second costs ~4 writes. */
export const WRITE_BATCH_MS = 250
/**
 * Updates this big are stored as they came, each its own record: merging re-encodes them, and a
 * big board arriving in pieces (joiner-answers.ts) is 5 MB to re-encode, 0.15-0.3 s of the page.
 * Smaller ones (a stroke's batches) are merged into one record, keeping the record count low.
 */
const MERGE_BELOW_BYTES = 64 * 1024
/** Where the board's kept view lives, in the database's store for other data. */
const KEPT_VIEW_KEY = 'kept-view'

export interface LocalStoreOptions {
  /** Something changed that `state` or `error` report. */
  readonly onChange: () => void
  /** Records read back were refused (`count` of them, the first for `reason`) and left out of the board. */
  readonly onRefused?: (count: number, reason: string) => void
}

export class LocalStore {
  readonly whenLoaded: Promise<void>
  /**
   * The view kept with the board (render/kept-view.ts) as stored, undefined if none; read beside
   * the board, not after it. Derived data: it never fails, at worst it is not there.
   */
  readonly keptView: Promise<unknown>
  private readonly opening: Promise<BoardDatabase>
  private database: BoardDatabase | null = null
  /** The key of the first record not read yet: what another tab stored since comes from here. */
  private nextRecord = 0
  private pending: Uint8Array[] = []
  private writing = 0
  private compacting = false
  /** Records refused on the read under way: reported once it is done. */
  private refusal: { count: number; reason: string } | null = null
  private timer: ReturnType<typeof setTimeout> | undefined
  private loaded = false
  /** What the last write failed with (worded when asked: the words follow the interface's language); null when storage works. */
  private failure: { error: unknown } | null = null
  private readonly abort = new AbortController()
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return
    this.pending.push(update)
    this.timer ??= setTimeout(() => this.flush(), WRITE_BATCH_MS)
    this.options.onChange()
  }

  constructor(
    name: string,
    private readonly doc: Y.Doc,
    private readonly options: LocalStoreOptions,
  ) {
    this.opening = BoardDatabase.open(name)
    let receiveKeptView: (view: unknown) => void = () => {}
    this.keptView = new Promise((resolve) => (receiveKeptView = resolve))
    this.whenLoaded = this.load(receiveKeptView).catch((error: unknown) => this.fail(error)).then(() => {
      receiveKeptView(undefined) // not read: IndexedDB failed, or the store was destroyed first
      if (this.abort.signal.aborted) return
      // Listening starts once the board is loaded. Yjs encodes a transaction as an update only
      // when someone listens, and encoding the loaded board (megabytes, to be ignored) was a third
      // of the load. Nothing is missed: the document as it was before loading is stored first, so
      // edits made meanwhile are kept, and the board's peers connect only after the load.
      this.loaded = true
      doc.on('update', this.onUpdate)
    })
    const flushNow = () => this.flush()
    addEventListener('pagehide', flushNow, { signal: this.abort.signal })
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flushNow(), {
      signal: this.abort.signal,
    })
    // Best effort: without it the browser may evict the board under storage pressure.
    void navigator.storage?.persist?.().catch(() => {})
  }

  get state(): StoreState {
    if (this.failure) return 'error'
    if (!this.loaded) return 'loading'
    return this.pending.length > 0 || this.writing > 0 ? 'saving' : 'saved'
  }

  /** Why the last write failed, in words for the user; null when storage works. */
  get error(): string | null {
    return this.failure && describeStorageError(this.failure.error)
  }

  /** Starts writing everything pending now, as one transaction. */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const database = this.database
    if (!database || this.pending.length === 0) return
    const batch = recordsOf(this.pending)
    this.pending = []
    this.writing++
    let transaction: IDBTransaction
    try {
      transaction = database.add(batch)
    } catch (error) {
      this.writeFailed(batch, error)
      return
    }
    transaction.addEventListener('complete', () => {
      this.writing--
      this.failure = null
      if (database.wantsCompaction) void this.compact(database)
      this.options.onChange()
    })
    transaction.addEventListener('abort', () => this.writeFailed(batch, transaction.error))
  }

  /**
   * Stores the board's kept view, replacing the last. A failure (storage full) loses nothing but
   * the head start the view gives the next opening, so it is not reported.
   */
  async keepView(view: unknown): Promise<void> {
    await this.opening.then((database) => database.set(KEPT_VIEW_KEY, view)).catch(() => {})
  }

  destroy(): void {
    this.flush()
    this.abort.abort()
    clearTimeout(this.timer)
    this.doc.off('update', this.onUpdate)
    // Closing waits for the transactions under way: the flush above is written.
    void this.opening.then((database) => database.close()).catch(() => {})
  }

  private async load(receiveKeptView: (view: unknown) => void): Promise<void> {
    const database = await this.opening
    if (this.abort.signal.aborted) return
    this.database = database
    this.nextRecord = await database.read(0, (records) => this.take(records), {
      first: Y.encodeStateAsUpdate(this.doc),
      alongside: { key: KEPT_VIEW_KEY, receive: receiveKeptView },
    })
    this.reportRefused()
  }

  /**
   * Reads what other tabs stored since the last read into the board, then replaces every record
   * with the board as one (as y-indexeddb compacts). A failure leaves the records as they were, to
   * be compacted after the next write.
   */
  private async compact(database: BoardDatabase): Promise<void> {
    if (this.compacting) return
    this.compacting = true
    try {
      this.nextRecord = await database.read(this.nextRecord, (records) => this.take(records), {
        compacted: () => Y.encodeStateAsUpdate(this.doc),
      })
      this.reportRefused()
    } catch (error) {
      console.warn('meshboard: compacting the board on this device failed', error)
    } finally {
      this.compacting = false
    }
  }

  /** Applies the records read, in one transaction, each screened first unless it was on an earlier read; returns the keys of those refused. */
  private take(records: readonly StoredRecord[]): number[] {
    const refused: number[] = []
    Y.transact(
      this.doc,
      () => {
        for (const { key, value, screened } of records) {
          const reason = (screened ? null : screenStoredRecord(this.doc, value)) ?? applyRecord(this.doc, value, this)
          if (reason === null) continue
          refused.push(key)
          this.refusal ??= { count: 0, reason }
          this.refusal.count++
        }
      },
      this,
      false,
    )
    return refused
  }

  private reportRefused(): void {
    if (!this.refusal) return
    const { count, reason } = this.refusal
    this.refusal = null
    console.warn(`meshboard: ${count} of the records this device stored for the board were left out: ${reason}`)
    this.options.onRefused?.(count, reason)
  }

  private writeFailed(batch: Uint8Array[], error: unknown): void {
    this.writing--
    // Keep the batch: it is retried with the next change, and the board stays whole in memory.
    this.pending.unshift(...batch)
    this.fail(error)
  }

  private fail(error: unknown): void {
    this.failure = { error }
    this.options.onChange()
  }
}

/** Applies a screened record; why it failed, or null. Yjs may throw on what the screen let by. */
function applyRecord(doc: Y.Doc, record: unknown, origin: unknown): string | null {
  if (!(record instanceof Uint8Array)) return 'a record that is not a change'
  try {
    Y.applyUpdate(doc, record, origin)
    return null
  } catch {
    return 'a change Yjs could not apply'
  }
}

/** The records to store for `updates`: big ones as they are, the small ones merged into one (Yjs updates apply in any order). */
function recordsOf(updates: readonly Uint8Array[]): Uint8Array[] {
  const big = updates.filter((update) => update.byteLength >= MERGE_BELOW_BYTES)
  const small = updates.filter((update) => update.byteLength < MERGE_BELOW_BYTES)
  if (small.length === 0) return big
  return [...big, small.length === 1 ? small[0]! : Y.mergeUpdates(small)]
}

/**
 * Whether this device holds a board stored under `name`. When the browser cannot tell, it answers
 * true: callers then wait for a load that may find nothing, which is only slower.
 */
export async function isStoredOnDevice(name: string): Promise<boolean> {
  try {
    const databases = await indexedDB.databases?.()
    return !databases || databases.some((database) => database.name === name)
  } catch {
    return true
  }
}

export function describeStorageError(error: unknown): string {
  const name = (error as { name?: string } | null)?.name
  if (name === 'QuotaExceededError') {
    return msg('This device is out of storage space: recent changes are not saved on it. Free some space to save them.', { id: 'device.out-of-space' })
  }
  if (name === 'InvalidStateError' || name === 'SecurityError') {
    return msg('This browser does not allow saving boards on this device (private browsing?). Changes live only while the tab is open.', { id: 'device.storage-forbidden' })
  }
  if (error instanceof Error && error.message) {
    const reason = error.message
    return msg(str`Saving on this device failed: ${reason}.`, { id: 'device.save-failed.reason', desc: "the placeholder is the browser's technical reason, often in English" })
  }
  return msg('Saving on this device failed.', { id: 'device.save-failed' })
}
