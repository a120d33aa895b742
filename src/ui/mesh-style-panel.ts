/**
 * The style panel: colour, stroke width, fill, note colour, font size and opacity of the selection
 * or, with nothing selected, of the next shape the active tool makes; with a selection also its
 * layer order, duplicate and delete. Shows only the controls that apply.
 */
import { LitElement, css, html, nothing } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import type { Reorder } from '../model/z-order'
import { displayColor } from '../render/ink'
import { DELETE_SHORTCUT, DUPLICATE_SHORTCUT, REORDER_SHORTCUTS } from '../tools/shortcuts'
import { backIcon, backwardIcon, duplicateIcon, forwardIcon, frontIcon, trashIcon } from './icons'
import { FONT_SIZES, NOTE_COLORS, PALETTE, WIDTHS } from './palette'
import { iconButtonStyles, panelStyles } from './panel-styles'

/** Which groups of controls apply to what is being styled. */
export interface StyleControls {
  readonly color: boolean
  readonly width: boolean
  readonly fill: boolean
  readonly note: boolean
  readonly font: boolean
  /** A selection: also layer order, duplicate and delete. */
  readonly arrange: boolean
}

export interface StyleValues {
  readonly color: string
  readonly strokeWidth: number
  readonly fill: boolean
  readonly noteColor: string
  readonly fontSize: number
  readonly opacity: number
}

export type StyleEvent =
  | { kind: 'color'; color: string }
  | { kind: 'width'; width: number }
  | { kind: 'fill'; fill: boolean }
  | { kind: 'note'; color: string }
  | { kind: 'font'; size: number }
  | { kind: 'opacity'; opacity: number }
  | { kind: 'reorder'; to: Reorder }
  | { kind: 'duplicate' }
  | { kind: 'delete' }

const REORDER_ACTIONS: readonly { to: Reorder; label: string; icon: unknown }[] = [
  { to: 'back', label: 'Send to back', icon: backIcon },
  { to: 'backward', label: 'Send backward', icon: backwardIcon },
  { to: 'forward', label: 'Bring forward', icon: forwardIcon },
  { to: 'front', label: 'Bring to front', icon: frontIcon },
]

@customElement('mesh-style-panel')
export class MeshStylePanel extends LitElement {
  @property({ attribute: false }) controls!: StyleControls
  @property({ attribute: false }) values!: StyleValues
  @property({ type: Boolean }) dark = false

  static override styles = [
    panelStyles,
    iconButtonStyles,
    css`
      :host {
        display: grid;
        gap: 10px;
        width: 188px;
        padding: 12px;
        box-sizing: border-box;
        user-select: none;
      }
      h3 {
        margin: 0 0 4px;
        font-size: 11px;
        font-weight: 600;
        letter-spacing: 0.02em;
        color: var(--mesh-muted, #495057);
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 2px;
      }
      button {
        width: 32px;
        height: 32px;
      }
      .swatch span {
        width: 20px;
        height: 20px;
        border-radius: 50%;
        background: var(--swatch);
        box-shadow: inset 0 0 0 1px rgb(0 0 0 / 15%);
      }
      .note span {
        border-radius: 4px;
      }
      .swatch[aria-pressed='true'] {
        background: transparent;
        box-shadow: inset 0 0 0 2px var(--mesh-accent, #3b5bdb);
      }
      .width span {
        width: 18px;
        border-radius: 999px;
        background: currentColor;
        height: var(--thickness);
      }
      .font {
        width: auto;
        min-width: 32px;
        padding: 0 6px;
        font-weight: 600;
      }
      .toggle {
        width: auto;
        padding: 0 10px;
        gap: 6px;
        grid-auto-flow: column;
      }
      input[type='range'] {
        width: 100%;
        accent-color: var(--mesh-accent, #3b5bdb);
      }
      .opacity {
        display: flex;
        align-items: center;
        gap: 8px;
        font-variant-numeric: tabular-nums;
      }
      .danger:hover {
        color: var(--mesh-danger, #c92a2a);
      }
    `,
  ]

  constructor() {
    super()
    // A click on a button leaves the keyboard focus on the board: the panel may vanish with the
    // selection, and focus with it, while the user goes on with shortcuts. Tab still reaches every button.
    this.addEventListener('pointerdown', (event) => {
      if ((event.composedPath()[0] as Element).closest?.('button')) event.preventDefault()
    })
  }

