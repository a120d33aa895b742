/**
 * Yjs updates taken apart and written back (version 1 encoding), so that a test can change one
 * field of one struct, list a client twice, or write a delete set Yjs itself never would.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

export type Struct = Y.Item | Y.GC | Y.Skip

/** The structs of one client, from `clock` on without a gap (each struct's clock follows from the lengths). */
export interface Run {
  client: number
  clock: number
  structs: Struct[]
}

export interface UpdateParts {
  runs: Run[]
  deletions: Array<[client: number, ranges: Array<[clock: number, len: number]>]>
}

/** The runs and delete set of an update; null if Yjs cannot decode it. */
export function partsOf(update: Uint8Array): UpdateParts | null {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(update)
  } catch {
    return null
  }
  const runs: Run[] = []
  let end = -1
  for (const struct of decoded.structs) {
    const last = runs[runs.length - 1]
    if (last && last.client === struct.id.client && end === struct.id.clock) last.structs.push(struct)
    else runs.push({ client: struct.id.client, clock: struct.id.clock, structs: [struct] })
    end = struct.id.clock + struct.length
  }
  const deletions: UpdateParts['deletions'] = [...decoded.ds.clients].map(([client, items]) => [client, items.map((item) => [item.clock, item.len])])
  return { runs, deletions }
}

/** Writes `parts` as Yjs lays out a version 1 update (the structs write themselves). Throws on what Yjs cannot write. */
export function encodeParts(parts: UpdateParts): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, parts.runs.length)
  for (const run of parts.runs) {
    encoding.writeVarUint(encoder.restEncoder, run.structs.length)
    encoder.writeClient(run.client)
    encoding.writeVarUint(encoder.restEncoder, run.clock)
    for (const struct of run.structs) struct.write(encoder, 0)
  }
  encoding.writeVarUint(encoder.restEncoder, parts.deletions.length)
  for (const [client, ranges] of parts.deletions) {
    encoder.resetDsCurVal()
    encoding.writeVarUint(encoder.restEncoder, client)
    encoding.writeVarUint(encoder.restEncoder, ranges.length)
    for (const [clock, len] of ranges) {
      encoder.writeDsClock(clock)
      encoder.writeDsLen(len)
    }
  }
  return encoder.toUint8Array()
}

/** An item for a hand-made run: `place` is a root's name or the ID of the item holding its parent type. */
export function itemAt(client: number, clock: number, place: { origin: Y.ID } | { parent: string | Y.ID; key?: string }, content: Y.Item['content']): Y.Item {
  const id = Y.createID(client, clock)
  if ('origin' in place) return new Y.Item(id, null, place.origin, null, null, null, null, content)
  return new Y.Item(id, null, null, null, null, place.parent as Y.ID, place.key ?? null, content)
}
