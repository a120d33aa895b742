/**
 * A board's database on this device, laid out as y-indexeddb 9 lays it out, so that boards saved
 * by earlier versions of meshboard (which used y-indexeddb) open as they were: a store `updates`
 * of Yjs updates under increasing keys, the first of which is the board as last compacted, and a
 * store `custom` of other values (the kept view).
 * Read and written here rather than through y-indexeddb: y-indexeddb applies what it reads to the
 * document at once, with no way to screen it first, and what a device stored is screened like
 * anything else (a board saved before updates were screened may hold a peer's bomb). Screening a
 * whole board costs about what applying it does, so a record is screened once: the database notes
 * below which key every record was screened (`custom`'s SCREENED_BELOW) and refused ones deleted.
 */
import * as idb from 'lib0/indexeddb'

const UPDATES_STORE = 'updates'
const CUSTOM_STORE = 'custom'
/** In `custom`: every record in `updates` under this key was screened when read, or written from a screened board. */
const SCREENED_BELOW = 'screened-below'

/** Records stored since the last compaction: this many and the board is compacted into one (y-indexeddb's PREFERRED_TRIM_SIZE). */
export const COMPACT_AT_RECORDS = 500

export interface StoredRecord {
  readonly key: number
  /** As stored: a Yjs update, unless something else wrote into the database. */
  readonly value: unknown
  /** Screened already on an earlier read: to be applied as it is. */
  readonly screened: boolean
}

/**
 * Applies the records read (synchronously: the transaction they were read in is still open) and
 * returns the keys of those it refused.
 */
export type TakeRecords = (records: readonly StoredRecord[]) => number[]

export interface ReadOptions {
  /** Stored before reading: what the document held before anything was read (edits made while loading). */
  readonly first?: Uint8Array
  /** The board encoded once the records are in it: stored, and every record before it deleted. */
  readonly compacted?: () => Uint8Array
  /**
   * A value of `custom` read in the same transaction, handed to `receive` once the records are
   * applied. Read in a transaction of its own, it waited for this one to commit: 10-40 ms more at
   * 10,000 strokes, where y-indexeddb, which left `custom` out of its read, had none.
   */
  readonly alongside?: { readonly key: string; readonly receive: (value: unknown) => void }
}

export class BoardDatabase {
  /** Records in `updates` as last counted, plus those added since. */
  private count = 0

  private constructor(private readonly db: IDBDatabase) {}

  /** Opens (and creates, if need be) the database `name`. Rejects where IndexedDB is unavailable. */
  static async open(name: string): Promise<BoardDatabase> {
    const db = await idb.openDB(name, (db) =>
      idb.createStores(db, [
        [UPDATES_STORE, { autoIncrement: true }],
        [CUSTOM_STORE],
      ]),
    )
    return new BoardDatabase(db)
  }

  /**
   * Reads every record from key `from` on into the board through `take`, deletes those it refused,
   * and notes all that remains as screened; with `options.compacted`, replaces everything with the
   * board. One transaction, so that no other tab writes in between. Resolves to the key the next
   * read starts from: what another tab stores meanwhile comes after it.
   */
  read(from: number, take: TakeRecords, options: ReadOptions = {}): Promise<number> {
    return new Promise((resolve, reject) => {
      const transaction = this.db.transaction([UPDATES_STORE, CUSTOM_STORE], 'readwrite')
      const updates = transaction.objectStore(UPDATES_STORE)
      const custom = transaction.objectStore(CUSTOM_STORE)
      const added = options.first && updates.add(options.first)
      const screenedBelow = custom.get(SCREENED_BELOW)
      const range = IDBKeyRange.lowerBound(from)
      const keys = updates.getAllKeys(range)
      const values = updates.getAll(range)
      // Asked for after the records, so that they come first; it is read while they are applied.
      const { alongside } = options
      if (alongside) custom.get(alongside.key).onsuccess = (event) => alongside.receive((event.target as IDBRequest).result)
      let next = from
      // Requests complete in order: when the values are there, so is everything asked before them.
      values.onsuccess = () => {
        const below = typeof screenedBelow.result === 'number' ? screenedBelow.result : 0
        const ownKey = added ? (added.result as number) : null
        const read = (keys.result as number[]).map((key, index) => ({ key, value: values.result[index], screened: key < below || key === ownKey }))
        const refused = new Set(take(read))
        for (const key of refused) updates.delete(key)
        this.count = (from === 0 ? 0 : this.count) + read.length - refused.size
        next = read.length > 0 ? read[read.length - 1]!.key + 1 : from
        if (!options.compacted) {
          custom.put(next, SCREENED_BELOW)
          return
        }
        const compacted = updates.add(options.compacted())
        compacted.onsuccess = () => {
          const key = compacted.result as number
          updates.delete(IDBKeyRange.upperBound(key, true))
          custom.put(key + 1, SCREENED_BELOW)
          this.count = 1
          next = key + 1
        }
      }
      transaction.oncomplete = () => resolve(next)
      transaction.onabort = () => reject(transaction.error ?? new Error('reading the board from this device was aborted'))
    })
  }

  /**
   * Starts writing `records`, in one transaction committed at once: during pagehide there is no
   * later, and an uncommitted transaction dies with the page (measured: 11 of 15 reloads lost a
   * stroke's end). The caller listens to the transaction. Throws when one cannot be started.
   */
  add(records: readonly Uint8Array[]): IDBTransaction {
    const transaction = this.db.transaction([UPDATES_STORE], 'readwrite')
    const store = transaction.objectStore(UPDATES_STORE)
    const requests = records.map((record) => store.add(record))
    transaction.commit?.()
    transaction.addEventListener('complete', () => {
      this.count += records.length
      if (requests.length > 0) this.noteScreened(requests[0]!.result as number, requests[requests.length - 1]!.result as number)
    })
    return transaction
  }

  /**
   * Records `first` to `last` (one transaction's, so nobody else's are between them) were written
   * from this board, whose every part was screened: if every record before them is screened too,
   * the next read need not screen them either. Without this, a board that came from a peer or a
   * file was screened again on the next opening (10,000 strokes: +0.4-0.7 s). A separate
   * transaction, since the write is committed at once; if it does not happen (the page closed),
   * they are screened on the next read, which is only slower.
   */
  private noteScreened(first: number, last: number): void {
    try {
      const custom = this.db.transaction([CUSTOM_STORE], 'readwrite').objectStore(CUSTOM_STORE)
      const below = custom.get(SCREENED_BELOW)
      below.onsuccess = () => {
        if (below.result === first) custom.put(last + 1, SCREENED_BELOW)
      }
    } catch {
      // The database is closing: see above.
    }
  }

  /** Whether enough records were stored since the last compaction to compact. */
  get wantsCompaction(): boolean {
    return this.count >= COMPACT_AT_RECORDS
  }

  async set(key: string, value: unknown): Promise<void> {
    const [custom] = idb.transact(this.db, [CUSTOM_STORE])
    // lib0 types values as primitives; IndexedDB takes any value it can clone.
    await idb.put(custom, value as string, key)
  }

  close(): void {
    this.db.close()
  }
}
