/**
 * How big a board may grow (DESIGN.md §3: every peer keeps all of it, in memory and on disk).
 * Without a limit one peer could make everyone store 60 MB updates, and seventy ordinary images
 * make a board nobody can open on a phone. A board's size is measured once (its whole state,
 * encoded) and then followed by the size of every change; past the limit, it is measured again,
 * since deleted content is collected. Images are what fill a board: adding one to a full board
 * is refused with a message, and so is a change from elsewhere that would take it past the limit.
 */
import * as Y from 'yjs'
import { msg, str } from '@lit/localize'
import { formatNumber } from '../i18n/format'

/** The most a board may hold: 64 images of the largest size a board takes, or about 200,000 strokes. */
export const MAX_BOARD_BYTES = 64 * 1024 * 1024
/** A board over its limit is measured exactly again at most this often (encoding a big board takes a while). */
const REMEASURE_MS = 10_000

export class BoardFullError extends Error {
  override name = 'BoardFullError'
  constructor(readonly limit: number) {
    super(fullMessage(limit))
  }
}

function fullMessage(limit: number): string {
  const megabytes = formatNumber(Math.round(limit / (1024 * 1024)))
  return msg(str`This board is full: it holds ${megabytes} MB, the most a board may. Delete something (images take the most) to add more.`, {
    id: 'board.full',
    desc: 'adding to a board at its size limit; the placeholder is the limit in megabytes (e.g. 64)',
  })
}

const budgets = new WeakMap<Y.Doc, BoardBudget>()

/** The budget kept for `doc`, if any (a board opened by the element has one). */
export function budgetOf(doc: Y.Doc): BoardBudget | undefined {
  return budgets.get(doc)
}

/** Throws BoardFullError if `bytes` more would take `doc` past its budget. */
export function makeRoom(doc: Y.Doc, bytes: number): void {
  const budget = budgets.get(doc)
  if (budget && !budget.admits(bytes)) throw new BoardFullError(budget.limit)
}

export class BoardBudget {
  /** Bytes of the board, as measured plus every change since; null until first needed. */
  private bytes: number | null = null
  private measuredAt = -Infinity
  private listening = false
  private readonly onUpdate = (update: Uint8Array) => {
    if (this.bytes !== null) this.bytes += update.byteLength
  }

  constructor(
    private readonly doc: Y.Doc,
    readonly limit = MAX_BOARD_BYTES,
  ) {
    budgets.set(doc, this)
  }

  /**
   * Follows the board's changes from now on. Called once the board is loaded: listening makes
   * Yjs encode every transaction, the loaded board's too (local-store.ts).
   */
  follow(): void {
    if (this.listening) return
    this.listening = true
    this.bytes = null
    this.doc.on('update', this.onUpdate)
  }

  /** Whether `bytes` more fit. */
  admits(bytes: number): boolean {
    if (this.bytes === null || !this.listening) this.measure()
    if (this.bytes! + bytes <= this.limit) return true
    if (performance.now() - this.measuredAt < REMEASURE_MS) return false
    this.measure()
    return this.bytes! + bytes <= this.limit
  }

  private measure(): void {
    this.bytes = Y.encodeStateAsUpdate(this.doc).byteLength
    this.measuredAt = performance.now()
  }

  destroy(): void {
    this.doc.off('update', this.onUpdate)
    budgets.delete(this.doc)
  }
}
