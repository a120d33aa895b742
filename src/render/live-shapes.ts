/**
 * The shapes changing right now (a stroke being drawn, here or by a peer; a shape being dragged),
 * drawn on a layer of their own above the tiles instead of into them (DESIGN.md §4, "Big boards").
 *
 * Drawn into the tiles, every point of a growing stroke outdated the tiles under it, and a tile of
 * a dense board (thousands of strokes with the whole board in view) takes many frames' budgets to
 * draw again: each new point started it over, so the stroke showed only once the pen stopped. On
 * this layer a frame draws the changing shapes alone, whatever the board holds.
 *
 * A shape goes live when it changes again soon after a change (a stroke growing, a shape dragged:
 * not a board opening, a paste or an undo), while it lies above everything it meets (drawn over
 * the tiles, it must not cover what is above it), and while few shapes change at once (not a
 * board arriving). Once it has not changed for a while it settles: the tiles take it, and it is
 * shown here until the tiles in view show it.
 */
import type { SceneCanvas } from 'konva/lib/Canvas'
import { compareZ, type Shape } from '../model/shapes'
import { Konva } from './konva'

/** How long a live shape stays unchanged before the tiles take it: a stroke or drag is over (a pause within one is usually shorter). */
export const LIVE_QUIET_MS = 500
/** At most this many shapes are live at once: beyond a few strokes and a small selection, the tiles serve. */
const MAX_LIVE = 16

export interface LiveShapesHooks {
  /** The shape with this id as it is now; undefined once it is gone. */
  shapeOf(id: string): Shape | undefined
  /** Draws one shape onto a canvas whose transform maps board units to its pixels. */
  draw(shape: Shape, canvas: SceneCanvas): void
  /** Some live shape has stayed unchanged for LIVE_QUIET_MS: time to settle it. */
  onQuiet(): void
}

export class LiveShapes {
  /** The shapes the tiles leave out, each with the time it last changed. */
  private readonly changedAt = new Map<string, number>()
  /** Shapes the tiles draw again, shown here until the tiles in view show them. */
  private readonly settlingIds = new Set<string>()
  /** Shapes not live that changed alone lately, with the time: a second change makes them live. */
  private readonly lastChange = new Map<string, number>()
  private readonly node: Konva.Shape
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly layer: Konva.Layer,
    private readonly hooks: LiveShapesHooks,
  ) {
    this.node = new Konva.Shape({ listening: false, perfectDrawEnabled: false, sceneFunc: () => this.drawAll() })
    layer.add(this.node)
  }

  /** Whether the tiles leave this shape out: it is drawn here. */
  has(id: string): boolean {
    return this.changedAt.has(id)
  }

  /** The live shapes' ids. */
  get ids(): Iterable<string> {
    return this.changedAt.keys()
  }

  /** Shapes on this layer, live or settling: while there are any, the tiles are not the whole board. */
  get size(): number {
    return this.changedAt.size + this.settlingIds.size
  }

  /** Whether one more shape may go live. */
  get hasRoom(): boolean {
    return this.changedAt.size < MAX_LIVE
  }

  /** The shape changed (among few) at `now`: whether it changed within LIVE_QUIET_MS before, so it is changing right now. */
  keepsChanging(id: string, now: number): boolean {
    for (const [other, at] of this.lastChange) if (now - at >= LIVE_QUIET_MS) this.lastChange.delete(other)
    const changing = this.changedAt.has(id) || this.lastChange.has(id)
    this.lastChange.set(id, now)
    return changing
  }

  /** The shape just changed and is drawn here from now on, the tiles leaving it out. */
  take(id: string, now: number): void {
    this.lastChange.delete(id)
    this.changedAt.set(id, now)
    this.settlingIds.delete(id)
    this.timer ??= setTimeout(() => this.quietCheck(), LIVE_QUIET_MS)
  }

  /** The tiles draw the shape again; it is shown here until they show it (`settled`). */
  release(id: string): void {
    if (this.changedAt.delete(id)) this.settlingIds.add(id)
  }

  /** The shape is gone from the board. */
  forget(id: string): void {
    this.changedAt.delete(id)
    this.settlingIds.delete(id)
  }

  /** Live shapes unchanged for LIVE_QUIET_MS by `now`. */
  quiet(now: number): string[] {
    return [...this.changedAt].filter(([, at]) => now - at >= LIVE_QUIET_MS).map(([id]) => id)
  }

  /** The shapes waiting for the tiles to show them. */
  get settling(): Iterable<string> {
    return this.settlingIds
  }

  /** The tiles in view show the shape: it leaves this layer. */
  settled(id: string): void {
    this.settlingIds.delete(id)
  }

  /** Draws the layer now, in the frame being drawn, so the change shows in it. */
  redraw(): void {
    this.layer.draw()
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer)
    this.node.destroy()
  }

  private quietCheck(): void {
    this.timer = null
    if (this.changedAt.size === 0) return
    const now = performance.now()
    if (this.quiet(now).length > 0) this.hooks.onQuiet()
    // The next one to fall quiet (the projector settles these in its next draw).
    const next = Math.min(...this.changedAt.values()) + LIVE_QUIET_MS - now
    this.timer = setTimeout(() => this.quietCheck(), Math.max(next, 16))
  }

  private drawAll(): void {
    const canvas = this.layer.getCanvas()
    const shapes: Shape[] = []
    for (const id of [...this.changedAt.keys(), ...this.settlingIds]) {
      const shape = this.hooks.shapeOf(id)
      if (shape) shapes.push(shape)
    }
    for (const shape of shapes.sort(compareZ)) this.hooks.draw(shape, canvas)
  }
}
