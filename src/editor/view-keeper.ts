/**
 * Keeps the board's view with the board on this device, and gives it back when the board is
 * opened again (render/kept-view.ts). A second after the view settles with something new in it
 * (a change of the board, other tiles in view, another theme), the view is kept anew: tile images
 * are encoded while the page idles, and one record per board is replaced.
 */
import { keptViewOf, restorableView } from '../render/kept-view'
import type { ShapeDrawing } from '../render/board-surface'
import type { BoardSession } from './board-session'

/** How long the view stays settled before it is kept: a gesture, pan or burst of changes is over. */
export const KEEP_AFTER_MS = 1000
/**
 * How long the board's changes and tiles wait for the kept view at most. Reading it takes
 * milliseconds beside the board; a storage that does not answer must not keep a board arriving
 * from peers from being drawn. Should the view come later, what is not applied yet still uses it.
 */
const RESTORE_WAIT_MS = 3000

type Keeping = Pick<BoardSession, 'readKeptView' | 'whenStoreLoaded' | 'keepView'>

export class ViewKeeper {
  private timer: ReturnType<typeof setTimeout> | undefined
  /** What the last kept (or restored) view showed: the board's change count, theme and tiles. */
  private keptKey: string | null = null
  private waiting = true
  private readonly waitedFrom = performance.now()
  private destroyed = false

  constructor(
    private readonly projector: ShapeDrawing,
    private readonly session: Keeping,
  ) {
    void this.restore()
  }

  /** Whether the kept view is still being read and decoded, or the board loaded: changes and tiles wait for it. */
  get restoring(): boolean {
    return this.waiting && performance.now() - this.waitedFrom < RESTORE_WAIT_MS
  }

  /** The view settled: keep it soon, unless it settles again first. */
  settled(): void {
    if (this.waiting || this.destroyed) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.keep(), KEEP_AFTER_MS)
  }

  destroy(): void {
    this.destroyed = true
    clearTimeout(this.timer)
  }

  /** Shows the kept view if it is of the board as stored; decoding its images while the board loads. */
  private async restore(): Promise<void> {
    try {
      const view = this.session.readKeptView().then(restorableView)
      await this.session.whenStoreLoaded()
      const restorable = await view
      if (!restorable) return
      if (!this.destroyed && this.projector.restore(restorable)) this.keptKey = this.keyOf(restorable.dark, restorable.tiles)
      // The tiles have copied what they show: the decoded images are pixel memory for nothing.
      for (const { image } of restorable.tiles.tiles) image?.close()
    } catch {
      // A kept view only gives a head start: without it the board is drawn as usual.
    } finally {
      this.waiting = false
      this.settled()
    }
  }

  private async keep(): Promise<void> {
    const view = this.projector.viewToKeep()
    if (!view) return
    const key = this.keyOf(view.dark, view.tiles)
    if (key === this.keptKey) return
    this.keptKey = key
    const kept = await keptViewOf(view).catch(() => null)
    if (kept && !this.destroyed) await this.session.keepView(kept)
  }

  private keyOf(dark: boolean, tiles: { level: number; tiles: readonly { tx: number; ty: number }[] }): string {
    const at = tiles.tiles.map(({ tx, ty }) => `${tx},${ty}`).sort().join(' ')
    return `${this.projector.changes} ${dark} ${tiles.level} ${at}`
  }
}
