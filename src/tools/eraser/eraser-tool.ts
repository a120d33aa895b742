/**
 * Eraser: drag over ink; every shape it touches is shown fading while the button is down and
 * removed, all in one undo step, when it is released. States `idle` and `erasing`.
 */
import type { ShapeId } from '../../model/ids'
import { deleteShapes } from '../../model/ops'
import type { Point } from '../../render/camera'
import type { BoardPointer, Tool, ToolContext } from '../tool'

/** How close (screen pixels) the pointer must come to ink to take it. */
export const ERASER_RADIUS_PX = 8

type EraserState = { kind: 'idle' } | { kind: 'erasing'; pointerId: number; touched: Set<ShapeId>; last: Point }

export class EraserTool implements Tool {
  readonly name = 'eraser' as const
  readonly cursor = 'cell'
  private state: EraserState = { kind: 'idle' }

  constructor(private readonly context: ToolContext) {}

  onPointerDown(pointer: BoardPointer): void {
    if (pointer.button !== 0 || this.state.kind === 'erasing') return
    this.state = { kind: 'erasing', pointerId: pointer.pointerId, touched: new Set(), last: pointer.board }
    this.touch(pointer.board)
  }

  onPointerMove(pointer: BoardPointer): void {
    if (this.state.kind === 'erasing' && pointer.pointerId === this.state.pointerId) this.touch(pointer.board)
  }

  onPointerUp(pointer: BoardPointer): void {
    const state = this.state
    if (state.kind !== 'erasing' || pointer.pointerId !== state.pointerId) return
    this.state = { kind: 'idle' }
    this.context.previewErase(new Set())
    if (state.touched.size === 0) return
    this.context.history.beginGesture()
    deleteShapes(this.context.doc, state.touched)
  }

  onCancel(): void {
    // An interrupted erase removes nothing: erasing is the one gesture worth being sure of.
    this.state = { kind: 'idle' }
    this.context.previewErase(new Set())
  }

  onInterrupt(): void {
    this.onCancel()
  }

  /** Takes what lies along the way from the last point, so a fast swipe misses nothing. */
  private touch(point: Point): void {
    const state = this.state
    if (state.kind !== 'erasing') return
    const radius = ERASER_RADIUS_PX / this.context.viewport.camera.scale
    const distance = Math.hypot(point.x - state.last.x, point.y - state.last.y)
    const steps = Math.max(1, Math.ceil(distance / radius))
    const before = state.touched.size
    for (let i = 1; i <= steps; i++) {
      const t = i / steps
      const sample = { x: state.last.x + (point.x - state.last.x) * t, y: state.last.y + (point.y - state.last.y) * t }
      for (const id of this.context.shapesNear(sample, radius)) state.touched.add(id)
    }
    state.last = point
    if (state.touched.size !== before) this.context.previewErase(state.touched)
  }
}
