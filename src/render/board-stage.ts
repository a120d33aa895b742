/**
 * The Konva stage inside the board's container: fills it, follows its size, and shows the board
 * through the camera. The shapes layer never listens for events (DESIGN.md §4): input arrives
 * through the tools' input module, not Konva's hit graph.
 */
import { Konva } from './konva'
import type { Camera, Viewport } from './camera'

export class BoardStage {
  readonly stage: Konva.Stage
  readonly shapesLayer: Konva.Layer
  /** The shapes changing right now, above the others (live-shapes.ts). */
  readonly liveLayer: Konva.Layer
  /** Selection frames and others' presence, above all shapes. */
  readonly overlayLayer: Konva.Layer
  private readonly resizeObserver: ResizeObserver
  private readonly stopFollowingCamera: () => void

  constructor(
    container: HTMLDivElement,
    viewport: Viewport,
    private readonly onResize: () => void = () => {},
  ) {
    this.stage = new Konva.Stage({
      container,
      width: Math.max(1, container.clientWidth),
      height: Math.max(1, container.clientHeight),
      listening: false,
    })
    this.shapesLayer = new Konva.Layer({ listening: false })
    this.liveLayer = new Konva.Layer({ listening: false })
    this.overlayLayer = new Konva.Layer({ listening: false })
    this.stage.add(this.shapesLayer, this.liveLayer, this.overlayLayer)
    this.resizeObserver = new ResizeObserver(() => this.fit(container))
    this.resizeObserver.observe(container)
    this.apply(viewport.camera)
    this.stopFollowingCamera = viewport.onChange((camera) => this.apply(camera))
  }

  private fit(container: HTMLDivElement): void {
    const width = Math.max(1, container.clientWidth)
    const height = Math.max(1, container.clientHeight)
    if (width === this.stage.width() && height === this.stage.height()) return
    this.stage.size({ width, height })
    this.onResize()
  }

  private apply(camera: Camera): void {
    this.stage.position({ x: camera.x, y: camera.y })
    this.stage.scale({ x: camera.scale, y: camera.scale })
    this.stage.batchDraw()
  }

  get width(): number {
    return this.stage.width()
  }

  get height(): number {
    return this.stage.height()
  }

  destroy(): void {
    this.stopFollowingCamera()
    this.resizeObserver.disconnect()
    this.stage.destroy()
  }
}
