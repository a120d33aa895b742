/** The highlighter is a pen with a wide, even, translucent felt tip. */
export const HIGHLIGHTER_OPACITY = 0.35
const HIGHLIGHTER_MIN_WIDTH = 12

/**
 * Pen (and highlighter): states `idle` and `drawing`. Points are buffered as they arrive (coalesced events included)
 * and written at most once per animation frame, so peers see the stroke grow (DESIGN.md §3).
 */
import { StrokeWriter } from '../../model/stroke-writer'
import type { BoardPointer, Tool, ToolContext } from '../tool'

type PenState = { kind: 'idle' } | { kind: 'drawing'; pointerId: number; writer: StrokeWriter; frame: number }

export class PenTool implements Tool {
  readonly cursor = 'crosshair'
  private state: PenState = { kind: 'idle' }

  constructor(
    private readonly context: ToolContext,
    readonly name: 'pen' | 'highlighter' = 'pen',
  ) {}

  onPointerDown(pointer: BoardPointer): void {
    if (pointer.button !== 0 || this.state.kind === 'drawing') return
    this.context.history.beginGesture()
    const { x, y } = pointer.board
    const style = this.context.style()
    const highlight = this.name === 'highlighter'
    const writer = new StrokeWriter(
      this.context.doc,
      x,
      y,
      highlight ? null : pointer.pressure,
      highlight ? { ...style, strokeWidth: Math.max(HIGHLIGHTER_MIN_WIDTH, style.strokeWidth * 3), opacity: HIGHLIGHTER_OPACITY } : style,
      highlight,
    )
    this.state = { kind: 'drawing', pointerId: pointer.pointerId, writer, frame: 0 }
  }

  onPointerMove(pointer: BoardPointer): void {
    const state = this.state
    if (state.kind !== 'drawing' || pointer.pointerId !== state.pointerId) return
    state.writer.add(pointer.board.x, pointer.board.y, pointer.pressure)
    if (state.frame === 0) {
      state.frame = requestAnimationFrame(() => {
        state.frame = 0
        state.writer.flush()
      })
    }
  }

  onPointerUp(pointer: BoardPointer): void {
    if (this.state.kind === 'drawing' && pointer.pointerId === this.state.pointerId) this.finish()
  }

  onCancel(): void {
    // What was drawn so far stays: losing half a stroke to a stray touch would be worse.
    this.finish()
  }

  private finish(): void {
    const state = this.state
    if (state.kind !== 'drawing') return
    cancelAnimationFrame(state.frame)
    state.writer.finish()
    this.state = { kind: 'idle' }
  }
}
