/**
 * Keeps a board on this device (DESIGN.md §7). y-indexeddb loads and compacts the board, but its
 * write path (one IndexedDB transaction per Yjs update) loses most pending writes when a tab
 * closes. This store replaces that path: updates are written in one transaction per batch (small
 * ones merged), the batch is flushed at once when the page is hidden or closed, and a failed write
 * (quota, private mode) is kept in memory, reported, and retried with the next change.
 */
import { IndexeddbPersistence, storeState } from 'y-indexeddb'
import * as Y from 'yjs'
import { countStoredRecords, databaseOpening, stopStoringUpdates } from '../wire/wire-internals'

export type StoreState = 'loading' | 'saving' | 'saved' | 'error'

/** How long changes gather before they are written; a stroke drawn for a second costs ~4 writes. */
export const WRITE_BATCH_MS = 250
/**
 * Updates this big are stored as they came, each its own record: merging re-encodes them, and a
 * big board arriving in pieces (joiner-answers.ts) is 5 MB to re-encode, 0.15-0.3 s of the page.
 * Smaller ones (a stroke's batches) are merged into one record, keeping the record count low.
 */
const MERGE_BELOW_BYTES = 64 * 1024
const UPDATES_STORE = 'updates'
/** Where the board's kept view lives, in y-indexeddb's store for other data. */
const KEPT_VIEW_KEY = 'kept-view'

export class LocalStore {
  readonly whenLoaded: Promise<void>
  /**
   * The view kept with the board (render/kept-view.ts) as stored, undefined if none; read beside
   * the board, not after it. Derived data: it never fails, at worst it is not there.
   */
  readonly keptView: Promise<unknown>
  private readonly persistence: IndexeddbPersistence
  private pending: Uint8Array[] = []
  private writing = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private loaded = false
  private failure: string | null = null
  private readonly abort = new AbortController()
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this.persistence) return
    this.pending.push(update)
    this.timer ??= setTimeout(() => this.flush(), WRITE_BATCH_MS)
    this.onChange()
  }

  constructor(
    name: string,
    private readonly doc: Y.Doc,
    private readonly onChange: () => void,
  ) {
    this.persistence = new IndexeddbPersistence(name, doc)
    stopStoringUpdates(this.persistence, doc)
    // Listening starts once the board is loaded. Yjs encodes a transaction as an update only when
    // someone listens, and encoding the loaded board (megabytes, to be ignored) was a third of the
    // load. Nothing is missed: y-indexeddb stores the document as it was just before loading, so
    // edits made meanwhile are kept, and the board's peers connect only after the load.
    this.whenLoaded = Promise.race([
      this.persistence.whenSynced.then(() => undefined),
      databaseOpening(this.persistence).then(
        () => new Promise<void>(() => {}),
        (error: unknown) => this.fail(error),
      ),
    ]).then(() => {
      if (this.abort.signal.aborted) return
      this.loaded = true
      doc.on('update', this.onUpdate)
    })
    this.keptView = this.persistence.get(KEPT_VIEW_KEY).catch(() => undefined)
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
    return this.failure
  }

  /** Starts writing everything pending now, as one transaction. */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const db = this.persistence.db
    if (!db || this.pending.length === 0) return
    const batch = recordsOf(this.pending)
    this.pending = []
    this.writing++
    let transaction: IDBTransaction
    try {
      transaction = db.transaction([UPDATES_STORE], 'readwrite')
      const store = transaction.objectStore(UPDATES_STORE)
      for (const record of batch) store.add(record)
      // Commit now rather than when the event loop idles: during pagehide there is no later, and an
      // uncommitted transaction dies with the page (measured: 11 of 15 reloads lost a stroke's end).
      transaction.commit?.()
    } catch (error) {
      this.writeFailed(batch, error)
      return
    }
    transaction.oncomplete = () => {
      this.writing--
      this.failure = null
      if (countStoredRecords(this.persistence, batch.length)) void storeState(this.persistence, false)
      this.onChange()
    }
    transaction.onabort = () => this.writeFailed(batch, transaction.error)
  }

  /**
   * Stores the board's kept view, replacing the last. A failure (storage full) loses nothing but
   * the head start the view gives the next opening, so it is not reported.
   */
  async keepView(view: unknown): Promise<void> {
    // y-indexeddb types values as primitives; IndexedDB takes any value it can clone.
    await this.persistence.set(KEPT_VIEW_KEY, view as never).catch(() => {})
  }

  destroy(): void {
    this.flush()
    this.abort.abort()
    clearTimeout(this.timer)
    this.doc.off('update', this.onUpdate)
    void this.persistence.destroy()
  }

  private writeFailed(batch: Uint8Array[], error: unknown): void {
    this.writing--
    // Keep the batch: it is retried with the next change, and the board stays whole in memory.
    this.pending.unshift(...batch)
    this.fail(error)
  }

  private fail(error: unknown): void {
    this.failure = describeStorageError(error)
    this.onChange()
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
    return 'This device is out of storage space: recent changes are not saved on it. Free some space to save them.'
  }
  if (name === 'InvalidStateError' || name === 'SecurityError') {
    return 'This browser does not allow saving boards on this device (private browsing?). Changes live only while the tab is open.'
  }
  return `Saving on this device failed${error instanceof Error && error.message ? `: ${error.message}` : ''}.`
}
