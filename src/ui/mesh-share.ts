/** Share: copy the board's link (anyone with it can edit), or start a new board. */
import { LitElement, css, html } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { panelStyles } from './panel-styles'
import { emit } from './mesh-events'

@customElement('mesh-share')
export class MeshShare extends LitElement {
  /** The link to copy. */
  @property() link = ''
  @state() private open = false
  @state() private copied: 'no' | 'yes' | 'failed' = 'no'

  static override styles = [
    panelStyles,
    css`
      :host {
        position: relative;
        display: inline-flex;
      }
      .share {
        height: 40px;
        padding: 0 16px;
        border: 0;
        border-radius: 999px;
      }
      input {
        width: 100%;
        box-sizing: border-box;
        height: 32px;
        padding: 0 8px;
        border: 1px solid rgb(0 0 0 / 15%);
        border-radius: 8px;
        font: 12px ui-monospace, monospace;
        color: inherit;
        background: transparent;
      }
      .row {
        display: flex;
        gap: 8px;
        align-items: center;
      }
      .row input {
        flex: 1;
      }
      h2 {
        margin: 0;
        font-size: 14px;
      }
      .copy {
        min-width: 92px;
      }
      .status {
        margin: -4px 0 0;
        font-size: 12px;
        color: #2b8a3e;
      }
      .status.failed {
        color: var(--mesh-danger, #c92a2a);
      }
      hr {
        width: 100%;
        margin: 2px 0;
        border: 0;
        border-top: 1px solid rgb(0 0 0 / 10%);
      }
    `,
  ]

  override render() {
    return html`
      <button class="share panel primary" aria-expanded=${this.open} aria-haspopup="dialog" @click=${() => this.toggle()}>Share</button>
      ${this.open
        ? html`<div class="popover panel" role="dialog" aria-label="Share this board" @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.toggle()}>
            <h2>Share this board</h2>
            <div class="row">
              <input readonly aria-label="Board link" .value=${this.link} @focus=${(event: Event) => (event.target as HTMLInputElement).select()} />
              <button class="text-button primary copy" @click=${() => this.copy()}>${this.copied === 'yes' ? 'Copied ✓' : 'Copy link'}</button>
            </div>
            <p class="status ${this.copied === 'failed' ? 'failed' : ''}" role="status" aria-live="polite">
              ${this.copied === 'yes' ? 'Link copied to the clipboard.' : this.copied === 'failed' ? 'Could not copy: select the link and copy it yourself.' : ''}
            </p>
            <p class="hint">Anyone with the link can see and edit this board. It never reaches our server.</p>
            <hr />
            <button class="text-button" @click=${() => this.newBoard()}>New board</button>
          </div>`
        : ''}
    `
  }

  private toggle(): void {
    this.open = !this.open
    this.copied = 'no'
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.link)
      this.copied = 'yes'
    } catch {
      this.copied = 'failed'
      this.renderRoot.querySelector('input')?.select()
    }
  }

  private newBoard(): void {
    this.open = false
    emit(this, 'meshui-new-board', null)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-share': MeshShare
  }
}
