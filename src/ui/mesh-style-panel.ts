/**
 * The style panel: colour, stroke width, fill, note colour, font size and opacity of the selection
 * or, with nothing selected, of the next shape the active tool makes; with a selection also its
 * layer order, duplicate and delete. Shows only the controls that apply (style-target.ts).
 *
 * Emits internal `meshui-style` events (a StyleChange: the style vocabulary of model/shape-spec.ts)
 * and `meshui-action` events (a BoardAction: reorder, duplicate, delete).
 */
import { LitElement, css, html, nothing } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { localized, msg, str } from '@lit/localize'
import { shortcutFor, tooltipOf, type BoardAction } from '../editor/actions'
import type { Style, StyleChange, StyleKey } from '../model/shape-spec'
import type { Reorder } from '../model/z-order'
import { formatNumber, formatPercent } from '../i18n/format'
import { displayColor } from '../render/ink'
import { backIcon, backwardIcon, duplicateIcon, forwardIcon, frontIcon, trashIcon } from './icons'
import { emit } from './mesh-events'
import { FONT_SIZES, NOTE_COLORS, PALETTE, WIDTHS } from './palette'
import { iconButtonStyles, panelStyles } from './panel-styles'
import type { StyleTarget } from './style-target'

/** The layer buttons, in the order they stand (their names and keys are the actions table's). */
const REORDER_ACTIONS: readonly { to: Reorder; icon: unknown }[] = [
  { to: 'back', icon: backIcon },
  { to: 'backward', icon: backwardIcon },
  { to: 'forward', icon: forwardIcon },
  { to: 'front', icon: frontIcon },
]

