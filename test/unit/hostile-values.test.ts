/**
 * Values a hostile (or buggy) peer can write that used to hurt everyone: an order key that passes
 * the pattern but that fractional-indexing refuses, and a very long word in a note.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { shapesOf } from '../../src/model/board-doc'
import { addShape } from '../../src/model/ops'
import { isZ, readShape } from '../../src/model/validate'
import { wrap } from '../../src/render/text-layout'

describe('z-order keys from peers', () => {
  it('accepts the keys z-order writes and refuses ones no key can be made above', () => {
    for (const z of ['a0', 'a1', 'Zz', 'b00', 'a0V']) expect(isZ(z), z).toBe(true)
    for (const z of ['zzzz', 'a', 'a00', 'b0', '', 'a0!', 'A'.padEnd(27, '0')]) expect(isZ(z), z).toBe(false)
  })

  it('skips a shape with an invalid key, and creating shapes still works for everyone', () => {
    const doc = new Y.Doc()
    const hostile = new Y.Map<unknown>()
    for (const [key, value] of Object.entries({ type: 'rectangle', x: 0, y: 0, width: 10, height: 10, rotation: 0, z: 'zzzz', opacity: 1, color: '#1e1e1e', strokeWidth: 2, fill: null })) {
      hostile.set(key, value)
    }
    shapesOf(doc).set('hostile1', hostile)
    expect(readShape('hostile1', hostile)).toBeNull()
    const id = addShape(doc, { type: 'rectangle', x: 5, y: 5, width: 20, height: 20, rotation: 0, opacity: 1, color: '#1e1e1e', strokeWidth: 2 })
    expect(readShape(id, shapesOf(doc).get(id)!)?.z).toMatch(/^a/)
  })
})

describe('wrapping text', () => {
  /** Ten units a character, like a monospaced font; counts the characters measured. */
  function monospace() {
    const counter = { characters: 0 }
    const measure = (text: string) => {
      counter.characters += text.length
      return text.length * 10
    }
    return { counter, measure }
  }

  it('breaks words at the box and a word wider than the box between letters', () => {
    const { measure } = monospace()
    expect(wrap('one two three', 75, measure)).toEqual(['one two', ' three'.trimStart()])
    expect(wrap('abcdefghij', 30, measure)).toEqual(['abc', 'def', 'ghi', 'j'])
    expect(wrap('ab abcdefgh', 40, measure)).toEqual(['ab', 'abcd', 'efgh'])
    expect(wrap('', 40, measure)).toEqual([''])
    // A character wider than the box still takes a line of its own.
    expect(wrap('xyz', 5, measure)).toEqual(['x', 'y', 'z'])
  })

  it('lays out a 20,000-character word measuring about as many characters as a few passes over it', () => {
    const { counter, measure } = monospace()
    const word = 'w'.repeat(20_000)
    const lines = wrap(word, 200, measure)
    expect(lines).toHaveLength(1000)
    expect(lines.every((line) => line.length === 20)).toBe(true)
    // Quadratic would be ~10^8 characters measured here, cubic far more.
    expect(counter.characters).toBeLessThan(20 * word.length)
  })
})
