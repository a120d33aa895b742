/**
 * Every update from outside (a peer, the server's copy, the relay) is screened here before Yjs
 * applies it (DESIGN.md §3: a peer can write anything). Three kinds of update hurt a board however
 * the validator reads it afterwards, because the harm is in Yjs itself:
 * - nested types where the board has none: a chain of maps 10,000 deep, then the delete of its
 *   top, overflows the stack inside Yjs's transaction cleanup, and the document never fires an
 *   update again (every later change silently lost, also after a reload);
 * - deletions or structs that wait for what never comes (a client and clock nobody has): Yjs keeps
 *   them pending and retries them on every later update, and copies them into every encoding;
 * - updates Yjs itself would not have written (an item naming itself or a later change of its own
 *   author, an empty struct or deletion, a client listed twice, clocks past 2^53): Yjs throws
 *   halfway through applying them, keeping what it linked in so far, or can no longer encode the
 *   document (test/unit/update-screen-fuzz.test.ts found them).
 * The board's schema needs types in exactly two places: a shape (a map in the root `shapes`) and
 * a stroke's `live` array inside a shape. Anything else, or more waiting than honest peers ever
 * cause, is refused with a reason.
 */
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { clockOf, itemOfType, pendingStructsUpdate, storedStructAt, structsInUpdate } from '../wire/wire-internals'
import { budgetOf } from './board-budget'

export interface ScreenLimits {
  /**
   * Bytes (or characters) of one value: an image enters the board downscaled to at most 1 MB, and
   * a text is 20,000 characters at most; a 50 MB "asset" would be stored by every peer.
   */
  readonly maxValueBytes: number
  /** Structs in one update (a 100,000-stroke board is about 1.5 million in all). */
  readonly maxStructs: number
  /** Delete ranges in one update. */
  readonly maxDeleteRanges: number
  /** Structs and delete ranges that would wait for something this document does not have. */
  readonly maxWaiting: number
}

/**
 * Structs in one update from a peer or the server. 100,000 tiny shapes sent as one update (700,000
 * structs) held a receiver's page for 9 s; honest senders stay far below it, since every big change
 * goes in pieces (net/update-pieces.ts, MAX_PIECE_STRUCTS), and older clients' pieces of 256 KiB
 * hold fewer too.
 */
export const MAX_UPDATE_STRUCTS = 100_000

const SCREEN_LIMITS: ScreenLimits = { maxValueBytes: 4 * 1024 * 1024, maxStructs: MAX_UPDATE_STRUCTS, maxDeleteRanges: 1_000_000, maxWaiting: 20_000 }

/**
 * For a whole board in one update, a big board's being millions of structs: another tab's
 * announcement of its document (as y-webrtc writes it; tabs share this device's IndexedDB, so
 * they cannot make the board bigger than it is here), a version read from the server.
 */
export const WHOLE_BOARD_LIMITS: ScreenLimits = { ...SCREEN_LIMITS, maxStructs: 4_000_000 }

/** Where a type lives: a root type by name, or inside the item that holds it; `sub` is its map key. */
type Place = { readonly root: string; readonly sub: string | null } | { readonly holder: Y.Item; readonly sub: string | null }
/** Places already found during one screening. */
type Places = Map<Y.Item, Place | null>

/**
 * The largest client or clock (a clock plus a length, too) an update may name. Past 2^53 numbers
 * are not exact; and what waits Yjs keeps in its compact encoding, which doubles differences of
 * clocks and reads nothing past 2^53 back, so that the next update would throw. Honest clients are
 * 32-bit numbers, and clocks (one per character, element or field a client ever wrote) stay far below.
 */
const MAX_ID_NUMBER = 2 ** 48
const PAST_MAX_ID_NUMBER = 'a client or clock past what any document reaches'

/** Origin chains followed at most this far to find an item's parent (a map key overwritten again and again). */
const MAX_ORIGIN_STEPS = 10_000

/** Why `update` must not be applied to `doc`, or null when it may. Never throws. */
export function screenUpdate(doc: Y.Doc, update: Uint8Array, limits: ScreenLimits = SCREEN_LIMITS): string | null {
  const budget = budgetOf(doc)
  if (budget && !budget.admits(update.byteLength)) return `a change that would take the board over its ${Math.round(budget.limit / (1024 * 1024))} MB`
  return screenContent(doc, update, limits)
}

/**
 * Why a record this device stored must not be applied to `doc`, or null when it may; as a whole
 * board (the first record is the board compacted), and not held to the board's budget: it fit when
 * it was taken in, or came before there was a budget, and a board refused its own saved parts
 * would lose them. Never throws.
 */
