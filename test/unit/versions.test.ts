/**
 * Board history: restoring a version (one undoable change that reaches peers), the versions kept
 * on the device (against fake-indexeddb), and when they are kept: before someone else's change
 * deletes many shapes, as the update screen reports it before the change is applied.
 */
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { shapesOf } from '../../src/model/board-doc'
import { exportBoard, importBoard, parseBoard } from '../../src/model/board-json'
import { History } from '../../src/model/history'
import type { ShapeId } from '../../src/model/ids'
import { deleteShapes, insertShapes, updateShape } from '../../src/model/ops'
import { screenUpdate, watchDeletions } from '../../src/model/update-screen'
import { openVersion, restoreVersion, shapesDeletedBy } from '../../src/model/versions'
import { MANY_SHAPES, VersionKeeper } from '../../src/store/version-keeper'
import type { ServerVersions } from '../../src/store/server-versions'
import { MAX_VERSIONS, VersionStore, type NewVersion } from '../../src/store/version-store'
import { generateBoard } from '../helpers/boards'

/** The ids of a board's shapes, as the ops take them. */
const idsOf = (doc: Y.Doc) => Array.from(shapesOf(doc).keys()) as ShapeId[]
const board = (strokes: number) => generateBoard({ strokes, pointsPerStroke: 6, seed: strokes })

describe('restoreVersion', () => {
  it('brings back deleted and changed shapes and removes new ones, as one change undo takes back', () => {
    const doc = new Y.Doc()
    importBoard(doc, board(20))
    const before = exportBoard(doc)
    const version = openVersion(Y.encodeStateAsUpdate(doc))
    const ids = idsOf(doc).sort()
    deleteShapes(doc, ids.slice(0, 15))
    updateShape(doc, ids[16]!, { x: 999, color: '#e03131' })
    insertShapes(doc, parseBoard({ version: 1, shapes: [{ ...before.shapes[0]!, id: 'made-later' }] }).shapes)

    const history = new History(doc)
    history.beginGesture()
    const counts = restoreVersion(doc, version)
    expect(counts).toEqual({ added: 15, removed: 1, changed: 1 })
    expect(exportBoard(doc)).toEqual(before)

    expect(history.undo()).toBe(true)
    expect(shapesOf(doc).size).toBe(6)
    expect(shapesOf(doc).has('made-later')).toBe(true)
  })

  it('reaches a peer as an ordinary change', () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()]
    a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update))
    b.on('update', (update: Uint8Array) => Y.applyUpdate(a, update))
    importBoard(a, board(12))
    const version = openVersion(Y.encodeStateAsUpdate(a))
    deleteShapes(b, idsOf(b))
    expect(shapesOf(a).size).toBe(0)
    restoreVersion(a, version)
    expect(exportBoard(b)).toEqual(exportBoard(version))
  })
})

describe('shapesDeletedBy', () => {
  it('counts the whole shapes a change deletes, not their fields, stopping at enough', () => {
    const [mine, theirs] = [new Y.Doc(), new Y.Doc()]
    importBoard(mine, board(30))
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine))
    const vector = Y.encodeStateVector(theirs)
    const ids = idsOf(theirs)
    deleteShapes(theirs, ids.slice(0, 12))
    const wipe = Y.decodeUpdate(Y.encodeStateAsUpdate(theirs, vector)).ds
    expect(shapesDeletedBy(mine, wipe, 100)).toBe(12)
    expect(shapesDeletedBy(mine, wipe, 5)).toBe(5)
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs, vector))
    // Every update carries its author's whole delete set: shapes already gone are not counted again.
    expect(shapesDeletedBy(mine, wipe, 100)).toBe(0)

    const edit = Y.encodeStateVector(theirs)
    updateShape(theirs, ids[20]!, { x: 5 })
    expect(shapesDeletedBy(mine, Y.decodeUpdate(Y.encodeStateAsUpdate(theirs, edit)).ds, 100)).toBe(0)
  })
})

