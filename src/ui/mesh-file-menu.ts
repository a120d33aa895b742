/**
 * The board menu: open `.meshboard` and `.excalidraw` files, save `.meshboard` files, export PNG
 * (whole board or the selection, at 2x), SVG and `.excalidraw`, insert an image, the board's
 * history, and the interface's language (a page of the menu of its own). Emits internal
 * `meshui-file` events; the board does the work.
 */
import { LitElement, css, html } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { localized, msg } from '@lit/localize'
import type { Language } from '../i18n/localization'
import { fileIcon } from './icons'
import { panelStyles } from './panel-styles'
import { emit } from './mesh-events'

export type FileEvent =
  | { kind: 'open'; file: File }
  | { kind: 'save' }
  | { kind: 'png'; selection: boolean }
  | { kind: 'svg' }
  | { kind: 'excalidraw' }
  | { kind: 'insert-image' }
  | { kind: 'history' }
  /** A language's tag, or '' to follow the browser. */
  | { kind: 'language'; language: string }

@localized()
@customElement('mesh-file-menu')
export class MeshFileMenu extends LitElement {
  /** Whether shapes are selected (the selection can be exported). */
  @property({ type: Boolean }) selection = false
  /** Read-only boards can be saved and exported, not replaced. */
  @property({ type: Boolean }) readonly = false
  /** The languages to pick from. */
  @property({ attribute: false }) languages: readonly Language[] = []
  /** The language picked in this menu, '' when none is (the board follows the browser or its `lang`). */
  @property() language = ''
  /** The language shown now. */
  @property() shown = ''
  /** The language shown without a pick: the browser's (or the board's `lang`). */
  @property() automatic = ''
  @state() private open = false
  /** Which page of the menu is open: its commands, or the list of languages. */
  @state() private page: 'commands' | 'languages' = 'commands'

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
      [role='menuitem'],
      [role='menuitemradio'] {
        display: flex;
        justify-content: space-between;
        align-items: center;
        width: 100%;
        height: 34px;
        padding: 0 10px;
        border: 0;
        border-radius: 8px;
        background: transparent;
        text-align: left;
      }
      [role='menuitem']:hover:not(:disabled),
      [role='menuitemradio']:hover {
        background: var(--mesh-hover, rgb(0 0 0 / 6%));
      }
      [role='menuitem']:disabled {
        opacity: 0.4;
        cursor: default;
      }
      .hint {
        color: var(--mesh-muted, #495057);
        font-size: inherit;
      }
      [aria-checked='true'] .hint {
        color: inherit;
      }
      [role='menuitemradio'][aria-checked='true'] {
        background: var(--mesh-accent-soft, #e0dfff);
        font-weight: 600;
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
    const label = msg('Board menu', { id: 'menu.label' })
    return html`
      <button class="menu-button panel" aria-label=${label} title=${msg('Open, save and export', { id: 'menu.tooltip' })} aria-haspopup="menu" aria-expanded=${this.open} @click=${() => this.toggle()}>
        ${fileIcon}
      </button>
      ${this.open
        ? html`<div class="popover panel" role="menu" aria-label=${label} @keydown=${(event: KeyboardEvent) => this.onKey(event)}>
            ${this.page === 'languages' ? this.renderLanguages() : this.renderCommands()}
          </div>`
        : ''}
      <input class="board-file" type="file" accept=".meshboard,.excalidraw,.json,application/json" @change=${(event: Event) => this.picked(event, 'open')} />
    `
  }

  private renderCommands() {
    return html`
      ${this.readonly
        ? ''
        : html`<button role="menuitem" @click=${() => this.pick('board')}>${msg('Open file (.meshboard, .excalidraw)…', { id: 'menu.open-file', desc: 'a menu item: replace the board with a file saved by meshboard or by Excalidraw' })}</button>`}
      <button role="menuitem" @click=${() => this.choose({ kind: 'save' })}>${msg('Save as .meshboard file', { id: 'menu.save' })}</button>
      <hr />
      <button role="menuitem" @click=${() => this.choose({ kind: 'png', selection: false })}>${msg('Export board as PNG', { id: 'menu.export-png' })}</button>
      <button role="menuitem" ?disabled=${!this.selection} @click=${() => this.choose({ kind: 'png', selection: true })}>${msg('Export selection as PNG', { id: 'menu.export-selection-png' })}</button>
      <button role="menuitem" @click=${() => this.choose({ kind: 'svg' })}>${msg('Export board as SVG', { id: 'menu.export-svg' })}</button>
      <button role="menuitem" @click=${() => this.choose({ kind: 'excalidraw' })}>${msg('Export board as .excalidraw', { id: 'menu.export-excalidraw', desc: 'a menu item: save the board as a file Excalidraw opens' })}</button>
      <hr />
      <button role="menuitem" @click=${() => this.choose({ kind: 'history' })}>${msg('History…', { id: 'menu.history' })}</button>
      ${this.readonly
        ? ''
        : html`<hr />
            <button role="menuitem" @click=${() => this.pick('image')}>${msg('Insert image…', { id: 'menu.insert-image' })}</button>`}
      <hr />
      <button role="menuitem" class="language" aria-haspopup="menu" @click=${() => this.showPage('languages')}>
        <span>${msg('Language', { id: 'menu.language' })}</span><span class="hint" lang=${this.shown}>${this.nameOf(this.shown)}</span>
      </button>
    `
  }

  /** The languages, each in its own name (and marked as such, for screen readers); the first follows the browser. */
  private renderLanguages() {
    return html`
      <button role="menuitem" class="back" @click=${() => this.showPage('commands')}>${msg('← Back', { id: 'menu.back' })}</button>
      <hr />
      <div role="group" aria-label=${msg('Language', { id: 'menu.language' })}>
        <button role="menuitemradio" aria-checked=${this.language === ''} @click=${() => this.choose({ kind: 'language', language: '' })}>
          <span>${msg('Automatic', { id: 'menu.language.automatic', desc: "in the language menu: follow the browser's (or the page's) language" })}</span>
          <span class="hint" lang=${this.automatic}>${this.nameOf(this.automatic)}</span>
        </button>
        ${this.languages.map(
          (language) => html`<button role="menuitemradio" lang=${language.tag} aria-checked=${this.language === language.tag} @click=${() => this.choose({ kind: 'language', language: language.tag })}>
            ${language.name}
          </button>`,
        )}
      </div>
    `
  }

  private nameOf(tag: string): string {
    return this.languages.find((language) => language.tag === tag)?.name ?? tag
  }

  private toggle(): void {
    this.open = !this.open
    this.page = 'commands'
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return
    if (this.page === 'languages') this.showPage('commands')
    else this.open = false
  }

  /** Turns the menu to another page, with the focus on its first item (or the language picked). */
  private async showPage(page: 'commands' | 'languages'): Promise<void> {
    this.page = page
    await this.updateComplete
    const target =
      page === 'languages'
        ? this.renderRoot.querySelector<HTMLElement>('[role="menuitemradio"][aria-checked="true"]')
        : this.renderRoot.querySelector<HTMLElement>('.language')
    target?.focus()
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
    this.page = 'commands'
    emit<FileEvent>(this, 'meshui-file', detail)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-file-menu': MeshFileMenu
  }
}
