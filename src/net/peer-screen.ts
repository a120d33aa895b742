/**
 * What a connected peer's messages may carry, checked before y-webrtc reads them (DESIGN.md §3:
 * a peer can send anything):
 * - changes go through the update screen (model/update-screen.ts); a refused one is never applied,
 *   and its sender is reported (board-connection.ts disconnects it);
 * - presence may not speak for others: nobody may set or clear this peer's own presence, nor that
 *   of someone connected here directly (who speaks for themselves), so a forged "Mallory" under a
 *   friend's client id is dropped; a message holds a bounded number of bounded states, and the
 *   board holds a bounded number in all;
 * - presence comes at a bounded rate: a peer flooding it (318 a second held a victim's round trip
 *   at 168 ms) has the excess dropped, and one that keeps flooding counts as hostile.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'
import { messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync'
import type * as Y from 'yjs'
import { screenUpdate } from '../model/update-screen'
import { readPresence } from './presence'
import { MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, type DataStep } from '../wire/wire-internals'

/** States in one presence message (a newcomer gets everyone's at once: boards of hundreds fit). */
export const MAX_STATES_PER_MESSAGE = 256
/**
 * Presence states held at most, everyone's together: a peer can make up client ids (5,000 of them
 * showed "5003 here"), and each is kept until it times out. Far above the mesh's size.
 */
export const MAX_PRESENCE_STATES = 1000
/** One state's JSON; a name, a cursor, a laser trail and a selection of a thousand ids fit well within. */
const MAX_STATE_CHARS = 64 * 1024
/** Presence messages per peer: a burst, then this many a second (cursors send 30 a second at most). */
const PRESENCE_BURST = 120
const PRESENCE_PER_SECOND = 60
/** Presence messages dropped for the rate before the peer counts as hostile. */
const PRESENCE_DROPPED_BEFORE_REFUSAL = 3000

export interface PeerScreenOptions {
  readonly doc: Y.Doc
  readonly awareness: Awareness
  /** The y-webrtc id of a connected simple-peer. */
  readonly peerIdOf: (peer: unknown) => string | undefined
  /** Ids of the peers connected here directly. */
  readonly directPeerIds: () => ReadonlySet<string>
  /** A peer sent what must not be taken (a refused change, a flood); nothing of it was applied. */
  readonly onRefused: (peer: unknown, reason: string) => void
}

interface Allowance {
  tokens: number
  at: number
  dropped: number
}

export class PeerScreen {
  constructor(private readonly options: PeerScreenOptions) {}

  /**
   * The step of `peer`'s chain (wire-internals.ts chainPeerData) that screens what it sends: the
   * first step, so that nothing refused reaches the others.
   */
  stepFor(peer: unknown): DataStep {
    const allowance: Allowance = { tokens: PRESENCE_BURST, at: performance.now(), dropped: 0 }
    return (data, next) => {
      try {
        return this.screen(peer, allowance, data, next)
      } catch (error) {
        // y-webrtc, y-protocols and Yjs throw on messages they cannot read (a sync step 1 without
        // its state vector is three bytes); from a peer that is bad input, not this board's fault.
        console.warn('meshboard: a message from a peer could not be read', error)
        this.options.onRefused(peer, 'a message this board could not read')
        return false
      }
    }
  }

  private screen(peer: unknown, allowance: Allowance, data: unknown, next: Parameters<DataStep>[1]): boolean {
    if (!(data instanceof Uint8Array)) return next(data)
    if (data[0] === MESSAGE_SYNC) {
      const update = updateIn(data)
      const refused = update && screenUpdate(this.options.doc, update)
      if (refused) {
        this.options.onRefused(peer, refused)
        return false
      }
      return next(data)
    }
    if (data[0] === MESSAGE_AWARENESS || data[0] === MESSAGE_QUERY_AWARENESS) {
      if (!this.allowed(peer, allowance)) return false
      if (data[0] === MESSAGE_QUERY_AWARENESS) return next(data)
      const screened = this.presence(peer, data)
      return screened ? next(screened) : false
    }
    return next(data)
  }

  private allowed(peer: unknown, allowance: Allowance): boolean {
    const now = performance.now()
    allowance.tokens = Math.min(PRESENCE_BURST, allowance.tokens + ((now - allowance.at) / 1000) * PRESENCE_PER_SECOND)
    allowance.at = now
    if (allowance.tokens >= 1) {
      allowance.tokens--
      return true
    }
    if (++allowance.dropped === PRESENCE_DROPPED_BEFORE_REFUSAL) this.options.onRefused(peer, 'a flood of presence messages')
    return false
  }

  /** The presence message with only the states `peer` may send; null when none is left (or it is malformed). */
  private presence(peer: unknown, message: Uint8Array): Uint8Array | null {
    const from = this.options.peerIdOf(peer)
    const { awareness } = this.options
    const direct = this.options.directPeerIds()
    const kept: Array<{ clientId: number; clock: number; state: string }> = []
    let dropped = 0
    try {
      const outer = decoding.createDecoder(message)
      decoding.readVarUint(outer)
      const decoder = decoding.createDecoder(decoding.readVarUint8Array(outer))
      const count = decoding.readVarUint(decoder)
      for (let i = 0; i < count; i++) {
        const clientId = decoding.readVarUint(decoder)
        const clock = decoding.readVarUint(decoder)
        const state = decoding.readVarString(decoder)
        const speaksFor = state === 'null' ? knownPeerId(awareness, clientId) : claimedPeerId(state) ?? knownPeerId(awareness, clientId)
        const forged = clientId === awareness.clientID || (speaksFor !== null && speaksFor !== from && direct.has(speaksFor))
        const held = awareness.getStates()
        const overCrowded = !held.has(clientId) && held.size + kept.length >= MAX_PRESENCE_STATES
        if (forged || overCrowded || state.length > MAX_STATE_CHARS || kept.length >= MAX_STATES_PER_MESSAGE) dropped++
        else kept.push({ clientId, clock, state })
      }
    } catch {
      return null
    }
    if (dropped === 0) return message
    if (kept.length === 0) return null
    const update = encoding.createEncoder()
    encoding.writeVarUint(update, kept.length)
    for (const { clientId, clock, state } of kept) {
      encoding.writeVarUint(update, clientId)
      encoding.writeVarUint(update, clock)
      encoding.writeVarString(update, state)
    }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update))
    return encoding.toUint8Array(encoder)
  }
}

/** The y-webrtc id a presence state says it belongs to (presence.ts `peerId`), if it is readable. */
function claimedPeerId(state: string): string | null {
  try {
    const value: unknown = JSON.parse(state)
    const peerId = (value as { peerId?: unknown } | null)?.peerId
    return typeof peerId === 'string' ? peerId : null
  } catch {
    return null
  }
}

/** Whose presence `clientId` is, by what this peer already holds of it. */
function knownPeerId(awareness: Awareness, clientId: number): string | null {
  return readPresence(clientId, awareness.getStates().get(clientId))?.peerId ?? null
}

/** The update a y-webrtc sync message carries, if it is a sync step 2 or update; null otherwise. */
export function updateIn(data: Uint8Array): Uint8Array | null {
  if (data[0] !== MESSAGE_SYNC || (data[1] !== messageYjsSyncStep2 && data[1] !== messageYjsUpdate)) return null
  try {
    const decoder = decoding.createDecoder(data)
    decoding.readVarUint(decoder)
    decoding.readVarUint(decoder)
    return decoding.readVarUint8Array(decoder)
  } catch {
    // Malformed: y-webrtc reads it as it always has.
    return null
  }
}
