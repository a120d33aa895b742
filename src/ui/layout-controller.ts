/**
 * How the board lays its controls out for its size: wide (the toolbar at the top), or compact (a
 * phone, a tablet, a small embed: the toolbar along the bottom, the voice button an icon), and
 * stacked when even the status, view controls and voice need two rows. It also tells the board's
 * styles, as --mesh-bottom-space, how much of the bottom its controls take.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'

/**
 * Compact: narrower than this (a small embed, a phone held upright), or with fingers (touch-sized
 * buttons take more room) narrower or lower than these (a tablet, a phone on its side).
 */
const COMPACT_BOARD_WIDTH = 600
const COMPACT_TOUCH_WIDTH = 1100
const COMPACT_TOUCH_HEIGHT = 500
/** Compact and narrower than this (with fingers: STACKED_TOUCH_WIDTH), the view controls take a row of their own. */
const STACKED_WIDTH = 480
const STACKED_TOUCH_WIDTH = 700

export class LayoutController implements ReactiveController {
  compact = false
  stacked = false
  private readonly observer = new ResizeObserver(() => this.measure())

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** The column of controls along the board's bottom, once rendered. */
    private readonly bottomStack: () => HTMLElement | null,
  ) {
    host.addController(this)
  }

  /** Whether the bottom controls are watched too (once rendered: their height counts). */
  private watchingStack = false

  hostConnected(): void {
    this.observer.observe(this.host)
  }

  hostUpdated(): void {
    const stack = this.bottomStack()
    if (stack && !this.watchingStack) {
      this.watchingStack = true
      this.observer.observe(stack)
    }
  }

  hostDisconnected(): void {
    this.observer.disconnect()
    this.watchingStack = false
  }

  private measure(): void {
    const { clientWidth: width, clientHeight: height } = this.host
    const touch = matchMedia('(pointer: coarse)').matches
    const compact = width > 0 && (width < COMPACT_BOARD_WIDTH || (touch && (width < COMPACT_TOUCH_WIDTH || height < COMPACT_TOUCH_HEIGHT)))
    const stacked = compact && width < (touch ? STACKED_TOUCH_WIDTH : STACKED_WIDTH)
    if (compact !== this.compact || stacked !== this.stacked) {
      this.compact = compact
      this.stacked = stacked
      this.host.requestUpdate()
    }
    const stack = this.bottomStack()
    if (stack) this.host.style.setProperty('--mesh-bottom-space', `${stack.offsetHeight + 12}px`)
  }
}
