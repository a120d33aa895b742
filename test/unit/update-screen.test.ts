/**
 * The update screen (src/model/update-screen.ts): every update honest editing makes passes it;
 * the ones that wedge or slow down Yjs (nested types where the board has none, deletions waiting
 * for what never comes) are refused; and no random or mutated update throws past it or, once let
 * through, leaves a document wedged.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { putAsset } from '../../src/model/assets'
import { metaOf, shapesOf } from '../../src/model/board-doc'
import { importBoard } from '../../src/model/board-json'
import { History } from '../../src/model/history'
import { addShape, appendStrokePoints, beginStroke, deleteShapes, finishStroke, updateShape } from '../../src/model/ops'
import { encodePoints } from '../../src/model/point-codec'
import { reorderShapes } from '../../src/model/z-order'
import { screenUpdate } from '../../src/model/update-screen'
import { generateBoard } from '../helpers/boards'

/** Runs `edit` on a document and returns every update it made, in order. */
function updatesOf(edit: (doc: Y.Doc) => void, doc = new Y.Doc()): Uint8Array[] {
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  edit(doc)
  return updates
}

function honestSession(doc: Y.Doc): void {
  const history = new History(doc)
  importBoard(doc, generateBoard({ strokes: 40, pointsPerStroke: 30, seed: 3 }))
  const stroke = beginStroke(doc, { x: 10, y: 10, style: { color: '#1e1e1e', strokeWidth: 4, opacity: 1 }, pressure: false, firstBatch: encodePoints([[0, 0], [2, 2]], false) })
  appendStrokePoints(doc, stroke, encodePoints([[4, 4], [6, 5]], false))
  finishStroke(doc, stroke)
  const box = addShape(doc, { type: 'rectangle', x: 0, y: 0, width: 50, height: 40, rotation: 0, opacity: 1, color: '#1e1e1e', strokeWidth: 2 })
  updateShape(doc, box, { x: 30, fill: '#ffc9c9' })
  reorderShapes(doc, [box], 'back')
  putAsset(doc, 'a'.repeat(64), new Uint8Array([137, 80, 78, 71]))
  metaOf(doc).set('title', 'Retro')
  history.beginGesture()
  deleteShapes(doc, [stroke])
  history.undo()
  history.redo()
}