export function screenStoredRecord(doc: Y.Doc, record: unknown): string | null {
  if (!(record instanceof Uint8Array)) return 'a record that is not a change'
  return screenContent(doc, record, WHOLE_BOARD_LIMITS)
}

function screenContent(doc: Y.Doc, update: Uint8Array, limits: ScreenLimits): string | null {
  let decoded: ReturnType<typeof Y.decodeUpdate>
  try {
    // Counted before Yjs makes them: what screening costs is bounded by the limit, not by the update.
    if (structsInUpdate(update, limits.maxStructs) > limits.maxStructs) return `an update of more than ${limits.maxStructs} structs`
    decoded = Y.decodeUpdate(update)
  } catch {
    return 'a malformed update'
  }
  const { structs, ds } = decoded
  const byClient = groupByClient(structs)
  // Yjs applies only the last run of structs it reads for a client (an empty run drops the ones
  // before it), so with a client listed twice the structs screened here are not the ones applied:
  // a run it drops can be the parent this screen found, or hide that the rest waits. Honest
  // encoders write one run per client, and Yjs decodes one struct at least per run it lists.
  if (runsListed(update) !== byClient.size) return 'an update that lists a client twice'
  for (const [client, list] of byClient) {
    const last = list[list.length - 1]!
    if (client > MAX_ID_NUMBER || last.id.clock + last.length > MAX_ID_NUMBER) return PAST_MAX_ID_NUMBER
    for (const struct of list) {
      // Yjs never writes an empty struct; several of them share a clock, and lookups by clock fail.
      if (struct.length < 1) return 'an empty struct'
      const wrongReference = struct instanceof Y.Item ? referenceProblem(struct) : null
      if (wrongReference) return wrongReference
    }
  }
  const { reach, applied, waiting: waitingStructs } = integrationOf(doc, byClient)
  let waiting = waitingStructs
  let ranges = 0
  for (const [client, deletions] of ds.clients) {
    ranges += deletions.length
    const known = reach.get(client) ?? clockOf(doc, client)
    let end = 0
    for (const deletion of deletions) {
      // Yjs writes its delete sets sorted, without empty or overlapping ranges. What an update deletes
      // past the document's end is written down again to wait, and an empty range makes that write
      // throw halfway through applying the update; a backward one is written down as another range.
      if (deletion.len < 1 || deletion.clock < end) return 'a delete set out of order'
      end = deletion.clock + deletion.len
      if (client > MAX_ID_NUMBER || end > MAX_ID_NUMBER) return PAST_MAX_ID_NUMBER
      if (end > known) waiting++
    }
  }
  if (ranges > limits.maxDeleteRanges) return `an update deleting ${ranges} ranges (at most ${limits.maxDeleteRanges})`
  if (waiting > limits.maxWaiting) return `an update with ${waiting} parts waiting for changes nobody sent`
  if (waitingStructs > 0 && contradictsWaiting(doc, byClient, applied)) return 'a change that contradicts one already waiting'
  const places: Places = new Map()
  for (const [client, list] of byClient) {
    if (!overlapFits(doc, byClient, places, list, applied.get(client) ?? 0)) return 'a change that overlaps what the document has, and does not match it'
  }
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    const { content } = struct
    if (valueSize(content) > limits.maxValueBytes) return `a value over ${Math.round(limits.maxValueBytes / (1024 * 1024))} MB`
    if (content instanceof Y.ContentDoc) return 'a sub-document, which a board never holds'
    if (!(content instanceof Y.ContentType)) continue
    const place = placeOf(doc, byClient, places, struct)
    if (place === null) return 'a nested type whose parent is unknown'
    if (!isSchemaPlace(doc, byClient, places, place, content.type)) return 'a nested type where the board has none'
  }
  if (ds.clients.size > 0) deletionWatchers.get(doc)?.(ds)
  return null
}

/** Told of what an accepted update deletes, just before it is applied. */
export type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds']
export type DeletionWatcher = (deleteSet: DeleteSet) => void
const deletionWatchers = new WeakMap<Y.Doc, DeletionWatcher>()

/**
 * Has `watcher` told of the deletions in every update accepted for `doc` from now on, before the
 * update is applied (store/version-keeper.ts keeps the board as it was before a wipe).
 */
export function watchDeletions(doc: Y.Doc, watcher: DeletionWatcher | null): void {
  if (watcher) deletionWatchers.set(doc, watcher)
  else deletionWatchers.delete(doc)
}

/** How many runs of structs (one per client, when honest) an update says it holds. */
function runsListed(update: Uint8Array): number {
  try {
    return decoding.readVarUint(decoding.createDecoder(update))
  } catch {
    return -1
  }
}

