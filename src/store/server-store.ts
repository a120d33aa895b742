/**
 * The board's encrypted copy on the server (DESIGN.md §12), so a board outlives its peers: this
 * user's changes are sealed (net/sealed.ts) and appended to the server's log in batches, retried
 * with backoff while the server cannot be reached; opening the board reads the server's snapshot
 * and log, and whatever this device has that the server lacks (a board from before the store, work
 * done offline) is uploaded. A client that holds the whole log compacts it into a snapshot.
 *
 * Everyone uploads only their own changes: a change from a peer is its author's to upload, and
 * whoever opens the board next uploads what its author could not (the audit after loading).
 * Nothing here ever touches the copy on this device: a refused write loses nothing but the
 * server's copy of it, and says so.
 */
import * as Y from 'yjs'
import { msg, str } from '@lit/localize'
import { formatNumber } from '../i18n/format'
import { screenUpdate } from '../model/update-screen'
import { encodeStateInPieces } from '../net/update-pieces'
import { asBufferSource, seal, unseal } from '../net/sealed'
import type { StoreKeys } from '../net/store-keys'
import { encodeSnapshot, heldAlready, lackingFrom, snapshotPieces } from './copy-contents'
import { ENTRY_SNAPSHOT, parseEntries, readRefusal, type StoreRefusal, type WriteReceipt } from './store-wire'

export type ServerStoreStatus = 'off' | 'saving' | 'saved' | 'error'

/** Changes gather this long before they go: a stroke drawn for a second is two or three records. */
const UPLOAD_BATCH_MS = 400
/** A record gathers small changes up to this size (the server's default cap is 2 MiB). */
const RECORD_TARGET_BYTES = 1024 * 1024
/**
 * A whole board (the first upload, a snapshot) goes in pieces of this size, in dependency order,
 * which a reader applies one task each: the page stays responsive while a big board arrives.
 */
const PIECE_BYTES = 256 * 1024
/** What a read brings is applied in one go below this size, piece by piece (yielding) above it. */
const PROGRESSIVE_BYTES = 256 * 1024
const RETRY_MIN_MS = 1000
const RETRY_MAX_MS = 30_000
/** The log is compacted past this many records, or once it outweighs the snapshot (and 1 MiB). */
const COMPACT_AFTER_RECORDS = 100
const COMPACT_MIN_LOG_BYTES = 1024 * 1024
/** Several clients often reach the threshold at once: each waits a random part of this first. */
const COMPACT_JITTER_MS = 3000
/**
 * What the server lacks is worked out once the board is on screen, not on the way there: when
 * the page is next idle (it reads the whole copy again, 0.1-0.2 s for a big board), at most this late.
 */
const AUDIT_DELAY_MS = 3000

export interface ServerStoreOptions {
  readonly doc: Y.Doc
  readonly keys: StoreKeys
  /** The store's base URL, `https://host/store/` (store-wire.ts `storeUrlFor`). */
  readonly baseUrl: string
  /** Whether an update with this transaction origin is this user's own change. */
  readonly isOwnChange: (origin: unknown) => boolean
  /** Status or error changed. */
  readonly onChange: () => void
  /** Something the user should be told (a limit reached, a refusal), once per occurrence. */
  readonly onProblem: (message: string) => void
  /** One of this user's changes is stored under `seq` (the relay tells others to fetch it). */
  readonly onStored?: (seq: number) => void
  /**
   * The board is already here (read from this device): the copy is read in the background, after
   * the board is on screen, and nothing waits for it (neither `loading` nor the tiles).
   */
  readonly alreadyHere?: boolean
}

/** With the board already here, the copy is read this long after opening: the first screenful comes first. */
const BACKGROUND_READ_DELAY_MS = 1000

type Phase = 'loading' | 'ready' | 'off' | 'stopped'

