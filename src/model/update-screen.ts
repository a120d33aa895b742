/**
 * Every update from outside (a peer, the server's copy, the relay) is screened here before Yjs
 * applies it (DESIGN.md §3: a peer can write anything). Two kinds of update hurt a board however
 * the validator reads it afterwards, because the harm is in Yjs itself:
 * - nested types where the board has none: a chain of maps 10,000 deep, then the delete of its
 *   top, overflows the stack inside Yjs's transaction cleanup, and the document never fires an
 *   update again (every later change silently lost, also after a reload);
 * - deletions or structs that wait for what never comes (a client and clock nobody has): Yjs keeps
 *   them pending and retries them on every later update, and copies them into every encoding.
 * The board's schema needs types in exactly two places: a shape (a map in the root `shapes`) and
 * a stroke's `live` array inside a shape. Anything else, or more waiting than honest peers ever
 * cause, is refused with a reason.
 */
import * as Y from 'yjs'

export interface ScreenLimits {
  /**
   * Bytes (or characters) of one value: an image enters the board downscaled to at most 1 MB, and
   * a text is 20,000 characters at most; a 50 MB "asset" would be stored by every peer.
   */
  readonly maxValueBytes: number
  /** Structs in one update (a 100,000-stroke board is about 1.5 million). */
  readonly maxStructs: number
  /** Delete ranges in one update. */
  readonly maxDeleteRanges: number
  /** Structs and delete ranges that would wait for something this document does not have. */
  readonly maxWaiting: number
}

const SCREEN_LIMITS: ScreenLimits = { maxValueBytes: 4 * 1024 * 1024, maxStructs: 4_000_000, maxDeleteRanges: 1_000_000, maxWaiting: 20_000 }

/** Where a type lives: a root type by name, or inside the item that holds it; `sub` is its map key. */
type Place = { readonly root: string; readonly sub: string | null } | { readonly holder: Y.Item; readonly sub: string | null }

/** Origin chains followed at most this far to find an item's parent (a map key overwritten again and again). */
const MAX_ORIGIN_STEPS = 10_000

/** Why `update` must not be applied to `doc`, or null when it may. Never throws. */
export function screenUpdate(doc: Y.Doc, update: Uint8Array, limits: ScreenLimits = SCREEN_LIMITS): string | null {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    decoded = Y.decodeUpdate(update)
  } catch {
    return 'a malformed update'
  }
  const { structs, ds } = decoded
  if (structs.length > limits.maxStructs) return `an update of ${structs.length} structs (at most ${limits.maxStructs})`
  const byClient = groupByClient(structs)
  let waiting = 0
  let ranges = 0
  for (const [client, deletions] of ds.clients) {
    ranges += deletions.length
    const known = reachOf(doc, byClient, client)
    for (const deletion of deletions) if (deletion.clock >= known) waiting++
  }
  if (ranges > limits.maxDeleteRanges) return `an update deleting ${ranges} ranges (at most ${limits.maxDeleteRanges})`
  for (const [client, list] of byClient) {
    // A run starting past what this document has waits, and so does everything after it.
    if (list[0]!.id.clock > Y.getState(doc.store, client)) waiting += list.length
  }
  if (waiting > limits.maxWaiting) return `an update with ${waiting} parts waiting for changes nobody sent`
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    const { content } = struct
    if (valueSize(content) > limits.maxValueBytes) return `a value over ${Math.round(limits.maxValueBytes / (1024 * 1024))} MB`
    if (content instanceof Y.ContentDoc) return 'a sub-document, which a board never holds'
    if (!(content instanceof Y.ContentType)) continue
    const place = placeOf(doc, byClient, struct)
    if (place === null) return 'a nested type whose parent is unknown'
    if (!isSchemaPlace(doc, byClient, place, content.type)) return 'a nested type where the board has none'
  }
  return null
}

