/**
 * The board menu: open and save `.meshboard` files, export PNG (whole board or the selection, at
 * 2x) and SVG, insert an image, and the board's history. Emits internal `meshui-file` events; the board does the work.
 */
import { LitElement, css, html } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { fileIcon } from './icons'
import { panelStyles } from './panel-styles'
import { emit } from './mesh-events'

export type FileEvent =
  | { kind: 'open'; file: File }
  | { kind: 'save' }
  | { kind: 'png'; selection: boolean }
  | { kind: 'svg' }
  | { kind: 'insert-image' }
  | { kind: 'history' }

@customElement('mesh-file-menu')
export class MeshFileMenu extends LitElement {
  /** Whether shapes are selected (the selection can be exported). */
  @property({ type: Boolean }) selection = false
  /** Read-only boards can be saved and exported, not replaced. */
  @property({ type: Boolean }) readonly = false
  @state() private open = false

  static override styles = [
    panelStyles,
    css`
      :host {
        position: relative;
        display: inline-flex;
      }
      .menu-button {
        display: grid;
        place-items: center;
        width: 46px;
        height: 46px;
        border: 0;
      }
      .popover {
        left: 0;
        right: auto;
        width: 250px;
        padding: 6px;
        gap: 0;
      }
      [role='menuitem'] {
        display: flex;
        justify-content: space-between;
        width: 100%;
        height: 34px;
        padding: 0 10px;
        border: 0;
        border-radius: 8px;
        background: transparent;
        text-align: left;
      }
      [role='menuitem']:hover:not(:disabled) {
        background: var(--mesh-hover, rgb(0 0 0 / 6%));
      }
      [role='menuitem']:disabled {
        opacity: 0.4;
        cursor: default;
      }
      hr {
        margin: 4px 6px;
        border: 0;
        border-top: 1px solid rgb(0 0 0 / 10%);
      }
      input {
        display: none;
      }
    `,
  ]

  override render() {
    return html`
      <button class="menu-button panel" aria-label="Board menu" title="Open, save and export" aria-haspopup="menu" aria-expanded=${this.open} @click=${() => (this.open = !this.open)}>
        ${fileIcon}
      </button>
      ${this.open
        ? html`<div class="popover panel" role="menu" aria-label="Board menu" @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && (this.open = false)}>
            ${this.readonly
              ? ''
              : html`<button role="menuitem" @click=${() => this.pick('board')}>Open .meshboard file…</button>`}
            <button role="menuitem" @click=${() => this.choose({ kind: 'save' })}>Save as .meshboard file</button>
            <hr />
            <button role="menuitem" @click=${() => this.choose({ kind: 'png', selection: false })}>Export board as PNG</button>
            <button role="menuitem" ?disabled=${!this.selection} @click=${() => this.choose({ kind: 'png', selection: true })}>Export selection as PNG</button>
            <button role="menuitem" @click=${() => this.choose({ kind: 'svg' })}>Export board as SVG</button>
            <hr />
            <button role="menuitem" @click=${() => this.choose({ kind: 'history' })}>History…</button>
            ${this.readonly
              ? ''
              : html`<hr />
                  <button role="menuitem" @click=${() => this.pick('image')}>Insert image…</button>`}
          </div>`
        : ''}
      <input class="board-file" type="file" accept=".meshboard,.json,application/json" @change=${(event: Event) => this.picked(event, 'open')} />
    `
  }

  private pick(kind: 'board' | 'image'): void {
    this.open = false
    if (kind === 'image') emit<FileEvent>(this, 'meshui-file', { kind: 'insert-image' })
    else this.renderRoot.querySelector<HTMLInputElement>('.board-file')?.click()
  }

  private picked(event: Event, kind: 'open'): void {
    const input = event.target as HTMLInputElement
    const file = input.files?.[0]
    // Cleared so that picking the same file again still fires change.
    input.value = ''
    if (file) emit<FileEvent>(this, 'meshui-file', { kind, file })
  }

  private choose(detail: FileEvent): void {
    this.open = false
    emit<FileEvent>(this, 'meshui-file', detail)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-file-menu': MeshFileMenu
  }
}
