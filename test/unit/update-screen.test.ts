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
import { MAX_UPDATE_STRUCTS, WHOLE_BOARD_LIMITS, screenUpdate } from '../../src/model/update-screen'
import { clockOf, itemOfType, pendingStructsUpdate, unfinishedTransactions } from '../../src/wire/wire-internals'
import { addTinyShapes, generateBoard } from '../helpers/boards'
import { encodeParts, itemAt, partsOf, type Run } from '../helpers/update-parts'

/** Runs `edit` on a document and returns every update it made, in order. */
function updatesOf(edit: (doc: Y.Doc) => void, doc = new Y.Doc()): Uint8Array[] {
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  edit(doc)
  return updates
}

/** A run of `count` honest structs by `client`: one field each, set in meta. */
function runOf(client: number, count: number): Run {
  const doc = new Y.Doc()
  doc.clientID = client
  doc.transact(() => {
    for (let i = 0; i < count; i++) metaOf(doc).set(`k${i}`, i)
  })
  return partsOf(Y.encodeStateAsUpdate(doc))!.runs[0]!
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

  it('measures values nested inside objects and arrays too, and every value of one insertion together', () => {
    const nested = new Y.Doc()
    nested.getMap('meta').set('note', { inner: [{ text: 'x'.repeat(5 * 1024 * 1024) }] })
    expect(screenUpdate(new Y.Doc(), Y.encodeStateAsUpdate(nested))).toBe('a value over 4 MB')
    const spread = new Y.Doc()
    spread.getMap('meta').set('parts', Array.from({ length: 5 }, () => new Uint8Array(1024 * 1024)))
    expect(screenUpdate(new Y.Doc(), Y.encodeStateAsUpdate(spread))).toBe('a value over 4 MB')
    const deep = new Y.Doc()
    let value: unknown = 'end'
    for (let depth = 0; depth < 3_000; depth++) value = [value]
    deep.getMap('meta').set('deep', value as never)
    // Deep but small: measured without overflowing the stack (the schema screen is what refuses it, if anything).
    expect(screenUpdate(new Y.Doc(), Y.encodeStateAsUpdate(deep))).not.toBe('a value over 4 MB')
    const ordinary = new Y.Doc()
    ordinary.getMap('meta').set('view', { x: 1, y: 2, names: ['Ana', 'Ben'] })
    expect(screenUpdate(new Y.Doc(), Y.encodeStateAsUpdate(ordinary))).toBeNull()
  })

  it('refuses an update of more structs than a receiver takes at once (100,000 tiny shapes froze a page), except from another tab', () => {
    const doc = new Y.Doc()
    addTinyShapes(doc, Math.ceil(MAX_UPDATE_STRUCTS / 7) + 10)
    const update = Y.encodeStateAsUpdate(doc)
    expect(screenUpdate(new Y.Doc(), update)).toBe('an update of more than 100000 structs')
    // Another tab announces the whole board in one message, as y-webrtc writes it.
    expect(screenUpdate(new Y.Doc(), update, WHOLE_BOARD_LIMITS)).toBeNull()
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

  // Found by test/unit/update-screen-fuzz.test.ts: each of these was let through, and Yjs then
  // threw halfway through applying it (structs linked in, the rest not), could not encode the
  // document again, or kept waiting a deletion nobody sent.
  it('refuses updates that Yjs throws on halfway through applying, or cannot encode again', () => {
    const run = (client: number, structs: Run['structs']) => ({ runs: [{ client, clock: structs[0]!.id.clock, structs }], deletions: [] })
    const cases: Array<[string, Uint8Array, string]> = [
      // Yjs looks its author's own clocks up without waiting for them.
      ['an item whose parent is itself', encodeParts(run(70, [itemAt(70, 0, { parent: Y.createID(70, 0) }, new Y.ContentAny([1]))])), 'a change that refers to itself or to a later change of its author'],
      ['an item next to a later change of its author', encodeParts(run(70, [
        itemAt(70, 0, { parent: 'meta', key: 'a' }, new Y.ContentAny([1])),
        itemAt(70, 1, { origin: Y.createID(70, 5) }, new Y.ContentAny([2])),
      ])), 'a change that refers to itself or to a later change of its author'],
      // Two structs at one clock: looking up that client's clocks fails from then on.
      ['an empty struct', encodeParts(run(70, [
        itemAt(70, 0, { parent: 'shapes', key: 's1' }, new Y.ContentType(new Y.Map())),
        itemAt(70, 1, { parent: Y.createID(70, 0), key: 'x' }, new Y.ContentAny([])),
        itemAt(70, 1, { parent: Y.createID(70, 0), key: 'y' }, new Y.ContentAny([1])),
      ])), 'an empty struct'],
      // What cannot be deleted yet is written down to wait: Yjs cannot write an empty range, and
      // writes a backward one down as another range.
      ['a deletion of no clocks', encodeParts({ runs: [], deletions: [[70, [[3, 0]]]] }), 'a delete set out of order'],
      ['deletions out of order', encodeParts({ runs: [], deletions: [[70, [[10, 2], [4, 1]]]] }), 'a delete set out of order'],
      ['a deletion past 2^53', encodeParts({ runs: [], deletions: [[70, [[2 ** 55, 1]]]] }), 'a client or clock past what any document reaches'],
      // Kept waiting, then (its clocks past 2^53) no longer encoded: the document cannot be saved or synced.
      ['a neighbour past 2^53', encodeParts(run(70, [
        itemAt(70, 0, { origin: Y.createID(71, 2 ** 55) }, new Y.ContentAny([1])),
        itemAt(70, 1, { origin: Y.createID(71, 3) }, new Y.ContentAny([2])),
      ])), 'a client or clock past what any document reaches'],
    ]
    for (const [name, update, reason] of cases) expect(screenUpdate(new Y.Doc(), update), name).toBe(reason)
  })

  it('refuses a client listed twice, since Yjs applies only its last run', () => {
    // The first run is dropped, so the second (from clock 5) waits: 25,000 structs the screen
    // would not have counted as waiting.
    const stranger = runOf(72, 25_000)
    const update = encodeParts({ runs: [{ ...runOf(72, 1), clock: 0 }, { ...stranger, clock: 5 }], deletions: [] })
    expect(screenUpdate(new Y.Doc(), update)).toBe('an update that lists a client twice')
    const victim = new Y.Doc()
    Y.applyUpdate(victim, update)
    expect(Y.decodeUpdateV2(pendingStructsUpdate(victim)!).structs).toHaveLength(25_000)
  })

  it('finds a parent in what the document has, not in what an update says those clocks held', () => {
    const author = new Y.Doc()
    author.clientID = 60
    const id = beginStroke(author, { x: 0, y: 0, style: { color: '#1e1e1e', strokeWidth: 4, opacity: 1 }, pressure: false, firstBatch: encodePoints([[0, 0]], false) })
    const victim = new Y.Doc()
    Y.applyUpdate(victim, Y.encodeStateAsUpdate(author))
    const live = (shapesOf(victim).get(id) as Y.Map<unknown>).get('live') as Y.Array<unknown>
    const { clock } = itemOfType(live)!.id
    const state = clockOf(victim, 60)
    // The update says the live array's clock held a shape; Yjs skips clocks it has, so the new
    // array would go into the live array (and, an update at a time, arrays as deep as one likes).
    const forged = encodeParts({ runs: [{ client: 60, clock, structs: [
      itemAt(60, clock, { parent: 'shapes', key: 'forged' }, new Y.ContentType(new Y.Map())),
      itemAt(60, clock + 1, { parent: 'meta', key: 'filler' }, new Y.ContentDeleted(state - clock - 1)),
      itemAt(60, state, { parent: itemOfType(live)!.id, key: 'live' }, new Y.ContentType(new Y.Array())),
    ] }], deletions: [] })
    expect(screenUpdate(victim, forged)).toBe('a nested type where the board has none')
  })

  it('follows a long chain of overwrites once, not once for every item in it', () => {
    // 15,000 maps set one after another at one key: each names the one before as its origin, and
    // following every chain to its start took 10 seconds and more.
    const attacker = new Y.Doc({ gc: false })
    attacker.transact(() => {
      for (let i = 0; i < 15_000; i++) shapesOf(attacker).set('s1', new Y.Map())
    })
    const update = Y.encodeStateAsUpdate(attacker)
    const started = performance.now()
    expect(screenUpdate(new Y.Doc(), update)).toBeNull()
    expect(performance.now() - started).toBeLessThan(3_000)
  })

  it('lets an item sent again go on from the rest of itself only', () => {
    // Yjs applies the tail of an item that starts below the document's clock, linked after the
    // document's struct at the clock before, and does not look again.
    const author = new Y.Doc()
    author.clientID = 90
    author.getArray('list').push([1, 2, 3])
    const victim = new Y.Doc()
    Y.applyUpdate(victim, Y.encodeStateAsUpdate(author))
    author.getArray('list').push([4, 5])
    // Honest: the whole list again, one item of five values now (Yjs merged them).
    const again = Y.encodeStateAsUpdate(author)
    expect(partsOf(again)!.runs[0]!.structs).toHaveLength(1)
    expect(screenUpdate(victim, again)).toBeNull()
    // The tail in another place: Yjs would link it into the list all the same.
    const elsewhere = encodeParts({ runs: [{ client: 90, clock: 1, structs: [itemAt(90, 1, { parent: 'meta', key: 'k' }, new Y.ContentAny([7, 8, 9]))] }], deletions: [] })
    expect(screenUpdate(victim, elsewhere)).toBe('a change that overlaps what the document has, and does not match it')
    // After a collected struct (a deleted shape): Yjs throws halfway through the update.
    const deleter = new Y.Doc()
    deleter.clientID = 91
    shapesOf(deleter).set('s1', new Y.Map([['x', 1]]))
    shapesOf(deleter).delete('s1')
    Y.applyUpdate(victim, Y.encodeStateAsUpdate(deleter))
    const state = clockOf(victim, 91)
    const afterCollected = encodeParts({ runs: [{ client: 91, clock: 0, structs: [itemAt(91, 0, { parent: 'meta', key: 'k' }, new Y.ContentDeleted(state + 2))] }], deletions: [] })
    expect(screenUpdate(victim, afterCollected)).toBe('a change that overlaps what the document has, and does not match it')
    Y.applyUpdate(victim, again)
    expect(victim.getArray('list').toArray()).toEqual([1, 2, 3, 4, 5])
  })

  it('refuses a waiting change that contradicts one already waiting, so nesting never chains', () => {
    // Each update says clock k of the attacker's client is a shape, with a live array at k + 1,
    // and waits for clocks 0 to 4. Yjs merges what waits keeping one struct for each clock, so the
    // next update's "shape" at k + 1 is the live array before: 10,000 such updates and a filler
    // made arrays 10,001 deep, and deleting the top then wedged the document.
    const link = (k: number) => encodeParts({ runs: [{ client: 200, clock: k, structs: [
      itemAt(200, k, { parent: 'shapes', key: `s${k}` }, new Y.ContentType(new Y.Map())),
      itemAt(200, k + 1, { parent: Y.createID(200, k), key: 'live' }, new Y.ContentType(new Y.Array())),
    ] }], deletions: [] })
    for (const order of [[5, 6], [6, 5]]) {
      const victim = new Y.Doc()
      expect(screenUpdate(victim, link(order[0]!))).toBeNull()
      Y.applyUpdate(victim, link(order[0]!))
      // The same change again (sent twice, by two ways) is no contradiction.
      expect(screenUpdate(victim, link(order[0]!))).toBeNull()
      expect(screenUpdate(victim, link(order[1]!))).toBe('a change that contradicts one already waiting')
    }
  })

  it('counts what waits for a client nobody has, or for runs that wait themselves', () => {
    const limits = { maxValueBytes: 1024, maxStructs: 10_000, maxDeleteRanges: 10, maxWaiting: 100 }
    const stranded = runOf(80, 300)
    ;(stranded.structs[0] as Y.Item).origin = Y.createID(12_345, 5)
    expect(screenUpdate(new Y.Doc(), encodeParts({ runs: [stranded], deletions: [] }), limits)).toBe('an update with 300 parts waiting for changes nobody sent')
    // Two runs whose first structs each name a later struct of the other: Yjs applies neither.
    const [left, right] = [runOf(81, 150), runOf(82, 150)]
    ;(left.structs[0] as Y.Item).origin = Y.createID(82, 5)
    ;(right.structs[0] as Y.Item).origin = Y.createID(81, 5)
    const circle = encodeParts({ runs: [left, right], deletions: [] })
    expect(screenUpdate(new Y.Doc(), circle, limits)).toBe('an update with 300 parts waiting for changes nobody sent')
    const victim = new Y.Doc()
    Y.applyUpdate(victim, circle)
    expect([clockOf(victim, 81), clockOf(victim, 82)]).toEqual([0, 0])
    // Naming another run's struct that does arrive, in the same update: nothing waits.
    const follower = runOf(83, 300)
    ;(follower.structs[0] as Y.Item).origin = Y.createID(84, 2)
    expect(screenUpdate(new Y.Doc(), encodeParts({ runs: [follower, runOf(84, 3)], deletions: [] }), { ...limits, maxWaiting: 0 })).toBeNull()
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
      expect(unfinishedTransactions(doc), `round ${round}: a transaction never cleaned up`).toBe(0)
      // Still alive: a later change fires an update.
      let fired = false
      doc.on('update', () => (fired = true))
      shapesOf(doc).set('probe', new Y.Map())
      expect(fired, `round ${round}: the document stopped firing updates`).toBe(true)
    }
    expect(passed).toBeGreaterThan(0)
  }, 30_000)
})