/** The size of the largest value a struct holds: bytes of binary, characters of text. */
function valueSize(content: Y.Item['content']): number {
  if (content instanceof Y.ContentBinary) return content.content.byteLength
  if (content instanceof Y.ContentString) return content.str.length
  if (content instanceof Y.ContentAny) {
    let largest = 0
    for (const value of content.arr) {
      if (typeof value === 'string') largest = Math.max(largest, value.length)
      else if (value instanceof Uint8Array) largest = Math.max(largest, value.byteLength)
    }
    return largest
  }
  return 0
}

/** A shape (a map directly in `shapes`) or a stroke's live array (an array at `live` in a shape). */
function isSchemaPlace(doc: Y.Doc, byClient: StructsByClient, place: Place, type: Y.AbstractType<unknown>): boolean {
  if ('root' in place) return place.root === 'shapes' && place.sub !== null && type instanceof Y.Map
  if (place.sub !== 'live' || !(type instanceof Y.Array)) return false
  const holder = place.holder
  if (!(holder.content instanceof Y.ContentType) || !(holder.content.type instanceof Y.Map)) return false
  const holderPlace = placeOf(doc, byClient, holder)
  return holderPlace !== null && 'root' in holderPlace && holderPlace.root === 'shapes'
}

type StructsByClient = Map<number, Array<Y.Item | Y.GC | Y.Skip>>

function groupByClient(structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>): StructsByClient {
  const byClient: StructsByClient = new Map()
  for (const struct of structs) {
    const list = byClient.get(struct.id.client)
    if (list) list.push(struct)
    else byClient.set(struct.id.client, [struct])
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock)
  return byClient
}

/** How far the document and the update together know `client`'s clock without a gap. */
function reachOf(doc: Y.Doc, byClient: StructsByClient, client: number): number {
  let reach = Y.getState(doc.store, client)
  for (const struct of byClient.get(client) ?? []) {
    if (struct.id.clock > reach) break
    reach = Math.max(reach, struct.id.clock + struct.length)
  }
  return reach
}

/**
 * The place of an item: its parent as written, or (Yjs leaves the parent out when an item has an
 * origin) its origin's. Null when it cannot be told: the parent is in neither the document nor
 * the update, or the chain of origins is absurdly long.
 */
function placeOf(doc: Y.Doc, byClient: StructsByClient, item: Y.Item): Place | null {
  let current: Y.Item = item
  for (let step = 0; step < MAX_ORIGIN_STEPS; step++) {
    const { parent, parentSub } = current
    if (typeof parent === 'string') return { root: parent, sub: parentSub }
    if (parent instanceof Y.AbstractType) return placeOfType(parent, parentSub)
    if (parent instanceof Y.ID) {
      const holder = findItem(doc, byClient, parent)
      return holder ? { holder, sub: parentSub } : null
    }
    const neighbour = current.origin ?? current.rightOrigin
    const next = neighbour ? findItem(doc, byClient, neighbour) : null
    if (!next) return null
    current = next
  }
  return null
}

function placeOfType(type: Y.AbstractType<unknown>, sub: string | null): Place | null {
  if (type._item) return { holder: type._item, sub }
  const root = Y.findRootTypeKey(type)
  return root === undefined ? null : { root, sub }
}

/** The item containing `id`, from the update or else the document; null if neither has it (or it was collected). */
function findItem(doc: Y.Doc, byClient: StructsByClient, id: Y.ID): Y.Item | null {
  const list = byClient.get(id.client)
  if (list) {
    let low = 0
    let high = list.length - 1
    while (low <= high) {
      const middle = (low + high) >> 1
      const struct = list[middle]!
      if (id.clock < struct.id.clock) high = middle - 1
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1
      else return struct instanceof Y.Item ? struct : null
    }
  }
  if (id.clock >= Y.getState(doc.store, id.client)) return null
  try {
    const struct = Y.getItem(doc.store, id)
    return struct instanceof Y.Item ? struct : null
  } catch {
    return null
  }
}
