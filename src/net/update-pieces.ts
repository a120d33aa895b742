/**
 * The whole document as several Yjs updates of about `pieceBytes` each, which a receiver applies
 * one by one as they arrive. A joiner of a big board then decodes, applies and indexes the first
 * pieces while the rest is still on the wire, instead of waiting for all of it and doing all the
 * work after (for 10,000 strokes, 5 MB and half a second of the joiner's main thread).
 *
 * Applying the pieces in order gives exactly what applying `Y.encodeStateAsUpdate(doc)` gives:
 * every struct of the document, each once, then its deletions as Yjs writes them.
 *
 * Each piece holds, per client, a contiguous run of that client's structs (an update can name a
 * client once), and the structs go out in an order where nothing comes before what it refers to
 * (its left and right origins, the type it is in). A struct that arrived before what it refers to
 * would wait in Yjs's pending store, which Yjs merges anew with every later update: correct, but
 * slow. Structs refer only to what existed when they were made, so such an order always exists;
 * one client's own structs are in order by clock already. The deletions come last: deleting what
 * has not arrived yet would also wait in the pending store.
 *
 * The store's structs, what they refer to and their encoding are Yjs's internals: read and written
 * through wire-internals.ts.
 */
import * as Y from 'yjs'
import { MAX_UPDATE_STRUCTS } from '../model/update-screen'
import { referencesOf, StructRun, structsByClient, updateOfRuns, type Struct } from '../wire/wire-internals'

/** The most structs a piece holds: well within what a receiver takes in one update (the update screen's limit). */
export const MAX_PIECE_STRUCTS = MAX_UPDATE_STRUCTS / 5

/**
 * Pieces of at least `pieceBytes` encoded structs or `maxStructs` structs each (the last one of
 * structs may be smaller), then the deletions. With `known` (a receiver's state vector), only what
 * it lacks: the answer to a peer returning after a long absence, in pieces like a joiner's.
 */
export function encodeStateInPieces(
  doc: Y.Doc,
  pieceBytes: number,
  known: ReadonlyMap<number, number> = new Map(),
  maxStructs = MAX_PIECE_STRUCTS,
): Uint8Array[] {
  const pieces: Uint8Array[] = []
  let runs = new Map<number, StructRun>()
  let size = 0
  let structs = 0
  for (const struct of dependencyOrder(structsByClient(doc), known)) {
    const client = struct.id.client
    // The receiver's first struct of a client may be cut: it has the part before its state.
    const offset = Math.max(0, (known.get(client) ?? 0) - struct.id.clock)
    let run = runs.get(client)
    if (!run) runs.set(client, (run = new StructRun(struct.id.clock + offset)))
    size += run.write(struct, offset)
    structs++
    if (size >= pieceBytes || structs >= maxStructs) {
      pieces.push(updateOfRuns(runs))
      runs = new Map()
      size = 0
      structs = 0
    }
  }
  if (runs.size > 0) pieces.push(updateOfRuns(runs))
  // No structs past the document's own state: Yjs's update of just its deletions (and of whatever
  // waits in its pending store, which the pieces do not hold).
  pieces.push(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)))
  return pieces
}

/**
 * A change made here as pieces like a joiner's, when it adds more than `maxStructs` structs (an
 * import or a paste of thousands of shapes is one transaction, and one update of it would be
 * refused by every receiver); else `[update]` itself. `before` and `after` are the transaction's
 * state vectors: the pieces hold the structs between them, then the document's deletions.
 */
export function changeInPieces(
  doc: Y.Doc,
  update: Uint8Array,
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
  pieceBytes: number,
  maxStructs = MAX_PIECE_STRUCTS,
): Uint8Array[] {
  let added = 0
  // Clocks count a struct's length (a string's characters): at least one each, so never fewer than the structs.
  for (const [client, clock] of after) added += clock - (before.get(client) ?? 0)
  if (added <= maxStructs) return [update]
  // Nothing of clients this change did not touch; of the others, what came after `before`.
  const known = new Map(Y.decodeStateVector(Y.encodeStateVector(doc)))
  for (const [client, clock] of after) if (clock !== (before.get(client) ?? 0)) known.set(client, before.get(client) ?? 0)
  return encodeStateInPieces(doc, pieceBytes, known, maxStructs)
}

/**
 * Every struct of the store, each client's in clock order, none before the structs it refers to.
 * Clients go highest id first, as Yjs writes them. When a struct refers to another client's
 * struct not yet given, that client's structs are given first up to it (a stack of such detours).
 * A reference that cannot be met (a client not in the store, or a cycle, which a healthy document
 * does not have) is ignored: the struct then waits in the receiver's pending store, which is slow
 * but still correct.
 */
function* dependencyOrder(clients: ReadonlyMap<number, readonly Struct[]>, known: ReadonlyMap<number, number>): Generator<Struct> {
  /** Per client, how many of its structs have been given (the receiver's own count as given). */
  const given = new Map<number, number>()
  for (const [client, clock] of known) {
    const structs = clients.get(client)
    if (!structs || clock <= 0) continue
    const whole = structs.findIndex((struct) => struct.id.clock + struct.length > clock)
    given.set(client, whole === -1 ? structs.length : whole)
  }
  const givenUpTo = (client: number): number => {
    const structs = clients.get(client)!
    const count = given.get(client) ?? 0
    const last = structs[count - 1]
    return Math.max(known.get(client) ?? 0, last ? last.id.clock + last.length : 0)
  }
  const waitingFor = (struct: Struct, stack: readonly Detour[]): Y.ID | null => {
    const unmet = (id: Y.ID): boolean =>
      id.client !== struct.id.client && clients.has(id.client) && givenUpTo(id.client) <= id.clock && !stack.some((detour) => detour.client === id.client)
    return referencesOf(struct).find(unmet) ?? null
  }
  for (const client of [...clients.keys()].sort((a, b) => b - a)) {
    const stack: Detour[] = [{ client, until: Infinity }]
    while (stack.length > 0) {
      const { client: current, until } = stack[stack.length - 1]!
      const structs = clients.get(current)!
      const next = given.get(current) ?? 0
      const struct = structs[next]
      if (!struct || struct.id.clock > until) {
        stack.pop()
        continue
      }
      const missing = waitingFor(struct, stack)
      if (missing) {
        stack.push({ client: missing.client, until: missing.clock })
        continue
      }
      given.set(current, next + 1)
      yield struct
    }
  }
}

/** Give `client`'s structs up to the one holding clock `until`. */
interface Detour {
  readonly client: number
  readonly until: number
}
