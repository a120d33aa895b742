/**
 * What can be done to the selection from the keyboard, the style panel or the menus. Each call is
 * one undo step; the selection follows (duplicates become the selection, deleted shapes leave it).
 */
import type * as Y from 'yjs'
import { readAllShapes } from '../../model/board-json'
import { copyShapes, pasteShapes } from '../../model/clipboard'
import type { History } from '../../model/history'
import type { ShapeId } from '../../model/ids'
import { deleteShapes, updateShapes } from '../../model/ops'
import { stylePatch, type StyleChange } from '../../model/shape-spec'
import type { Shape } from '../../model/shapes'
import { frameOf, toFrame } from '../../model/frame'
import { movePatch, resizePatch, type ShapePatch, type TextLayout } from '../../model/transform'
import { readShapes } from '../../model/validate'
import { reorderShapes, type Reorder } from '../../model/z-order'
import type { Selection } from './selection'

/** How far a duplicate lands from its original, in board units. */
export const DUPLICATE_OFFSET = 16

/** A style choice (the style vocabulary is model/shape-spec.ts); only the shapes whose type takes it change. */
export type { StyleChange }

export class SelectionCommands {
  constructor(
    private readonly doc: Y.Doc,
    private readonly history: History,
    private readonly selection: Selection,
    private readonly layout: TextLayout,
  ) {}

  shapes(): Shape[] {
    return readShapes(this.doc, this.selection.ids)
  }

  selectAll(): void {
    this.selection.set(readAllShapes(this.doc).shapes.map((shape) => shape.id))
  }

  delete(): void {
    if (this.selection.size === 0) return
    this.history.beginGesture()
    deleteShapes(this.doc, this.selection.ids)
    this.selection.clear()
  }

  duplicate(): void {
    if (this.selection.size === 0) return
    this.history.beginGesture()
    const copies = pasteShapes(this.doc, copyShapes(this.doc, this.selection.ids), () => ({ dx: DUPLICATE_OFFSET, dy: DUPLICATE_OFFSET }))
    this.selection.set(copies)
  }

  nudge(dx: number, dy: number): void {
    this.patchEach((shape) => movePatch(shape, dx, dy))
  }

  /**
   * Makes the selection `dw` wider and `dh` taller in board units (negative: narrower, shorter),
   * its top left corner staying put, as dragging the bottom right handle does. Never below one
   * unit; a flat side (a level line) keeps its size.
   */
  resize(dw: number, dh: number): void {
    const shapes = this.shapes()
    const frame = frameOf(shapes)
    if (!frame) return
    // One shape with a size of its own grows by exactly that (its frame also holds its ink).
    const only = shapes.length === 1 && 'width' in shapes[0]! ? shapes[0] : null
    const scaleOf = (size: number, by: number) => (size < 1 ? 1 : Math.max(1, size + by) / size)
    const [sx, sy] = [scaleOf(only?.width ?? frame.width, dw), scaleOf(only?.height ?? frame.height, dh)]
    if (sx === 1 && sy === 1) return
    // The corner that stays: the shape's own (its frame's is a little out, around its ink), or the selection's.
    const anchor = only ? toFrame(frame, only) : { x: 0, y: 0 }
    this.patchEach((shape) => resizePatch(shape, frame, anchor, sx, sy, this.layout))
  }

  reorder(to: Reorder): void {
    if (this.selection.size === 0) return
    this.history.beginGesture()
    reorderShapes(this.doc, this.selection.ids, to)
  }

  /** Applies a style choice to the selected shapes whose type takes it (SHAPE_SPECS). */
  style(change: StyleChange): void {
    this.patchEach((shape) => stylePatch(shape, change, this.layout))
  }

  private patchEach(patchOf: (shape: Shape) => ShapePatch | null): void {
    const patches = new Map<ShapeId, ShapePatch>()
    for (const shape of this.shapes()) {
      const patch = patchOf(shape)
      if (patch) patches.set(shape.id, patch)
    }
    if (patches.size === 0) return
    this.history.beginGesture()
    updateShapes(this.doc, patches)
  }
}