  override render() {
    const { controls, values } = this
    if (!controls || !values) return nothing
    return html`
      ${controls.color ? this.renderColors() : nothing} ${controls.note ? this.renderNoteColors() : nothing}
      ${controls.width
        ? html`<section role="group" aria-label="Stroke width">
            <h3>Stroke width</h3>
            <div class="row">
              ${WIDTHS.map(
                (width) => html`<button
                  type="button"
                  class="width"
                  aria-label=${`${width.name} stroke`}
                  title=${`${width.name} stroke`}
                  aria-pressed=${values.strokeWidth === width.value}
                  style=${`--thickness:${Math.min(10, 1 + width.value * 0.55)}px`}
                  @click=${() => this.emit({ kind: 'width', width: width.value })}
                >
                  <span></span>
                </button>`,
              )}
            </div>
          </section>`
        : nothing}
      ${controls.fill
        ? html`<section>
            <h3>Fill</h3>
            <div class="row" role="group" aria-label="Fill">
              <button type="button" class="toggle" aria-pressed=${!values.fill} @click=${() => this.emit({ kind: 'fill', fill: false })}>None</button>
              <button type="button" class="toggle" aria-pressed=${values.fill} @click=${() => this.emit({ kind: 'fill', fill: true })}>Tinted</button>
            </div>
          </section>`
        : nothing}
      ${controls.font
        ? html`<section role="group" aria-label="Font size">
            <h3>Font size</h3>
            <div class="row">
              ${FONT_SIZES.map(
                (size) => html`<button
                  type="button"
                  class="font"
                  aria-label=${`${size.name} text`}
                  title=${`${size.name} text (${size.value})`}
                  aria-pressed=${values.fontSize === size.value}
                  @click=${() => this.emit({ kind: 'font', size: size.value })}
                >
                  ${size.name === 'Extra large' ? 'XL' : size.name[0]}
                </button>`,
              )}
            </div>
          </section>`
        : nothing}
      <section>
        <h3 id="opacity-label">Opacity</h3>
        <div class="opacity">
          <input
            type="range"
            min="10"
            max="100"
            step="10"
            aria-labelledby="opacity-label"
            .value=${String(Math.round(values.opacity * 100))}
            @change=${(event: Event) => this.emit({ kind: 'opacity', opacity: Number((event.target as HTMLInputElement).value) / 100 })}
          />
          <span>${Math.round(values.opacity * 100)}%</span>
        </div>
      </section>
      ${controls.arrange ? this.renderArrange() : nothing}
    `
  }

  private renderColors() {
    return html`<section role="group" aria-label="Colour">
      <h3>Colour</h3>
      <div class="row">
        ${PALETTE.map(
          (color) => html`<button
            type="button"
            class="swatch"
            aria-label=${color.name}
            title=${color.name}
            aria-pressed=${this.values.color === color.value}
            style=${`--swatch:${displayColor(color.value, this.dark)}`}
            @click=${() => this.emit({ kind: 'color', color: color.value })}
          >
            <span></span>
          </button>`,
        )}
      </div>
    </section>`
  }

  private renderNoteColors() {
    return html`<section role="group" aria-label="Note colour">
      <h3>Note colour</h3>
      <div class="row">
        ${NOTE_COLORS.map(
          (color) => html`<button
            type="button"
            class="swatch note"
            aria-label=${`${color.name} note`}
            title=${`${color.name} note`}
            aria-pressed=${this.values.noteColor === color.value}
            style=${`--swatch:${color.value}`}
            @click=${() => this.emit({ kind: 'note', color: color.value })}
          >
            <span></span>
          </button>`,
        )}
      </div>
    </section>`
  }

  private renderArrange() {
    return html`<section>
      <h3>Layers</h3>
      <div class="row" role="group" aria-label="Layers">
        ${REORDER_ACTIONS.map(
          (action) => html`<button
            type="button"
            aria-label=${action.label}
            title=${`${action.label} — ${REORDER_SHORTCUTS[action.to]}`}
            @click=${() => this.emit({ kind: 'reorder', to: action.to })}
          >
            ${action.icon}
          </button>`,
        )}
      </div>
      <h3 style="margin-top:8px">Actions</h3>
      <div class="row">
        <button type="button" aria-label="Duplicate" title=${`Duplicate — ${DUPLICATE_SHORTCUT}`} @click=${() => this.emit({ kind: 'duplicate' })}>
          ${duplicateIcon}
        </button>
        <button type="button" class="danger" aria-label="Delete" title=${`Delete — ${DELETE_SHORTCUT}`} @click=${() => this.emit({ kind: 'delete' })}>
          ${trashIcon}
        </button>
      </div>
    </section>`
  }

  private emit(detail: StyleEvent): void {
    this.dispatchEvent(new CustomEvent<StyleEvent>('style', { detail }))
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-style-panel': MeshStylePanel
  }
}
