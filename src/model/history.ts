/**
 * Per-user undo (DESIGN.md §3): only this user's local writes are tracked, so nobody undoes
 * someone else's work. Capturing never times out; instead every gesture starts a new step, so a
 * slow stroke is still one step and two quick strokes are still two.
 */
import * as Y from 'yjs'
import { LOCAL_ORIGIN, metaOf, shapesOf } from './board-doc'

export class History {
  private readonly manager: Y.UndoManager
  /** Steps on the undo stack when the current gesture began: more means it has written. */
  private stepsBeforeGesture = 0

  constructor(doc: Y.Doc) {
    this.manager = new Y.UndoManager([shapesOf(doc), metaOf(doc)], {
      trackedOrigins: new Set([LOCAL_ORIGIN]),
      captureTimeout: Number.POSITIVE_INFINITY,
    })
  }

  /** Call before the first write of every user action (pointer-down, import, delete...). */
  beginGesture(): void {
    this.manager.stopCapturing()
    this.stepsBeforeGesture = this.manager.undoStack.length
  }

  /**
   * Takes back everything the current gesture wrote and leaves no step for it (a pinch whose first
   * finger had begun a stroke): neither undo nor redo shows it. Nothing happens when it wrote nothing.
   */
  discardGesture(): void {
    if (this.manager.undoStack.length <= this.stepsBeforeGesture) return
    this.manager.undo()
    this.manager.redoStack.pop()
  }

  undo(): boolean {
    this.manager.stopCapturing()
    return this.manager.undo() !== null
  }

  redo(): boolean {
    this.manager.stopCapturing()
    return this.manager.redo() !== null
  }

  get canUndo(): boolean {
    return this.manager.canUndo()
  }

  get canRedo(): boolean {
    return this.manager.canRedo()
  }

  destroy(): void {
    this.manager.destroy()
  }
}
