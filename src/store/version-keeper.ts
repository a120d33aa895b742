/**
 * When a version of the board is kept (DESIGN.md §3, history): anyone with the link can delete
 * everything, and undo only takes back one's own changes, so the board as it was must be kept
 * somewhere else than in the board.
 * - once the board is open, if it is not as the newest version has it;
 * - when the board has been quiet for a few seconds after changes, at most once a minute;
 * - just before a change from someone else deletes many shapes (the update screen reports it
 *   before the change is applied), so a vandal's wipe is one click from undone;
 * - just before a restore, and when the page is left with changes not yet kept.
 * Each version says who changed the board since the one before, by the names their presence gave.
 * Who deletes is not known: a deletion names the authors of what it deletes, not its own.
 */
import { msg, str } from '@lit/localize'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { formatNumber } from '../i18n/format'
import { changedDocument, shapesOf } from '../model/board-doc'
import { readPresence } from '../net/presence'
import { VersionTooBigError, type ServerVersions } from './server-versions'
import type { NewVersion, VersionReason, VersionStore } from './version-store'

/** Quiet this long after a change before a version is kept. */
export const QUIET_MS = 4000
/** Versions for edits are this far apart at least. */
export const EDIT_INTERVAL_MS = 60_000
/** A change from someone else that deletes this many shapes (or half of a smaller board) keeps the board as it was first. */
export const MANY_SHAPES = 10
/**
 * Versions go to the server this far apart at least, except those kept before a deletion or a
 * restore, which always go. Versions kept on opening never go: the board came from somewhere.
 */
export const SERVER_INTERVAL_MS = 10 * 60_000

export interface KeeperOptions {
  readonly doc: Y.Doc
  readonly awareness: Awareness
  readonly store: VersionStore
  /** The board's history on its server, when it keeps a copy of the board. */
  readonly server: ServerVersions | null
  /** A version was kept (the history panel lists it), or keeping one failed. */
  readonly onChange: () => void
}

