/**
 * Who this user is to others: a friendly random name and a colour, remembered on this device
 * across boards, editable in the people panel.
 */
import type { PresenceUser } from '../net/presence'
import { MAX_NAME_LENGTH } from '../net/presence'
import { deviceStorage, readJSON, writeJSON, type ReadableStorage, type WritableStorage } from './device-storage'

/** Cursor and avatar colours: distinct from each other and readable on light and dark boards. */
export const USER_COLORS = [
  '#e03131', '#1971c2', '#2f9e44', '#f08c00', '#9c36b5', '#0c8599',
  '#e8590c', '#5c7cfa', '#c2255c', '#66a80f', '#7048e8', '#d6336c',
] as const

const ADJECTIVES = ['Brave', 'Calm', 'Clever', 'Curious', 'Eager', 'Gentle', 'Happy', 'Jolly', 'Kind', 'Lively', 'Lucky', 'Merry', 'Nimble', 'Quiet', 'Swift', 'Witty']
const ANIMALS = ['Otter', 'Fox', 'Heron', 'Lynx', 'Panda', 'Koala', 'Falcon', 'Badger', 'Dolphin', 'Owl', 'Tiger', 'Walrus', 'Beaver', 'Robin', 'Gecko', 'Yak']

const STORAGE_KEY = 'meshboard:user'

export interface StoredIdentity extends PresenceUser {
  /** True once the user picked the colour: then it is kept even if someone else has it. */
  readonly colorChosen: boolean
}

export function randomIdentity(random: () => number = Math.random): StoredIdentity {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!
  return { name: `${pick(ADJECTIVES)} ${pick(ANIMALS)}`, color: pick(USER_COLORS), colorChosen: false }
}

/** A colour nobody else on the board uses, preferring the current one; the current one if all are taken. */
export function distinctColor(current: string, taken: ReadonlySet<string>): string {
  if (!taken.has(current)) return current
  return USER_COLORS.find((color) => !taken.has(color)) ?? current
}

export function cleanName(name: string): string {
  return name.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH)
}

export function initials(name: string): string {
  const words = cleanName(name).split(' ').filter(Boolean)
  const letters = words.length > 1 ? [words[0]![0], words.at(-1)![0]] : [...(words[0] ?? '?')].slice(0, 2)
  return letters.join('').toUpperCase()
}

export function loadIdentity(storage: (ReadableStorage & WritableStorage) | null = deviceStorage()): StoredIdentity {
  const stored = readJSON(STORAGE_KEY, storage) as Partial<StoredIdentity> | undefined
  if (stored && typeof stored.name === 'string' && cleanName(stored.name) && USER_COLORS.includes(stored.color as never)) {
    return { name: cleanName(stored.name), color: stored.color!, colorChosen: stored.colorChosen === true }
  }
  // None yet, or a corrupt one: a fresh identity, kept from now on.
  const fresh = randomIdentity()
  saveIdentity(fresh, storage)
  return fresh
}

export function saveIdentity(identity: StoredIdentity, storage: WritableStorage | null = deviceStorage()): void {
  writeJSON(STORAGE_KEY, identity, storage)
}
