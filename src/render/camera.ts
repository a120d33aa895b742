/**
 * The camera: session state (never synced), shared by the renderer and the tools. Pure math plus a
 * tiny observable; no Konva here so that tools can use it (DESIGN.md §1).
 */
import type { Box, Point } from '../model/geometry'

export type { Point } from '../model/geometry'

/** screen = board * scale + (x, y), in CSS pixels relative to the board's top-left corner. */
export interface Camera {
  readonly x: number
  readonly y: number
  readonly scale: number
}

export const MIN_SCALE = 0.05
export const MAX_SCALE = 8

export function screenToBoard(camera: Camera, point: Point): Point {
  return { x: (point.x - camera.x) / camera.scale, y: (point.y - camera.y) / camera.scale }
}

export function boardToScreen(camera: Camera, point: Point): Point {
  return { x: point.x * camera.scale + camera.x, y: point.y * camera.scale + camera.y }
}

/** Multiplies the scale by `factor` keeping the board point under `anchor` (screen) in place. */
export function zoomAt(camera: Camera, anchor: Point, factor: number): Camera {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, camera.scale * factor))
  const board = screenToBoard(camera, anchor)
  return { scale, x: anchor.x - board.x * scale, y: anchor.y - board.y * scale }
}

export function panBy(camera: Camera, dx: number, dy: number): Camera {
  return { ...camera, x: camera.x + dx, y: camera.y + dy }
}

/** Holds the current camera and tells listeners when it moves. */
export class Viewport {
  private current: Camera = { x: 0, y: 0, scale: 1 }
  private readonly listeners = new Set<(camera: Camera) => void>()

  get camera(): Camera {
    return this.current
  }

  set(camera: Camera): void {
    if (camera.x === this.current.x && camera.y === this.current.y && camera.scale === this.current.scale) return
    this.current = camera
    for (const listener of this.listeners) listener(camera)
  }

  onChange(listener: (camera: Camera) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/** The board area a camera shows in a screen of `width` x `height` CSS pixels. */
export function visibleRect(camera: Camera, width: number, height: number): Box {
  return { x: -camera.x / camera.scale, y: -camera.y / camera.scale, width: width / camera.scale, height: height / camera.scale }
}

/** The camera that shows all of `rect`, centred, in a screen of `width` x `height`. */
export function cameraShowing(rect: Box, width: number, height: number): Camera {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, Math.min(width / rect.width, height / rect.height)))
  return {
    scale,
    x: width / 2 - (rect.x + rect.width / 2) * scale,
    y: height / 2 - (rect.y + rect.height / 2) * scale,
  }
}
