/**
 * Rectangle, ellipse, line and arrow: press and drag from one corner (or end) to the other.
 * States `idle` and `dragging`; the shape exists from the first press and is resized at most once
 * per animation frame, so peers watch it take shape. Shift makes squares and circles, and snaps
 * lines to 15° steps. A click without a drag makes a shape of a default size.
 */
import type { ShapeId } from '../../model/ids'
import { addShape, updateShape, type ShapeFields } from '../../model/ops'
import type { Point } from '../../render/camera'
import type { BoardPointer, Tool, ToolContext } from '../tool'

export type ShapeToolName = 'rectangle' | 'ellipse' | 'line' | 'arrow'

/** Size of a shape made by a click, in board units. */
export const DEFAULT_BOX = { width: 160, height: 100 } as const
export const DEFAULT_LINE_LENGTH = 160
/** A drag shorter than this (screen pixels) is a click. */
const CLICK_SLOP_PX = 4
const ANGLE_STEP = Math.PI / 12

type DragState = { kind: 'idle' } | { kind: 'dragging'; pointerId: number; id: ShapeId; start: Point; end: Point; shift: boolean; moved: boolean; frame: number }

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
    if (pointer.button !== 0 || this.state.kind === 'dragging') return
    this.context.history.beginGesture()
    const start = pointer.board
    const { color, strokeWidth, opacity } = this.context.style()
    const fill = this.context.fill()
    const base = { type: this.name, x: start.x, y: start.y, rotation: 0, color, strokeWidth, opacity }
    const fields: ShapeFields = !this.isBox ? { ...base, dx: 0, dy: 0 } : fill ? { ...base, width: 0, height: 0, fill } : { ...base, width: 0, height: 0 }
    const id = addShape(this.context.doc, fields)
    this.state = { kind: 'dragging', pointerId: pointer.pointerId, id, start, end: start, shift: pointer.shiftKey, moved: false, frame: 0 }
  }

  onPointerMove(pointer: BoardPointer): void {
    const state = this.state
    if (state.kind !== 'dragging' || pointer.pointerId !== state.pointerId) return
    state.end = pointer.board
    state.shift = pointer.shiftKey
    const scale = this.context.viewport.camera.scale
    state.moved ||= Math.hypot(state.end.x - state.start.x, state.end.y - state.start.y) * scale > CLICK_SLOP_PX
    if (state.frame === 0) {
      state.frame = requestAnimationFrame(() => {
        state.frame = 0
        this.write(state)
      })
    }
  }

  onPointerUp(pointer: BoardPointer): void {
    const state = this.state
    if (state.kind !== 'dragging' || pointer.pointerId !== state.pointerId) return
    cancelAnimationFrame(state.frame)
    if (!state.moved) {
      const { start } = state
      state.end = this.isBox
        ? { x: start.x + DEFAULT_BOX.width, y: start.y + DEFAULT_BOX.height }
        : { x: start.x + DEFAULT_LINE_LENGTH, y: start.y }
    }
    this.write(state)
    this.state = { kind: 'idle' }
  }

  onCancel(): void {
    const state = this.state
    if (state.kind !== 'dragging') return
    cancelAnimationFrame(state.frame)
    // Keep what the drag has made so far, as the pen does; a shape still without size gets one.
    if (state.moved) this.write(state)
    else this.onPointerUp({ pointerId: state.pointerId } as BoardPointer)
    this.state = { kind: 'idle' }
  }

  private write(state: Extract<DragState, { kind: 'dragging' }>): void {
    const patch = this.isBox ? boxFrom(state.start, state.end, state.shift) : lineFrom(state.start, state.end, state.shift)
    updateShape(this.context.doc, state.id, patch)
  }
}
