/** The always-visible connection and storage status of a board. */
import { LitElement, css, html } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import type { ConnectionStatus } from '../net/board-connection'
import type { StoreState } from '../store/local-store'
import type { ServerStoreStatus } from '../store/server-store'
import { UNREACHABLE_HINT } from './mesh-people'

@customElement('mesh-status')
export class MeshStatus extends LitElement {
  @property() status: ConnectionStatus = 'connecting'
  @property({ type: Number, attribute: 'peer-count' }) peerCount = 0
  /** Whether the latest change is stored on this device ('off': the board is not stored). */
  @property() saved: StoreState | 'off' = 'off'
  /** Whether the latest change is in the server's encrypted copy. */
  @property() server: ServerStoreStatus = 'off'
  /** Why it is not, when `server` is 'error'. */
  @property({ attribute: false }) serverError: string | null = null
  /** Of the people connected, those reached through the server's relay. */
  @property({ type: Number }) relayed = 0
  /** People found but not connected yet (directly or through the server). */
  @property({ type: Number }) connecting = 0
  /** People found who cannot be reached at all (mesh-people.ts UNREACHABLE_HINT). */
  @property({ type: Number }) unreachable = 0
  /** The board is view only (readonly). */
  @property({ type: Boolean }) viewOnly = false
  /** A problem to show instead of the usual text (storage failure, insecure page...). */
  @property() problem: string | null = null

  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 8px;
      box-sizing: border-box;
      max-width: 100%;
      overflow: hidden;
      padding: 6px 14px 6px 12px;
      /* A pill on one line; with the storage line below, a rounded card. */
      border-radius: 16px;
      background: var(--mesh-panel-background, #ffffff);
      color: var(--mesh-panel-color, #1e1e1e);
      box-shadow: 0 1px 3px rgb(0 0 0 / 12%), 0 6px 20px rgb(0 0 0 / 8%);
      font: var(--mesh-font, 13px/1.3 system-ui, sans-serif);
    }
    .lines {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    /* Where the board is saved: a second, quieter line, so the connection line keeps its room. */
    .saves {
      display: flex;
      min-width: 0;
      font-size: 0.92em;
    }
    [role='status'],
    .saved {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .dot {
      align-self: flex-start;
      margin-top: 0.38em;
      flex: none;
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: var(--dot);
    }
    .problem {
      color: var(--mesh-danger, #c92a2a);
    }
    .saved {
      color: var(--mesh-muted, #495057);
      white-space: nowrap;
    }
    .saved.behind {
      color: var(--mesh-warning, #b35c00);
    }
    .saved + .saved::before {
      content: '·';
      margin: 0 6px;
    }
  `

  override render() {
    const { text, color } = this.describe()
    const hint = !this.problem && this.status === 'connected' && this.unreachable > 0 ? UNREACHABLE_HINT : ''
    const saved = this.problem ? null : this.savedText()
    const server = this.serverText()
    const saves = [
      saved ? html`<span class="saved">${saved}</span>` : null,
      server ? html`<span class="saved ${this.server === 'error' ? 'behind' : ''}" title=${this.serverError ?? ''}>${server}</span>` : null,
      this.viewOnly ? html`<span class="saved">View only</span>` : null,
    ].filter((part) => part !== null)
    return html`<span class="dot" style=${`--dot:${this.problem ? '#e03131' : color}`}></span>
      <span class="lines">
        <span role="status" aria-live="polite" class=${this.problem ? 'problem' : ''} title=${hint} aria-description=${hint}>${this.problem ?? text}</span>
        ${saves.length > 0 ? html`<span class="saves">${saves}</span>` : ''}
      </span>`
  }

  private savedText(): string | null {
    switch (this.saved) {
      case 'saved':
        return 'Saved on this device'
      case 'saving':
        return 'Saving…'
      default:
        return null
    }
  }

  private serverText(): string | null {
    switch (this.server) {
      case 'saved':
        return 'Saved (encrypted) on the server'
      case 'saving':
        return 'Saving to the server…'
      case 'error':
        return 'Not saved on the server'
      case 'off':
        return null
    }
  }

  private describe(): { text: string; color: string } {
    switch (this.status) {
      case 'connected': {
        const people = (count: number) => `${count} ${count === 1 ? 'person' : 'people'}`
        if (this.peerCount > 0) {
          const relayed = this.relayed > 0 ? ` (${this.relayed === this.peerCount ? 'all' : this.relayed} through the server)` : ''
          const unreachable = this.unreachable > 0 ? `; can't reach ${this.unreachable} more` : ''
          return { text: `Connected to ${people(this.peerCount)}${relayed}${unreachable}`, color: '#2f9e44' }
        }
        // Someone is there: never "nobody else here", and what is wrong, not an endless "connecting".
        if (this.unreachable > 0) return { text: `Can't connect to ${people(this.unreachable)} here`, color: '#e8590c' }
        if (this.connecting > 0) return { text: `Connecting to ${people(this.connecting)}…`, color: '#f59f00' }
        return { text: 'Online — nobody else here yet', color: '#74b816' }
      }
      case 'connecting':
        return { text: 'Connecting…', color: '#f59f00' }
      case 'offline':
        return { text: 'Offline — keep drawing, it syncs when you reconnect', color: '#868e96' }
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-status': MeshStatus
  }
}
