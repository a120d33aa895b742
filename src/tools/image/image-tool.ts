/**
 * Image: a click on the board asks for an image file and places it there (paste and drop work with
 * any tool). It acts when the button is released, so a press that turns into a pinch asks nothing.
 */
import type { BoardPointer, Tool, ToolContext } from '../tool'

export class ImageTool implements Tool {
  readonly name = 'image' as const
  readonly cursor = 'copy'

  constructor(private readonly context: ToolContext) {}

  private pressed: number | null = null

  onPointerDown(pointer: BoardPointer): void {
    if (pointer.button === 0) this.pressed = pointer.pointerId
  }

  onPointerMove(): void {}

  onPointerUp(pointer: BoardPointer): void {
    if (pointer.pointerId !== this.pressed) return
    this.pressed = null
    this.context.pickImage(pointer.board)
  }

  onCancel(): void {
    this.pressed = null
  }

  onInterrupt(): void {
    this.pressed = null
  }
}
