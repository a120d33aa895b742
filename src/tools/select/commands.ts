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
import { fillTint, hasText, isBoxShape, type Shape } from '../../model/shapes'
import { movePatch, type ShapePatch, type TextLayout } from '../../model/transform'
import { readShapes } from '../../model/validate'
import { reorderShapes, type Reorder } from '../../model/z-order'
import type { Selection } from './selection'

/** How far a duplicate lands from its original, in board units. */
export const DUPLICATE_OFFSET = 16

/** A style change from the style panel; only the shapes it applies to change. */
export type StyleChange =
  | { kind: 'color'; color: string }
  | { kind: 'strokeWidth'; strokeWidth: number }
  | { kind: 'fill'; fill: boolean }
  | { kind: 'noteColor'; fill: string }
  | { kind: 'opacity'; opacity: number }
  | { kind: 'fontSize'; fontSize: number }

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

  reorder(to: Reorder): void {
    if (this.selection.size === 0) return
    this.history.beginGesture()
    reorderShapes(this.doc, this.selection.ids, to)
  }

  /** Applies a style to the selected shapes it makes sense for. */
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

function stylePatch(shape: Shape, change: StyleChange, layout: TextLayout): ShapePatch | null {
  switch (change.kind) {
    case 'color':
      if (shape.type === 'image' || shape.type === 'sticky') return null
      // A filled box keeps its fill in the tint of its outline.
      return isBoxShape(shape) && shape.fill ? { color: change.color, fill: fillTint(change.color) } : { color: change.color }
    case 'strokeWidth':
      return 'strokeWidth' in shape ? { strokeWidth: change.strokeWidth } : null
    case 'fill':
      return isBoxShape(shape) ? { fill: change.fill ? fillTint(shape.color) : null } : null
    case 'noteColor':
      return shape.type === 'sticky' ? { fill: change.fill } : null
    case 'opacity':
      return { opacity: change.opacity }
    case 'fontSize': {
      if (!hasText(shape)) return null
      if (shape.type === 'sticky') return { fontSize: change.fontSize }
      const size = layout(shape.text, change.fontSize, shape.autoWidth ? null : shape.width)
      return { fontSize: change.fontSize, width: size.width, height: size.height }
    }
  }
}
