import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { boardState, restorableView, sameBytes } from '../../src/render/kept-view'

/** A kept view as this build stores it, with no tiles (decoding images needs a browser). */
function stored(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 1,
    build: __MESHBOARD_BUILD__,
    board: new Uint8Array([1, 2, 3]),
    dark: false,
    level: 0,
    tiles: [],
    ids: ['a', 'b'],
    bounds: new Float64Array([0, 0, 10, 20, -5, -5, 5, 5]),
    ...overrides,
  }
}

describe('restorableView', () => {
  it('gives the bounds of every shape of a kept view of this build', async () => {
    const view = await restorableView(stored())
    expect(view?.bounds.get('a')).toEqual({ x: 0, y: 0, width: 10, height: 20 })
    expect(view?.bounds.get('b')).toEqual({ x: -5, y: -5, width: 10, height: 10 })
  })

  const unusable: [string, unknown][] = [
    ['nothing stored', undefined],
    ['another build', stored({ build: 'another' })],
    ['another format', stored({ format: 2 })],
    ['no board state', stored({ board: 'abc' })],
    ['bounds missing for a shape', stored({ bounds: new Float64Array(4) })],
    ['bounds that are not numbers', stored({ bounds: new Float64Array([0, 0, Number.NaN, 1, 0, 0, 1, 1]) })],
    ['a tile that is no image', stored({ tiles: [{ tx: 0, ty: 0, image: 'pixels' }] })],
    ['a tile at no place', stored({ tiles: [{ tx: 0.5, ty: 0, image: null }] })],
    ['endless tiles', stored({ tiles: Array.from({ length: 10_000 }, (_, tx) => ({ tx, ty: 0, image: null })) })],
  ]
  for (const [what, value] of unusable) {
    it(`uses nothing of ${what}`, async () => {
      expect(await restorableView(value)).toBeNull()
    })
  }
})

describe('boardState', () => {
  it('is the same for the same board however it was made, and differs after any change, deletions included', () => {
    const a = new Y.Doc()
    const updates: Uint8Array[] = []
    a.on('update', (update: Uint8Array) => updates.push(update))
    const shapes = a.getMap<unknown>('shapes')
    shapes.set('one', 1)
    shapes.set('two', 2)
    shapes.set('one', 3)
    // b receives a's changes one by one, in the other order; c all at once.
    const b = new Y.Doc()
    for (const update of [...updates].reverse()) Y.applyUpdate(b, update)
    const c = new Y.Doc()
    Y.applyUpdate(c, Y.encodeStateAsUpdate(a))
    expect(sameBytes(boardState(a), boardState(b))).toBe(true)
    expect(sameBytes(boardState(a), boardState(c))).toBe(true)

    const before = boardState(a)
    shapes.delete('two')
    expect(sameBytes(before, boardState(a)), 'after a deletion, which adds no structure').toBe(false)
  })
})
