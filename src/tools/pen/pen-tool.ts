/** The highlighter is a pen with a wide, even, translucent felt tip. */
export const HIGHLIGHTER_OPACITY = 0.35
const HIGHLIGHTER_MIN_WIDTH = 12

/**
 * Pen (and highlighter): states `idle` and `drawing`. Points are buffered as they arrive (coalesced
 * events included) and written on the input module's frame tick, so peers see the stroke grow
 * (DESIGN.md §3).
 */
import { StrokeWriter } from '../../model/stroke-writer'
import type { BoardPointer, Interruption, Tool, ToolContext } from '../tool'

type PenState = { kind: 'idle' } | { kind: 'drawing'; pointerId: number; writer: StrokeWriter }

export class PenTool implements Tool {
  readonly cursor = 'crosshair'
  private state: PenState = { kind: 'idle' }

  constructor(
    private readonly context: ToolContext,
    readonly name: 'pen' | 'highlighter' = 'pen',
  ) {}

  get drawing(): boolean {
    return this.state.kind === 'drawing'
  }

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
    this.state = { kind: 'drawing', pointerId: pointer.pointerId, writer }
  }

  onPointerMove(pointer: BoardPointer): void {
    const state = this.state
    if (state.kind !== 'drawing' || pointer.pointerId !== state.pointerId) return
    state.writer.add(pointer.board.x, pointer.board.y, pointer.pressure)
  }

  onFrame(): void {
    if (this.state.kind === 'drawing') this.state.writer.flush()
  }

  onPointerUp(pointer: BoardPointer): void {
    if (this.state.kind === 'drawing' && pointer.pointerId === this.state.pointerId) this.finish()
  }

  onCancel(): void {
    this.finish()
  }

  onInterrupt(reason: Interruption): void {
    if (this.state.kind !== 'drawing') return
    this.finish()
    if (reason === 'pinch') this.context.history.discardGesture()
  }

  private finish(): void {
    const state = this.state
    if (state.kind !== 'drawing') return
    state.writer.finish()
    this.state = { kind: 'idle' }
  }
}
