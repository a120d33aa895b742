/**
 * Select: click a shape to select it, shift-click to add or remove one, drag on empty board for a
 * marquee; drag the selection to move it, its handles to resize or rotate it; double-click text or
 * a note to edit it. Every drag is one undo step, written on the input module's frame tick.
 *
 * States: idle → pressed (on a shape: a click, or a drag once it moves) → moving; idle → resizing
 * or rotating (on a handle); idle → marquee (on empty board).
 */
import { frameContains, framePoint, handleAt, selectionFrame, toFrame, type Frame, type ResizeHandle } from '../../model/frame'
import type { ShapeId } from '../../model/ids'
import { updateShapes } from '../../model/ops'
import { specOf } from '../../model/shape-spec'
import { hasText, type Shape } from '../../model/shapes'
import { movePatch, resizePatch, rotatePatch, type ShapePatch } from '../../model/transform'
import { readShapes } from '../../model/validate'
import type { Point } from '../../render/camera'
import type { BoardPointer, Interruption, Tool, ToolContext } from '../tool'

/** How close (screen pixels) a click must come to a shape's ink to take it. */
export const HIT_RADIUS_PX = 6
/** A press that moves less than this (screen pixels) is a click. */
const DRAG_SLOP_PX = 3
const DOUBLE_CLICK_MS = 450
const ROTATION_STEP = Math.PI / 12

type Gesture =
  | { kind: 'idle' }
  | { kind: 'pressed'; pointerId: number; start: Point; startScreen: Point }
  | { kind: 'moving'; pointerId: number; start: Point; current: Point; axisLock: boolean; originals: Shape[]; dirty: boolean }
  | { kind: 'resizing'; pointerId: number; handle: ResizeHandle; box: Frame; current: Point; keepRatio: boolean; originals: Shape[]; dirty: boolean }
  | { kind: 'rotating'; pointerId: number; centre: Point; startAngle: number; current: Point; snap: boolean; originals: Shape[]; dirty: boolean }
  | { kind: 'marquee'; pointerId: number; start: Point; base: readonly ShapeId[] }

type Writing = Extract<Gesture, { dirty: boolean }>

export class SelectTool implements Tool {
  readonly name = 'select' as const
  readonly cursor = 'default'
  private gesture: Gesture = { kind: 'idle' }
  private lastClick: { id: ShapeId; time: number; screen: Point } | null = null

  constructor(private readonly context: ToolContext) {}

  /** The selected shapes as the document has them now, bottom first. */
  selectedShapes(): Shape[] {
    return readShapes(this.context.doc, this.context.selection.ids)
  }

  hoverCursor(board: Point): string | null {
    const scale = this.context.viewport.camera.scale
    const frame = selectionFrame(this.selectedShapes(), scale)
    if (frame) {
      const handle = handleAt(frame, board, scale)
      if (handle?.kind === 'rotate') return 'grab'
      if (handle) return resizeCursor(frame, handle)
      if (this.context.selection.size > 1 && frameContains(frame, board)) return 'move'
    }
    return this.context.shapesNear(board, HIT_RADIUS_PX / scale).length > 0 ? 'move' : null
  }

  onPointerDown(pointer: BoardPointer): void {
    if (pointer.button !== 0 || this.gesture.kind !== 'idle') return
    const { selection, viewport } = this.context
    const scale = viewport.camera.scale
    const board = pointer.board
    const selected = this.selectedShapes()
    const frame = selectionFrame(selected, scale)
    const handle = frame ? handleAt(frame, board, scale) : null
    if (frame && handle) {
      this.context.history.beginGesture()
      const base = { pointerId: pointer.pointerId, current: board, originals: selected, dirty: false }
      if (handle.kind === 'rotate') {
        const centre = framePoint(frame, 0.5, 0.5)
        this.gesture = { ...base, kind: 'rotating', centre, startAngle: Math.atan2(board.y - centre.y, board.x - centre.x), snap: pointer.shiftKey }
      } else {
        this.gesture = { ...base, kind: 'resizing', handle, box: frame, keepRatio: pointer.shiftKey }
      }
      return
    }
    const hit = this.context.shapesNear(board, HIT_RADIUS_PX / scale)[0] ?? null
    if (hit && this.isDoubleClick(hit, pointer.screen)) {
      const [shape] = readShapes(this.context.doc, [hit])
      if (shape && hasText(shape)) {
        selection.set([hit])
        this.context.editText(hit)
        return
      }
    }
    this.lastClick = hit ? { id: hit, time: performance.now(), screen: pointer.screen } : null
    const insideGroup = frame !== null && selection.size > 1 && frameContains(frame, board)
    if (pointer.shiftKey) {
      if (!hit) return this.startMarquee(pointer, selection.ids)
      selection.toggle(hit)
      if (!selection.has(hit)) return
    } else if (hit && !selection.has(hit) && !insideGroup) {
      selection.set([hit])
    } else if (!hit && !insideGroup) {
      selection.clear()
      return this.startMarquee(pointer, [])
    }
    this.gesture = { kind: 'pressed', pointerId: pointer.pointerId, start: board, startScreen: pointer.screen }
  }

