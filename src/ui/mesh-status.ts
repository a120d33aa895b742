/** The always-visible connection and storage status of a board. */
import { LitElement, css, html } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import type { ConnectionStatus } from '../net/board-connection'
import type { StoreState } from '../store/local-store'

@customElement('mesh-status')
export class MeshStatus extends LitElement {
  @property() status: ConnectionStatus = 'connecting'
  @property({ type: Number, attribute: 'peer-count' }) peerCount = 0
  /** Whether the latest change is stored on this device ('off': the board is not stored). */
  @property() saved: StoreState | 'off' = 'off'
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
      padding: 6px 12px;
      border-radius: 999px;
      background: var(--mesh-panel-background, #ffffff);
      color: var(--mesh-panel-color, #1e1e1e);
      box-shadow: 0 1px 3px rgb(0 0 0 / 12%), 0 6px 20px rgb(0 0 0 / 8%);
      font: var(--mesh-font, 13px/1.3 system-ui, sans-serif);
    }
    [role='status'],
    .saved {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    /* Short of room, the secondary text gives way first. */
    .saved {
      flex-shrink: 20;
    }
    .dot {
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
    .saved::before {
      content: '·';
      margin-right: 8px;
    }
  `

  override render() {
    const { text, color } = this.describe()
    const saved = this.problem ? null : this.savedText()
    return html`<span class="dot" style=${`--dot:${this.problem ? '#e03131' : color}`}></span>
      <span role="status" aria-live="polite" class=${this.problem ? 'problem' : ''}>${this.problem ?? text}</span>
      ${saved ? html`<span class="saved">${saved}</span>` : ''} ${this.viewOnly ? html`<span class="saved">View only</span>` : ''}`
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

  private describe(): { text: string; color: string } {
    switch (this.status) {
      case 'connected':
        return this.peerCount > 0
          ? { text: `Connected to ${this.peerCount} ${this.peerCount === 1 ? 'person' : 'people'}`, color: '#2f9e44' }
          : { text: 'Online — nobody else here yet', color: '#74b816' }
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
