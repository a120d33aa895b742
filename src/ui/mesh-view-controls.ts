/** Zoom out / level / in / fit, the grid, the theme and the shortcut list, in one small panel. */
import { LitElement, css, html } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { localized, msg, str } from '@lit/localize'
import { formatPercent } from '../i18n/format'
import { shortcutFor, tooltipOf, type BoardAction } from '../editor/actions'
import { fitIcon, gridIcon, helpIcon, minusIcon, moonIcon, plusIcon, sunIcon } from './icons'
import { iconButtonStyles, panelStyles } from './panel-styles'
import { emit } from './mesh-events'

export type ViewEvent = BoardAction | { kind: 'toggle-theme' }

@localized()
@customElement('mesh-view-controls')
export class MeshViewControls extends LitElement {
  /** The camera's scale (1 = 100%). */
  @property({ type: Number }) zoom = 1
  @property({ type: Boolean }) grid = false
  @property({ type: Boolean }) dark = false

  static override styles = [
    panelStyles,
    iconButtonStyles,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        gap: 2px;
        padding: 4px;
        border-radius: 12px;
      }
      button {
        height: 32px;
        min-width: 32px;
        padding: 0 4px;
      }
      .level {
        min-width: 52px;
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
      .divider {
        width: 1px;
        align-self: stretch;
        margin: 4px 2px;
        background: rgb(0 0 0 / 10%);
      }
    `,
  ]

  override render() {
    const level = formatPercent(this.zoom)
    const theme = this.dark
      ? msg('Light theme', { id: 'view.theme.light', desc: 'a button: switch the board to light colours' })
      : msg('Dark theme', { id: 'view.theme.dark', desc: 'a button: switch the board to dark colours' })
    return html`
      <button aria-label=${shortcutFor({ kind: 'zoom', to: 'out' }).label} title=${tooltipOf({ kind: 'zoom', to: 'out' })} @click=${() => this.emit({ kind: 'zoom', to: 'out' })}>${minusIcon}</button>
      <button
        class="level"
        aria-label=${msg(str`Zoom ${level}, reset to 100%`, { id: 'view.zoom-level', desc: 'the button that shows the zoom level (a percentage) and resets it to 100%' })}
        title=${tooltipOf({ kind: 'zoom', to: 'reset' })}
        @click=${() => this.emit({ kind: 'zoom', to: 'reset' })}
      >
        ${level}
      </button>
      <button aria-label=${shortcutFor({ kind: 'zoom', to: 'in' }).label} title=${tooltipOf({ kind: 'zoom', to: 'in' })} @click=${() => this.emit({ kind: 'zoom', to: 'in' })}>${plusIcon}</button>
      <button aria-label=${shortcutFor({ kind: 'zoom', to: 'fit' }).label} title=${tooltipOf({ kind: 'zoom', to: 'fit' })} @click=${() => this.emit({ kind: 'zoom', to: 'fit' })}>${fitIcon}</button>
      <span class="divider"></span>
      <button aria-label=${shortcutFor({ kind: 'toggle-grid' }).label} aria-pressed=${this.grid} title=${tooltipOf({ kind: 'toggle-grid' })} @click=${() => this.emit({ kind: 'toggle-grid' })}>
        ${gridIcon}
      </button>
      <button aria-label=${theme} title=${theme} @click=${() => this.emit({ kind: 'toggle-theme' })}>${this.dark ? sunIcon : moonIcon}</button>
      <button aria-label=${shortcutFor({ kind: 'help' }).label} title=${tooltipOf({ kind: 'help' })} @click=${() => this.emit({ kind: 'help' })}>${helpIcon}</button>
    `
  }

  private emit(detail: ViewEvent): void {
    emit<ViewEvent>(this, 'meshui-view', detail)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-view-controls': MeshViewControls
  }
}
