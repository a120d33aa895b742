/** The list of every keyboard shortcut (`?`). */
import { LitElement, css, html } from 'lit'
import { customElement } from 'lit/decorators.js'
import { localized, msg } from '@lit/localize'
import { HELP_BOARD, HELP_TOOLS, type HelpRow } from '../editor/actions'
import { dialogStyles, panelStyles } from './panel-styles'

@localized()
@customElement('mesh-help')
export class MeshHelp extends LitElement {
  static override styles = [
    panelStyles,
    dialogStyles,
    css`
      section {
        width: min(560px, calc(100% - 32px));
        max-height: calc(100% - 32px);
        overflow: auto;
      }
      h3 {
        margin: 14px 0 6px;
        font-size: 13px;
        color: var(--mesh-muted, #495057);
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 6px 16px;
        margin: 0;
      }
      dt {
        white-space: nowrap;
      }
      kbd {
        padding: 1px 6px;
        border-radius: 5px;
        border: 1px solid rgb(0 0 0 / 15%);
        font: 12px ui-monospace, monospace;
      }
      dd {
        margin: 0;
      }
    `,
  ]

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('button')?.focus()
  }

  override render() {
    const title = msg('Keyboard shortcuts', { id: 'help.title', desc: 'title of the dialog that lists every keyboard shortcut' })
    return html`<section
      class="panel"
      role="dialog"
      aria-modal="true"
      aria-label=${title}
      @keydown=${(event: KeyboardEvent) => {
        event.stopPropagation()
        if (event.key === 'Escape' || event.key === '?') this.close()
      }}
    >
      <header>
        <h2>${title}</h2>
        <button class="text-button" @click=${() => this.close()}>${msg('Close', { id: 'help.close', desc: 'a button: closes the list of keyboard shortcuts' })}</button>
      </header>
      <h3>${msg('Tools', { id: 'help.tools', desc: 'heading in the list of keyboard shortcuts: the keys that pick a drawing tool' })}</h3>
      ${renderRows(HELP_TOOLS)}
      <h3>${msg('Board', { id: 'help.board', desc: 'heading in the list of keyboard shortcuts: the keys and gestures that act on the whiteboard' })}</h3>
      ${renderRows(HELP_BOARD)}
    </section>`
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent('close'))
  }
}

function renderRows(rows: readonly HelpRow[]) {
  return html`<dl>
    ${rows.map(
      ({ keys, text }) => html`<dt><kbd>${keys}</kbd></dt>
        <dd>${text}</dd>`,
    )}
  </dl>`
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-help': MeshHelp
  }
}
