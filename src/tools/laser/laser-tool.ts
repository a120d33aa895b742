/**
 * Laser pointer: a trail that fades within a second, shown to everyone through presence and never
 * written to the document. States: `idle` and `pointing`.
 */
import type { BoardPointer, Tool, ToolContext, TrailPoint } from '../tool'

/** Older points are dropped: they have faded out on every screen by then. */
export const LASER_TRAIL_MS = 1000
const MAX_POINTS = 64

export class LaserTool implements Tool {
  readonly name = 'laser' as const
  readonly cursor = 'crosshair'
  private pointerId: number | null = null
  /** Board x, y and the time (performance.now) each point was made. */
  private points: [number, number, number][] = []

  constructor(private readonly context: ToolContext) {}

  /** The trail with each point's current age, newest last. */
  trail(now = performance.now()): TrailPoint[] {
    this.points = this.points.filter(([, , time]) => now - time < LASER_TRAIL_MS)
    return this.points.map(([x, y, time]) => [x, y, now - time])
  }

  onPointerDown(pointer: BoardPointer): void {
    if (pointer.button !== 0 || this.pointerId !== null) return
    this.pointerId = pointer.pointerId
    this.add(pointer)
  }

  onPointerMove(pointer: BoardPointer): void {
    if (pointer.pointerId === this.pointerId) this.add(pointer)
  }

  onPointerUp(pointer: BoardPointer): void {
    if (pointer.pointerId === this.pointerId) this.pointerId = null
  }

  onCancel(): void {
    this.pointerId = null
  }

  onInterrupt(): void {
    this.pointerId = null
  }

  private add(pointer: BoardPointer): void {
    this.points.push([pointer.board.x, pointer.board.y, performance.now()])
    if (this.points.length > MAX_POINTS) this.points.splice(0, this.points.length - MAX_POINTS)
    this.context.showLaser(this.trail())
  }
}