/**
 * What is wrong with the IDs an item names (its neighbours, or its parent when written), if anything:
 * - itself or a later change of its own author: Yjs waits for another client's missing changes but
 *   looks its own author's up at once, and throws halfway through applying the update when they are
 *   not there. Honest items name only what existed before them;
 * - a client or clock past MAX_ID_NUMBER.
 */
function referenceProblem(item: Y.Item): string | null {
  const { client, clock } = item.id
  const parent = item.parent instanceof Y.ID ? item.parent : null
  for (const id of [item.origin, item.rightOrigin, parent]) {
    if (id === null) continue
    if (id.client > MAX_ID_NUMBER || id.clock > MAX_ID_NUMBER) return PAST_MAX_ID_NUMBER
    if (id.client === client && id.clock >= clock) return 'a change that refers to itself or to a later change of its author'
  }
  return null
}

/** The size of the largest value a struct holds: bytes of binary, characters of text. */
function valueSize(content: Y.Item['content']): number {
  if (content instanceof Y.ContentBinary) return content.content.byteLength
  if (content instanceof Y.ContentString) return content.str.length
  if (content instanceof Y.ContentAny) return anySize(content.arr)
  return 0
}

/**
 * The size of JSON-like values as Yjs holds them, nested objects and arrays included (a 5 MB string
 * one level down weighs what it does at the top), counted iteratively so depth cannot overflow the
 * stack; numbers, booleans and null count 8 bytes, keys their length.
 */
function anySize(values: readonly unknown[]): number {
  const pending: unknown[] = [...values]
  let size = 0
  while (pending.length > 0) {
    const value = pending.pop()
    if (typeof value === 'string') size += value.length
    else if (value instanceof Uint8Array) size += value.byteLength
    else if (Array.isArray(value)) {
      size += 8
      for (const item of value) pending.push(item)
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        size += key.length
        pending.push(item)
      }
    } else size += 8
  }
  return size
}

