/** Image: a click on the board asks for an image file and places it there (paste and drop work with any tool). */
import type { BoardPointer, Tool, ToolContext } from '../tool'

export class ImageTool implements Tool {
  readonly name = 'image' as const
  readonly cursor = 'copy'

  constructor(private readonly context: ToolContext) {}

  onPointerDown(pointer: BoardPointer): void {
    if (pointer.button === 0) this.context.pickImage(pointer.board)
  }

  onPointerMove(): void {}
  onPointerUp(): void {}
  onCancel(): void {}
}
