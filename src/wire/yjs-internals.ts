/**
 * src/wire, Yjs 13.6.33 (and lib0 0.2.120's ObservableV2 under Y.Doc, and its encoders under Yjs's):
 * the document's store, its listeners, and structs written as Yjs writes them. Part of the wire
 * adapter (wire-internals.ts says what the layer is); every hook names the private field or
 * behaviour it relies on, read against exactly these versions.
 */
import { createDecoder, readAny, readUint8, readVarString, readVarUint, readVarUint8Array, type Decoder } from 'lib0/decoding'
import { length, toUint8Array, writeUint8Array, writeVarUint } from 'lib0/encoding'
import * as Y from 'yjs'

// ---- Yjs 13.6.33 documents (lib0 0.2.120's ObservableV2) and their store ----

/** Whether Yjs holds structs or deletions back for a missing dependency (`doc.store.pendingStructs`, `pendingDs`). */
export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null
}

/**
 * Runs `apply` (which applies `update` to `doc` in a transaction of `origin`) with nobody
 * listening to the document's 'update' (Yjs encodes every transaction anew for those listeners);
 * then, if that transaction changed the document by `changed`, emits 'update' with `update`
 * itself, as Yjs emits its own encoding: (update, origin, doc, transaction). lib0's ObservableV2
 * keeps listeners in `_observers` (a Set by event name): the set is taken out and put back.
 * `update` may repeat what the document had: applying an update twice changes nothing.
 */
export function applyAsUpdate<T>(doc: Y.Doc, update: Uint8Array, origin: unknown, changed: (transaction: Y.Transaction) => boolean, apply: () => T): T {
  const observers = (doc as unknown as { _observers: Map<string, Set<(...args: unknown[]) => void>> })._observers
  const listeners = observers.get('update')
  let applied: Y.Transaction | null = null
  const note = (transaction: Y.Transaction) => {
    if (transaction.origin === origin) applied = transaction
  }
  observers.delete('update')
  doc.on('afterTransaction', note)
  let result: T
  try {
    result = apply()
  } finally {
    doc.off('afterTransaction', note)
    if (listeners) observers.set('update', listeners)
  }
  if (applied && changed(applied)) doc.emit('update', [update, origin, doc, applied])
  return result
}

export type Struct = Y.Item | Y.GC

/** Every struct of the document, by client, each client's in clock order (`doc.store.clients`). */
export function structsByClient(doc: Y.Doc): ReadonlyMap<number, readonly Struct[]> {
  return doc.store.clients
}

/**
 * The clock a client's next struct in the document would have: the end of its last struct in
 * `doc.store.clients`, 0 for a client the document has nothing of (Yjs's exported
 * `getState(doc.store, client)`, which takes the private StructStore).
 */
export function clockOf(doc: Y.Doc, client: number): number {
  return Y.getState(doc.store, client)
}

/**
 * The struct of the document containing `id` (Yjs's exported `getItem(doc.store, id)`, a binary
 * search of `doc.store.clients`, which throws where the document has no such clock): null then.
 * An item or a GC (collected), whatever Yjs's typing of `getItem` says.
 */
export function storedStructAt(doc: Y.Doc, id: Y.ID): Struct | null {
  try {
    return Y.getItem(doc.store, id) as Struct
  } catch {
    return null
  }
}

/**
 * The index in one client's structs (an entry of structsByClient, in clock order) of the struct
 * containing `clock` (Yjs's exported `findIndexSS`); throws when none does: look `clock` up below
 * clockOf the client only.
 */
export function indexOfClock(structs: readonly Struct[], clock: number): number {
  return Y.findIndexSS(structs as Struct[], clock)
}

/**
 * The structs Yjs holds back for a missing dependency, merged into one V2 update
 * (`doc.store.pendingStructs.update`), or null when none wait.
 */
export function pendingStructsUpdate(doc: Y.Doc): Uint8Array | null {
  return doc.store.pendingStructs?.update ?? null
}

/** The item that holds a nested type in its document (`type._item`), or null for a root type (or one not in a document yet). */
export function itemOfType<Event>(type: Y.AbstractType<Event>): Y.Item | null {
  return type._item
}

/**
 * How many transactions of the document Yjs has not finished cleaning up (`doc._transactionCleanups`:
 * Yjs pushes the outermost transaction there and cleans up from its head, observers and 'update'
 * included, emptying it as the last one ends). 0 between tasks, unless a cleanup threw: that
 * transaction then stays at the head for good, and no later one is ever cleaned up.
 */
export function unfinishedTransactions(doc: Y.Doc): number {
  return (doc as unknown as { _transactionCleanups: readonly Y.Transaction[] })._transactionCleanups.length
}

