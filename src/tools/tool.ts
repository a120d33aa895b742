/** What every tool sees: normalised pointer input and the context it acts on (no Konva, no DOM). */
import type * as Y from 'yjs'
import type { History } from '../model/history'
import type { TrailPoint } from '../model/laser'
import type { Box } from '../model/geometry'
import type { ShapeId } from '../model/ids'
import type { StrokeStyle } from '../model/shapes'
import type { TextLayout } from '../model/transform'
import type { Point, Viewport } from '../render/camera'
import type { Selection } from './select/selection'

export const TOOL_NAMES = [
  'select',
  'pen',
  'highlighter',
  'eraser',
  'rectangle',
  'ellipse',
  'line',
  'arrow',
  'text',
  'sticky',
  'image',
  'laser',
  'hand',
] as const
export type ToolName = (typeof TOOL_NAMES)[number]

export function isToolName(value: unknown): value is ToolName {
  return (TOOL_NAMES as readonly unknown[]).includes(value)
}

export interface BoardPointer {
  readonly pointerId: number
  readonly kind: 'mouse' | 'pen' | 'touch'
  readonly button: number
  /** CSS pixels relative to the board's top-left corner. */
  readonly screen: Point
  readonly board: Point
  /** Device pressure in 0..1, or null when the device reports none (mouse, most touch screens). */
  readonly pressure: number | null
  readonly shiftKey: boolean
}

export type { TrailPoint } from '../model/laser'

export interface ToolContext {
  readonly doc: Y.Doc
  readonly history: History
  readonly viewport: Viewport
  /** The style the next shape is drawn with. */
  readonly style: () => StrokeStyle
  /** Fill of the next rectangle or ellipse, or null for none. */
  readonly fill: () => string | null
  /** Shows this user's laser trail to everyone (presence, never the document). */
  readonly showLaser: (trail: readonly TrailPoint[]) => void
  /** Shapes whose ink is within `radius` board units of `point` (the render side answers). */
  readonly shapesNear: (point: Point, radius: number) => ShapeId[]
  /** Shows which shapes an eraser gesture would remove (empty: none). */
  readonly previewErase: (ids: ReadonlySet<ShapeId>) => void
  /** This user's selected shapes (session state, shown to others through presence). */
  readonly selection: Selection
  /** Shapes lying entirely inside a board rectangle. */
  readonly shapesInside: (area: Box) => ShapeId[]
  /** Shows the marquee being dragged (null: none). */
  readonly showMarquee: (area: Box | null) => void
  /** Text style of the next text or note. */
  readonly textStyle: () => { color: string; fontSize: number; opacity: number }
  /** Colour of the next sticky note. */
  readonly noteColor: () => string
  /** Height of a text laid out at a width (the render side measures fonts). */
  readonly layoutText: TextLayout
  /** Opens the in-place editor on a text or note, or on a new text at a board point. */
  readonly editText: (target: ShapeId | { newTextAt: Point }) => void
  /** Asks the user for an image file to place at a board point. */
  readonly pickImage: (at: Point) => void
}

/**
 * Why a gesture was taken away from its tool before the pointer went up (the input module calls
 * `onInterrupt`): a second finger turned it into a pinch, the board became read-only, another tool
 * was chosen, or the board is closing.
 */
export type Interruption = 'pinch' | 'readonly' | 'tool-change' | 'teardown'

/**
 * A tool: a state machine the input module drives (DESIGN.md §4). It never listens to the DOM and
 * never schedules frames of its own: the input module calls `onFrame` once per animation frame
 * while one of the tool's gestures is in progress, and that is where tools write to the document.
 */
export interface Tool {
  readonly name: ToolName
  /** CSS cursor over the board while this tool is active and idle. */
  readonly cursor: string
  /** A cursor for what is under the pointer (a handle, a shape), when it differs from `cursor`. */
  hoverCursor?(board: Point): string | null
  onPointerDown(pointer: BoardPointer): void
  onPointerMove(pointer: BoardPointer): void
  onPointerUp(pointer: BoardPointer): void
  /** Once per animation frame while a gesture of this tool is in progress: write what changed. */
  onFrame?(): void
  /**
   * The browser cancelled the pointer (the system took it, the window lost it): the gesture ends
   * and keeps what it made, since losing half a stroke to a stray event would be worse.
   */
  onCancel(): void
  /**
   * The gesture was taken away (see Interruption). A pinch takes back what the gesture made — the
   * first finger meant to navigate, not to draw —; any other interruption ends it keeping it.
   */
  onInterrupt(reason: Interruption): void
}
