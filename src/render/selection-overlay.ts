/**
 * This user's selection on the overlay layer: an outline around each selected shape, the frame
 * with its resize and rotate handles, and the marquee while one is dragged. Sizes are in screen
 * pixels whatever the zoom; handle positions come from model/frame.ts, as the select tool's do.
 */
import { framePoint, HANDLE_SIZE_PX, rotateHandlePoint, visibleHandles, type Frame } from '../model/frame'
import type { Box } from '../model/geometry'
import { Konva } from './konva'
import type { Viewport } from './camera'

export interface SelectionView {
  readonly frame: Frame
  /** Each selected shape's own frame (outlined when more than one is selected). */
  readonly shapes: readonly Frame[]
  /** Whether the frame can be resized and rotated (not while text is edited, nor when read-only). */
  readonly handles: boolean
  /** Not a selection but the keyboard's focus (the shape the arrow keys went to): a dashed ring, no handles. */
  readonly focus?: boolean
}

export class SelectionOverlay {
  private readonly node: Konva.Shape
  private view: SelectionView | null = null
  private marquee: Box | null = null
  private readonly stopFollowingCamera: () => void

  constructor(
    private readonly layer: Konva.Layer,
    private readonly viewport: Viewport,
    private readonly accent: () => string,
  ) {
    this.node = new Konva.Shape({ listening: false, sceneFunc: (context) => this.draw(context._context as CanvasRenderingContext2D) })
    layer.add(this.node)
    this.stopFollowingCamera = viewport.onChange(() => this.layer.batchDraw())
  }

  show(view: SelectionView | null): void {
    this.view = view
    this.layer.batchDraw()
  }

  showMarquee(box: Box | null): void {
    this.marquee = box
    this.layer.batchDraw()
  }

  destroy(): void {
    this.stopFollowingCamera()
    this.node.destroy()
  }

  private draw(context: CanvasRenderingContext2D): void {
    const scale = this.viewport.camera.scale
    const accent = this.accent()
    context.lineWidth = 1 / scale
    if (this.marquee) {
      const { x, y, width, height } = this.marquee
      context.fillStyle = `${accent}14`
      context.strokeStyle = accent
      context.fillRect(x, y, width, height)
      context.strokeRect(x, y, width, height)
    }
    const view = this.view
    if (!view) return
    context.strokeStyle = accent
    if (view.shapes.length > 1) {
      context.globalAlpha = 0.55
      for (const frame of view.shapes) this.outline(context, frame)
      context.globalAlpha = 1
    }
    context.lineWidth = 1.5 / scale
    if (view.focus) {
      // As thick as the page's focus rings, dashed so that it is not taken for a selection.
      context.lineWidth = 2 / scale
      context.setLineDash([6 / scale, 4 / scale])
      this.outline(context, view.frame)
      context.setLineDash([])
      return
    }
    this.outline(context, view.frame)
    if (!view.handles) return
    const top = framePoint(view.frame, 0.5, 0)
    const rotate = rotateHandlePoint(view.frame, scale)
    context.beginPath()
    context.moveTo(top.x, top.y)
    context.lineTo(rotate.x, rotate.y)
    context.stroke()
    context.fillStyle = '#ffffff'
    context.beginPath()
    context.arc(rotate.x, rotate.y, (HANDLE_SIZE_PX / 2) / scale, 0, 2 * Math.PI)
    context.fill()
    context.stroke()
    const half = HANDLE_SIZE_PX / 2 / scale
    for (const handle of visibleHandles(view.frame, scale)) {
      const at = framePoint(view.frame, handle.u, handle.v)
      context.save()
      context.translate(at.x, at.y)
      context.rotate(view.frame.rotation)
      context.beginPath()
      context.roundRect(-half, -half, 2 * half, 2 * half, 2 / scale)
      context.fill()
      context.stroke()
      context.restore()
    }
  }

  private outline(context: CanvasRenderingContext2D, frame: Frame): void {
    context.save()
    context.translate(frame.x, frame.y)
    context.rotate(frame.rotation)
    context.strokeRect(0, 0, frame.width, frame.height)
    context.restore()
  }
}