  onPointerMove(pointer: BoardPointer): void {
    const gesture = this.gesture
    if (gesture.kind === 'idle' || pointer.pointerId !== gesture.pointerId) return
    switch (gesture.kind) {
      case 'pressed':
        if (Math.hypot(pointer.screen.x - gesture.startScreen.x, pointer.screen.y - gesture.startScreen.y) < DRAG_SLOP_PX) return
        this.context.history.beginGesture()
        this.gesture = { kind: 'moving', pointerId: gesture.pointerId, start: gesture.start, current: pointer.board, axisLock: pointer.shiftKey, originals: this.selectedShapes(), dirty: true }
        return
      case 'marquee': {
        const area = boxBetween(gesture.start, pointer.board)
        this.context.showMarquee(area)
        this.context.selection.set([...gesture.base, ...this.context.shapesInside(area)])
        return
      }
      case 'moving':
        gesture.axisLock = pointer.shiftKey
        break
      case 'resizing':
        gesture.keepRatio = pointer.shiftKey
        break
      case 'rotating':
        gesture.snap = pointer.shiftKey
        break
    }
    gesture.current = pointer.board
    gesture.dirty = true
  }

  onFrame(): void {
    const gesture = this.gesture
    if ('dirty' in gesture && gesture.dirty) this.write(gesture)
  }

  onPointerUp(pointer: BoardPointer): void {
    const gesture = this.gesture
    if (gesture.kind === 'idle' || pointer.pointerId !== gesture.pointerId) return
    this.finish()
  }

  onCancel(): void {
    this.finish()
  }

  onInterrupt(reason: Interruption): void {
    const wrote = 'dirty' in this.gesture
    this.finish()
    // A pinch: the shapes go back where they were.
    if (wrote && reason === 'pinch') this.context.history.discardGesture()
  }

  /** Ends the gesture, keeping what it wrote so far (as the other tools do). */
  private finish(): void {
    const gesture = this.gesture
    this.gesture = { kind: 'idle' }
    if (gesture.kind === 'marquee') this.context.showMarquee(null)
    if ('dirty' in gesture) this.write(gesture)
  }

  private startMarquee(pointer: BoardPointer, base: readonly ShapeId[]): void {
    this.gesture = { kind: 'marquee', pointerId: pointer.pointerId, start: pointer.board, base: [...base] }
  }

  private isDoubleClick(id: ShapeId, screen: Point): boolean {
    const last = this.lastClick
    return last !== null && last.id === id && performance.now() - last.time < DOUBLE_CLICK_MS && Math.hypot(screen.x - last.screen.x, screen.y - last.screen.y) < 2 * DRAG_SLOP_PX
  }

  private write(gesture: Writing): void {
    gesture.dirty = false
    const patches = new Map<ShapeId, ShapePatch>()
    for (const shape of gesture.originals) patches.set(shape.id, this.patch(gesture, shape))
    updateShapes(this.context.doc, patches)
  }

  private patch(gesture: Writing, shape: Shape): ShapePatch {
    switch (gesture.kind) {
      case 'moving': {
        let dx = gesture.current.x - gesture.start.x
        let dy = gesture.current.y - gesture.start.y
        if (gesture.axisLock) Math.abs(dx) > Math.abs(dy) ? (dy = 0) : (dx = 0)
        return movePatch(shape, dx, dy)
      }
      case 'rotating': {
        const { centre, current } = gesture
        let angle = Math.atan2(current.y - centre.y, current.x - centre.x) - gesture.startAngle
        if (gesture.snap) angle = Math.round(angle / ROTATION_STEP) * ROTATION_STEP
        return rotatePatch(shape, centre, angle)
      }
      case 'resizing': {
        const { box, handle } = gesture
        const anchor = { x: box.width * (1 - handle.u), y: box.height * (1 - handle.v) }
        const grabbed = { x: box.width * handle.u, y: box.height * handle.v }
        const local = toFrame(box, gesture.current)
        let sx = handle.u === 0.5 || grabbed.x === anchor.x ? 1 : (local.x - anchor.x) / (grabbed.x - anchor.x)
        let sy = handle.v === 0.5 || grabbed.y === anchor.y ? 1 : (local.y - anchor.y) / (grabbed.y - anchor.y)
        // Corners keep the proportions with shift, and always for shapes that keep them (images: a stretched photo looks broken).
        const corner = handle.u !== 0.5 && handle.v !== 0.5
        if (corner && (gesture.keepRatio || gesture.originals.every((original) => specOf(original).keepsAspect))) {
          const s = Math.max(Math.abs(sx), Math.abs(sy))
          sx = Math.sign(sx || 1) * s
          sy = Math.sign(sy || 1) * s
        }
        return resizePatch(shape, box, anchor, sx, sy, this.context.layoutText)
      }
    }
  }
}

function boxBetween(a: Point, b: Point) {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) }
}

const RESIZE_CURSORS = ['ew-resize', 'nwse-resize', 'ns-resize', 'nesw-resize'] as const

/** The resize cursor pointing the way a handle pulls, turned with the frame. */
function resizeCursor(frame: Frame, handle: ResizeHandle): string {
  const direction = Math.atan2(handle.v - 0.5, handle.u - 0.5) + frame.rotation
  const octant = Math.round(direction / (Math.PI / 4))
  return RESIZE_CURSORS[((octant % 4) + 4) % 4]!
}
