/**
 * What the server keeps of a board: opaque ciphertext under an opaque store id. The browser derives
 * the id, the encryption key and the write secret from the board key; the server holds none of them,
 * only SHA-256 of the write secret, registered by the first append.
 */

/** 32 bytes in base64url: the store id and the write secret both look like this. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** Every refusal and failure the store answers with, as the HTTP contract names them. */
export const STORE_ERROR_CODES = [
  'bad-request',
  'secret-required',
  'wrong-secret',
  'record-too-big',
  'board-full',
  'log-full',
  'stale-base',
  'unknown-base',
  'rate-limited',
  'new-board-limit',
  'store-unavailable',
  'server-full',
  'store-off',
  'method-not-allowed',
] as const
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number]

export class StoreError extends Error {
  override name = 'StoreError'

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** The limit that was hit, for the client to adapt (e.g. the record cap). */
    readonly limit?: number,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** The caps an engine enforces inside its transaction, where they cannot race. */
export interface BoardLimits {
  maxBoardBytes: number
  maxLogRecords: number
  maxLogBytes: number
}

export interface LogState {
  /** Records kept after the snapshot. */
  logRecords: number
  logBytes: number
  /** Snapshot plus records. */
  boardBytes: number
}

export interface AppendResult extends LogState {
  seq: number
}

export interface CompactResult extends LogState {
  /** The snapshot's base. */
  seq: number
  /** Records at or below the base, deleted with the old snapshot. */
  dropped: number
}

export interface StoredRecord {
  seq: number
  data: Buffer
}

export interface BoardContent {
  /** 0 for an unknown board. */
  lastSeq: number
  snapshot?: { base: number; data: Buffer }
  /** Ascending by seq. */
  records: StoredRecord[]
}

export interface EngineStats {
  /** Boards and their bytes, where the engine can count them cheaply. */
  boards?: number
  bytes?: number
  /** Boards deleted for being idle, where the engine deletes them itself. */
  expiredBoards?: number
}

export interface BoardStore {
  /**
   * Appends one record. Without `create`, an unknown board is answered with 'unknown-board' and
   * nothing is written, so that the caller can charge the new-board quota first.
   */
  append(id: string, secretHash: Buffer, record: Buffer, create: boolean): Promise<AppendResult | 'unknown-board'>
  /** Replaces the snapshot with one based on `base` and deletes the records it holds, atomically. */
  compact(id: string, secretHash: Buffer, base: number, snapshot: Buffer): Promise<CompactResult>
  /** The snapshot (unless `after` is at or past its base) and the records after it or `after`. */
  read(id: string, after: number | undefined): Promise<BoardContent>
  stats(): EngineStats
  close(): Promise<void>
}

/**
 * The read contract shared by the engines: with `after` at or past the snapshot's base, the
 * snapshot adds nothing the reader lacks; otherwise it is sent with every record after it.
 */
export function readPlan(base: number, hasSnapshot: boolean, after: number | undefined) {
  const withSnapshot = hasSnapshot && !(after !== undefined && after >= base)
  return { withSnapshot, from: withSnapshot ? base : Math.max(after ?? 0, base) }
}

/** The refusals that only depend on numbers both engines have inside their transaction. */
export function appendRefusal(state: LogState, bytes: number, limits: BoardLimits): StoreError | undefined {
  // log-full first: compacting is what the client can do about it, and it may also cure board-full.
  if (state.logRecords + 1 > limits.maxLogRecords || state.logBytes + bytes > limits.maxLogBytes) {
    return new StoreError('log-full', 'the log after the snapshot is full: upload a snapshot first', limits.maxLogRecords)
  }
  if (state.boardBytes + bytes > limits.maxBoardBytes) return boardFull(limits)
  return undefined
}

export function boardFull(limits: BoardLimits): StoreError {
  return new StoreError('board-full', 'this write would take the board over its size limit', limits.maxBoardBytes)
}

export function compactRefusal(lastSeq: number, snapshotBase: number, base: number): StoreError | undefined {
  if (base < 1 || base > lastSeq) {
    return new StoreError('unknown-base', `the snapshot's base must be a sequence number from 1 to ${lastSeq}`)
  }
  // Equal is allowed: both snapshots hold everything up to the base.
  if (base < snapshotBase) {
    return new StoreError('stale-base', `a snapshot based on ${snapshotBase} is already stored`)
  }
  return undefined
}

export function wrongSecret(): StoreError {
  return new StoreError('wrong-secret', 'the write secret does not match this board')
}
