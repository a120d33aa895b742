/**
 * The versions of one board kept on this device, in an IndexedDB database of their own beside the
 * board's, named `versions-of-<board database>` (store/board-database.ts owns the board's and its schema; the
 * name does not start with `meshboard-`, which names boards). The list and the states are apart: the
 * history panel lists every version without reading megabytes of each.
 */
import * as idb from 'lib0/indexeddb'

/** Why a version was kept. */
export const VERSION_REASONS = ['opened', 'edited', 'before-deletion', 'before-restore', 'left'] as const
export type VersionReason = (typeof VERSION_REASONS)[number]

export interface VersionInfo {
  readonly id: number
  /** When the board was like this, ms since the epoch. */
  readonly at: number
  readonly reason: VersionReason
  /** Who changed the board since the version before, by name as their presence said. */
  readonly authors: readonly string[]
  /** For 'before-deletion': how many shapes the change deleted (MANY_SHAPES or more are counted as that many). */
  readonly deleted?: number
  readonly shapes: number
  readonly bytes: number
  /** Y.encodeSnapshot of the board at that moment: equal bytes, equal board. */
  readonly snapshot: Uint8Array
  /** Kept on the board's server and not on this device (store/server-versions.ts). */
  readonly onServer?: boolean
}

export type NewVersion = Omit<VersionInfo, 'id'>

const INFO = 'info'
const STATES = 'states'
/** Kept at most; the oldest go first. */
export const MAX_VERSIONS = 50
/** Bytes of states kept at most (a 10,000-stroke board is about 5 MB a version); the newest always stays. */
export const MAX_VERSION_BYTES = 200 * 1024 * 1024

export class VersionStore {
  private readonly db: Promise<IDBDatabase>
  private lastId = 0

  constructor(boardDatabase: string) {
    this.db = idb.openDB(`versions-of-${boardDatabase}`, (db) =>
      idb.createStores(db, [[INFO, { keyPath: 'id' }], [STATES]]),
    )
  }

  /** Every version kept, oldest first. */
  async list(): Promise<VersionInfo[]> {
    const [info] = idb.transact(await this.db, [INFO], 'readonly')
    return (await idb.getAll(info!)) as VersionInfo[]
  }

  /** The board's state (a Yjs update) in a version; null when it is gone. */
  async state(id: number): Promise<Uint8Array | null> {
    const [states] = idb.transact(await this.db, [STATES], 'readonly')
    const state = await idb.get(states!, id)
    return state instanceof Uint8Array ? state : null
  }

  /**
   * Keeps a version, dropping the oldest past the limits; its id is its time (a tab keeps one a
   * millisecond at most, and the list comes back in order).
   */
  async add(version: NewVersion, state: Uint8Array): Promise<number> {
    const id = Math.max(version.at, this.lastId + 1)
    this.lastId = id
    const [info, states] = idb.transact(await this.db, [INFO, STATES])
    // Both asked in one task: a transaction with nothing asked of it when a task ends commits.
    // lib0 types values narrowly; IndexedDB stores any structured-cloneable value.
    await Promise.all([idb.put(info!, { ...version, id } as unknown as ArrayBuffer), idb.put(states!, state as unknown as ArrayBuffer, id)])
    await this.thin()
    return id
  }

  private async thin(): Promise<void> {
    const versions = await this.list()
    let bytes = versions.reduce((sum, version) => sum + version.bytes, 0)
    const dropped: number[] = []
    for (const version of versions.slice(0, -1)) {
      if (versions.length - dropped.length <= MAX_VERSIONS && bytes <= MAX_VERSION_BYTES) break
      dropped.push(version.id)
      bytes -= version.bytes
    }
    if (dropped.length === 0) return
    const [info, states] = idb.transact(await this.db, [INFO, STATES])
    await Promise.all(dropped.flatMap((id) => [idb.del(info!, id), idb.del(states!, id)]))
  }

  destroy(): void {
    void this.db.then((db) => db.close(), () => {})
  }
}