describe('the update screen', () => {
  it('lets every update of honest editing through, one by one and as a whole board', () => {
    const source = new Y.Doc()
    const updates = updatesOf(honestSession, source)
    expect(updates.length).toBeGreaterThan(10)
    const victim = new Y.Doc()
    for (const update of updates) {
      expect(screenUpdate(victim, update)).toBeNull()
      Y.applyUpdate(victim, update)
    }
    expect(screenUpdate(new Y.Doc(), Y.encodeStateAsUpdate(source))).toBeNull()
    expect(screenUpdate(new Y.Doc(), Y.mergeUpdates(updates))).toBeNull()
  })

  it('lets through a change whose parent the document already has', () => {
    const author = new Y.Doc()
    const victim = new Y.Doc()
    const [created] = updatesOf((doc) => beginStroke(doc, { x: 0, y: 0, style: { color: '#1e1e1e', strokeWidth: 4, opacity: 1 }, pressure: false, firstBatch: encodePoints([[0, 0]], false) }), author)
    Y.applyUpdate(victim, created!)
    const id = [...shapesOf(author).keys()][0]!
    // The live array is replaced: its new item has the old one as origin, and no parent written.
    const shape = shapesOf(author).get(id) as Y.Map<unknown>
    const [replaced] = updatesOf(() => shape.set('live', new Y.Array()), author)
    expect(screenUpdate(victim, replaced!)).toBeNull()
  })

  it('refuses a map nested in a shape, and so the 10,000-deep chain never starts', () => {
    const attacker = new Y.Doc()
    const victim = new Y.Doc()
    const [shape] = updatesOf((doc) => shapesOf(doc).set('s1', new Y.Map()), attacker)
    expect(screenUpdate(victim, shape!)).toBeNull()
    Y.applyUpdate(victim, shape!)
    let level = shapesOf(attacker).get('s1') as Y.Map<unknown>
    const [nested] = updatesOf(() => {
      const next = new Y.Map<unknown>()
      level.set('deeper', next)
      level = next
    }, attacker)
    expect(screenUpdate(victim, nested!)).toBe('a nested type where the board has none')
    // Sent as one update from the start, too.
    const deep = new Y.Doc()
    deep.transact(() => {
      let current = new Y.Map<unknown>()
      shapesOf(deep).set('s1', current)
      for (let depth = 0; depth < 10_000; depth++) {
        const next = new Y.Map<unknown>()
        current.set('m', next)
        current = next
      }
    })
    expect(screenUpdate(new Y.Doc(), Y.encodeStateAsUpdate(deep))).toBe('a nested type where the board has none')
  })

  it('refuses types in other roots, text types, a live array anywhere else, and sub-documents', () => {
    const cases: Array<[string, (doc: Y.Doc) => void]> = [
      ['a map in another root', (doc) => doc.getMap('evil').set('x', new Y.Map())],
      ['an array as a shape', (doc) => shapesOf(doc).set('s1', new Y.Array())],
      ['a text as a shape', (doc) => shapesOf(doc).set('s1', new Y.Text('x'))],
      ['a map in meta', (doc) => metaOf(doc).set('title', new Y.Map())],
      ['an array nested in a live array', (doc) => {
        const shape = new Y.Map<unknown>()
        shapesOf(doc).set('s1', shape)
        const live = new Y.Array<unknown>()
        shape.set('live', live)
        live.push([new Y.Array()])
      }],
      ['a sub-document', (doc) => shapesOf(doc).set('s1', new Y.Doc() as unknown as Y.Map<unknown>)],
    ]
    for (const [name, edit] of cases) {
      const doc = new Y.Doc()
      edit(doc)
      expect(screenUpdate(new Y.Doc(), Y.encodeStateAsUpdate(doc)), name).not.toBeNull()
    }
  })

  it('refuses a value far bigger than any the board makes (a 50 MB asset)', () => {
    const doc = new Y.Doc()
    doc.getMap('assets').set('a'.repeat(64), new Uint8Array(5 * 1024 * 1024))
    expect(screenUpdate(new Y.Doc(), Y.encodeStateAsUpdate(doc))).toBe('a value over 4 MB')
    const text = new Y.Doc()
    text.getMap('meta').set('title', 'x'.repeat(5 * 1024 * 1024))
    expect(screenUpdate(new Y.Doc(), Y.encodeStateAsUpdate(text))).toBe('a value over 4 MB')
    const image = new Y.Doc()
    image.getMap('assets').set('b'.repeat(64), new Uint8Array(1024 * 1024))
    expect(screenUpdate(new Y.Doc(), Y.encodeStateAsUpdate(image))).toBeNull()
  })

  it('refuses deletions and structs that wait for changes nobody sent', () => {
    // 25,000 separate delete ranges: of every two keys set, one is deleted.
    const stranger = new Y.Doc()
    const scratch = stranger.getMap<number>('scratch')
    stranger.transact(() => {
      for (let i = 0; i < 25_000; i++) {
        scratch.set(`k${i}`, i)
        scratch.set(`j${i}`, i)
        scratch.delete(`k${i}`)
      }
    })
    const deletionsOnly = Y.diffUpdate(Y.encodeStateAsUpdate(stranger), Y.encodeStateVector(stranger))
    expect(screenUpdate(new Y.Doc(), deletionsOnly)).toMatch(/waiting for changes nobody sent/)
    // With the structs they delete, nothing waits.
    expect(screenUpdate(new Y.Doc(), Y.encodeStateAsUpdate(stranger))).toBeNull()

    // A change that follows others the victim never got waits for them.
    const later = new Y.Doc()
    later.getMap<number>('meta').set('a', 1)
    const [next] = updatesOf((doc) => doc.getMap<number>('meta').set('b', 2), later)
    const limits = { maxValueBytes: 1024, maxStructs: 10, maxDeleteRanges: 10, maxWaiting: 0 }
    expect(screenUpdate(new Y.Doc(), next!, limits)).toMatch(/waiting/)
    expect(screenUpdate(later, next!, limits)).toBeNull()
  })

  it('never throws on random or mutated updates, and what it lets through never wedges a document', () => {
    const honest = updatesOf(honestSession)
    const whole = Y.mergeUpdates(honest)
    let seed = 1
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    let passed = 0
    for (let round = 0; round < 3000; round++) {
      const base = random() < 0.2 ? whole : honest[Math.floor(random() * honest.length)]!
      const mutated = base.slice()
      const kind = random()
      if (kind < 0.4) {
        for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256)
      } else if (kind < 0.7) {
        mutated.fill(Math.floor(random() * 256), Math.floor(random() * mutated.length), Math.floor(random() * mutated.length))
      } else if (kind < 0.9) {
        const cut = mutated.subarray(0, Math.floor(random() * mutated.length))
        mutated.set(cut)
      } else {
        for (let i = 0; i < mutated.length; i++) mutated[i] = Math.floor(random() * 256)
      }
      const doc = new Y.Doc()
      let verdict: string | null = 'not screened'
      expect(() => (verdict = screenUpdate(doc, mutated)), `round ${round}`).not.toThrow()
      if (verdict !== null) continue
      passed++
      try {
        Y.applyUpdate(doc, mutated)
      } catch {
        // Yjs may still refuse malformed bytes; what matters is that the document is not left wedged.
      }
      expect((doc as unknown as { _transactionCleanups: unknown[] })._transactionCleanups, `round ${round}: a transaction never cleaned up`).toEqual([])
      // Still alive: a later change fires an update.
      let fired = false
      doc.on('update', () => (fired = true))
      shapesOf(doc).set('probe', new Y.Map())
      expect(fired, `round ${round}: the document stopped firing updates`).toBe(true)
    }
    expect(passed).toBeGreaterThan(0)
  }, 30_000)
})
