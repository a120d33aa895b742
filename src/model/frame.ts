/**
 * The frame around a selection and its handles: what the select tool grabs and the overlay draws.
 * One shape is framed in its own rotated frame; several are framed by the axis-aligned box around
 * them all. Pure geometry, shared by tools and render so both agree on where a handle is.
 */
import { localBox, toBoard, unionBounds, type Point } from './geometry'
import type { Shape } from './shapes'

/** A rectangle rotated by `rotation` around its top-left corner (x, y), in board coordinates. */
export interface Frame {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly rotation: number
}

/** A resize handle by where it sits on the frame: u and v in {0, 0.5, 1} (left/centre/right, top/middle/bottom). */
export interface ResizeHandle {
  readonly kind: 'resize'
  readonly u: 0 | 0.5 | 1
  readonly v: 0 | 0.5 | 1
}
export type Handle = ResizeHandle | { readonly kind: 'rotate' }

export const RESIZE_HANDLES: readonly ResizeHandle[] = [
  { kind: 'resize', u: 0, v: 0 },
  { kind: 'resize', u: 0.5, v: 0 },
  { kind: 'resize', u: 1, v: 0 },
  { kind: 'resize', u: 1, v: 0.5 },
  { kind: 'resize', u: 1, v: 1 },
  { kind: 'resize', u: 0.5, v: 1 },
  { kind: 'resize', u: 0, v: 1 },
  { kind: 'resize', u: 0, v: 0.5 },
]

/** Handle sizes in screen pixels: the same at every zoom. */
export const HANDLE_SIZE_PX = 9
/** How far from a handle's centre a press still takes it. */
const HANDLE_REACH_PX = 7
export const ROTATE_HANDLE_OFFSET_PX = 26
/** Space between the ink and the frame, so handles never sit on the ink people click to drag. */
export const FRAME_PADDING_PX = 6

/** The box around shapes, tight to their ink (see `selectionFrame` for the padded one users see). */
export function frameOf(shapes: readonly Shape[]): Frame | null {
  if (shapes.length === 1) {
    const shape = shapes[0]!
    const box = localBox(shape)
    const [x, y] = toBoard(shape, box.x, box.y)
    return { x, y, width: box.width, height: box.height, rotation: shape.rotation }
  }
  const box = unionBounds(shapes)
  return box && { ...box, rotation: 0 }
}

/** The frame drawn around a selection at a zoom level: the shapes' frame with a little space around. */
export function selectionFrame(shapes: readonly Shape[], scale: number): Frame | null {
  const frame = frameOf(shapes)
  return frame && padFrame(frame, FRAME_PADDING_PX / scale)
}

function padFrame(frame: Frame, pad: number): Frame {
  const cos = Math.cos(frame.rotation)
  const sin = Math.sin(frame.rotation)
  return { x: frame.x - pad * cos + pad * sin, y: frame.y - pad * sin - pad * cos, width: frame.width + 2 * pad, height: frame.height + 2 * pad, rotation: frame.rotation }
}

/** The board point at (u, v) of the frame, e.g. (0.5, 0.5) for its centre. */
export function framePoint(frame: Frame, u: number, v: number): Point {
  const lx = frame.width * u
  const ly = frame.height * v
  const cos = Math.cos(frame.rotation)
  const sin = Math.sin(frame.rotation)
  return { x: frame.x + lx * cos - ly * sin, y: frame.y + lx * sin + ly * cos }
}

/** A board point in the frame's own coordinates (relative to its corner, unrotated). */
export function toFrame(frame: Frame, point: Point): Point {
  const cos = Math.cos(-frame.rotation)
  const sin = Math.sin(-frame.rotation)
  const dx = point.x - frame.x
  const dy = point.y - frame.y
  return { x: dx * cos - dy * sin, y: dx * sin + dy * cos }
}

/** Where the rotate handle is: above the top edge's middle, a fixed screen distance away. */
export function rotateHandlePoint(frame: Frame, scale: number): Point {
  const top = framePoint(frame, 0.5, 0)
  const distance = ROTATE_HANDLE_OFFSET_PX / scale
  return { x: top.x + Math.sin(frame.rotation) * distance, y: top.y - Math.cos(frame.rotation) * distance }
}

/**
 * The handle under a board point, if any. Side handles are left out when the frame is too small
 * on screen to hold them apart from the corners.
 */
export function handleAt(frame: Frame, point: Point, scale: number): Handle | null {
  const reach = HANDLE_REACH_PX / scale
  const rotate = rotateHandlePoint(frame, scale)
  if (Math.hypot(point.x - rotate.x, point.y - rotate.y) <= reach) return { kind: 'rotate' }
  for (const handle of visibleHandles(frame, scale)) {
    const at = framePoint(frame, handle.u, handle.v)
    if (Math.hypot(point.x - at.x, point.y - at.y) <= reach) return handle
  }
  return null
}

export function visibleHandles(frame: Frame, scale: number): readonly ResizeHandle[] {
  const small = Math.min(frame.width, frame.height) * scale < 3 * HANDLE_SIZE_PX
  return small ? RESIZE_HANDLES.filter((handle) => handle.u !== 0.5 && handle.v !== 0.5) : RESIZE_HANDLES
}

/** Whether a board point lies inside the frame. */
export function frameContains(frame: Frame, point: Point): boolean {
  const local = toFrame(frame, point)
  return local.x >= 0 && local.y >= 0 && local.x <= frame.width && local.y <= frame.height
}
