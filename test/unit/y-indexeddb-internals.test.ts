/**
 * The y-indexeddb hooks of src/wire against the real y-indexeddb over an in-memory IndexedDB
 * (fake-indexeddb): the private fields are there, and each hook does what the local store needs.
 */
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it } from 'vitest'
import { IndexeddbPersistence, PREFERRED_TRIM_SIZE } from 'y-indexeddb'
import * as Y from 'yjs'
import { countStoredRecords, databaseOpening, persistenceInternalsPresent, stopStoringUpdates } from '../../src/wire/wire-internals'

const opened: IndexeddbPersistence[] = []
afterEach(async () => {
  for (const persistence of opened.splice(0)) await persistence.destroy()
})

function persist(doc: Y.Doc): IndexeddbPersistence {
  const persistence = new IndexeddbPersistence(`y-indexeddb-internals-${Math.random()}`, doc)
  opened.push(persistence)
  return persistence
}

/** How many records y-indexeddb's updates store holds. */
async function storedRecords(db: IDBDatabase): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = db.transaction(['updates'], 'readonly').objectStore('updates').count()
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

describe('y-indexeddb internals', () => {
  it('has the private fields the hooks read, and opens its database through the promise databaseOpening returns', async () => {
    const persistence = persist(new Y.Doc())
    expect(persistenceInternalsPresent(persistence)).toBe(true)
    const db = await databaseOpening(persistence)
    expect(db.objectStoreNames.contains('updates')).toBe(true)
  })

  it('stops y-indexeddb writing each update once its listener is taken off', async () => {
    const doc = new Y.Doc()
    const persistence = persist(doc)
    await persistence.whenSynced
    const db = await databaseOpening(persistence)
    const before = await storedRecords(db)
    doc.getMap('shapes').set('a', 1)
    await persistence.whenSynced
    // y-indexeddb writes an update in a transaction of its own: wait until it is there.
    await expect.poll(() => storedRecords(db)).toBe(before + 1)
    stopStoringUpdates(persistence, doc)
    doc.getMap('shapes').set('b', 2)
    doc.getMap('shapes').set('c', 3)
    // A transaction opened now completes after any write y-indexeddb would have started before it.
    expect(await storedRecords(db)).toBe(before + 1)
  })

  it('counts records written by others towards compaction, as its own writes do', () => {
    const persistence = persist(new Y.Doc())
    expect(countStoredRecords(persistence, 1)).toBe(false)
    expect(countStoredRecords(persistence, PREFERRED_TRIM_SIZE)).toBe(true)
  })
})
