/**
 * How big a board may grow (src/model/board-budget.ts): an image that would take it past its
 * budget is refused with a message, and so is a change from elsewhere (through the update screen);
 * deleting makes room again.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { assetsOf, putAsset } from '../../src/model/assets'
import { BoardBudget, BoardFullError } from '../../src/model/board-budget'
import { screenUpdate } from '../../src/model/update-screen'

/** A PNG-looking value of `bytes` bytes (the asset reader checks the first bytes). */
function image(bytes: number, seed: number): Uint8Array {
  const data = new Uint8Array(bytes)
  data.set([0x89, 0x50, 0x4e, 0x47])
  for (let i = 4; i < bytes; i++) data[i] = (i * seed) & 0xff
  return data
}
const hash = (n: number) => n.toString(16).padStart(64, '0')

describe('BoardBudget', () => {
  it('refuses an image past the budget with a message, and takes it once something is deleted', () => {
    const doc = new Y.Doc()
    const budget = new BoardBudget(doc, 3 * 1024 * 1024)
    budget.follow()
    putAsset(doc, hash(1), image(1024 * 1024, 3))
    putAsset(doc, hash(2), image(1024 * 1024, 5))
    expect(() => putAsset(doc, hash(3), image(1024 * 1024, 7))).toThrow(BoardFullError)
    expect(() => putAsset(doc, hash(3), image(1024 * 1024, 7))).toThrow('This board is full: it holds 3 MB')
    expect(assetsOf(doc).has(hash(3))).toBe(false)

    doc.transact(() => assetsOf(doc).delete(hash(1)))
    // Deleted content is collected; the board is measured again (at most every 10 s) when over.
    const later = new BoardBudget(doc, 3 * 1024 * 1024)
    later.follow()
    putAsset(doc, hash(3), image(1024 * 1024, 7))
    expect(assetsOf(doc).has(hash(3))).toBe(true)
    budget.destroy()
    later.destroy()
  })

  it('has the update screen refuse a change from elsewhere that would take the board past it', () => {
    const [mine, theirs] = [new Y.Doc(), new Y.Doc()]
    const budget = new BoardBudget(mine, 2 * 1024 * 1024)
    budget.follow()
    theirs.transact(() => assetsOf(theirs).set(hash(1), image(1024 * 1024, 3)))
    const small = Y.encodeStateAsUpdate(theirs)
    expect(screenUpdate(mine, small)).toBeNull()
    Y.applyUpdate(mine, small)
    const vector = Y.encodeStateVector(theirs)
    theirs.transact(() => assetsOf(theirs).set(hash(2), image(1024 * 1024 + 10, 5)))
    expect(screenUpdate(mine, Y.encodeStateAsUpdate(theirs, vector))).toBe('a change that would take the board over its 2 MB')
    budget.destroy()
    // Without a budget (a document nobody opened as a board) the screen has no size limit of its own.
    expect(screenUpdate(mine, Y.encodeStateAsUpdate(theirs, vector))).toBeNull()
  })
})
