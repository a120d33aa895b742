/**
 * The board's history: the versions kept on this device (store/version-keeper.ts), newest first,
 * by time and author; one is previewed, and restoring it changes the board for everyone as one
 * change its restorer can undo. Emits internal `meshui-history` events; the board does the work.
 */
import { LitElement, css, html } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { localized, msg, str } from '@lit/localize'
import { formatDateTime, formatList, formatNumber, isOne } from '../i18n/format'
import { MANY_SHAPES } from '../store/version-keeper'
import type { VersionInfo } from '../store/version-store'
import { dialogStyles, panelStyles } from './panel-styles'
import { emit } from './mesh-events'

export type HistoryEvent = { kind: 'preview'; id: number } | { kind: 'restore'; id: number } | { kind: 'close' }

/** What is shown of the version picked. */
export type VersionPreview = { readonly id: number; readonly url: string | null; readonly error: string | null }

/** When a version was kept: its time today, else its day and time (in the interface's language). */
function when(at: number): string {
  const date = new Date(at)
  if (date.toDateString() !== new Date().toDateString()) return formatDateTime(date)
  const time = formatDateTime(date, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
  return msg(str`Today ${time}`, { id: 'history.today', desc: 'in the board history: a version kept today, at this time ("Today 09:41:05 PM")' })
}

function shapeCount(count: number): string {
  const shapes = formatNumber(count)
  return isOne(count)
    ? msg(str`${shapes} shape`, { id: 'history.shapes.one', desc: 'in the board history: how many shapes a version has' })
    : msg(str`${shapes} shapes`, { id: 'history.shapes.other', desc: 'in the board history: how many shapes a version has' })
}

/** Why the version was kept, in words. */
function what(version: VersionInfo): string {
  switch (version.reason) {
    case 'before-deletion': {
      const deleted = version.deleted
      if (deleted === undefined) return msg('Before many shapes were deleted', { id: 'history.reason.deleted.many', desc: 'in the board history: a version kept just before someone deleted many shapes' })
      if (deleted >= MANY_SHAPES) {
        const many = formatNumber(MANY_SHAPES)
        return msg(str`Before ${many} or more shapes were deleted`, { id: 'history.reason.deleted.at-least', desc: 'in the board history: a version kept just before someone deleted at least this many shapes' })
      }
      const count = formatNumber(deleted)
      return isOne(deleted)
        ? msg(str`Before ${count} shape was deleted`, { id: 'history.reason.deleted.one', desc: 'in the board history: a version kept just before someone deleted this many shapes' })
        : msg(str`Before ${count} shapes were deleted`, { id: 'history.reason.deleted.other', desc: 'in the board history: a version kept just before someone deleted this many shapes' })
    }
    case 'before-restore':
      return msg('Before a restore', { id: 'history.reason.before-restore', desc: 'in the board history: a version kept just before an older version was restored' })
    case 'opened':
      return msg('When the board was opened', { id: 'history.reason.opened', desc: 'in the board history: a version kept when the board was opened' })
    case 'left':
      return msg('When the page was closed', { id: 'history.reason.left', desc: 'in the board history: a version kept when the page was closed' })
    case 'edited': {
      if (version.authors.length === 0) return msg('Changes', { id: 'history.reason.edited', desc: 'in the board history: a version kept after the board was changed' })
      const names = formatList(version.authors)
      return msg(str`Changes by ${names}`, { id: 'history.reason.edited-by', desc: 'in the board history: a version kept after these people (a list of names, as the language joins them) changed the board' })
    }
  }
}

@localized()
@customElement('mesh-history')
export class MeshHistory extends LitElement {
  /** Oldest first, as kept; null while they are read. */
  @property({ attribute: false }) versions: readonly VersionInfo[] | null = null
  @property({ attribute: false }) preview: VersionPreview | null = null
  /** Read-only boards can look back, not restore. */
  @property({ type: Boolean }) readonly = false
  /** Why versions are not kept here (the board is not stored on this device), or null. */
  @property({ attribute: false }) unavailable: string | null = null
  /** Why the newest version could not be kept (the ones listed still can be restored), or null. */
  @property({ attribute: false }) problem: string | null = null

  static override styles = [
    panelStyles,
    dialogStyles,
    css`
      section {
        width: min(760px, calc(100% - 32px));
        height: min(520px, calc(100% - 32px));
        display: flex;
        flex-direction: column;
        gap: 12px;
      }
      .body {
        flex: 1;
        display: grid;
        grid-template-columns: minmax(200px, 260px) 1fr;
        gap: 16px;
        min-height: 0;
      }
      ol {
        margin: 0;
        padding: 0;
        list-style: none;
        overflow: auto;
        display: grid;
        align-content: start;
        gap: 2px;
      }
      ol button {
        display: grid;
        gap: 2px;
        width: 100%;
        padding: 8px 10px;
        border: 0;
        border-radius: 8px;
        background: transparent;
        text-align: left;
      }
      ol button:hover {
        background: var(--mesh-hover, rgb(0 0 0 / 6%));
      }
      ol button[aria-current='true'] {
        background: var(--mesh-accent-soft, #e7ecff);
      }
      .when {
        font-weight: 600;
      }
      .what {
        color: var(--mesh-muted, #495057);
        font-size: 12px;
      }
      .preview {
        display: grid;
        grid-template-rows: 1fr auto;
        gap: 10px;
        min-height: 0;
      }
      .picture {
        display: grid;
        place-items: center;
        min-height: 0;
        border-radius: 8px;
        background: var(--mesh-hover, rgb(0 0 0 / 4%));
        overflow: hidden;
      }
      .picture img {
        max-width: 100%;
        max-height: 100%;
        object-fit: contain;
      }
      .actions {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 12px;
      }
      .actions .primary {
        flex-shrink: 0;
        white-space: nowrap;
      }
      .empty {
        align-self: center;
        justify-self: center;
        max-width: 380px;
        text-align: center;
      }
      @media (max-width: 560px) {
        .body {
          grid-template-columns: 1fr;
          grid-template-rows: minmax(120px, 40%) 1fr;
        }
      }
    `,
  ]

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('header button')?.focus()
  }

  override render() {
    const title = msg('Board history', { id: 'history.title', desc: 'title of the dialog that lists the versions of the board kept so far' })
    return html`<section
      class="panel"
      role="dialog"
      aria-modal="true"
      aria-label=${title}
      @keydown=${(event: KeyboardEvent) => {
        event.stopPropagation()
        if (event.key === 'Escape') this.emit({ kind: 'close' })
      }}
    >
      <header>
        <h2>${title}</h2>
        <button class="text-button" @click=${() => this.emit({ kind: 'close' })}>${msg('Close', { id: 'history.close', desc: 'a button: closes the board history' })}</button>
      </header>
      ${this.problem ? html`<p class="hint" role="alert">${this.problem}</p>` : ''}
      ${this.renderBody()}
    </section>`
  }

  private renderBody() {
    if (this.unavailable) return html`<p class="hint empty">${this.unavailable}</p>`
    if (this.versions === null) return html`<p class="hint empty" role="status">${msg("Reading the board's versions…", { id: 'history.reading' })}</p>`
    if (this.versions.length === 0) {
      return html`<p class="hint empty">
        ${msg(
          'No versions yet. A version of the board is kept on this device a few seconds after it changes (at most once a minute), and just before someone else deletes many shapes; with a server copy, on the server too (at most every ten minutes, and always before many shapes are deleted).',
          { id: 'history.empty', desc: 'in the board history, while it lists no version yet: when versions are kept' },
        )}
      </p>`
    }
    const onServer = msg('on the server', { id: 'history.on-server', desc: "in the board history, after a version's reason and size: this version is kept on the server too" })
    const newestFirst = [...this.versions].reverse()
    const picked = this.versions.find((version) => version.id === this.preview?.id) ?? null
    return html`<div class="body">
      <ol aria-label=${msg('Versions of this board', { id: 'history.versions' })}>
        ${newestFirst.map(
          (version) => html`<li>
            <button aria-current=${version.id === picked?.id} @click=${() => this.emit({ kind: 'preview', id: version.id })}>
              <span class="when">${when(version.at)}</span>
              <span class="what">${what(version)} · ${shapeCount(version.shapes)}${version.onServer ? ` · ${onServer}` : ''}</span>
            </button>
          </li>`,
        )}
      </ol>
      <div class="preview">${picked ? this.renderPreview(picked) : html`<p class="hint empty">${msg('Pick a version to see it.', { id: 'history.pick' })}</p>`}</div>
    </div>`
  }

  private renderPreview(version: VersionInfo) {
    const { url, error } = this.preview!
    const at = when(version.at)
    const shapes = shapeCount(version.shapes)
    return html`<div class="picture">
        ${error
          ? html`<p class="hint" role="alert">${error}</p>`
          : url
            ? html`<img src=${url} alt=${msg(str`The board at ${at}: ${shapes}`, { id: 'history.preview.alt', desc: 'description of the picture of a version: when it was kept, and how many shapes it has ("2 shapes")' })} />`
            : version.shapes === 0
              ? html`<p class="hint">${msg('The board was empty.', { id: 'history.preview.empty', desc: 'instead of the picture of a version that has no shapes' })}</p>`
              : html`<p class="hint" role="status">${msg('Drawing the preview…', { id: 'history.preview.drawing' })}</p>`}
      </div>
      <div class="actions">
        <p class="hint">
          ${this.readonly
            ? msg('This board is view-only here: its versions can be looked at, not restored.', { id: 'history.readonly' })
            : msg('Restoring changes the board for everyone. You can undo it.', { id: 'history.restore.hint' })}
        </p>
        <button class="text-button primary" ?disabled=${this.readonly || error !== null} @click=${() => this.emit({ kind: 'restore', id: version.id })}>
          ${msg('Restore this version', { id: 'history.restore', desc: 'a button in the board history' })}
        </button>
      </div>`
  }

  private emit(detail: HistoryEvent): void {
    emit<HistoryEvent>(this, 'meshui-history', detail)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-history': MeshHistory
  }
}
