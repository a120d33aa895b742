import { describe, expect, it } from 'vitest'
import { USER_COLORS, cleanName, distinctColor, initials, loadIdentity, randomIdentity, saveIdentity } from '../../src/ui/identity'

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial))
  return { getItem: (key: string) => data.get(key) ?? null, setItem: (key: string, value: string) => void data.set(key, value), data }
}

describe('identity', () => {
  it('makes friendly two-word names in one of the user colours', () => {
    for (let i = 0; i < 50; i++) {
      const identity = randomIdentity()
      expect(identity.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/)
      expect(USER_COLORS).toContain(identity.color)
      expect(identity.colorChosen).toBe(false)
    }
  })

  it('is remembered across boards, and a corrupt entry is replaced', () => {
    const storage = memoryStorage()
    const first = loadIdentity(storage)
    expect(loadIdentity(storage)).toEqual(first)
    saveIdentity({ name: 'Ada', color: USER_COLORS[3], colorChosen: true }, storage)
    expect(loadIdentity(storage)).toEqual({ name: 'Ada', color: USER_COLORS[3], colorChosen: true })
    const corrupt = memoryStorage({ 'meshboard:user': '{"name": 5' })
    expect(loadIdentity(corrupt).name).toMatch(/ /)
    const hostile = memoryStorage({ 'meshboard:user': JSON.stringify({ name: 'x', color: 'javascript:1' }) })
    expect(USER_COLORS).toContain(loadIdentity(hostile).color)
  })

  it('moves to a free colour when the current one is taken', () => {
    expect(distinctColor('#e03131', new Set())).toBe('#e03131')
    const taken = new Set<string>([USER_COLORS[0], USER_COLORS[1]])
    expect(distinctColor(USER_COLORS[0], taken)).toBe(USER_COLORS[2])
    expect(distinctColor(USER_COLORS[0], new Set(USER_COLORS))).toBe(USER_COLORS[0])
  })

  it('cleans names and derives initials', () => {
    expect(cleanName('  Ada \n  Lovelace  ')).toBe('Ada Lovelace')
    expect(cleanName('x'.repeat(100))).toHaveLength(40)
    expect(initials('Curious Otter')).toBe('CO')
    expect(initials('Ada Byron Lovelace')).toBe('AL')
    expect(initials('zoë')).toBe('ZO')
    expect(initials('   ')).toBe('?')
  })
})
