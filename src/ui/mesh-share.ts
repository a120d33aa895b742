/** Share: copy the board's link (anyone with it can edit), or start a new board. */
import { LitElement, css, html } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { localized, msg } from '@lit/localize'
import { panelStyles } from './panel-styles'
import { emit } from './mesh-events'

@localized()
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
    const title = msg('Share this board', { id: 'share.title' })
    return html`
      <button class="share panel primary" aria-expanded=${this.open} aria-haspopup="dialog" @click=${() => this.toggle()}
        >${msg('Share', { id: 'share.open', desc: "a button: opens the panel to share the board's link" })}</button
      >
      ${this.open
        ? html`<div class="popover panel" role="dialog" aria-label=${title} @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.toggle()}>
            <h2>${title}</h2>
            <div class="row">
              <input
                readonly
                aria-label=${msg('Board link', { id: 'share.link', desc: "the field showing the board's address" })}
                .value=${this.link}
                @focus=${(event: Event) => (event.target as HTMLInputElement).select()}
              />
              <button class="text-button primary copy" @click=${() => this.copy()}
                >${this.copied === 'yes'
                  ? msg('Copied ✓', { id: 'share.copied', desc: 'the copy button once the link is copied' })
                  : msg('Copy link', { id: 'share.copy-link', desc: 'a button: copy the board link to the clipboard' })}</button
              >
            </div>
            <p class="status ${this.copied === 'failed' ? 'failed' : ''}" role="status" aria-live="polite">
              ${this.copied === 'yes'
                ? msg('Link copied to the clipboard.', { id: 'share.copy-done' })
                : this.copied === 'failed'
                  ? msg('Could not copy: select the link and copy it yourself.', { id: 'share.copy-failed' })
                  : ''}
            </p>
            <p class="hint">${msg('Anyone with the link can see and edit this board. The link itself never reaches the server.', { id: 'share.hint' })}</p>
            <hr />
            <button class="text-button" @click=${() => this.newBoard()}>${msg('New board', { id: 'share.new-board', desc: 'a button: start a new, empty board' })}</button>
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