/**
 * What a struct refers to and must not arrive before: an item's left and right origins and the
 * item of the type it is in (itemOfType; null for a root type). A GC refers to nothing.
 */
export function referencesOf(struct: Struct): Y.ID[] {
  if (!(struct instanceof Y.Item)) return []
  const references: Y.ID[] = []
  if (struct.origin) references.push(struct.origin)
  if (struct.rightOrigin) references.push(struct.rightOrigin)
  const parent = struct.parent instanceof Y.AbstractType ? itemOfType(struct.parent)?.id : null
  if (parent) references.push(parent)
  return references
}

/** A run of one client's consecutive structs, written as Yjs writes them into an update (V1). */
export class StructRun {
  count = 0
  private readonly encoder = new Y.UpdateEncoderV1()

  /** `clock`: of the run's first struct (after any offset into it). */
  constructor(readonly clock: number) {}

  /** Writes `struct` from `offset` on (`struct.write`, as Yjs's writeStructs does); returns the bytes it took. */
  write(struct: Struct, offset: number): number {
    const before = length(this.encoder.restEncoder)
    struct.write(this.encoder, offset)
    this.count++
    return length(this.encoder.restEncoder) - before
  }

  /** The written structs' bytes. */
  bytes(): Uint8Array {
    return toUint8Array(this.encoder.restEncoder)
  }
}

/** A V1 update of these runs (by client) and no deletions, laid out as Yjs's own writeClientsStructs does. */
export function updateOfRuns(runs: ReadonlyMap<number, StructRun>): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  const out = encoder.restEncoder
  writeVarUint(out, runs.size)
  for (const [client, run] of runs) {
    writeVarUint(out, run.count)
    encoder.writeClient(client)
    writeVarUint(out, run.clock)
    writeUint8Array(out, run.bytes())
  }
  // The delete set: no clients.
  writeVarUint(out, 0)
  return encoder.toUint8Array()
}

// ---- Yjs 13.6.33's update encoding (v1) ----

/**
 * How many structs `update` (Yjs's v1 encoding) holds, read without making them; counting stops
 * once past `atMost` (Infinity when it does). What Y.decodeUpdate builds costs about 3 µs a
 * struct (700,000 tiny shapes' structs took 2.2 s), so an update over the limit is refused
 * without it. Throws on bytes that are not an update, as Yjs would. The layout is Yjs's
 * readClientsStructRefs and readItemContent with UpdateDecoderV1.
 */
export function structsInUpdate(update: Uint8Array, atMost: number): number {
  const decoder = createDecoder(update)
  const id = () => {
    readVarUint(decoder) // client
    readVarUint(decoder) // clock
  }
  let count = 0
  const clients = readVarUint(decoder)
  for (let i = 0; i < clients; i++) {
    const structs = readVarUint(decoder)
    count += structs
    if (count > atMost) return Infinity
    id() // the client and the first clock
    for (let s = 0; s < structs; s++) {
      const info = readUint8(decoder)
      const kind = info & 0b11111
      if (kind === 0 || kind === 10) {
        readVarUint(decoder) // GC or Skip: a length
        continue
      }
      const origin = (info & 0b10000000) !== 0
      const rightOrigin = (info & 0b01000000) !== 0
      if (origin) id()
      if (rightOrigin) id()
      if (!origin && !rightOrigin) {
        if (readVarUint(decoder) === 1) readVarString(decoder) // a root type's name
        else id() // the item of the type it is in
        if ((info & 0b00100000) !== 0) readVarString(decoder) // its map key
      }
      skipContent(decoder, kind)
    }
  }
  return count
}

function skipContent(decoder: Decoder, kind: number): void {
  switch (kind) {
    case 1: // ContentDeleted
      readVarUint(decoder)
      return
    case 2: // ContentJSON
      for (let n = readVarUint(decoder); n > 0; n--) readVarString(decoder)
      return
    case 3: // ContentBinary
      readVarUint8Array(decoder)
      return
    case 4: // ContentString
    case 5: // ContentEmbed
      readVarString(decoder)
      return
    case 6: // ContentFormat
      readVarString(decoder)
      readVarString(decoder)
      return
    case 7: {
      // ContentType: YXmlElement and YXmlHook carry a name
      const typeRef = readVarUint(decoder)
      if (typeRef === 3 || typeRef === 5) readVarString(decoder)
      return
    }
    case 8: // ContentAny
      for (let n = readVarUint(decoder); n > 0; n--) readAny(decoder)
      return
    case 9: // ContentDoc
      readVarString(decoder)
      readAny(decoder)
      return
    default:
      throw new Error(`Unexpected content type in an update: ${kind}`)
  }
}
