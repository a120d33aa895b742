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
 */
import { length, toUint8Array, writeUint8Array, writeVarUint } from 'lib0/encoding'
import * as Y from 'yjs'

type Struct = Y.Item | Y.GC

interface Run {
  /** Clock of the run's first struct. */
  readonly clock: number
  count: number
  readonly encoder: Y.UpdateEncoderV1
}

/**
 * Pieces of at least `pieceBytes` encoded structs each (the last one of structs may be smaller),
 * then the deletions. With `known` (a receiver's state vector), only what it lacks: the answer
 * to a peer returning after a long absence, in pieces like a joiner's.
 */
export function encodeStateInPieces(doc: Y.Doc, pieceBytes: number, known: ReadonlyMap<number, number> = new Map()): Uint8Array[] {
  const pieces: Uint8Array[] = []
  let runs = new Map<number, Run>()
  let size = 0
  for (const struct of dependencyOrder(doc.store.clients, known)) {
    const client = struct.id.client
    // The receiver's first struct of a client may be cut: it has the part before its state.
    const offset = Math.max(0, (known.get(client) ?? 0) - struct.id.clock)
    let run = runs.get(client)
    if (!run) runs.set(client, (run = { clock: struct.id.clock + offset, count: 0, encoder: new Y.UpdateEncoderV1() }))
    const before = length(run.encoder.restEncoder)
    struct.write(run.encoder, offset)
    run.count++
    size += length(run.encoder.restEncoder) - before
    if (size >= pieceBytes) {
      pieces.push(updateOf(runs))
      runs = new Map()
      size = 0
    }
  }
  if (runs.size > 0) pieces.push(updateOf(runs))
  // No structs past the document's own state: Yjs's update of just its deletions (and of whatever
  // waits in its pending store, which the pieces do not hold).
  pieces.push(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)))
  return pieces
}

/** A V1 update of these runs and no deletions, laid out as Yjs's own writeClientsStructs does. */
function updateOf(runs: Map<number, Run>): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  const out = encoder.restEncoder
  writeVarUint(out, runs.size)
  for (const [client, run] of runs) {
    writeVarUint(out, run.count)
    encoder.writeClient(client)
    writeVarUint(out, run.clock)
    writeUint8Array(out, toUint8Array(run.encoder.restEncoder))
  }
  // The delete set: no clients.
  writeVarUint(out, 0)
  return encoder.toUint8Array()
}

/**
 * Every struct of the store, each client's in clock order, none before the structs it refers to.
 * Clients go highest id first, as Yjs writes them. When a struct refers to another client's
 * struct not yet given, that client's structs are given first up to it (a stack of such detours).
 * A reference that cannot be met (a client not in the store, or a cycle, which a healthy document
 * does not have) is ignored: the struct then waits in the receiver's pending store, which is slow
 * but still correct.
 */
function* dependencyOrder(clients: Map<number, Struct[]>, known: ReadonlyMap<number, number>): Generator<Struct> {
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
    if (!(struct instanceof Y.Item)) return null
    const unmet = (id: Y.ID | null | undefined): Y.ID | null =>
      id && id.client !== struct.id.client && clients.has(id.client) && givenUpTo(id.client) <= id.clock && !stack.some((detour) => detour.client === id.client)
        ? id
        : null
    const parent = struct.parent instanceof Y.AbstractType ? struct.parent._item?.id : null
    return unmet(struct.origin) ?? unmet(struct.rightOrigin) ?? unmet(parent)
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