@localized()
@customElement('mesh-style-panel')
export class MeshStylePanel extends LitElement {
  /** What is styled (style-target.ts). */
  @property({ attribute: false }) target: StyleTarget | null = null
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
    const target = this.target
    if (!target) return nothing
    const { values } = target
    const offers = (key: StyleKey) => target.styles.includes(key)
    const strokeWidth = msg('Stroke width', { id: 'style.stroke-width', desc: 'heading in the style panel: how thick lines are drawn' })
    const fill = msg('Fill', { id: 'style.fill', desc: 'heading in the style panel: whether shapes are filled with a tint of their colour' })
    const fontSize = msg('Font size', { id: 'style.font-size', desc: 'heading in the style panel' })
    return html`
      ${offers('color') ? this.renderColors(values) : nothing} ${offers('noteColor') ? this.renderNoteColors(values) : nothing}
      ${offers('strokeWidth')
        ? html`<section role="group" aria-label=${strokeWidth}>
            <h3>${strokeWidth}</h3>
            <div class="row">
              ${WIDTHS.map(
                (width) => html`<button
                  type="button"
                  class="width"
                  aria-label=${width.name}
                  title=${width.name}
                  aria-pressed=${values.strokeWidth === width.value}
                  style=${`--thickness:${Math.min(10, 1 + width.value * 0.55)}px`}
                  @click=${() => this.choose({ key: 'strokeWidth', value: width.value })}
                >
                  <span></span>
                </button>`,
              )}
            </div>
          </section>`
        : nothing}
      ${offers('fill')
        ? html`<section>
            <h3>${fill}</h3>
            <div class="row" role="group" aria-label=${fill}>
              <button type="button" class="toggle" aria-pressed=${!values.fill} @click=${() => this.choose({ key: 'fill', value: false })}>
                ${msg('None', { id: 'style.fill.none', desc: 'a fill button in the style panel: shapes are not filled' })}
              </button>
              <button type="button" class="toggle" aria-pressed=${values.fill} @click=${() => this.choose({ key: 'fill', value: true })}>
                ${msg('Tinted', { id: 'style.fill.tinted', desc: 'a fill button in the style panel: shapes are filled with a light tint of their colour' })}
              </button>
            </div>
          </section>`
        : nothing}
      ${offers('fontSize')
        ? html`<section role="group" aria-label=${fontSize}>
            <h3>${fontSize}</h3>
            <div class="row">
              ${FONT_SIZES.map((size) => {
                const name = size.name
                const points = formatNumber(size.value)
                return html`<button
                  type="button"
                  class="font"
                  aria-label=${name}
                  title=${msg(str`${name} (${points})`, { id: 'style.font-size.tooltip', desc: 'tooltip of a font size button: its name ("Small text") and the size' })}
                  aria-pressed=${values.fontSize === size.value}
                  @click=${() => this.choose({ key: 'fontSize', value: size.value })}
                >
                  ${size.short}
                </button>`
              })}
            </div>
          </section>`
        : nothing}
      ${offers('opacity') ? this.renderOpacity(values) : nothing} ${target.arrange ? this.renderArrange() : nothing}
    `
  }

  private renderOpacity(values: Style) {
    return html`<section>
        <h3 id="opacity-label">${msg('Opacity', { id: 'style.opacity', desc: 'heading in the style panel: how see-through shapes are' })}</h3>
        <div class="opacity">
          <input
            type="range"
            min="10"
            max="100"
            step="10"
            aria-labelledby="opacity-label"
            .value=${String(Math.round(values.opacity * 100))}
            @change=${(event: Event) => this.choose({ key: 'opacity', value: Number((event.target as HTMLInputElement).value) / 100 })}
          />
          <span>${formatPercent(values.opacity)}</span>
        </div>
      </section>`
  }

  private renderColors(values: Style) {
    const colour = msg('Colour', { id: 'style.color', desc: 'heading in the style panel: the colour of lines, shapes and text' })
    return html`<section role="group" aria-label=${colour}>
      <h3>${colour}</h3>
      <div class="row">
        ${PALETTE.map(
          (color) => html`<button
            type="button"
            class="swatch"
            aria-label=${color.name}
            title=${color.name}
            aria-pressed=${values.color === color.value}
            style=${`--swatch:${displayColor(color.value, this.dark)}`}
            @click=${() => this.choose({ key: 'color', value: color.value })}
          >
            <span></span>
          </button>`,
        )}
      </div>
    </section>`
  }

  private renderNoteColors(values: Style) {
    const noteColour = msg('Note colour', { id: 'style.note-color', desc: 'heading in the style panel: the colour of sticky notes' })
    return html`<section role="group" aria-label=${noteColour}>
      <h3>${noteColour}</h3>
      <div class="row">
        ${NOTE_COLORS.map(
          (color) => html`<button
            type="button"
            class="swatch note"
            aria-label=${color.name}
            title=${color.name}
            aria-pressed=${values.noteColor === color.value}
            style=${`--swatch:${color.value}`}
            @click=${() => this.choose({ key: 'noteColor', value: color.value })}
          >
            <span></span>
          </button>`,
        )}
      </div>
    </section>`
  }

  private renderArrange() {
    const layers = msg('Layers', { id: 'style.layers', desc: 'heading in the style panel: buttons that change which shapes are drawn above which' })
    return html`<section>
      <h3>${layers}</h3>
      <div class="row" role="group" aria-label=${layers}>
        ${REORDER_ACTIONS.map(({ to, icon }) => {
          const action: BoardAction = { kind: 'reorder', to }
          return html`<button type="button" aria-label=${shortcutFor(action).label} title=${tooltipOf(action)} @click=${() => this.act(action)}>${icon}</button>`
        })}
      </div>
      <h3 style="margin-top:8px">${msg('Actions', { id: 'style.actions', desc: 'heading in the style panel: the duplicate and delete buttons' })}</h3>
      <div class="row">
        <button type="button" aria-label=${shortcutFor({ kind: 'duplicate' }).label} title=${tooltipOf({ kind: 'duplicate' })} @click=${() => this.act({ kind: 'duplicate' })}>
          ${duplicateIcon}
        </button>
        <button type="button" class="danger" aria-label=${shortcutFor({ kind: 'delete' }).label} title=${tooltipOf({ kind: 'delete' })} @click=${() => this.act({ kind: 'delete' })}>
          ${trashIcon}
        </button>
      </div>
    </section>`
  }

  private choose(change: StyleChange): void {
    emit<StyleChange>(this, 'meshui-style', change)
  }

  private act(action: BoardAction): void {
    emit<BoardAction>(this, 'meshui-action', action)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-style-panel': MeshStylePanel
  }
}
