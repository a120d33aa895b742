/**
 * The contract of src/wire/yjs-internals.ts with Yjs itself (the installed version is checked
 * against WIRED_AGAINST in wire-contract.test.ts): every hook that reads a private field of a
 * document, its store or its types, or calls one of Yjs's exported helpers of its StructStore,
 * run against real documents, and compared with what Yjs's public API says of the same document.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  applyAsUpdate,
  clockOf,
  hasPending,
  indexOfClock,
  itemOfType,
  pendingStructsUpdate,
  referencesOf,
  storedStructAt,
  structsByClient,
  structsInUpdate,
  unfinishedTransactions,
} from '../../src/wire/wire-internals'
import { importBoard } from '../../src/model/board-json'
import { generateBoard } from '../helpers/boards'

/** A document of client `clientID` with a few changes: text, a map in a map, and a deletion. */
function sampleDoc(clientID: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const shapes = doc.getMap<Y.Map<unknown>>('shapes')
  const shape = new Y.Map<unknown>()
  shapes.set('a', shape)
  shape.set('type', 'text')
  shape.set('text', 'hello')
  shapes.set('b', new Y.Map())
  shapes.delete('b')
  return doc
}

/** The state vector Yjs itself encodes, as a map. */
const stateVector = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc))

describe('the Yjs hooks against Yjs', () => {
  it('structsByClient and clockOf: every client\'s structs in clock order, ending where the state vector says', () => {
    const doc = sampleDoc(7)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(sampleDoc(9)))
    const byClient = structsByClient(doc)
    expect([...byClient.keys()].sort()).toEqual([...stateVector(doc).keys()].sort())
    for (const [client, structs] of byClient) {
      let clock = 0
      for (const struct of structs) {
        expect(struct.id.client).toBe(client)
        expect(struct.id.clock, 'contiguous, in clock order').toBe(clock)
        clock += struct.length
      }
      expect(clockOf(doc, client)).toBe(clock)
      expect(clockOf(doc, client)).toBe(stateVector(doc).get(client))
    }
    expect(clockOf(doc, 12345)).toBe(0)
  })

  it('storedStructAt and indexOfClock: the struct containing a clock, and its index; null past the document', () => {
    const doc = sampleDoc(7)
    const structs = structsByClient(doc).get(7)!
    for (let clock = 0; clock < clockOf(doc, 7); clock++) {
      const struct = storedStructAt(doc, Y.createID(7, clock))!
      expect(struct.id.clock <= clock && clock < struct.id.clock + struct.length).toBe(true)
      expect(structs[indexOfClock(structs, clock)]).toBe(struct)
    }
    expect(storedStructAt(doc, Y.createID(7, clockOf(doc, 7)))).toBeNull()
    expect(storedStructAt(doc, Y.createID(8, 0))).toBeNull()
    expect(() => indexOfClock(structs, clockOf(doc, 7))).toThrow()
  })

  it('storedStructAt finds what garbage collection left: a GC where a deleted map was', () => {
    const doc = new Y.Doc()
    doc.clientID = 3
    const shapes = doc.getMap<Y.Map<unknown>>('shapes')
    const gone = new Y.Map<unknown>()
    shapes.set('gone', gone)
    gone.set('x', 1)
    shapes.delete('gone')
    const id = Y.createID(3, 1) // the field inside the map, collected with it
    expect(storedStructAt(doc, id)).toBeInstanceOf(Y.GC)
  })

  it('itemOfType: null for a root type, the item that holds a nested one (as referencesOf names it)', () => {
    const doc = sampleDoc(7)
    const shapes = doc.getMap<Y.Map<unknown>>('shapes')
    expect(itemOfType(shapes)).toBeNull()
    const shape = shapes.get('a')!
    const holder = itemOfType(shape)!
    expect(holder).toBeInstanceOf(Y.Item)
    expect(holder.content).toBeInstanceOf(Y.ContentType)
    expect((holder.content as Y.ContentType).type).toBe(shape)
    expect(holder.parent).toBe(shapes)
    // A field of the shape refers to the shape's item; a new type not in a document has none.
    const field = structsByClient(doc).get(7)!.find((struct) => struct instanceof Y.Item && struct.parent === shape)!
    expect(referencesOf(field)).toContainEqual(holder.id)
    expect(itemOfType(new Y.Map())).toBeNull()
  })

  it('pendingStructsUpdate and hasPending: what waits for a missing change, as one V2 update, until it comes', () => {
    const author = new Y.Doc()
    author.clientID = 5
    const updates: Uint8Array[] = []
    author.on('update', (update: Uint8Array) => updates.push(update))
    const shapes = author.getMap<Y.Map<unknown>>('shapes')
    const shape = new Y.Map<unknown>()
    shapes.set('s', shape)
    shape.set('x', 1)
    const [first, second] = updates as [Uint8Array, Uint8Array]

    const receiver = new Y.Doc()
    expect(pendingStructsUpdate(receiver)).toBeNull()
    expect(hasPending(receiver)).toBe(false)
    Y.applyUpdate(receiver, second)
    const pending = pendingStructsUpdate(receiver)!
    expect(pending).toBeInstanceOf(Uint8Array)
    expect(hasPending(receiver)).toBe(true)
    const waiting = Y.decodeUpdateV2(pending).structs.filter((struct) => !(struct instanceof Y.Skip))
    expect(waiting.map((struct) => struct.id.clock)).toEqual(Y.decodeUpdate(second).structs.map((struct) => struct.id.clock))
    expect(clockOf(receiver, 5)).toBe(0)
    Y.applyUpdate(receiver, first)
    expect(pendingStructsUpdate(receiver)).toBeNull()
    expect(hasPending(receiver)).toBe(false)
    expect(receiver.getMap<Y.Map<unknown>>('shapes').get('s')!.get('x')).toBe(1)
  })

  it('hasPending sees deletions that wait too', () => {
    const author = new Y.Doc()
    author.getMap('shapes').set('a', 1)
    const beforeDelete = Y.encodeStateVector(author)
    author.getMap('shapes').delete('a')
    const receiver = new Y.Doc()
    // Only the deletion: it names a clock the receiver does not have.
    Y.applyUpdate(receiver, Y.encodeStateAsUpdate(author, beforeDelete))
    expect(pendingStructsUpdate(receiver)).toBeNull()
    expect(hasPending(receiver)).toBe(true)
  })

  it('unfinishedTransactions: one while a transaction runs and its observers are called, none between tasks', () => {
    const doc = new Y.Doc()
    const seen: number[] = []
    doc.getMap('shapes').observe(() => seen.push(unfinishedTransactions(doc)))
    expect(unfinishedTransactions(doc)).toBe(0)
    doc.transact(() => {
      seen.push(unfinishedTransactions(doc))
      doc.getMap('shapes').set('a', 1)
      // A nested transaction is part of the outer one.
      doc.transact(() => seen.push(unfinishedTransactions(doc)))
    })
    expect(seen).toEqual([1, 1, 1])
    expect(unfinishedTransactions(doc)).toBe(0)
  })

  it('unfinishedTransactions sees a wedged document: a cleanup that threw stays, and no later change fires an update', () => {
    const doc = new Y.Doc()
    let throwOnce = true
    // An 'update' listener is called inside Yjs's cleanup of the transaction, after which Yjs empties its queue.
    doc.on('update', () => {
      if (!throwOnce) return
      throwOnce = false
      throw new Error('a listener that throws')
    })
    expect(() => doc.getMap('shapes').set('a', 1)).toThrow('a listener that throws')
    expect(unfinishedTransactions(doc)).toBe(1)
    let fired = false
    doc.on('update', () => (fired = true))
    doc.getMap('shapes').set('b', 2)
    expect(fired).toBe(false)
    expect(unfinishedTransactions(doc)).toBe(2)
  })

  it('applyAsUpdate: no update listener runs while it applies; then one update, the very bytes given', () => {
    const author = sampleDoc(11)
    const update = Y.encodeStateAsUpdate(author)
    const doc = new Y.Doc()
    const heard: Uint8Array[] = []
    doc.on('update', (bytes: Uint8Array) => heard.push(bytes))
    const origin = { name: 'a peer' }
    const result = applyAsUpdate(
      doc,
      update,
      origin,
      () => true,
      () => {
        Y.applyUpdate(doc, update, origin)
        return heard.length
      },
    )
    expect(result).toBe(0)
    expect(heard).toEqual([update])
    expect(doc.getMap('shapes').toJSON()).toEqual(author.getMap('shapes').toJSON())
  })
})

