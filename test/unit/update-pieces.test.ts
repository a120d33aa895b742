/**
 * encodeStateInPieces: a board sent as several updates that a joiner applies as they arrive. Each
 * piece must apply completely when it arrives (nothing left waiting in Yjs's pending store), and
 * all of them together must give the document itself.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { importBoard } from '../../src/model/board-json'
import { MAX_UPDATE_STRUCTS, screenUpdate } from '../../src/model/update-screen'
import { MAX_PIECE_STRUCTS, changeInPieces, encodeStateInPieces } from '../../src/net/update-pieces'
import { hasPending, pendingStructsUpdate } from '../../src/wire/wire-internals'
import { addTinyShapes, generateBoard, random } from '../helpers/boards'

const structsIn = (update: Uint8Array): number => Y.decodeUpdate(update).structs.length

/** Applies `pieces` one by one to a new document (or `doc`), checking that none leaves anything pending. */
function receive(pieces: readonly Uint8Array[], doc = new Y.Doc()): Y.Doc {
  pieces.forEach((piece, i) => {
    Y.applyUpdate(doc, piece)
    expect(pendingStructsUpdate(doc), `structs waiting after piece ${i + 1} of ${pieces.length}`).toBeNull()
    expect(hasPending(doc), `deletions waiting after piece ${i + 1} of ${pieces.length}`).toBe(false)
  })
  return doc
}

function expectSameDocument(received: Y.Doc, sent: Y.Doc): void {
  expect(received.getMap('shapes').toJSON()).toEqual(sent.getMap('shapes').toJSON())
  expect(Y.encodeStateVector(received)).toEqual(Y.encodeStateVector(sent))
  expect(Y.equalDeleteSets(Y.createDeleteSetFromStructStore(received.store), Y.createDeleteSetFromStructStore(sent.store))).toBe(true)
}

/**
 * Three people editing one board, each other's shapes included, synced as they go. Client ids are
 * set so that Yjs's order (highest first) puts the editors of others' shapes before the authors.
 */
function sharedBoard(): Y.Doc {
  const next = random(3)
  const people = [1, 50, 900].map((clientID) => {
    const doc = new Y.Doc()
    doc.clientID = clientID
    return doc
  })
  const sync = () => {
    for (const from of people) for (const to of people) if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))
  }
  for (let round = 0; round < 30; round++) {
    people.forEach((doc, who) => {
      const shapes = doc.getMap<Y.Map<unknown>>('shapes')
      doc.transact(() => {
        const shape = new Y.Map<unknown>()
        shape.set('type', 'stroke')
        shape.set('x', next() * 1000)
        shape.set('color', '#1e1e1e')
        const live = new Y.Array<Uint8Array>()
        live.push([new Uint8Array([round, who, 1]), new Uint8Array([2, 3])])
        shape.set('live', live)
        shapes.set(`s-${round}-${who}`, shape)
      })
      // Someone else's shape: moved, recoloured, its live batches extended, or erased.
      const others = [...shapes.keys()].filter((id) => !id.endsWith(`-${who}`))
      const other = others[Math.floor(next() * others.length)]
      if (!other) return
      const target = shapes.get(other)!
      const roll = next()
      if (roll < 0.3) target.set('x', next() * 1000)
      else if (roll < 0.6) target.set('color', '#e03131')
      else if (roll < 0.85) (target.get('live') as Y.Array<Uint8Array>).push([new Uint8Array([9])])
      else shapes.delete(other)
    })
    sync()
  }
  return people[2]!
}

describe('encodeStateInPieces', () => {
  it('splits a shared, edited board into pieces that each apply at once and together are the board', () => {
    const board = sharedBoard()
    const pieces = encodeStateInPieces(board, 200)
    expect(pieces.length).toBeGreaterThan(10)
    expectSameDocument(receive(pieces), board)
  })

  it('keeps pieces near the size asked for, and ends with the deletions', () => {
    const board = new Y.Doc()
    importBoard(board, generateBoard({ strokes: 300, pointsPerStroke: 100, seed: 8 }))
    board.getMap('shapes').delete('gen-7')
    const pieceBytes = 16 * 1024
    const pieces = encodeStateInPieces(board, pieceBytes)
    const whole = Y.encodeStateAsUpdate(board).byteLength
    const structPieces = pieces.slice(0, -1)
    expect(structPieces.length).toBe(Math.ceil(whole / pieceBytes))
    // One stroke's fields and points are well under a kilobyte: a piece closes within one struct of the size.
    for (const piece of structPieces.slice(0, -1)) {
      expect(piece.byteLength).toBeGreaterThanOrEqual(pieceBytes)
      expect(piece.byteLength).toBeLessThan(pieceBytes + 1024)
    }
    const received = receive(pieces)
    expectSameDocument(received, board)
    expect(received.getMap('shapes').has('gen-7')).toBe(false)
  })

  it('gives a document with nothing in it as its deletions alone', () => {
    const empty = new Y.Doc()
    const pieces = encodeStateInPieces(empty, 1024)
    expect(pieces).toEqual([Y.encodeStateAsUpdate(empty)])
  })

  it('closes a piece at the most structs a piece may hold too, however small they are', () => {
    const board = new Y.Doc()
    addTinyShapes(board, 3000) // 21,000 structs in 150 KB
    const pieces = encodeStateInPieces(board, 1024 * 1024, new Map(), 5000)
    expect(pieces.length).toBe(Math.ceil(21_000 / 5000) + 1)
    for (const piece of pieces) expect(structsIn(piece)).toBeLessThanOrEqual(5000)
    expectSameDocument(receive(pieces), board)
    expect(MAX_PIECE_STRUCTS).toBeLessThan(MAX_UPDATE_STRUCTS)
  })
})

describe('changeInPieces', () => {
  /** A board a peer already has, and the pieces of the next change made to it. */
  function change(make: (doc: Y.Doc) => void, maxStructs?: number) {
    const doc = new Y.Doc()
    importBoard(doc, generateBoard({ strokes: 40, pointsPerStroke: 20, seed: 3 }))
    const peer = new Y.Doc()
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
    let update: Uint8Array | null = null
    let pieces: Uint8Array[] = []
    doc.once('update', (made: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
      update = made
      pieces = changeInPieces(doc, made, transaction.beforeState, transaction.afterState, 256 * 1024, maxStructs)
    })
    make(doc)
    return { doc, peer, update: update!, pieces }
  }

  it('gives a change of more structs than a receiver takes as pieces, each screened in, that bring a peer the change', () => {
    const { doc, peer, update, pieces } = change((doc) =>
      doc.transact(() => {
        addTinyShapes(doc, 3000)
        doc.getMap('shapes').delete('gen-4')
      }),
      5000,
    )
    expect(structsIn(update)).toBeGreaterThan(20_000)
    expect(pieces.length).toBeGreaterThanOrEqual(5)
    for (const piece of pieces) {
      expect(structsIn(piece)).toBeLessThanOrEqual(5000)
      // Only this change: nothing of the board the peer had already.
      expect(screenUpdate(peer, piece)).toBeNull()
    }
    expect(pieces.slice(0, -1).reduce((sum, piece) => sum + structsIn(piece), 0)).toBe(structsIn(update))
    receive(pieces, peer)
    expectSameDocument(peer, doc)
    expect(peer.getMap('shapes').has('gen-4')).toBe(false)
  })

  it('leaves a change within the limit as it is', () => {
    const { update, pieces } = change((doc) => addTinyShapes(doc, 100))
    expect(pieces).toEqual([update])
  })
})
