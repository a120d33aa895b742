/**
 * Rectangle, ellipse, line and arrow: press and drag from one corner (or end) to the other.
 * States `idle`, `pressed` and `dragging`; the shape is made on the first drag (a press that is
 * the start of a pinch makes nothing) and resized on the input module's frame tick, so peers watch
 * it take shape. Shift makes squares and circles, and snaps lines to 15° steps. A click without a
 * drag makes a shape of a default size.
 */
import type { ShapeId } from '../../model/ids'
import { addShape, updateShape, type ShapeFields } from '../../model/ops'
import type { Point } from '../../render/camera'
import type { BoardPointer, Interruption, Tool, ToolContext } from '../tool'

export type ShapeToolName = 'rectangle' | 'ellipse' | 'line' | 'arrow'

/** Size of a shape made by a click, in board units. */
export const DEFAULT_BOX = { width: 160, height: 100 } as const
export const DEFAULT_LINE_LENGTH = 160
/** A drag shorter than this (screen pixels) is a click. */
const CLICK_SLOP_PX = 4
const ANGLE_STEP = Math.PI / 12

type DragState =
  | { kind: 'idle' }
  /** Pressed, not yet dragged: no shape exists yet. */
  | { kind: 'pressed'; pointerId: number; start: Point; shift: boolean }
  | { kind: 'dragging'; pointerId: number; id: ShapeId; start: Point; end: Point; shift: boolean; written: boolean }

/** Corner-to-corner drag as a box: normalised so width and height are never negative. */
export function boxFrom(start: Point, end: Point, square: boolean): { x: number; y: number; width: number; height: number } {
  let dx = end.x - start.x
  let dy = end.y - start.y
  if (square) {
    const side = Math.max(Math.abs(dx), Math.abs(dy))
    dx = Math.sign(dx || 1) * side
    dy = Math.sign(dy || 1) * side
  }
  return { x: Math.min(start.x, start.x + dx), y: Math.min(start.y, start.y + dy), width: Math.abs(dx), height: Math.abs(dy) }
}

/** A line's end relative to its start, snapped to 15° steps when constrained. */
export function lineFrom(start: Point, end: Point, snap: boolean): { dx: number; dy: number } {
  const dx = end.x - start.x
  const dy = end.y - start.y
  if (!snap) return { dx, dy }
  const length = Math.hypot(dx, dy)
  const angle = Math.round(Math.atan2(dy, dx) / ANGLE_STEP) * ANGLE_STEP
  return { dx: length * Math.cos(angle), dy: length * Math.sin(angle) }
}

export class ShapeTool implements Tool {
  readonly cursor = 'crosshair'
  private state: DragState = { kind: 'idle' }

  constructor(
    private readonly context: ToolContext,
    readonly name: ShapeToolName,
  ) {}

  private get isBox(): boolean {
    return this.name === 'rectangle' || this.name === 'ellipse'
  }

  onPointerDown(pointer: BoardPointer): void {
    if (pointer.button !== 0 || this.state.kind !== 'idle') return
    this.state = { kind: 'pressed', pointerId: pointer.pointerId, start: pointer.board, shift: pointer.shiftKey }
  }

  onPointerMove(pointer: BoardPointer): void {
    const state = this.state
    if (state.kind === 'idle' || pointer.pointerId !== state.pointerId) return
    if (state.kind === 'pressed') {
      const scale = this.context.viewport.camera.scale
      const moved = Math.hypot(pointer.board.x - state.start.x, pointer.board.y - state.start.y) * scale > CLICK_SLOP_PX
      if (moved) this.state = { kind: 'dragging', pointerId: state.pointerId, id: this.create(state.start), start: state.start, end: pointer.board, shift: pointer.shiftKey, written: false }
      return
    }
    state.end = pointer.board
    state.shift = pointer.shiftKey
    state.written = false
  }

  onFrame(): void {
    if (this.state.kind === 'dragging' && !this.state.written) this.write(this.state)
  }

  onPointerUp(pointer: BoardPointer): void {
    const state = this.state
    if (state.kind === 'idle' || pointer.pointerId !== state.pointerId) return
    this.state = { kind: 'idle' }
    if (state.kind === 'dragging') return this.write(state)
    // A click: a shape of the default size from where it was.
    const { start } = state
    const end = this.isBox ? { x: start.x + DEFAULT_BOX.width, y: start.y + DEFAULT_BOX.height } : { x: start.x + DEFAULT_LINE_LENGTH, y: start.y }
    this.write({ kind: 'dragging', pointerId: state.pointerId, id: this.create(start), start, end, shift: false, written: false })
  }

  onCancel(): void {
    // What a drag made so far stays, as the pen's stroke does; a press that never dragged made nothing.
    const state = this.state
    this.state = { kind: 'idle' }
    if (state.kind === 'dragging') this.write(state)
  }

  onInterrupt(reason: Interruption): void {
    const dragged = this.state.kind === 'dragging'
    this.onCancel()
    if (dragged && reason === 'pinch') this.context.history.discardGesture()
  }

  /** Makes the shape, still without size, as a new undo step. */
  private create(start: Point): ShapeId {
    this.context.history.beginGesture()
    const { color, strokeWidth, opacity } = this.context.style()
    const fill = this.context.fill()
    const base = { type: this.name, x: start.x, y: start.y, rotation: 0, color, strokeWidth, opacity }
    const fields: ShapeFields = !this.isBox ? { ...base, dx: 0, dy: 0 } : fill ? { ...base, width: 0, height: 0, fill } : { ...base, width: 0, height: 0 }
    return addShape(this.context.doc, fields)
  }

  private write(state: Extract<DragState, { kind: 'dragging' }>): void {
    state.written = true
    const patch = this.isBox ? boxFrom(state.start, state.end, state.shift) : lineFrom(state.start, state.end, state.shift)
    updateShape(this.context.doc, state.id, patch)
  }
}
