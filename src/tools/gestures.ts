/**
 * The tool runtime (DESIGN.md §4): which tool owns each pressed pointer, the frame tick that lets
 * tools write at most once per animation frame, and interruptions. No DOM: the input module feeds
 * it normalised pointers, and tests drive it (and its tick) directly.
 *
 * A gesture stays with the tool that began it even when the active tool changes meanwhile (the
 * board turning read-only makes the hand active): that tool hears the rest of it, or is told it
 * was interrupted, never left half-way.
 */
import { HandTool } from './hand/hand-tool'
import type { BoardPointer, Interruption, Tool } from './tool'
import type { Viewport } from '../render/camera'

/** Animation frames: the browser's by default, a hand-driven one in tests. */
export interface FrameScheduler {
  request(callback: () => void): number
  cancel(handle: number): void
}

export const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
}

export interface GestureOptions {
  readonly viewport: Viewport
  /** The tool a new press goes to (null: none). */
  readonly activeTool: () => Tool | null
  readonly frames?: FrameScheduler
  /** After every tick: the idle pointer's hover cursor is worked out there, once a frame. */
  readonly onTick?: () => void
}

export class GestureRouter {
  /** Drags that pan: the middle button, space held, the hand tool, a view-only board. */
  readonly pan: HandTool
  /** Who owns each pressed pointer: the tool that got the press, or the pan. */
  private readonly owners = new Map<number, Tool>()
  private readonly frames: FrameScheduler
  private frame = 0

  constructor(private readonly options: GestureOptions) {
    this.pan = new HandTool(options)
    this.frames = options.frames ?? animationFrames
  }

  /** Whether any pointer is pressed and owned (the hover cursor waits meanwhile). */
  get busy(): boolean {
    return this.owners.size > 0
  }

  get panning(): boolean {
    return this.pan.dragging
  }

  /** A press: to the pan when `pan`, else to the active tool (left button only). */
  pointerDown(pointer: BoardPointer, pan: boolean): void {
    const tool = pan ? this.pan : this.options.activeTool()
    if (!tool || (tool !== this.pan && pointer.button !== 0) || this.owners.has(pointer.pointerId)) return
    this.owners.set(pointer.pointerId, tool)
    tool.onPointerDown(pointer)
    this.schedule()
  }

  pointerMove(pointer: BoardPointer): void {
    this.owners.get(pointer.pointerId)?.onPointerMove(pointer)
  }

  owns(pointerId: number): 'pan' | 'tool' | null {
    const owner = this.owners.get(pointerId)
    return owner ? (owner === this.pan ? 'pan' : 'tool') : null
  }

  pointerUp(pointer: BoardPointer): void {
    const tool = this.owners.get(pointer.pointerId)
    if (!tool) return
    this.owners.delete(pointer.pointerId)
    tool.onPointerUp(pointer)
  }

  /** The browser cancelled the pointer: its gesture ends keeping what it made. */
  pointerCancel(pointerId: number): void {
    const tool = this.owners.get(pointerId)
    if (!tool) return
    this.owners.delete(pointerId)
    tool.onCancel()
  }

  /** Takes every gesture away from its tool (a pinch, read-only, another tool, teardown). */
  interrupt(reason: Interruption): void {
    const tools = new Set(this.owners.values())
    this.owners.clear()
    for (const tool of tools) tool.onInterrupt(reason)
  }

  /** One animation frame: every tool with a gesture in progress writes what changed. */
  tick(): void {
    this.frame = 0
    for (const tool of new Set(this.owners.values())) tool.onFrame?.()
    this.options.onTick?.()
    this.schedule()
  }

  /** Asks for a frame while gestures are in progress, or once when `always` (hover). */
  schedule(always = false): void {
    if (this.frame !== 0 || (!always && this.owners.size === 0)) return
    this.frame = this.frames.request(() => this.tick())
  }

  destroy(): void {
    this.interrupt('teardown')
    this.frames.cancel(this.frame)
    this.frame = 0
  }
}
