/** Hand: drag to pan. Also what the input module uses for space-drag and middle-button drags. */
import { panBy, type Point } from '../../render/camera'
import type { BoardPointer, Tool, ToolContext } from '../tool'

export class HandTool implements Tool {
  readonly name = 'hand' as const
  readonly cursor = 'grab'
  private last: { pointerId: number; screen: Point } | null = null

  constructor(private readonly context: Pick<ToolContext, 'viewport'>) {}

  get dragging(): boolean {
    return this.last !== null
  }

  onPointerDown(pointer: BoardPointer): void {
    if (this.last === null) this.last = { pointerId: pointer.pointerId, screen: pointer.screen }
  }

  onPointerMove(pointer: BoardPointer): void {
    if (this.last === null || this.last.pointerId !== pointer.pointerId) return
    const viewport = this.context.viewport
    viewport.set(panBy(viewport.camera, pointer.screen.x - this.last.screen.x, pointer.screen.y - this.last.screen.y))
    this.last = { pointerId: pointer.pointerId, screen: pointer.screen }
  }

  onPointerUp(pointer: BoardPointer): void {
    if (this.last?.pointerId === pointer.pointerId) this.last = null
  }

  onCancel(): void {
    this.last = null
  }

  onInterrupt(): void {
    this.last = null
  }
}
