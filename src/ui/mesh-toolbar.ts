/** The board's toolbar: the tools, undo and redo. Emits internal (non-composed) events. */
import { LitElement, css, html } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { localized, msg } from '@lit/localize'
import { shortcutFor, tooltipOf, type BoardAction } from '../editor/actions'
import type { ToolName } from '../tools/tool'
import { redoIcon, undoIcon } from './icons'
import { iconButtonStyles, panelStyles } from './panel-styles'
import { TOOL_CATALOG } from './tool-catalog'
import { emit } from './mesh-events'

/** What the toolbar asks for: a board action, the same as its keyboard shortcut. */
export type ToolbarEvent = BoardAction

@localized()
@customElement('mesh-toolbar')
export class MeshToolbar extends LitElement {
  @property() tool: ToolName = 'pen'
  @property({ type: Boolean, attribute: 'can-undo' }) canUndo = false
  @property({ type: Boolean, attribute: 'can-redo' }) canRedo = false
  /** Along the bottom of a narrow board: every button in rows across its width, no divider. */
  @property({ type: Boolean, reflect: true }) compact = false

  static override styles = [
    panelStyles,
    iconButtonStyles,
    css`
      :host {
        display: flex;
        align-items: center;
        gap: 4px;
        padding: 6px;
        border-radius: 12px;
        background: var(--mesh-panel-background, #ffffff);
        color: var(--mesh-panel-color, #1e1e1e);
        box-shadow: 0 1px 3px rgb(0 0 0 / 12%), 0 6px 20px rgb(0 0 0 / 8%);
        font: var(--mesh-font, 13px/1.3 system-ui, sans-serif);
        user-select: none;
        box-sizing: border-box;
        max-width: 100%;
        /* On a narrow board the groups wrap onto a second row rather than cover the other panels. */
        flex-wrap: wrap;
        justify-content: center;
        row-gap: 2px;
      }
      [role='group'] {
        display: flex;
        flex-wrap: wrap;
        justify-content: center;
        align-items: center;
        gap: 2px;
      }
      .divider {
        width: 1px;
        align-self: stretch;
        margin: 4px 4px;
        background: rgb(0 0 0 / 10%);
      }
      button {
        width: 34px;
        height: 34px;
      }
      :host([compact]) {
        width: 100%;
        gap: 0;
        padding: 4px;
        justify-content: space-evenly;
      }
      :host([compact]) [role='group'] {
        display: contents;
      }
      :host([compact]) .divider {
        display: none;
      }
      button:disabled {
        opacity: 0.35;
        cursor: default;
        background: transparent;
      }
    `,
  ]

  override render() {
    return html`
      <div role="group" aria-label=${msg('Tools', { id: 'toolbar.tools', desc: "the toolbar's group of drawing tools" })}>
        ${TOOL_CATALOG.map(
          (tool) => html`<button
            type="button"
            aria-label=${tool.label}
            title=${tool.tooltip}
            aria-pressed=${this.tool === tool.name}
            @click=${() => this.emit({ kind: 'tool', tool: tool.name })}
          >
            ${tool.icon}
          </button>`,
        )}
      </div>
      <div class="divider"></div>
      <div role="group" aria-label=${msg('Undo and redo', { id: 'toolbar.history', desc: "the toolbar's group of the undo and redo buttons" })}>
        <button type="button" aria-label=${shortcutFor({ kind: 'undo' }).label} title=${tooltipOf({ kind: 'undo' })} ?disabled=${!this.canUndo} @click=${() => this.emit({ kind: 'undo' })}>
          ${undoIcon}
        </button>
        <button type="button" aria-label=${shortcutFor({ kind: 'redo' }).label} title=${tooltipOf({ kind: 'redo' })} ?disabled=${!this.canRedo} @click=${() => this.emit({ kind: 'redo' })}>
          ${redoIcon}
        </button>
      </div>
    `
  }

  private emit(detail: ToolbarEvent): void {
    emit<ToolbarEvent>(this, 'meshui-toolbar', detail)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-toolbar': MeshToolbar
  }
}
