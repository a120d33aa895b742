/** Small settings kept in localStorage, which may be missing, full or forbidden (private modes, sandboxed frames). */

export type ReadableStorage = Pick<Storage, 'getItem'>
export type WritableStorage = Pick<Storage, 'setItem'>

/** The page's localStorage, or null where touching it throws. */
export function deviceStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

/** A stored JSON value, or undefined when absent, unreadable or corrupt. */
export function readJSON(key: string, storage: ReadableStorage | null = deviceStorage()): unknown {
  try {
    const text = storage?.getItem(key)
    return text == null ? undefined : (JSON.parse(text) as unknown)
  } catch {
    return undefined
  }
}

/** Stores a JSON value; when storage refuses, the value lasts for this page only. */
export function writeJSON(key: string, value: unknown, storage: WritableStorage | null = deviceStorage()): void {
  try {
    storage?.setItem(key, JSON.stringify(value))
  } catch {
    // Full or forbidden: nothing to do but carry on.
  }
}
