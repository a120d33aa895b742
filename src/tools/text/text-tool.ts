/**
 * Text and sticky notes. Text: click on the board to type there (the text exists once something is
 * typed), click a text to edit it. Sticky: one click makes a note centred on the pointer and opens
 * it for typing; click a note to edit it. The typing itself happens in the board's in-place editor.
 * A click acts when the button is released, so a press that turns into a pinch makes nothing.
 */
import type { ShapeId } from '../../model/ids'
import { addShape } from '../../model/ops'
import { readShapes } from '../../model/validate'
import type { BoardPointer, Tool, ToolContext } from '../tool'
import { HIT_RADIUS_PX } from '../select/select-tool'

/** Side of a new sticky note, in board units. */
export const STICKY_SIZE = 200

export class TextTool implements Tool {
  readonly cursor = 'text'

  constructor(
    private readonly context: ToolContext,
    readonly name: 'text' | 'sticky',
  ) {}

  private pressed: number | null = null

  onPointerDown(pointer: BoardPointer): void {
    if (pointer.button === 0) this.pressed = pointer.pointerId
  }

  onPointerMove(): void {}

  onPointerUp(pointer: BoardPointer): void {
    if (pointer.pointerId !== this.pressed) return
    this.pressed = null
    const existing = this.editableAt(pointer)
    if (existing) {
      this.context.selection.set([existing])
      return this.context.editText(existing)
    }
    if (this.name === 'text') return this.context.editText({ newTextAt: pointer.board })
    this.context.history.beginGesture()
    const { fontSize, opacity } = this.context.textStyle()
    const id = addShape(this.context.doc, {
      type: 'sticky',
      x: pointer.board.x - STICKY_SIZE / 2,
      y: pointer.board.y - STICKY_SIZE / 2,
      rotation: 0,
      width: STICKY_SIZE,
      height: STICKY_SIZE,
      // Notes are paper: dark text whatever ink is chosen, so every note colour stays readable.
      color: '#1e1e1e',
      fill: this.context.noteColor(),
      text: '',
      fontSize: Math.min(fontSize, 36),
      opacity,
    })
    this.context.selection.set([id])
    this.context.editText(id)
  }

  onCancel(): void {
    this.pressed = null
  }

  onInterrupt(): void {
    this.pressed = null
  }

  /** The topmost text of this tool's kind under the pointer. */
  private editableAt(pointer: BoardPointer): ShapeId | null {
    const near = this.context.shapesNear(pointer.board, HIT_RADIUS_PX / this.context.viewport.camera.scale)
    const [shape] = readShapes(this.context.doc, near.slice(0, 1))
    return shape && shape.type === this.name ? shape.id : null
  }
}
