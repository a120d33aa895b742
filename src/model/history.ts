/**
 * Per-user undo (DESIGN.md §3): only this user's local writes are tracked, so nobody undoes
 * someone else's work. Capturing never times out; instead every gesture starts a new step, so a
 * slow stroke is still one step and two quick strokes are still two.
 */
import * as Y from 'yjs'
import { LOCAL_ORIGIN, metaOf, shapesOf } from './board-doc'

export class History {
  private readonly manager: Y.UndoManager

  constructor(doc: Y.Doc) {
    this.manager = new Y.UndoManager([shapesOf(doc), metaOf(doc)], {
      trackedOrigins: new Set([LOCAL_ORIGIN]),
      captureTimeout: Number.POSITIVE_INFINITY,
    })
  }

  /** Call before the first write of every user action (pointer-down, import, delete...). */
  beginGesture(): void {
    this.manager.stopCapturing()
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
