import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { timingSafeEqual } from 'node:crypto'
import Database from 'better-sqlite3'
import {
  StoreError,
  appendRefusal,
  boardFull,
  compactRefusal,
  readPlan,
  wrongSecret,
  type AppendResult,
  type BoardContent,
  type BoardLimits,
  type BoardStore,
  type CompactResult,
  type EngineStats,
} from './board-store.js'

export const SQLITE_FILE = 'meshboard.sqlite'
const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS

export interface SqliteStoreOptions extends BoardLimits {
  ttlDays: number
  /** Injectable so that expiry can be tested without waiting for it. */
  now?: () => number
}

interface BoardRow {
  secret_hash: Buffer
  last_seq: number
  snapshot_base: number
  snapshot: Buffer | null
  log_records: number
  log_bytes: number
  touched_at: number
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  secret_hash BLOB NOT NULL,
  last_seq INTEGER NOT NULL,
  snapshot_base INTEGER NOT NULL DEFAULT 0,
  snapshot BLOB,
  log_records INTEGER NOT NULL DEFAULT 0,
  log_bytes INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  touched_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS boards_touched_at ON boards (touched_at);
CREATE TABLE IF NOT EXISTS records (
  board TEXT NOT NULL,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (board, seq)
);
`

/** Opens (creating if need be) `${dataDir}/meshboard.sqlite`; throws if the directory or file is unusable. */
export function openSqliteStore(dataDir: string, options: SqliteStoreOptions): SqliteStore {
  mkdirSync(dataDir, { recursive: true })
  return new SqliteStore(new Database(join(dataDir, SQLITE_FILE)), options)
}

/**
 * The embedded default. better-sqlite3 is synchronous: each write is one short transaction that
 * blocks the event loop for its fsync, which is what makes the 200 mean "on disk". In WAL mode
 * with synchronous = FULL, a commit returns only once the WAL is fsync'd, so an acknowledged write
 * survives kill -9 and power loss.
 */
export class SqliteStore implements BoardStore {
  private readonly now: () => number
  private expiredBoards = 0
  private readonly sweepTimer: NodeJS.Timeout
  private readonly statements: ReturnType<typeof prepare>

  constructor(
    private readonly db: Database.Database,
    private readonly options: SqliteStoreOptions,
  ) {
    this.now = options.now ?? Date.now
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.exec(SCHEMA)
    this.statements = prepare(db)
    this.sweep()
    this.sweepTimer = setInterval(() => this.sweep(), HOUR_MS).unref()
  }

  async append(id: string, secretHash: Buffer, record: Buffer, create: boolean): Promise<AppendResult | 'unknown-board'> {
    return this.guard(
      this.db.transaction((): AppendResult | 'unknown-board' => {
        const now = this.now()
        let board = this.statements.board.get(id)
        if (board === undefined) {
          if (!create) return 'unknown-board'
          this.statements.create.run(id, secretHash, now, now)
          board = this.statements.board.get(id)!
        } else if (!sameHash(board.secret_hash, secretHash)) {
          throw wrongSecret()
        }
        const state = logState(board)
        const refusal = appendRefusal(state, record.length, this.options)
        if (refusal) throw refusal
        const seq = board.last_seq + 1
        this.statements.insertRecord.run(id, seq, record)
        this.statements.appended.run(seq, record.length, now, id)
        return {
          seq,
          logRecords: state.logRecords + 1,
          logBytes: state.logBytes + record.length,
          boardBytes: state.boardBytes + record.length,
        }
      }),
    )
  }

  async compact(id: string, secretHash: Buffer, base: number, snapshot: Buffer): Promise<CompactResult> {
    return this.guard(
      this.db.transaction((): CompactResult => {
        const board = this.statements.board.get(id)
        // A snapshot cannot create a board: there is nothing it could be based on.
        if (board === undefined) throw compactRefusal(0, 0, base)!
        if (!sameHash(board.secret_hash, secretHash)) throw wrongSecret()
        const refusal = compactRefusal(board.last_seq, board.snapshot_base, base)
        if (refusal) throw refusal
        const kept = this.statements.keptLog.get(id, base)!
        const logBytes = kept.bytes ?? 0
        if (snapshot.length + logBytes > this.options.maxBoardBytes) throw boardFull(this.options)
        const dropped = this.statements.dropRecords.run(id, base).changes
        this.statements.compacted.run(base, snapshot, kept.count, logBytes, this.now(), id)
        return { seq: base, dropped, logRecords: kept.count, logBytes, boardBytes: snapshot.length + logBytes }
      }),
    )
  }

  async read(id: string, after: number | undefined): Promise<BoardContent> {
    return this.guard(
      // One transaction, so that a compaction cannot fall between the board row and its records.
      this.db.transaction((): BoardContent => {
        const board = this.statements.board.get(id)
        if (board === undefined) return { lastSeq: 0, records: [] }
        const now = this.now()
        // Hourly is precise enough for a TTL counted in days, and spares most reads a write.
        if (now - board.touched_at >= HOUR_MS) this.statements.touch.run(now, id)
        const { withSnapshot, from } = readPlan(board.snapshot_base, board.snapshot !== null, after)
        return {
          lastSeq: board.last_seq,
          snapshot: withSnapshot ? { base: board.snapshot_base, data: board.snapshot! } : undefined,
          records: this.statements.records.all(id, from),
        }
      }),
    )
  }

  /** Deletes every board untouched for the TTL; runs at start and hourly. */
  sweep(): number {
    const cutoff = this.now() - this.options.ttlDays * DAY_MS
    const deleted = this.db.transaction(() => {
      this.statements.expiredRecords.run(cutoff)
      return this.statements.expiredBoards.run(cutoff).changes
    })()
    this.expiredBoards += deleted
    return deleted
  }

  stats(): EngineStats {
    const { boards, bytes } = this.statements.totals.get()!
    return { boards, bytes: bytes ?? 0, expiredBoards: this.expiredBoards }
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer)
    this.db.close()
  }

  /** Runs a transaction, turning SQLite's failures into the store's. */
  private guard<T>(transaction: () => T): T {
    try {
      return transaction()
    } catch (error) {
      if (error instanceof StoreError) throw error
      const code = (error as { code?: unknown }).code
      if (code === 'SQLITE_FULL') {
        throw new StoreError('server-full', 'the server is out of storage space', undefined, { cause: error })
      }
      throw new StoreError('store-unavailable', 'the board store failed', undefined, { cause: error })
    }
  }
}

function prepare(db: Database.Database) {
  return {
    board: db.prepare<[string], BoardRow>(
      'SELECT secret_hash, last_seq, snapshot_base, snapshot, log_records, log_bytes, touched_at FROM boards WHERE id = ?',
    ),
    create: db.prepare(
      'INSERT INTO boards (id, secret_hash, last_seq, created_at, touched_at) VALUES (?, ?, 0, ?, ?)',
    ),
    appended: db.prepare(
      'UPDATE boards SET last_seq = ?, log_records = log_records + 1, log_bytes = log_bytes + ?, touched_at = ? WHERE id = ?',
    ),
    insertRecord: db.prepare('INSERT INTO records (board, seq, data) VALUES (?, ?, ?)'),
    keptLog: db.prepare<[string, number], { count: number; bytes: number | null }>(
      'SELECT count(*) AS count, sum(length(data)) AS bytes FROM records WHERE board = ? AND seq > ?',
    ),
    dropRecords: db.prepare('DELETE FROM records WHERE board = ? AND seq <= ?'),
    compacted: db.prepare(
      'UPDATE boards SET snapshot_base = ?, snapshot = ?, log_records = ?, log_bytes = ?, touched_at = ? WHERE id = ?',
    ),
    records: db.prepare<[string, number], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM records WHERE board = ? AND seq > ? ORDER BY seq',
    ),
    touch: db.prepare('UPDATE boards SET touched_at = ? WHERE id = ?'),
    expiredRecords: db.prepare('DELETE FROM records WHERE board IN (SELECT id FROM boards WHERE touched_at < ?)'),
    expiredBoards: db.prepare('DELETE FROM boards WHERE touched_at < ?'),
    totals: db.prepare<[], { boards: number; bytes: number | null }>(
      'SELECT count(*) AS boards, sum(log_bytes + coalesce(length(snapshot), 0)) AS bytes FROM boards',
    ),
  }
}

function logState(board: BoardRow): { logRecords: number; logBytes: number; boardBytes: number } {
  return {
    logRecords: board.log_records,
    logBytes: board.log_bytes,
    boardBytes: board.log_bytes + (board.snapshot?.length ?? 0),
  }
}

function sameHash(stored: Buffer, given: Buffer): boolean {
  return stored.length === given.length && timingSafeEqual(stored, given)
}
