/** The always-visible connection and storage status of a board. */
import { LitElement, css, html } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { localized, msg, str } from '@lit/localize'
import { formatNumber, isOne } from '../i18n/format'
import type { ConnectionStatus } from '../net/board-connection'
import type { StoreState } from '../store/local-store'
import type { ServerStoreStatus } from '../store/server-store'
import { unreachableHint } from './mesh-people'

@localized()
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
  /** People found who cannot be reached at all (mesh-people.ts unreachableHint). */
  @property({ type: Number }) unreachable = 0
  /** The board is view only (readonly). */
  @property({ type: Boolean }) viewOnly = false
  /** A problem to show instead of the usual text (storage failure, insecure page...). */
  @property() problem: string | null = null
  /** On a narrow board: each place the board is saved on a line of its own rather than cut short. */
  @property({ type: Boolean, reflect: true }) compact = false

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
    /* Each place the board is saved on a line of its own, none cut short. */
    :host([compact]) .saves {
      flex-direction: column;
    }
    :host([compact]) .saved {
      white-space: normal;
    }
    :host([compact]) .saved + .saved::before {
      content: none;
    }
  `

  override render() {
    const { text, color } = this.describe()
    const hint = !this.problem && this.status === 'connected' && this.unreachable > 0 ? unreachableHint() : ''
    const saved = this.problem ? null : this.savedText()
    const server = this.serverText()
    const saves = [
      saved ? html`<span class="saved">${saved}</span>` : null,
      server ? html`<span class="saved ${this.server === 'error' ? 'behind' : ''}" title=${this.serverError ?? ''}>${server}</span>` : null,
      this.viewOnly ? html`<span class="saved">${msg('View only', { id: 'status.view-only', desc: 'the board can be seen but not changed' })}</span>` : null,
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
        return msg('Saved on this device', { id: 'status.saved-here' })
      case 'saving':
        return msg('Saving…', { id: 'status.saving-here', desc: 'the latest change is being stored on this device' })
      default:
        return null
    }
  }

  private serverText(): string | null {
    switch (this.server) {
      case 'saved':
        return msg('Saved (encrypted) on the server', { id: 'status.saved-server' })
      case 'saving':
        return msg('Saving to the server…', { id: 'status.saving-server' })
      case 'error':
        return msg('Not saved on the server', { id: 'status.not-saved-server' })
      case 'off':
        return null
    }
  }

  /**
   * "Connected to 2 people", with how many of them go through the server and how many more cannot be
   * reached: each combination a sentence of its own, its noun agreeing with the people connected.
   */
  private connectedText(): string {
    const one = isOne(this.peerCount)
    const count = formatNumber(this.peerCount)
    const relayed = formatNumber(this.relayed)
    const more = formatNumber(this.unreachable)
    const through = this.relayed === 0 ? 'none' : this.relayed === this.peerCount ? 'all' : 'some'
    if (this.unreachable > 0) {
      switch (through) {
        case 'none':
          return one
            ? msg(str`Connected to ${count} person; can't reach ${more} more`, { id: 'status.connected.unreachable.one', desc: 'the second number: people found who cannot be reached' })
            : msg(str`Connected to ${count} people; can't reach ${more} more`, { id: 'status.connected.unreachable.other', desc: 'the second number: people found who cannot be reached' })
        case 'all':
          return one
            ? msg(str`Connected to ${count} person (all through the server); can't reach ${more} more`, { id: 'status.connected.all-relayed.unreachable.one', desc: 'the second number: people found who cannot be reached' })
            : msg(str`Connected to ${count} people (all through the server); can't reach ${more} more`, { id: 'status.connected.all-relayed.unreachable.other', desc: 'the second number: people found who cannot be reached' })
        case 'some':
          return one
            ? msg(str`Connected to ${count} person (${relayed} through the server); can't reach ${more} more`, { id: 'status.connected.relayed.unreachable.one', desc: 'the second number: of the people connected, those reached through the server; the third: people found who cannot be reached' })
            : msg(str`Connected to ${count} people (${relayed} through the server); can't reach ${more} more`, { id: 'status.connected.relayed.unreachable.other', desc: 'the second number: of the people connected, those reached through the server; the third: people found who cannot be reached' })
      }
    }
    switch (through) {
      case 'none':
        return one ? msg(str`Connected to ${count} person`, { id: 'status.connected.one' }) : msg(str`Connected to ${count} people`, { id: 'status.connected.other' })
      case 'all':
        return one
          ? msg(str`Connected to ${count} person (all through the server)`, { id: 'status.connected.all-relayed.one' })
          : msg(str`Connected to ${count} people (all through the server)`, { id: 'status.connected.all-relayed.other' })
      case 'some':
        return one
          ? msg(str`Connected to ${count} person (${relayed} through the server)`, { id: 'status.connected.relayed.one', desc: 'the second number: of the people connected, those reached through the server' })
          : msg(str`Connected to ${count} people (${relayed} through the server)`, { id: 'status.connected.relayed.other', desc: 'the second number: of the people connected, those reached through the server' })
    }
  }

  private describe(): { text: string; color: string } {
    switch (this.status) {
      case 'connected': {
        if (this.peerCount > 0) return { text: this.connectedText(), color: '#2f9e44' }
        // Someone is there: never "nobody else here", and what is wrong, not an endless "connecting".
        if (this.unreachable > 0) {
          const count = formatNumber(this.unreachable)
          const text = isOne(this.unreachable)
            ? msg(str`Can't connect to ${count} person here`, { id: 'status.cant-connect.one' })
            : msg(str`Can't connect to ${count} people here`, { id: 'status.cant-connect.other' })
          return { text, color: '#e8590c' }
        }
        if (this.connecting > 0) {
          const count = formatNumber(this.connecting)
          const text = isOne(this.connecting)
            ? msg(str`Connecting to ${count} person…`, { id: 'status.connecting-to.one' })
            : msg(str`Connecting to ${count} people…`, { id: 'status.connecting-to.other' })
          return { text, color: '#f59f00' }
        }
        return { text: msg('Online — nobody else here yet', { id: 'status.alone' }), color: '#74b816' }
      }
      case 'connecting':
        return { text: msg('Connecting…', { id: 'status.connecting', desc: 'the board is connecting to the network' }), color: '#f59f00' }
      case 'offline':
        return { text: msg('Offline — keep drawing, it syncs when you reconnect', { id: 'status.offline' }), color: '#868e96' }
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-status': MeshStatus
  }
}