export class VersionKeeper {
  /** Names seen in presence by Yjs client id: people who left are still named in the versions. */
  private readonly names = new Map<number, string>()
  /** Clients that changed the board since the newest version. */
  private readonly changedBy = new Set<number>()
  private lastKeptAt = 0
  private lastSnapshot: Uint8Array | null = null
  private timer: ReturnType<typeof setTimeout> | undefined
  private started = false
  private destroyed = false
  private readonly abort = new AbortController()
  /** Why the last version could not be kept on this device, and on the server: worded when asked, in the interface's language. */
  private failure: (() => string) | null = null
  private serverFailure: (() => string) | null = null
  private lastSentAt = -Infinity
  private readonly onTransaction = (transaction: Y.Transaction) => {
    if (!changedDocument(transaction)) return
    for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) this.changedBy.add(client)
    for (const client of transaction.deleteSet.clients.keys()) this.changedBy.add(client)
    if (this.started) this.schedule()
  }
  private readonly onPresence = () => this.learnNames()

  constructor(private readonly options: KeeperOptions) {
    options.doc.on('afterTransaction', this.onTransaction)
    options.awareness.on('change', this.onPresence)
    this.learnNames()
    addEventListener('pagehide', () => this.changedBy.size > 0 && this.keep('left'), { signal: this.abort.signal })
  }

  /** Why the last version could not be kept, here or on the server; null when all went well. */
  get error(): string | null {
    return (this.failure ?? this.serverFailure)?.() ?? null
  }

  /**
   * The board is open: keeps it if the newest version is not what it is now. When the page is
   * next idle (at most 3 s): encoding a big board is a long task, not to be had while it is drawn.
   */
  async start(): Promise<void> {
    await whenIdle()
    const versions = await this.options.store.list().catch(() => [])
    if (this.destroyed) return
    this.started = true
    const newest = versions.at(-1)
    if (newest) {
      this.lastKeptAt = newest.at
      this.lastSnapshot = newest.snapshot
    }
    // Drawn on before the page was idle: the board as this user made it, not only as it came.
    const editedHere = this.changedBy.has(this.options.doc.clientID)
    if (shapesOf(this.options.doc).size > 0 && !this.isKept()) this.keep(editedHere ? 'edited' : 'opened')
    else if (this.changedBy.size > 0) this.schedule()
  }

  /**
   * A change from someone else is about to delete `count` shapes or more (called before it is
   * applied): the board as it is now is kept first, unless the newest version already is it.
   */
  beforeDeletion(count: number): void {
    const size = shapesOf(this.options.doc).size
    if (count < MANY_SHAPES && count * 2 < size) return
    if (count < 2 || this.isKept()) return
    this.keep('before-deletion', { deleted: count })
  }

  /** Keeps the board as it is now, if it is not already (before a restore). */
  keepNow(reason: VersionReason): void {
    if (!this.isKept()) this.keep(reason)
  }

  private schedule(): void {
    clearTimeout(this.timer)
    const due = Math.max(QUIET_MS, this.lastKeptAt + EDIT_INTERVAL_MS - Date.now())
    this.timer = setTimeout(() => {
      if (!this.isKept()) this.keep('edited')
    }, due)
  }

  private isKept(): boolean {
    if (this.lastSnapshot === null) return false
    const now = Y.encodeSnapshot(Y.snapshot(this.options.doc))
    return now.length === this.lastSnapshot.length && now.every((byte, index) => byte === this.lastSnapshot![index])
  }

  /** Encodes the board now (synchronously: a deletion may follow at once) and stores it. */
  private keep(reason: VersionReason, deletion?: { deleted: number }): void {
    if (this.destroyed) return
    clearTimeout(this.timer)
    const { doc } = this.options
    const state = Y.encodeStateAsUpdate(doc)
    const snapshot = Y.encodeSnapshot(Y.snapshot(doc))
    const authors = [...new Set(Array.from(this.changedBy, (client) => this.nameOf(client)))]
    const version: NewVersion = {
      at: Date.now(),
      reason,
      authors,
      ...deletion,
      shapes: shapesOf(doc).size,
      bytes: state.byteLength,
      snapshot,
    }
    this.changedBy.clear()
    this.lastKeptAt = version.at
    this.lastSnapshot = snapshot
    this.settle(this.options.store.add(version, state), 'device', (failure) => (this.failure = failure))
    this.send(version, state)
  }

  /** Keeps the version on the server too, when it is one that goes there (SERVER_INTERVAL_MS). */
  private send(version: NewVersion, state: Uint8Array): void {
    const { server } = this.options
    const always = version.reason === 'before-deletion' || version.reason === 'before-restore'
    if (!server || version.reason === 'opened' || (!always && version.at - this.lastSentAt < SERVER_INTERVAL_MS)) return
    this.lastSentAt = version.at
    this.settle(server.add(version, state), 'server', (failure) => (this.serverFailure = failure))
  }

  /** Notes how keeping a version `where` went (`note(null)`: well) and tells the panel. */
  private settle(kept: Promise<unknown>, where: 'device' | 'server', note: (failure: (() => string) | null) => void): void {
    kept.then(
      () => {
        note(null)
        this.options.onChange()
      },
      (error: unknown) => {
        const place = where === 'device' ? 'on this device' : 'on the server'
        console.warn(`meshboard: A version of the board could not be kept ${place}: ${error instanceof Error ? error.message : String(error)}`)
        note(() => notKept(where, error))
        this.options.onChange()
      },
    )
  }

  private learnNames(): void {
    const { awareness } = this.options
    awareness.getStates().forEach((state, clientId) => {
      const name = clientId === awareness.clientID ? (state as { user?: { name?: unknown } }).user?.name : readPresence(clientId, state)?.user.name
      if (typeof name === 'string' && name !== '') this.names.set(clientId, name)
    })
  }

  private nameOf(client: number): string {
    return this.names.get(client) ?? 'Someone'
  }

  destroy(): void {
    this.destroyed = true
    clearTimeout(this.timer)
    this.abort.abort()
    this.options.doc.off('afterTransaction', this.onTransaction)
    this.options.awareness.off('change', this.onPresence)
    this.options.store.destroy()
  }
}

/** Why a version could not be kept, for the history panel. */
function notKept(where: 'device' | 'server', error: unknown): string {
  if (error instanceof VersionTooBigError) {
    const megabytes = formatNumber(error.limit / (1024 * 1024))
    return msg(str`A version of the board could not be kept on the server: the board is over ${megabytes} MB, more than its history on the server may hold`, {
      id: 'history.keep-failed.too-big',
      desc: 'the placeholder is the most the history on the server holds, in megabytes (e.g. 12)',
    })
  }
  const reason = error instanceof Error ? error.message : String(error)
  return where === 'device'
    ? msg(str`A version of the board could not be kept on this device: ${reason}`, { id: 'history.keep-failed.device', desc: 'the placeholder is the technical reason, often in English' })
    : msg(str`A version of the board could not be kept on the server: ${reason}`, { id: 'history.keep-failed.server', desc: "the placeholder is the technical reason or the server's own, often in English" })
}

/** When the page is next idle, at most 3 s from now; at once where there is no such thing (Node). */
function whenIdle(): Promise<void> {
  if (typeof requestIdleCallback !== 'function') return Promise.resolve()
  return new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout: 3000 }))
}
