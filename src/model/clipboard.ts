/**
 * Copying shapes out of a board and pasting them into one (the same or another): the copy is a
 * board JSON with the images it uses, marked so a paste can tell it from any other text.
 * Duplicating is a copy pasted at once.
 */
import * as Y from 'yjs'
import { exportShapes, parseBoard, readAllShapes, storeAssets, type BoardJSON } from './board-json'
import { unionBounds, type Box } from './geometry'
import { newShapeId, type ShapeId } from './ids'
import { insertShapes } from './ops'
import { readShapes } from './validate'

export const CLIPBOARD_MARKER = 'meshboard/shapes'

export interface ClipboardJSON extends BoardJSON {
  type: typeof CLIPBOARD_MARKER
}

export function copyShapes(doc: Y.Doc, ids: Iterable<ShapeId>): ClipboardJSON {
  return { type: CLIPBOARD_MARKER, ...exportShapes(doc, readShapes(doc, ids)) }
}

/** The clipboard content if `text` is a meshboard copy, else null (plain text to paste as text). */
export function readClipboard(text: string): ClipboardJSON | null {
  if (!text.trimStart().startsWith('{')) return null
  try {
    const value = JSON.parse(text) as Partial<ClipboardJSON>
    return value?.type === CLIPBOARD_MARKER ? (value as ClipboardJSON) : null
  } catch {
    return null
  }
}

/**
 * Adds copies of the clipboard's shapes on top of the board, with new ids, moved by the offset
 * `place` chooses from their bounds, as one undo step; returns the new ids. Throws
 * BoardImportError for content that is not valid (nothing is added then).
 */
export function pasteShapes(doc: Y.Doc, clip: BoardJSON, place: (bounds: Box) => { dx: number; dy: number }): ShapeId[] {
  const { shapes, assets } = parseBoard(clip)
  if (shapes.length === 0) return []
  // Bounds need validated shapes: read them from a scratch document first.
  const scratch = new Y.Doc()
  insertShapes(scratch, shapes)
  const bounds = unionBounds(readAllShapes(scratch).shapes) ?? { x: 0, y: 0, width: 0, height: 0 }
  scratch.destroy()
  const { dx, dy } = place(bounds)
  storeAssets(doc, assets)
  return insertShapes(
    doc,
    shapes.map(({ fields }) => ({ id: newShapeId(), fields: { ...fields, x: (fields.x as number) + dx, y: (fields.y as number) + dy } })),
  )
}