export class ServerStore {
  /** Settles when the first read of the server's copy is applied, or has failed (it is retried). */
  readonly whenLoaded: Promise<void>
  private loaded!: () => void
  private phase: Phase = 'loading'
  private pending: Uint8Array[] = []
  /** Records the next sends must not merge (the server refused a merged one as too big). */
  private sendSingly = 0
  private sending = false
  private batchTimer: ReturnType<typeof setTimeout> | undefined
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private retryDelay = RETRY_MIN_MS
  /** A passing failure (server unreachable, busy): what the status says while retrying (worded when asked, in the interface's language). */
  private failure: (() => string) | null = null
  /** A refusal that stops uploads for this session (board full, wrong secret), worded when asked. */
  private refusal: (() => string) | null = null
  /** A change too big for one record is pending: the whole board goes up instead (`uploadWhole`). */
  private needsWhole = false
  /** Whether what the server lacks has been worked out since loading: until then nothing is known to be saved. */
  private audited = false
  /** Every record up to this sequence number is in the document. */
  private heldSeq = 0
  private logRecords = 0
  private logBytes = 0
  private snapshotBytes = 0
  /** Bytes of the board's first upload in pieces (uploadWhole) among the records after the snapshot. */
  private piecesInLog = 0
  /** Records still to send that are pieces of the whole board. */
  private piecesPending = 0
  /** The first read is on its way (the board may be arriving from the server). */
  private firstRead = true
  /** A big read is being applied piece by piece. */
  private applying = false
  /** The user has been told that a record of the copy was refused. */
  private warnedRefused = false
  private refreshing: Promise<void> | null = null
  private refreshAgain = false
  private compacting = false
  private compactTimer: ReturnType<typeof setTimeout> | undefined
  private auditTimer: ReturnType<typeof setTimeout> | undefined
  private readonly abort = new AbortController()
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this || !this.options.isOwnChange(origin)) return
    this.pending.push(update)
    this.batchTimer ??= setTimeout(() => {
      this.batchTimer = undefined
      void this.sendNext()
    }, UPLOAD_BATCH_MS)
    this.options.onChange()
  }

  constructor(private readonly options: ServerStoreOptions) {
    this.whenLoaded = new Promise((resolve) => (this.loaded = resolve))
    options.doc.on('update', this.onUpdate)
    // Optional: this module also runs in Node (tests, benchmarks), which has no window events.
    globalThis.addEventListener?.('online', this.retryNow, { signal: this.abort.signal })
    if (options.alreadyHere) {
      this.firstRead = false
      this.retryTimer = setTimeout(() => void this.load(), BACKGROUND_READ_DELAY_MS)
    } else {
      void this.load()
    }
  }

  get status(): ServerStoreStatus {
    if (this.phase === 'off' || this.phase === 'stopped') return 'off'
    if (this.refusal || this.failure) return 'error'
    if (this.phase === 'loading' || !this.audited || this.sending || this.compacting || this.needsWhole || this.pending.length > 0) {
      return 'saving'
    }
    return 'saved'
  }

  /** Whether the board is on its way from the server (its first read, until it is applied or fails). */
  get receiving(): boolean {
    return (this.firstRead && this.phase === 'loading') || this.arriving
  }

  /** Whether a big read is being applied piece by piece (drawing the board meanwhile would be wasted). */
  get arriving(): boolean {
    return this.applying && !this.options.alreadyHere
  }

  /** Why the server's copy is not up to date, in words for the user; null when it is (or is off). */
  get error(): string | null {
    if (this.phase === 'off' || this.phase === 'stopped') return null
    return (this.refusal ?? this.failure)?.() ?? null
  }

  /** Reads what was stored since the last read and applies it (coalesced: one read at a time). */
  refresh(): Promise<void> {
    if (this.phase !== 'ready') return this.whenLoaded
    if (this.refreshing) {
      this.refreshAgain = true
      return this.refreshing
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false
        await this.read()
      } while (this.refreshAgain && this.phase === 'ready')
    })()
      .catch((error: unknown) => this.passingFailure(error))
      .finally(() => (this.refreshing = null))
    return this.refreshing
  }

  /** Sends what is pending now instead of at the end of the batch (the page is being hidden). */
  flush(): void {
    clearTimeout(this.batchTimer)
    this.batchTimer = undefined
    void this.sendNext()
  }

  destroy(): void {
    this.phase = 'stopped'
    this.options.doc.off('update', this.onUpdate)
    for (const timer of [this.batchTimer, this.retryTimer, this.compactTimer, this.auditTimer]) clearTimeout(timer)
    this.abort.abort()
    this.loaded()
  }

  /** Destroyed: read through a getter, since an await may have passed since the phase was last checked. */
  private get stopped(): boolean {
    return this.phase === 'stopped'
  }

  private async load(): Promise<void> {
    try {
      const plains = await this.read()
      if (this.phase !== 'loading') return
      this.phase = 'ready'
      this.failure = null
      this.retryDelay = RETRY_MIN_MS
      this.loaded()
      this.auditTimer = setTimeout(() => whenIdle(() => void this.audit(plains)), 0)
      this.maybeCompact()
      void this.sendNext()
    } catch (error) {
      if (this.phase !== 'loading') return
      this.firstRead = false
      this.passingFailure(error)
      // The board still opens from this device or its peers; the server's copy joins when it can.
      this.loaded()
      this.retryTimer = setTimeout(() => void this.load(), this.nextRetryDelay())
    } finally {
      this.options.onChange()
    }
  }

  /** Reads records after `heldSeq` (all, on the first read) and applies them; returns their plain bytes. */
  private async read(): Promise<Uint8Array[]> {
    const { baseUrl, keys } = this.options
    const after = this.heldSeq > 0 ? `?after=${this.heldSeq}` : ''
    const response = await fetch(`${baseUrl}${keys.storeId}${after}`, { cache: 'no-store', signal: this.abort.signal })
    if (!response.ok) {
      const refusal = await readRefusal(response)
      if (refusal.error === 'store-off') this.turnOff()
      throw new StoreRefusedError(refusal)
    }
    const lastSeq = Number(response.headers.get('X-Store-Last-Seq'))
    // A server that answers any path with its app (no meshboard store behind it).
    if (!response.headers.has('X-Store-Last-Seq') || !Number.isSafeInteger(lastSeq)) {
      this.turnOff()
      throw new StoreRefusedError({ status: response.status, error: 'store-off', message: 'This server keeps no copy of boards.' })
    }
    const entries = parseEntries(new Uint8Array(await response.arrayBuffer()))
    const plains = await Promise.all(
      entries.map((entry) =>
        unseal(keys.recordKey, entry.kind === ENTRY_SNAPSHOT ? 'snapshot' : 'update', keys.storeId, entry.bytes).catch(() => null),
      ),
    )
    if (this.stopped) return []
    if (plains.includes(null)) {
      console.warn(`meshboard: ${plains.filter((plain) => !plain).length} records of the server copy are unreadable with this board's key; skipped`)
    }
    const updates = entries.flatMap((entry, index) => {
      const plain = plains[index]
      if (!plain) return []
      return entry.kind === ENTRY_SNAPSHOT ? snapshotPieces(plain) : [plain]
    })
    await this.apply(updates)
    for (const entry of entries) {
      if (entry.kind === ENTRY_SNAPSHOT) {
        this.snapshotBytes = entry.bytes.byteLength
        this.piecesInLog = 0
        this.logRecords = 0
        this.logBytes = 0
      } else if (entry.seq > this.heldSeq) {
        this.logRecords++
        this.logBytes += entry.bytes.byteLength
      }
    }
    this.heldSeq = Math.max(this.heldSeq, lastSeq)
    return updates
  }

  /** Applies what a read brought: small reads in one transaction, big ones a piece per task. */
  private async apply(updates: readonly Uint8Array[]): Promise<void> {
    const { doc } = this.options
    const applyOne = (update: Uint8Array) => {
      // Anyone with the link can write records: they are screened like a peer's changes.
      const refused = screenUpdate(doc, update)
      if (refused) return this.refusedRecord(refused)
      try {
        Y.applyUpdate(doc, update, this)
      } catch (error) {
        console.warn('meshboard: a record of the server copy could not be applied', error)
      }
    }
    if (updates.reduce((bytes, update) => bytes + update.byteLength, 0) < PROGRESSIVE_BYTES) {
      doc.transact(() => updates.forEach(applyOne), this)
      return
    }
    this.applying = true
    this.options.onChange()
    try {
      for (const [index, update] of updates.entries()) {
        if (index > 0) await nextTask()
        if (this.stopped) return
        // A peer may have given the rest meanwhile (it answered what this document lacked then).
        if (!heldAlready(doc, update)) applyOne(update)
      }
    } finally {
      this.applying = false
    }
  }

  private refusedRecord(reason: string): void {
    console.warn(`meshboard: a record of the server copy was refused: ${reason}`)
    if (this.warnedRefused) return
    this.warnedRefused = true
    this.options.onProblem(
      msg('The server’s copy of this board holds data this board refused; it was left out, and the board keeps working.', { id: 'store.copy-refused' }),
    )
  }

  private async sendNext(): Promise<void> {
    if (this.sending || this.phase !== 'ready' || this.refusal) return
    if (!this.needsWhole && this.sendSingly === 0 && (this.pending[0]?.byteLength ?? 0) > RECORD_TARGET_BYTES) this.needsWhole = true
    if (this.needsWhole) return this.uploadWhole()
    if (this.pending.length === 0) return
    clearTimeout(this.retryTimer)
    this.sending = true
    const piece = this.piecesPending > 0
    const batch = this.takeBatch()
    const record = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch)
    let again = true
    try {
      const { keys } = this.options
      const sealed = await seal(keys.recordKey, 'update', keys.storeId, record)
      const response = await this.post(`${keys.storeId}/records`, sealed)
      if (response.ok) {
        if (piece) {
          this.piecesPending--
          this.piecesInLog += sealed.byteLength
        }
        this.appended((await response.json()) as WriteReceipt)
      } else {
        again = this.appendRefused(await readRefusal(response), batch)
      }
    } catch (error) {
      if (this.stopped) return
      this.pending.unshift(...batch)
      this.passingFailure(error)
      this.scheduleRetry()
      again = false
    } finally {
      this.sending = false
      this.options.onChange()
    }
    if (again) void this.sendNext()
  }


  /** The next record's updates: as many pending ones as fit in a record (always at least one). */
  private takeBatch(): Uint8Array[] {
    if (this.sendSingly > 0) {
      this.sendSingly--
      return this.pending.splice(0, 1)
    }
    let bytes = 0
    let count = 0
    while (count < this.pending.length && (count === 0 || bytes + this.pending[count]!.byteLength <= RECORD_TARGET_BYTES)) {
      bytes += this.pending[count]!.byteLength
      count++
    }
    return this.pending.splice(0, count)
  }

  private appended(receipt: WriteReceipt): void {
    this.failure = null
    this.retryDelay = RETRY_MIN_MS
    this.logRecords = receipt.logRecords
    this.logBytes = receipt.logBytes
    this.snapshotBytes = Math.max(0, receipt.boardBytes - receipt.logBytes)
    // Our record follows the last we hold: we hold it too. Otherwise others wrote in between.
    if (receipt.seq === this.heldSeq + 1) this.heldSeq = receipt.seq
    else void this.refresh()
    this.options.onStored?.(receipt.seq)
    this.maybeCompact()
  }

  /** Handles a refused append; returns whether to go on sending now. */
  private appendRefused(refusal: StoreRefusal, batch: Uint8Array[]): boolean {
    switch (refusal.error) {
      case 'log-full':
        this.pending.unshift(...batch)
        void this.compact().then(() => this.sendNext())
        return false
      case 'record-too-big':
        this.pending.unshift(...batch)
        // Merged, the changes were too big: one by one they may fit. One alone too big: the whole board goes.
        if (batch.length > 1) this.sendSingly = batch.length
        else this.needsWhole = true
        return true
      case 'store-off':
        this.turnOff()
        return false
      case 'rate-limited':
      case 'store-unavailable':
      case 'server-full':
        this.pending.unshift(...batch)
        this.failure = () => passingReason(refusal)
        this.scheduleRetry(refusal.retryAfter)
        return false
      default:
        this.pending.unshift(...batch)
        if (refusal.status >= 500) {
          this.failure = () => passingReason(refusal)
          this.scheduleRetry(refusal.retryAfter)
          return false
        }
        this.refuse(refusal)
        return false
    }
  }

  private refuse(refusal: StoreRefusal): void {
    this.refusal = () => refusalReason(refusal)
    this.options.onProblem(this.refusal())
    this.options.onChange()
  }

  private maybeCompact(): void {
    if (this.compactTimer !== undefined || this.compacting) return
    // The board's first upload (in pieces) is in the log: it counts as the snapshot it stands for.
    const base = Math.max(this.snapshotBytes, this.piecesInLog)
    const due = this.logRecords >= COMPACT_AFTER_RECORDS || this.logBytes - this.piecesInLog >= Math.max(COMPACT_MIN_LOG_BYTES, base)
    if (!due) return
    this.compactTimer = setTimeout(() => {
      this.compactTimer = undefined
      void this.compact()
    }, Math.random() * COMPACT_JITTER_MS)
  }

  /**
   * Replaces the log up to the last record held with a snapshot of the whole board (done by itself
   * when the log grows). Safe to race: the server refuses a snapshot on an older base than its
   * own, and every snapshot holds all records up to its base (they are in this document), so
   * whichever wins, nothing is lost.
   */
  async compact(): Promise<boolean> {
    if (this.compacting || this.phase !== 'ready' || this.refusal) return false
    this.compacting = true
    try {
      await this.refresh()
      if (this.heldSeq < 1 || this.phase !== 'ready') return false
      const base = this.heldSeq
      const { keys, doc } = this.options
      const sealed = await seal(keys.recordKey, 'snapshot', keys.storeId, encodeSnapshot(doc, PIECE_BYTES))
      const response = await this.post(`${keys.storeId}/snapshot?base=${base}`, sealed)
      if (response.ok) {
        const receipt = (await response.json()) as WriteReceipt
        this.logRecords = receipt.logRecords
        this.logBytes = receipt.logBytes
        this.snapshotBytes = sealed.byteLength
        this.piecesInLog = 0
        this.failure = null
        return true
      }
      const refusal = await readRefusal(response)
      // Someone else compacted on a newer base meanwhile: ours would drop nothing more, and is not needed.
      if (refusal.error === 'stale-base' || refusal.error === 'unknown-base') {
        void this.refresh()
        return false
      }
      if (refusal.error === 'board-full' || refusal.error === 'wrong-secret' || refusal.error === 'secret-required') this.refuse(refusal)
      else this.failure = () => passingReason(refusal)
      return false
    } catch (error) {
      if (!this.stopped) this.passingFailure(error)
      return false
    } finally {
      this.compacting = false
      this.options.onChange()
    }
  }

  /**
   * Uploads what this device has and the server lacks: a board from before the store (or stored
   * while the server was off), others' changes whose authors left before uploading them.
   */
  private async audit(serverUpdates: readonly Uint8Array[]): Promise<void> {
    if (this.phase !== 'ready' || this.refusal) return
    const lacking = lackingFrom(this.options.doc, serverUpdates)
    this.audited = true
    if (!lacking) return this.options.onChange()
    if (lacking.byteLength <= RECORD_TARGET_BYTES) this.pending.unshift(lacking)
    else this.needsWhole = true
    this.options.onChange()
    void this.sendNext()
  }

  /**
   * The whole board to the server, for a change too big for one record (a board imported or
   * pasted, one from before the store): as a snapshot when the server has a log to base it on,
   * else as records of pieces the server's readers apply in order. Either holds every pending change.
   */
  private async uploadWhole(): Promise<void> {
    this.needsWhole = false
    if (this.heldSeq === 0) {
      this.pending = encodeStateInPieces(this.options.doc, PIECE_BYTES)
      this.sendSingly = this.pending.length
      this.piecesPending = this.pending.length
      return this.sendNext()
    }
    const pending = this.pending
    this.pending = []
    if (await this.compact()) return this.sendNext()
    if (this.stopped || this.refusal) return
    // Not stored (a failure, or someone compacted first): the pending changes wait for the next try.
    this.pending = [...pending, ...this.pending]
    this.needsWhole = pending.some((update) => update.byteLength > RECORD_TARGET_BYTES)
    this.scheduleRetry()
  }

  private post(path: string, body: Uint8Array): Promise<Response> {
    return fetch(`${this.options.baseUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.options.keys.writeSecret}`, 'Content-Type': 'application/octet-stream' },
      body: asBufferSource(body),
      signal: this.abort.signal,
      // A write sent while the page is hidden or closing still reaches the server (up to 64 KiB).
      keepalive: body.byteLength < 60 * 1024,
    })
  }

  private turnOff(): void {
    this.phase = 'off'
    this.pending = []
    this.options.doc.off('update', this.onUpdate)
    this.loaded()
    this.options.onChange()
  }

  private passingFailure(error: unknown): void {
    if (error instanceof StoreRefusedError) {
      if (error.refusal.error === 'store-off') return
      const { refusal } = error
      this.failure = () => passingReason(refusal)
    } else if (error instanceof DOMException && error.name === 'AbortError') {
      return
    } else {
      this.failure = unreachable
    }
    this.options.onChange()
  }

  private readonly retryNow = () => {
    if (this.phase === 'ready' && this.failure && !this.sending) void this.sendNext()
  }

  private scheduleRetry(afterSeconds?: number): void {
    clearTimeout(this.retryTimer)
    const delay = afterSeconds !== undefined ? afterSeconds * 1000 : this.nextRetryDelay()
    this.retryTimer = setTimeout(() => void this.sendNext(), delay)
  }

  private nextRetryDelay(): number {
    const delay = this.retryDelay
    this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2)
    // Jitter, so that the clients of a server that comes back do not all return at once.
    return delay * (0.75 + Math.random() * 0.5)
  }
}

