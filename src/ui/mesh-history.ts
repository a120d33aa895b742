/**
 * The board's history: the versions kept on this device (store/version-keeper.ts), newest first,
 * by time and author; one is previewed, and restoring it changes the board for everyone as one
 * change its restorer can undo. Emits internal `meshui-history` events; the board does the work.
 */
import { LitElement, css, html } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { MANY_SHAPES } from '../store/version-keeper'
import type { VersionInfo } from '../store/version-store'
import { dialogStyles, panelStyles } from './panel-styles'
import { emit } from './mesh-events'

export type HistoryEvent = { kind: 'preview'; id: number } | { kind: 'restore'; id: number } | { kind: 'close' }

/** What is shown of the version picked. */
export type VersionPreview = { readonly id: number; readonly url: string | null; readonly error: string | null }

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
const dayAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

function when(at: number): string {
  const date = new Date(at)
  return date.toDateString() === new Date().toDateString() ? `Today ${time.format(date)}` : dayAndTime.format(date)
}

const shapeCount = (count: number) => (count === 1 ? '1 shape' : `${count.toLocaleString()} shapes`)

/** Why the version was kept, in words. */
function what(version: VersionInfo): string {
  switch (version.reason) {
    case 'before-deletion':
      return `Before ${(version.deleted ?? 0) >= MANY_SHAPES ? `${MANY_SHAPES} or more` : (version.deleted ?? 'many')} shapes were deleted`
    case 'before-restore':
      return 'Before a restore'
    case 'opened':
      return 'When the board was opened'
    case 'left':
      return 'When the page was closed'
    case 'edited':
      return version.authors.length > 0 ? `Changes by ${version.authors.join(', ')}` : 'Changes'
  }
}

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
    return html`<section
      class="panel"
      role="dialog"
      aria-modal="true"
      aria-label="Board history"
      @keydown=${(event: KeyboardEvent) => {
        event.stopPropagation()
        if (event.key === 'Escape') this.emit({ kind: 'close' })
      }}
    >
      <header>
        <h2>Board history</h2>
        <button class="text-button" @click=${() => this.emit({ kind: 'close' })}>Close</button>
      </header>
      ${this.problem ? html`<p class="hint" role="alert">${this.problem}</p>` : ''}
      ${this.renderBody()}
    </section>`
  }

  private renderBody() {
    if (this.unavailable) return html`<p class="hint empty">${this.unavailable}</p>`
    if (this.versions === null) return html`<p class="hint empty" role="status">Reading the board's versions…</p>`
    if (this.versions.length === 0) {
      return html`<p class="hint empty">
        No versions yet. A version of the board is kept on this device a few seconds after it changes (at most once a
        minute), and just before someone else deletes many shapes; with a server copy, on the server too (at most every
        ten minutes, and always before many shapes are deleted).
      </p>`
    }
    const newestFirst = [...this.versions].reverse()
    const picked = this.versions.find((version) => version.id === this.preview?.id) ?? null
    return html`<div class="body">
      <ol aria-label="Versions of this board">
        ${newestFirst.map(
          (version) => html`<li>
            <button aria-current=${version.id === picked?.id} @click=${() => this.emit({ kind: 'preview', id: version.id })}>
              <span class="when">${when(version.at)}</span>
              <span class="what">${what(version)} · ${shapeCount(version.shapes)}${version.onServer ? ' · on the server' : ''}</span>
            </button>
          </li>`,
        )}
      </ol>
      <div class="preview">${picked ? this.renderPreview(picked) : html`<p class="hint empty">Pick a version to see it.</p>`}</div>
    </div>`
  }

  private renderPreview(version: VersionInfo) {
    const { url, error } = this.preview!
    return html`<div class="picture">
        ${error
          ? html`<p class="hint" role="alert">${error}</p>`
          : url
            ? html`<img src=${url} alt=${`The board at ${when(version.at)}: ${shapeCount(version.shapes)}`} />`
            : version.shapes === 0
              ? html`<p class="hint">The board was empty.</p>`
              : html`<p class="hint" role="status">Drawing the preview…</p>`}
      </div>
      <div class="actions">
        <p class="hint">
          ${this.readonly
            ? 'This board is view-only here: its versions can be looked at, not restored.'
            : 'Restoring changes the board for everyone. You can undo it.'}
        </p>
        <button class="text-button primary" ?disabled=${this.readonly || error !== null} @click=${() => this.emit({ kind: 'restore', id: version.id })}>
          Restore this version
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