/** A shape (a map directly in `shapes`) or a stroke's live array (an array at `live` in a shape). */
function isSchemaPlace(doc: Y.Doc, byClient: StructsByClient, places: Places, place: Place, type: Y.AbstractType<unknown>): boolean {
  if ('root' in place) return place.root === 'shapes' && place.sub !== null && type instanceof Y.Map
  if (place.sub !== 'live' || !(type instanceof Y.Array)) return false
  const holder = place.holder
  if (!(holder.content instanceof Y.ContentType) || !(holder.content.type instanceof Y.Map)) return false
  const holderPlace = placeOf(doc, byClient, places, holder)
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

/**
 * How far Yjs gets with each client's clock when it applies the update, and how many structs it
 * keeps waiting. A struct is applied once its author's earlier clocks are there and so is every
 * struct of another client it names (its neighbours, its parent): otherwise it waits, with the rest
 * of its run and whatever names them, so that runs naming each other's later structs all wait.
 * Each run goes as far as it can; a run that stops waits for the clock it needs, and goes on when
 * that clock is reached.
 */
function integrationOf(doc: Y.Doc, byClient: StructsByClient): { reach: Map<number, number>; applied: Map<number, number>; waiting: number } {
  const reach = new Map<number, number>()
  const reachOf = (client: number) => reach.get(client) ?? clockOf(doc, client)
  /** Per run, its first struct not applied yet. */
  const next = new Map<number, number>()
  /** Per client, the runs stopped until its clock passes theirs (a heap, smallest clock first). */
  const stopped = new Map<number, Waiter[]>()
  const ready = [...byClient.keys()]
  while (ready.length > 0) {
    const client = ready.pop()!
    const list = byClient.get(client)!
    let index = next.get(client) ?? 0
    let clock = reachOf(client)
    for (; index < list.length; index++) {
      const struct = list[index]!
      if (struct.id.clock + struct.length <= clock) continue // the document has it: Yjs skips it
      // A gap in the author's clock: nothing in the update fills it.
      if (struct instanceof Y.Skip || struct.id.clock > clock) break
      const missing = struct instanceof Y.Item ? missingFor(struct, reachOf) : null
      if (missing) {
        const heap = stopped.get(missing.client) ?? []
        stopped.set(missing.client, heap)
        pushWaiter(heap, { clock: missing.clock, client })
        break
      }
      clock = struct.id.clock + struct.length
    }
    next.set(client, index)
    reach.set(client, clock)
    const heap = stopped.get(client)
    while (heap && heap.length > 0 && heap[0]!.clock < clock) ready.push(popWaiter(heap).client)
  }
  let waiting = 0
  for (const [client, list] of byClient) {
    for (let index = next.get(client) ?? 0; index < list.length; index++) if (!(list[index] instanceof Y.Skip)) waiting++
  }
  return { reach, applied: next, waiting }
}

/** The first ID of another client an item names that is not there yet, if any. */
function missingFor(item: Y.Item, reachOf: (client: number) => number): Y.ID | null {
  const parent = item.parent instanceof Y.ID ? item.parent : null
  for (const id of [item.origin, item.rightOrigin, parent]) {
    if (id !== null && id.client !== item.id.client && id.clock >= reachOf(id.client)) return id
  }
  return null
}

interface Waiter {
  readonly clock: number
  readonly client: number
}

function pushWaiter(heap: Waiter[], waiter: Waiter): void {
  heap.push(waiter)
  for (let index = heap.length - 1; index > 0; ) {
    const parent = (index - 1) >> 1
    if (heap[parent]!.clock <= heap[index]!.clock) break
    ;[heap[parent], heap[index]] = [heap[index]!, heap[parent]!]
    index = parent
  }
}

function popWaiter(heap: Waiter[]): Waiter {
  const top = heap[0]!
  const last = heap.pop()!
  if (heap.length === 0) return top
  heap[0] = last
  for (let index = 0; ; ) {
    let smallest = index
    for (const child of [2 * index + 1, 2 * index + 2]) if (child < heap.length && heap[child]!.clock < heap[smallest]!.clock) smallest = child
    if (smallest === index) return top
    ;[heap[smallest], heap[index]] = [heap[index]!, heap[smallest]!]
    index = smallest
  }
}

/**
 * The place of an item: its parent as written, or (Yjs leaves the parent out when an item has an
 * origin) its origin's. Null when it cannot be told: the parent is in neither the document nor
 * the update, or the chain of origins is absurdly long. What it finds is kept in `places` for every
 * item walked through, so that a chain of overwrites costs a step an item rather than the whole
 * chain each (10,000 maps set one after another at one key took 9 seconds to screen).
 */
function placeOf(doc: Y.Doc, byClient: StructsByClient, places: Places, item: Y.Item): Place | null {
  const walked: Y.Item[] = []
  let place: Place | null = null
  let current: Y.Item = item
  for (let step = 0; step < MAX_ORIGIN_STEPS; step++) {
    const known = places.get(current)
    if (known !== undefined) {
      place = known
      break
    }
    walked.push(current)
    const { parent, parentSub } = current
    if (typeof parent === 'string') {
      place = { root: parent, sub: parentSub }
      break
    }
    if (parent instanceof Y.AbstractType) {
      place = placeOfType(parent, parentSub)
      break
    }
    if (parent instanceof Y.ID) {
      const holder = findItem(doc, byClient, parent)
      place = holder ? { holder, sub: parentSub } : null
      break
    }
    const neighbour = current.origin ?? current.rightOrigin
    const next = neighbour ? findItem(doc, byClient, neighbour) : null
    if (!next) break
    current = next
  }
  for (const walkedItem of walked) places.set(walkedItem, place)
  return place
}

function placeOfType(type: Y.AbstractType<unknown>, sub: string | null): Place | null {
  const holder = itemOfType(type)
  if (holder) return { holder, sub }
  const root = Y.findRootTypeKey(type)
  return root === undefined ? null : { root, sub }
}

/**
 * Whether a struct the update leaves waiting differs from one already waiting at the same clocks.
 * Yjs merges what waits into one update, keeping one struct for each clock, and which one depends
 * on the order the updates came in: a nested type this screen checked against its parent in one
 * update would be applied in the other's struct at that clock. Updates of two structs each (a
 * shape, and a live array in it, each saying the clock before was a shape) so chained nest arrays
 * in arrays as deep as one likes, once the gap they wait for is sent. Honest waiting parts agree
 * with each other: the same changes, perhaps sent twice.
 */
function contradictsWaiting(doc: Y.Doc, byClient: StructsByClient, applied: Map<number, number>): boolean {
  const pending = pendingStructsUpdate(doc)
  if (!pending) return false
  let waitingAlready: StructsByClient
  try {
    waitingAlready = groupByClient(Y.decodeUpdateV2(pending).structs.filter((struct) => !(struct instanceof Y.Skip)))
  } catch {
    return false
  }
  for (const [client, list] of byClient) {
    const others = waitingAlready.get(client)
    if (!others) continue
    for (let index = applied.get(client) ?? 0; index < list.length; index++) {
      const struct = list[index]!
      if (struct instanceof Y.Skip) continue
      const end = struct.id.clock + struct.length
      let low = 0
      let high = others.length
      while (low < high) {
        const middle = (low + high) >> 1
        if (others[middle]!.id.clock + others[middle]!.length <= struct.id.clock) low = middle + 1
        else high = middle
      }
      for (let other = low; other < others.length && others[other]!.id.clock < end; other++) if (!sameStruct(struct, others[other]!)) return true
    }
  }
  return false
}

/** Whether two structs are one change: the same clocks, kind and place (values aside). */
function sameStruct(a: Y.Item | Y.GC | Y.Skip, b: Y.Item | Y.GC | Y.Skip): boolean {
  if (a.constructor !== b.constructor || a.id.clock !== b.id.clock || a.length !== b.length) return false
  if (!(a instanceof Y.Item) || !(b instanceof Y.Item)) return true
  const sameId = (x: Y.ID | null, y: Y.ID | null) => (x === null || y === null ? x === y : Y.compareIDs(x, y))
  const sameParent = a.parent instanceof Y.ID && b.parent instanceof Y.ID ? Y.compareIDs(a.parent, b.parent) : a.parent === b.parent
  const aType = a.content instanceof Y.ContentType ? a.content.type.constructor : null
  const bType = b.content instanceof Y.ContentType ? b.content.type.constructor : null
  return sameId(a.origin, b.origin) && sameId(a.rightOrigin, b.rightOrigin) && sameParent && a.parentSub === b.parentSub && a.content.constructor === b.content.constructor && aType === bType
}

/**
 * Whether the item of a run (if any) that starts below the document's clock for its client and
 * ends above it fits where Yjs puts its tail: linked in after the document's struct at the clock
 * before, without looking again. When an honest peer sends again part of what the document has,
 * that struct is the rest of the same item. After a collected struct (a GC) Yjs throws halfway
 * through the update, and after an item elsewhere it links the tail into a list it is not part
 * of; a tail that waits (`applied` is the first struct of the run Yjs cannot apply yet) meets
 * whatever the document has by then. Fine, too, when Yjs collects the item itself on arrival.
 */
function overlapFits(doc: Y.Doc, byClient: StructsByClient, places: Places, list: ReadonlyArray<Y.Item | Y.GC | Y.Skip>, applied: number): boolean {
  const state = clockOf(doc, list[0]!.id.client)
  const index = list.findIndex((struct) => struct.id.clock + struct.length > state)
  const item = list[index]
  if (!(item instanceof Y.Item) || item.id.clock >= state || collectedOnArrival(doc, byClient, item)) return true
  if (index >= applied) return false
  const before = structAt(doc, byClient, Y.createID(item.id.client, state - 1))
  if (!(before instanceof Y.Item) || !(before.parent instanceof Y.AbstractType)) return false
  const place = placeOf(doc, byClient, places, item)
  const placeBefore = placeOfType(before.parent, before.parentSub)
  if (place === null || placeBefore === null || place.sub !== placeBefore.sub) return false
  return 'root' in place ? 'root' in placeBefore && place.root === placeBefore.root : 'holder' in placeBefore && place.holder === placeBefore.holder
}

/** Whether Yjs collects an item as it arrives: a neighbour (or, without neighbours, its parent) is collected. */
function collectedOnArrival(doc: Y.Doc, byClient: StructsByClient, item: Y.Item): boolean {
  const { origin, rightOrigin, parent } = item
  if (origin || rightOrigin) return [origin, rightOrigin].some((id) => id !== null && structAt(doc, byClient, id) instanceof Y.GC)
  return parent instanceof Y.ID && structAt(doc, byClient, parent) instanceof Y.GC
}

/**
 * The item containing `id`: the document's where it has that clock (Yjs skips what an update says
 * of clocks the document has, so another struct there in the update is never applied), else the
 * update's; null if neither has it (or it was collected).
 */
function findItem(doc: Y.Doc, byClient: StructsByClient, id: Y.ID): Y.Item | null {
  const struct = structAt(doc, byClient, id)
  return struct instanceof Y.Item ? struct : null
}

/** The struct containing `id`, as findItem finds it, collected or not. */
function structAt(doc: Y.Doc, byClient: StructsByClient, id: Y.ID): Y.Item | Y.GC | Y.Skip | null {
  if (id.clock < clockOf(doc, id.client)) return storedStructAt(doc, id)
  const list = byClient.get(id.client) ?? []
  let low = 0
  let high = list.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const struct = list[middle]!
    if (id.clock < struct.id.clock) high = middle - 1
    else if (id.clock >= struct.id.clock + struct.length) low = middle + 1
    else return struct
  }
  return null
}