describe('VersionStore and VersionKeeper', () => {
  let page: EventTarget
  let names = 0
  beforeEach(() => {
    page = new EventTarget()
    vi.stubGlobal('addEventListener', page.addEventListener.bind(page))
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  function keeperFor(doc: Y.Doc, name = `versions-test-${names++}`) {
    const store = new VersionStore(name)
    const awareness = new Awareness(doc)
    awareness.setLocalStateField('user', { name: 'Ana', color: '#1971c2' })
    let kept = 0
    // The server's history, as the keeper sees it (store/server-versions.ts has its own test).
    const sent: NewVersion[] = []
    const server = { add: async (version: NewVersion) => void sent.push(version) } as unknown as ServerVersions
    const keeper = new VersionKeeper({ doc, awareness, store, server, onChange: () => kept++ })
    return { store, keeper, kept: () => kept, sent }
  }

  it('keeps the board when opened, after quiet edits at most once a minute, and names who changed it', async () => {
    const doc = new Y.Doc()
    importBoard(doc, board(5))
    const { store, keeper, sent } = keeperFor(doc, 'reopened')
    await keeper.start()
    await vi.waitFor(async () => expect(await store.list()).toHaveLength(1))
    expect((await store.list())[0]).toMatchObject({ reason: 'opened', shapes: 5 })
    // The board came from somewhere: the version kept on opening stays on this device.
    expect(sent).toEqual([])

    // Opened again unchanged: nothing new.
    const again = keeperFor(doc, 'reopened')
    await again.keeper.start()
    again.keeper.destroy()
    expect(await store.list()).toHaveLength(1)

    insertShapes(doc, parseBoard(board(3)).shapes.map((shape) => ({ ...shape, id: `later-${shape.id}` as ShapeId })))
    await vi.advanceTimersByTimeAsync(10_000)
    expect(await store.list()).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(60_000)
    await vi.waitFor(async () => expect(await store.list()).toHaveLength(2))
    const [, edited] = await store.list()
    expect(edited).toMatchObject({ reason: 'edited', shapes: 8, authors: ['Ana'] })
    expect(sent).toEqual([expect.objectContaining({ reason: 'edited', shapes: 8 })])
    const state = await store.state(edited!.id)
    expect(exportBoard(openVersion(state!))).toEqual(exportBoard(doc))
    // The next edit a minute later is kept here, not on the server: that is ten minutes apart at least.
    insertShapes(doc, parseBoard(board(2)).shapes.map((shape) => ({ ...shape, id: `last-${shape.id}` as ShapeId })))
    await vi.advanceTimersByTimeAsync(70_000)
    await vi.waitFor(async () => expect(await store.list()).toHaveLength(3))
    expect(sent).toHaveLength(1)
    keeper.destroy()
  })

  it('keeps a board drawn on before the page was idle as edited here, and sends it to the server', async () => {
    const doc = new Y.Doc()
    const { store, keeper, sent } = keeperFor(doc)
    insertShapes(doc, parseBoard(board(4)).shapes)
    await keeper.start()
    await vi.waitFor(async () => expect(await store.list()).toHaveLength(1))
    expect((await store.list())[0]).toMatchObject({ reason: 'edited', shapes: 4 })
    expect(sent).toEqual([expect.objectContaining({ reason: 'edited', shapes: 4 })])
    keeper.destroy()
  })

  it('keeps the board as it was just before someone else deletes many of its shapes', async () => {
    const [victim, vandal] = [new Y.Doc(), new Y.Doc()]
    importBoard(victim, board(20))
    Y.applyUpdate(vandal, Y.encodeStateAsUpdate(victim))
    const { store, keeper, sent } = keeperFor(victim)
    await keeper.start()
    updateShape(victim, idsOf(victim)[0]!, { x: 77 })
    const before = exportBoard(victim)
    watchDeletions(victim, (ds) => keeper.beforeDeletion(shapesDeletedBy(victim, ds, MANY_SHAPES)))

    const vector = Y.encodeStateVector(vandal)
    deleteShapes(vandal, idsOf(vandal))
    const wipe = Y.encodeStateAsUpdate(vandal, vector)
    // As every path from outside does: screened, then applied.
    expect(screenUpdate(victim, wipe)).toBeNull()
    Y.applyUpdate(victim, wipe)
    expect(shapesOf(victim).size).toBe(0)

    await vi.waitFor(async () => expect((await store.list()).at(-1)?.reason).toBe('before-deletion'))
    const newest = (await store.list()).at(-1)!
    expect(newest).toMatchObject({ shapes: 20, deleted: MANY_SHAPES })
    // On the server too, whenever the last version went there: the wipe may be all anyone else sees.
    expect(sent.at(-1)).toMatchObject({ reason: 'before-deletion', shapes: 20 })
    restoreVersion(victim, openVersion((await store.state(newest.id))!))
    expect(exportBoard(victim)).toEqual(before)
    watchDeletions(victim, null)
    keeper.destroy()
  })

  it('drops the oldest versions past the limit', async () => {
    const store = new VersionStore(`versions-test-${names++}`)
    const snapshot = new Uint8Array([0])
    for (let i = 0; i < MAX_VERSIONS + 3; i++) {
      await store.add({ at: i, reason: 'edited', authors: [], shapes: i, bytes: 1, snapshot }, new Uint8Array([i]))
    }
    const versions = await store.list()
    expect(versions).toHaveLength(MAX_VERSIONS)
    expect(versions[0]!.shapes).toBe(3)
    expect(await store.state(versions[0]!.id - 1)).toBeNull()
    expect(await store.state(versions.at(-1)!.id)).toEqual(new Uint8Array([MAX_VERSIONS + 2]))
    store.destroy()
  })
})