describe('structsInUpdate (Yjs 13.6.33 update encoding)', () => {
  /** Updates with every kind of struct and content Yjs writes. */
  function everyKind(): Uint8Array[] {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    const map = doc.getMap<unknown>('shapes')
    map.set('any', { nested: [1, 'two', null, true, 3.5, { deep: new Uint8Array([1]) }] })
    map.set('binary', new Uint8Array([1, 2, 3]))
    map.set('overwritten', 1)
    map.set('overwritten', 2) // the first is deleted content in the state
    const text = doc.getText('text')
    text.insert(0, 'hello world')
    text.format(0, 5, { bold: true }) // ContentFormat
    text.insertEmbed(3, { image: 'x' }) // ContentEmbed
    text.delete(1, 2)
    // Yjs's types leave the hook out of what a fragment takes; Yjs itself takes it.
    doc.getXmlFragment('xml').insert(0, [new Y.XmlElement('p'), new Y.XmlText('t'), new Y.XmlHook('hook') as unknown as Y.XmlText])
    doc.getArray<unknown>('list').insert(0, [new Y.Doc(), new Y.Map(), 'x', 7])
    const board = new Y.Doc()
    importBoard(board, generateBoard({ strokes: 30, pointsPerStroke: 20, seed: 4 }))
    board.getMap('shapes').delete('gen-3')
    // What a peer lacks when it has half of the board's structs: the first struct is cut.
    const half = new Map([[board.clientID, Math.floor(Y.getState(board.store, board.clientID) / 2)]])
    return [
      ...updates,
      Y.encodeStateAsUpdate(doc),
      Y.encodeStateAsUpdate(board),
      Y.encodeStateAsUpdate(board, Y.encodeStateVector(half)),
      Y.mergeUpdates([updates[0]!, updates[2]!]), // a gap between them: a Skip struct
    ]
  }

  it('counts what Y.decodeUpdate makes, for every kind of struct and content', () => {
    const updates = everyKind()
    for (const update of updates) expect(structsInUpdate(update, Infinity)).toBe(Y.decodeUpdate(update).structs.length)
    expect(Y.decodeUpdate(updates.at(-1)!).structs.some((struct) => struct.constructor.name === 'Skip')).toBe(true)
  })

  it('stops counting past the limit, and throws on what is not an update', () => {
    const board = new Y.Doc()
    importBoard(board, generateBoard({ strokes: 10, pointsPerStroke: 10, seed: 5 }))
    const update = Y.encodeStateAsUpdate(board)
    const count = Y.decodeUpdate(update).structs.length
    expect(structsInUpdate(update, count)).toBe(count)
    expect(structsInUpdate(update, count - 1)).toBe(Infinity)
    expect(() => structsInUpdate(update.slice(0, update.byteLength / 2), Infinity)).toThrow()
  })
})
