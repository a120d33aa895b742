/**
 * The board on this device, against an in-memory IndexedDB (fake-indexeddb): what is written is
 * what comes back on the next open. The browser's own IndexedDB is exercised by the e2e tests.
 */
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import { shapesOf } from '../../src/model/board-doc'
import { encodeStateInPieces } from '../../src/net/update-pieces'
import { COMPACT_AT_RECORDS } from '../../src/store/board-database'
import { isStoredOnDevice, LocalStore } from '../../src/store/local-store'

let opened: LocalStore[] = []

beforeEach(() => {
  // The page events the store flushes on (pagehide, visibilitychange); Node has no page.
  const page = new EventTarget()
  vi.stubGlobal('addEventListener', page.addEventListener.bind(page))
  vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }))
  vi.stubGlobal('navigator', {})
})

afterEach(() => {
  for (const store of opened) store.destroy()
  opened = []
  vi.unstubAllGlobals()
})

/** Opens the board `name` into a fresh document, as a new tab would. */
function open(name: string) {
  const doc = new Y.Doc()
  let changed = () => {}
  const refused: number[] = []
  const store = new LocalStore(name, doc, { onChange: () => changed(), onRefused: (count) => refused.push(count) })
  opened.push(store)
  const notes = doc.getMap<string>('notes')
  return {
    store,
    notes,
    /** The counts of refused records, one for each time some were. */
    refused,
    /** Resolves once everything written so far is in IndexedDB. */
    saved: () =>
      new Promise<void>((resolve) => {
        changed = () => store.state === 'saved' && resolve()
        store.flush()
        changed()
      }),
  }
}

/** Opens `name`, writes one note once it is loaded, and waits until that is stored. */
async function writeNote(name: string, key: string, text: string): Promise<void> {
  const tab = open(name)
  await tab.store.whenLoaded
  tab.notes.set(key, text)
  await tab.saved()
}