const unreachable = (): string =>
  msg('The server cannot be reached: changes wait on this device and go to the server when it is back.', { id: 'store.unreachable' })

/** A refusal that passes (the server busy, out of space, its store down), worded for the user. */
function passingReason(refusal: StoreRefusal): string {
  switch (refusal.error) {
    case 'rate-limited':
      return msg('The server asks to slow down: changes wait on this device and go to the server when it can take them.', { id: 'store.rate-limited' })
    case 'server-full':
      return msg('The server is out of space: changes wait on this device and go to the server when it can take them.', { id: 'store.server-full' })
    case 'store-unavailable':
      return msg('The server cannot store boards right now: changes wait on this device and go to the server when it can take them.', { id: 'store.unavailable' })
  }
  const { status, message } = refusal
  if (status >= 500) {
    return msg(str`The server failed (${status}): changes wait on this device and go to the server when it can take them.`, {
      id: 'store.server-failed',
      desc: 'the placeholder is the HTTP status the server answered (e.g. 502)',
    })
  }
  return msg(str`The server refused a change (${message}): changes wait on this device and go to the server when it can take them.`, {
    id: 'store.change-refused',
    desc: "the placeholder is the server's own reason, in English",
  })
}

/** A refusal that stops uploads for the session (board full, wrong secret), worded for the user. */
function refusalReason(refusal: StoreRefusal): string {
  if (refusal.error === 'board-full') {
    const limit = refusal.limit ?? 0
    const mib = 1024 * 1024
    if (limit >= mib) {
      const megabytes = formatNumber(Math.round(limit / mib))
      return msg(str`The server will not keep more than ${megabytes} MB of this board; it is saved on this device.`, {
        id: 'store.board-full.megabytes',
        desc: 'the placeholder is the most the server keeps of a board, in megabytes',
      })
    }
    const kilobytes = formatNumber(Math.max(1, Math.round(limit / 1024)), { useGrouping: false })
    return msg(str`The server will not keep more than ${kilobytes} KB of this board; it is saved on this device.`, {
      id: 'store.board-full.kilobytes',
      desc: 'the placeholder is the most the server keeps of a board, in kilobytes',
    })
  }
  if (refusal.error === 'wrong-secret' || refusal.error === 'secret-required') {
    return msg('The server refuses changes to this board (it was registered with another write secret); it is saved on this device.', { id: 'store.wrong-secret' })
  }
  const reason = refusal.message.replace(/\.$/, '')
  return msg(str`The server refused to store this board: ${reason}; it is saved on this device.`, {
    id: 'store.refused',
    desc: "the placeholder is the server's own reason, in English",
  })
}

class StoreRefusedError extends Error {
  override name = 'StoreRefusedError'
  constructor(readonly refusal: StoreRefusal) {
    super(refusal.message)
  }
}

/** Runs `task` when the page is idle, within AUDIT_DELAY_MS (Node, and Safari, have no requestIdleCallback). */
function whenIdle(task: () => void): void {
  if ('requestIdleCallback' in globalThis) requestIdleCallback(task, { timeout: AUDIT_DELAY_MS })
  else setTimeout(task, AUDIT_DELAY_MS / 6)
}

/** Lets the page draw and handle input between two pieces of a big board. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}
