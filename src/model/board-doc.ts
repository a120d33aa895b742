/**
 * Where the board lives inside a Y.Doc (DESIGN.md §3). Values in these maps are typed `unknown`
 * on purpose: any peer can write anything, so every read goes through a validator.
 */
import * as Y from 'yjs'

/** The origin of every local write; the undo manager tracks this origin only. */
export const LOCAL_ORIGIN = Symbol('meshboard.local')

export function shapesOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('shapes')
}

export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('meta')
}

/** The one way local code writes to the document. */
export function transactLocal(doc: Y.Doc, write: () => void): void {
  doc.transact(write, LOCAL_ORIGIN)
}

/** Whether a transaction changed the document: new structs from some client, or deletions. */
export function changedDocument(transaction: Y.Transaction): boolean {
  const { beforeState, afterState, deleteSet } = transaction
  if (deleteSet.clients.size > 0) return true
  for (const [client, clock] of afterState) if (beforeState.get(client) !== clock) return true
  return false
}
