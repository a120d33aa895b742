/**
 * The next shape's style and the style panel, for `<mesh-board>`: the user's choices (remembered on
 * this device for every board, with the grid), whether the panel is shown, and a choice made in it,
 * which is remembered and applied to the selection in the same vocabulary (model/shape-spec.ts).
 */
import { html, type ReactiveControllerHost } from 'lit'
import { msg } from '@lit/localize'
import type { BoardAction } from '../editor/actions'
import type { BoardEditor } from '../editor/board-editor'
import { withStyle, type StyleChange } from '../model/shape-spec'
import { loadPreferences, savePreferences, type Preferences } from './preferences'
import { styleTarget, swatchOf, type StyleTarget } from './style-target'
import './mesh-style-panel'

/** Boards narrower than this (embeds) start with the style panel closed: it would cover too much. */
const COMPACT_BOARD_WIDTH = 720

export interface StyleHost {
  readonly editor: BoardEditor
  /** Whether the board offers styling at all (a toolbar, and not read-only). */
  readonly styleable: boolean
  readonly dark: boolean
  /** The board's width in pixels; Infinity before it is laid out. */
  readonly width: number
  /** The board lays its controls out compact (a phone, a tablet, a small embed): the panel starts closed. */
  readonly compact: boolean
  /** A button of the panel (layer order, duplicate, delete). */
  onAction(action: BoardAction): void
  /** The preferences changed: the grid may have. */
  onPreferences(): void
}

export class StyleController {
  private current: Preferences = loadPreferences()
  /** Whether the panel is open, once the user chose; null: by the board's size. */
  private open: boolean | null = null

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly board: StyleHost,
  ) {}

  get preferences(): Preferences {
    return this.current
  }

  setPreferences(change: Partial<Preferences>): void {
    this.current = { ...this.current, ...change }
    savePreferences(this.current)
    this.board.onPreferences()
    this.host.requestUpdate()
  }

  /** What the panel edits: the selection or, with nothing selected, what the active tool makes. */
  target(): StyleTarget | null {
    if (!this.board.styleable) return null
    const editor = this.board.editor
    return styleTarget(editor.selectedShapes(), editor.tool, this.current)
  }

  /** The panel, when open and there is something to style. */
  renderPanel(target: StyleTarget | null) {
    if (!target || !this.shown()) return ''
    return html`<mesh-style-panel
      part="style"
      .target=${target}
      .dark=${this.board.dark}
      @meshui-style=${(event: CustomEvent<StyleChange>) => this.choose(event.detail)}
      @meshui-action=${(event: CustomEvent<BoardAction>) => this.board.onAction(event.detail)}
    ></mesh-style-panel>`
  }

  /** The button that shows and hides the panel, with the current colour on it. */
  renderToggle(target: StyleTarget | null) {
    if (!target) return ''
    const shown = this.shown()
    return html`<button
      class="style-toggle"
      aria-label=${msg('Style panel', { id: 'style.panel', desc: 'a toggle button that shows or hides the style panel' })}
      title=${shown
        ? msg('Hide the style panel', { id: 'style.panel.hide' })
        : msg('Colour, width, fill, font size and opacity', { id: 'style.panel.show', desc: 'tooltip of the button that shows the style panel: what the panel sets' })}
      aria-pressed=${shown}
      style=${`--swatch:${swatchOf(target, this.board.dark)}`}
      @click=${() => this.toggle(!shown)}
    >
      <span></span>
    </button>`
  }

  /** A choice in the panel: remembered for the next shape, and applied to the selection if there is one. */
  private choose(change: StyleChange): void {
    this.setPreferences(withStyle(this.current, change))
    this.board.editor.commands?.style(change)
  }

  private toggle(open: boolean): void {
    this.open = open
    this.host.requestUpdate()
  }

  /** Open unless the user closed it; on a small board (an embed) closed until opened. */
  private shown(): boolean {
    return this.open ?? (!this.board.compact && this.board.width >= COMPACT_BOARD_WIDTH)
  }
}