describe('LocalStore', () => {
  it('keeps what was written, edits made while the board was loading included', async () => {
    await writeNote('board-a', 'before', 'drawn in the first tab')

    const second = open('board-a')
    // Not loaded yet: this edit lands before the stored board does.
    expect(second.store.state).toBe('loading')
    second.notes.set('during', 'drawn while loading')
    await second.store.whenLoaded
    expect(second.notes.get('before')).toBe('drawn in the first tab')
    second.notes.set('after', 'drawn once loaded')
    await second.saved()

    const third = open('board-a')
    await third.store.whenLoaded
    expect(third.notes.toJSON()).toEqual({
      before: 'drawn in the first tab',
      during: 'drawn while loading',
      after: 'drawn once loaded',
    })
  })

  it('keeps a view beside the board, and none where none was kept', async () => {
    const tab = open('board-v')
    expect(await tab.store.keptView).toBeUndefined()
    await tab.store.whenLoaded
    await tab.store.keepView({ tiles: ['a picture'], bounds: [1, 2, 3, 4] })
    const again = open('board-v')
    expect(await again.store.keptView).toEqual({ tiles: ['a picture'], bounds: [1, 2, 3, 4] })
  })

  it('keeps boards apart', async () => {
    await writeNote('board-b', 'only', 'in b')
    const other = open('board-c')
    await other.store.whenLoaded
    expect(other.notes.size).toBe(0)
    const again = open('board-b')
    await again.store.whenLoaded
    expect(again.notes.toJSON()).toEqual({ only: 'in b' })
  })

  it('tells whether a board is on this device (a first-time joiner connects without waiting for a load)', async () => {
    expect(await isStoredOnDevice('board-d')).toBe(false)
    await writeNote('board-d', 'note', 'kept')
    expect(await isStoredOnDevice('board-d')).toBe(true)
    expect(await isStoredOnDevice('board-e')).toBe(false)
  })

  it('keeps what arrived before it finished opening a board that was not on this device', async () => {
    const tab = open('board-f')
    // As a peer's board would: applied while the new database is still being created and read.
    const peer = new Y.Doc()
    peer.getMap<string>('notes').set('from', 'a peer')
    Y.applyUpdate(tab.notes.doc!, Y.encodeStateAsUpdate(peer))
    await tab.store.whenLoaded
    await tab.saved()
    const again = open('board-f')
    await again.store.whenLoaded
    expect(again.notes.toJSON()).toEqual({ from: 'a peer' })
  })

  it('stores a board that arrived in pieces piece by piece, and merges small changes into one record', async () => {
    const peer = new Y.Doc()
    const peerNotes = peer.getMap<string>('notes')
    for (let i = 0; i < 8; i++) peerNotes.set(`note-${i}`, `${i}`.repeat(40_000))
    const pieces = encodeStateInPieces(peer, 64 * 1024)
    const big = pieces.filter((piece) => piece.byteLength >= 64 * 1024)
    expect(big.length).toBeGreaterThan(2)
    const tab = open('board-g')
    await tab.store.whenLoaded
    for (const piece of pieces) Y.applyUpdate(tab.notes.doc!, piece)
    tab.notes.set('mine', 'a')
    tab.notes.set('mine too', 'b')
    await tab.saved()
    const records = await storedRecords('board-g')
    // Re-encoding megabytes to merge them would cost the page what it just saved by the pieces.
    for (const piece of big) expect(records.some((record) => equalBytes(record, piece))).toBe(true)
    // Besides the pieces: the empty board stored on creating the database, and one record of the small changes.
    expect(records).toHaveLength(big.length + 2)
    const again = open('board-g')
    await again.store.whenLoaded
    expect(again.notes.toJSON()).toEqual({ ...peerNotes.toJSON(), mine: 'a', 'mine too': 'b' })
  })

  it("opens boards y-indexeddb 9 saved (earlier versions' store), and y-indexeddb opens what it saves", async () => {
    const before = new Y.Doc()
    before.getMap<string>('notes').set('old', 'saved by y-indexeddb')
    const earlier = new IndexeddbPersistence('board-h', before)
    await earlier.whenSynced
    before.getMap<string>('notes').set('old too', 'after its load')
    await waitFor(async () => (await storedRecords('board-h')).length === 2)
    await earlier.destroy()

    await writeNote('board-h', 'new', 'saved by meshboard')
    const after = new Y.Doc()
    const later = new IndexeddbPersistence('board-h', after)
    await later.whenSynced
    expect(after.getMap('notes').toJSON()).toEqual({ old: 'saved by y-indexeddb', 'old too': 'after its load', new: 'saved by meshboard' })
    await later.destroy()
  })

  it('leaves out stored records the board refuses, opens the rest, says so, and keeps saving', async () => {
    await writeNote('board-i', 'kept', 'an honest note')
    // What a board saved before updates were screened may hold: a type nested where the board has
    // none (a chain of them wedges Yjs), bytes that are no update, a value that is not bytes.
    const bomb = new Y.Doc()
    const shape = new Y.Map<unknown>()
    shapesOf(bomb).set('s1', shape)
    shape.set('deeper', new Y.Map())
    await addRecords('board-i', [Y.encodeStateAsUpdate(bomb), new Uint8Array([0, 7, 7, 7]), 'not bytes'])

    const tab = open('board-i')
    await tab.store.whenLoaded
    expect(tab.refused).toEqual([3])
    expect(tab.notes.toJSON()).toEqual({ kept: 'an honest note' })
    expect(shapesOf(tab.notes.doc!).size).toBe(0)
    tab.notes.set('after', 'drawn after the refusal')
    await tab.saved()
    expect(tab.store.state).toBe('saved')

    // Refused records are deleted, not screened (and refused) again at every opening.
    expect((await storedRecords('board-i')).some((record) => !(record instanceof Uint8Array))).toBe(false)
    const again = open('board-i')
    await again.store.whenLoaded
    expect(again.refused).toEqual([])
    expect(again.notes.toJSON()).toEqual({ kept: 'an honest note', after: 'drawn after the refusal' })

    // What is stored after a reading is screened on the next: only what was read counts as screened,
    // and what a tab writes after it does not make it count.
    await addRecords('board-i', [Y.encodeStateAsUpdate(bomb)])
    again.notes.set('later', 'written after the bomb was stored')
    await again.saved()
    const third = open('board-i')
    await third.store.whenLoaded
    expect(third.refused).toEqual([1])
    expect(shapesOf(third.notes.doc!).size).toBe(0)
    expect(third.notes.get('later')).toBe('written after the bomb was stored')
  })

  it('counts what it wrote as screened (it came from a screened board): the next opening does not screen it again', async () => {
    await writeNote('board-k', 'first', 'the board is created')
    const tab = open('board-k')
    await tab.store.whenLoaded
    const big = new Y.Doc()
    for (let i = 0; i < 200; i++) big.getMap<string>('notes').set(`from a peer ${i}`, 'x'.repeat(400))
    Y.applyUpdate(tab.notes.doc!, Y.encodeStateAsUpdate(big))
    tab.notes.set('drawn', 'here')
    await tab.saved()
    // Every record, the ones just written included, is below the mark of what was screened.
    await waitFor(async () => (await screenedBelow('board-k')) === (await storedKeys('board-k')).at(-1)! + 1)
    const again = open('board-k')
    await again.store.whenLoaded
    expect(again.notes.size).toBe(202)
  })

  it('compacts the records into one past 500, taking in what another tab stored meanwhile', async () => {
    const other = new Y.Doc()
    const otherNotes = other.getMap<string>('notes')
    const written: Uint8Array[] = []
    other.on('update', (update: Uint8Array) => written.push(update))
    for (let i = 0; i < COMPACT_AT_RECORDS; i++) otherNotes.set(`other-${i}`, `${i}`)
    await writeNote('board-j', 'first', 'the board is created')
    await addRecords('board-j', written.splice(0))
    const tab = open('board-j')
    await tab.store.whenLoaded
    expect(tab.notes.size).toBe(COMPACT_AT_RECORDS + 1)
    // Another tab's record, stored after this one loaded: this tab has not read it.
    otherNotes.set('other-late', 'stored meanwhile')
    await addRecords('board-j', written)
    expect(tab.notes.has('other-late')).toBe(false)

    tab.notes.set('mine', 'one more')
    await tab.saved()
    await waitFor(async () => (await storedRecords('board-j')).length < 10)
    expect(tab.notes.toJSON()).toEqual({ ...otherNotes.toJSON(), first: 'the board is created', mine: 'one more' })
    const again = open('board-j')
    await again.store.whenLoaded
    expect(again.notes.toJSON()).toEqual(tab.notes.toJSON())
  })
})

