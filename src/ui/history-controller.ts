/**
 * The history panel's state for `<mesh-board>`: whether it is open, the versions listed, the one
 * previewed (an SVG of it, as a blob URL released when no longer shown), and restoring one.
 */
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit'
import { msg, str } from '@lit/localize'
import type * as Y from 'yjs'
import { formatDateTime, formatNumber, isOne } from '../i18n/format'
import type { VersionInfo } from '../store/version-store'
import type { BoardSession } from '../editor/board-session'
import type { HistoryEvent, VersionPreview } from './mesh-history'
import './mesh-history'

export interface HistoryHost {
  readonly session: BoardSession | null
  readonly readonly: boolean
  /** An SVG picture of a board. */
  picture(doc: Y.Doc): string
  /** Tells the user something (a quiet notice). */
  tell(message: string): void
  /** The panel closed: focus goes back to the board. */
  closed(): void
}

export class HistoryController implements ReactiveController {
  private open = false
  private versions: VersionInfo[] | null = null
  /** Why the versions on the server are not listed, if they could not be read. */
  private serverProblem: string | null = null
  private preview: VersionPreview | null = null
  /** Bumped on every pick, so a slow preview never replaces a later one. */
  private picks = 0

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly board: HistoryHost,
  ) {
    host.addController(this)
  }

  get isOpen(): boolean {
    return this.open
  }

  show(): void {
    this.open = true
    this.versions = null
    this.serverProblem = null
    this.host.requestUpdate()
    void this.refresh()
  }

  hostDisconnected(): void {
    this.close()
  }

  render() {
    if (!this.open) return ''
    const session = this.board.session
    const unavailable = session?.keepsVersions
      ? null
      : msg('Versions are kept only for a board saved on this device (not for a board opened with persist="off" or without a board id).', {
          id: 'history.unavailable',
          desc: 'in the board history: why it lists nothing; persist="off" is an attribute of the page, not to be translated',
        })
    return html`<mesh-history
      part="history"
      .versions=${this.versions}
      .preview=${this.preview}
      .unavailable=${unavailable}
      .problem=${session?.versionError ?? this.serverProblem}
      ?readonly=${this.board.readonly}
      @meshui-history=${(event: CustomEvent<HistoryEvent>) => void this.onEvent(event.detail)}
    ></mesh-history>`
  }

  private async refresh(): Promise<void> {
    const session = this.board.session
    try {
      const [versions, problem] = (await session?.listVersions()) ?? [[], null]
      this.versions = versions
      this.serverProblem = problem
    } catch (error) {
      this.versions = []
      const reason = (error as Error).message
      this.board.tell(msg(str`The board's history could not be read: ${reason}`, { id: 'history.read-failed', desc: "a notice; the reason is the browser's error message" }))
    }
    const newest = this.versions.at(-1)
    if (newest && this.preview === null) await this.pick(newest.id)
    this.host.requestUpdate()
  }

  private async onEvent(event: HistoryEvent): Promise<void> {
    switch (event.kind) {
      case 'close':
        this.close()
        return this.board.closed()
      case 'preview':
        return this.pick(event.id)
      case 'restore':
        return this.restore(event.id)
    }
  }

  private async pick(id: number): Promise<void> {
    const pick = ++this.picks
    this.setPreview({ id, url: null, error: null })
    const doc = await this.board.session?.openVersion(id).catch(() => null)
    if (pick !== this.picks) return doc?.destroy()
    if (!doc) return this.setPreview({ id, url: null, error: unreadable(id) })
    const url = URL.createObjectURL(new Blob([this.board.picture(doc)], { type: 'image/svg+xml' }))
    doc.destroy()
    this.setPreview({ id, url, error: null })
  }

  private async restore(id: number): Promise<void> {
    const session = this.board.session
    if (!session || this.board.readonly) return
    const version = await session.openVersion(id).catch(() => null)
    if (!version) return this.board.tell(unreadable(id))
    const at = this.versions?.find((info) => info.id === id)?.at
    const counts = session.restore(version)
    version.destroy()
    this.close()
    this.board.closed()
    this.board.tell(restoredNotice(counts, at))
  }

  private setPreview(preview: VersionPreview | null): void {
    if (this.preview?.url) URL.revokeObjectURL(this.preview.url)
    this.preview = preview
    this.host.requestUpdate()
  }

  private close(): void {
    if (!this.open) return
    this.open = false
    this.picks++
    this.setPreview(null)
    this.versions = null
  }
}

/** Why a version could not be opened: one on the server (a negative id) could not be read, one on this device is gone. */
function unreadable(id: number): string {
  return id < 0
    ? msg('This version on the server could not be read.', { id: 'history.server-version-unreadable' })
    : msg('This version is no longer on this device.', { id: 'history.version-gone' })
}

/** What restoring a version did, said when it is done; `at` is when the version was kept, if known. */
function restoredNotice(counts: { readonly added: number; readonly removed: number; readonly changed: number }, at: number | undefined): string {
  const time = at === undefined ? null : formatDateTime(at, { hour: '2-digit', minute: '2-digit' })
  if (counts.added + counts.removed + counts.changed === 0) {
    return time === null
      ? msg('The board is already as in the version.', { id: 'history.restore.unchanged', desc: 'a notice: restoring a version changed nothing' })
      : msg(str`The board is already as in the version of ${time}.`, { id: 'history.restore.unchanged-at', desc: 'a notice: restoring the version kept at this time changed nothing' })
  }
  const added = formatNumber(counts.added)
  const removed = formatNumber(counts.removed)
  const changed = formatNumber(counts.changed)
  if (time === null) {
    return isOne(counts.added)
      ? msg(str`Restored the version: ${added} shape back, ${removed} removed, ${changed} changed. Undo takes it back.`, { id: 'history.restored.one', desc: 'a notice after restoring a version: how many shapes came back, how many were removed and how many changed' })
      : msg(str`Restored the version: ${added} shapes back, ${removed} removed, ${changed} changed. Undo takes it back.`, { id: 'history.restored.other', desc: 'a notice after restoring a version: how many shapes came back, how many were removed and how many changed' })
  }
  return isOne(counts.added)
    ? msg(str`Restored the version of ${time}: ${added} shape back, ${removed} removed, ${changed} changed. Undo takes it back.`, { id: 'history.restored-at.one', desc: 'a notice after restoring the version kept at this time: how many shapes came back, how many were removed and how many changed' })
    : msg(str`Restored the version of ${time}: ${added} shapes back, ${removed} removed, ${changed} changed. Undo takes it back.`, { id: 'history.restored-at.other', desc: 'a notice after restoring the version kept at this time: how many shapes came back, how many were removed and how many changed' })
}
