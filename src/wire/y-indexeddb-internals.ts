/**
 * y-indexeddb 9.0.12's private parts the local store (store/local-store.ts) relies on: it keeps
 * y-indexeddb's loading and compaction but writes updates itself, batched.
 */
import { PREFERRED_TRIM_SIZE, type IndexeddbPersistence } from 'y-indexeddb'
import type * as Y from 'yjs'

/** The parts of IndexeddbPersistence its typings keep private. */
interface PersistenceInternals {
  /** The document 'update' listener that writes one IndexedDB transaction per update. */
  _storeUpdate: (update: Uint8Array, origin: unknown) => void
  /** Opening the database: rejects when IndexedDB is unavailable (private mode, blocked). */
  _db: Promise<IDBDatabase>
  /** Records in the updates store since the last compaction. */
  _dbsize: number
}

function internals(persistence: IndexeddbPersistence): PersistenceInternals {
  return persistence as unknown as PersistenceInternals
}

/** Stops y-indexeddb writing each update itself (`_storeUpdate` off the document). */
export function stopStoringUpdates(persistence: IndexeddbPersistence, doc: Y.Doc): void {
  doc.off('update', internals(persistence)._storeUpdate)
}

/** The database being opened (`_db`): its rejection is how a failed opening shows. */
export function databaseOpening(persistence: IndexeddbPersistence): Promise<IDBDatabase> {
  return internals(persistence)._db
}

/**
 * Counts records written into the updates store (`_dbsize`), as y-indexeddb's own write does;
 * true when there are enough to compact (y-indexeddb's PREFERRED_TRIM_SIZE).
 */
export function countStoredRecords(persistence: IndexeddbPersistence, records: number): boolean {
  const persisted = internals(persistence)
  persisted._dbsize += records
  return persisted._dbsize >= PREFERRED_TRIM_SIZE
}

/** Read back by the contract test: whether the fields the hooks use are there, of the right kind. */
export function persistenceInternalsPresent(persistence: IndexeddbPersistence): boolean {
  const persisted = internals(persistence)
  return typeof persisted._storeUpdate === 'function' && persisted._db instanceof Promise && typeof persisted._dbsize === 'number'
}