/** Polls `condition` until it holds (IndexedDB settles in its own time). */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  await vi.waitFor(async () => expect(await condition()).toBe(true), { timeout: 5000, interval: 10 })
}

/** Adds `records` to a board's updates store, as another tab (or an earlier version) would. */
async function addRecords(name: string, records: readonly unknown[]): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  try {
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction('updates', 'readwrite')
      for (const record of records) transaction.objectStore('updates').add(record)
      transaction.oncomplete = () => resolve()
      transaction.onerror = () => reject(transaction.error)
    })
  } finally {
    db.close()
  }
}

/** The keys of a board's records, in order. */
async function storedKeys(name: string): Promise<number[]> {
  return (await readDatabase(name, 'updates', (store) => store.getAllKeys())) as number[]
}

/** The key below which every record of a board's database was screened (board-database.ts's mark), if any. */
async function screenedBelow(name: string): Promise<unknown> {
  return readDatabase(name, 'custom', (store) => store.get('screened-below'))
}

async function readDatabase(name: string, storeName: string, read: (store: IDBObjectStore) => IDBRequest): Promise<unknown> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  try {
    return await new Promise((resolve, reject) => {
      const request = read(db.transaction(storeName).objectStore(storeName))
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
  } finally {
    db.close()
  }
}

/** The records of a board's database, in order. */
async function storedRecords(name: string): Promise<Uint8Array[]> {
  return (await readDatabase(name, 'updates', (store) => store.getAll())) as Uint8Array[]
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i])
}
