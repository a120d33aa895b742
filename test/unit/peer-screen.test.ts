/**
 * PeerScreen (src/net/peer-screen.ts): what a connected peer's messages may carry before y-webrtc
 * reads them. Stand-in peers emit messages the way simple-peer does ('data' events); what passes
 * is what y-webrtc would get.
 */
import { describe, expect, it, vi } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { Awareness } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { applyAwarenessUpdate } from 'y-protocols/awareness'
import { MAX_PRESENCE_STATES, MAX_STATES_PER_MESSAGE, PeerScreen } from '../../src/net/peer-screen'
import { chainPeerData } from '../../src/wire/wire-internals'

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** A presence message of raw entries: [client id, clock, state as JSON text]. */
function presenceMessage(entries: ReadonlyArray<readonly [number, number, string]>): Uint8Array {
  const update = encoding.createEncoder()
  encoding.writeVarUint(update, entries.length)
  for (const [clientId, clock, state] of entries) {
    encoding.writeVarUint(update, clientId)
    encoding.writeVarUint(update, clock)
    encoding.writeVarString(update, state)
  }
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update))
  return encoding.toUint8Array(encoder)
}

const person = (name: string, peerId: string) => JSON.stringify({ user: { name, color: '#1971c2' }, peerId })

function setup(direct: string[] = []) {
  const doc = new Y.Doc()
  const awareness = new Awareness(doc)
  const refused: Array<[unknown, string]> = []
  const ids = new Map<unknown, string>()
  const screen = new PeerScreen({
    doc,
    awareness,
    peerIdOf: (peer) => ids.get(peer),
    directPeerIds: () => new Set(direct),
    onRefused: (peer, reason) => refused.push([peer, reason]),
  })
  /** A peer whose messages, once screened, `read` takes (as y-webrtc would); by default they are only kept. */
  const peer = (peerId: string, read?: (data: Uint8Array) => void) => {
    const received: Uint8Array[] = []
    const stand = {
      emit(event: string | symbol, ...args: unknown[]): boolean {
        if (event !== 'data') return true
        received.push(args[0] as Uint8Array)
        read?.(args[0] as Uint8Array)
        return true
      },
    }
    ids.set(stand, peerId)
    chainPeerData(stand, [screen.stepFor(stand)])
    return { stand, received, send: (data: Uint8Array) => stand.emit('data', data) }
  }
  return { doc, awareness, refused, peer }
}

describe('PeerScreen', () => {
  it('refuses a change the update screen refuses, and names its sender; honest changes pass', () => {
    const { refused, peer } = setup()
    const mallory = peer('mallory')
    const hostile = new Y.Doc()
    hostile.transact(() => {
      const shape = new Y.Map<unknown>()
      hostile.getMap('shapes').set('s1', shape)
      shape.set('deeper', new Y.Map())
    })
    mallory.send(updateMessage(Y.encodeStateAsUpdate(hostile)))
    expect(mallory.received).toEqual([])
    expect(refused).toEqual([[mallory.stand, 'a nested type where the board has none']])
    const honest = new Y.Doc()
    honest.getMap('shapes').set('s2', new Y.Map())
    const message = updateMessage(Y.encodeStateAsUpdate(honest))
    mallory.send(message)
    expect(mallory.received).toEqual([message])
  })

  it('refuses a message the reader after it throws on (a sync step 1 with no state vector), without throwing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { doc, refused, peer } = setup()
    // Read as y-webrtc reads a sync message: y-protocols answers a step 1 from the state vector in it.
    const mallory = peer('mallory', (data) => {
      const decoder = decoding.createDecoder(data)
      decoding.readVarUint(decoder)
      syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, null)
    })
    expect(() => mallory.send(new Uint8Array([0, 0, 0]))).not.toThrow()
    expect(refused).toEqual([[mallory.stand, 'a message this board could not read']])
    expect(String(warn.mock.calls[0]![0])).toContain('could not be read')
    warn.mockRestore()
  })

  it('drops presence that speaks for this peer or for someone connected here directly, and keeps the rest', () => {
    const { awareness, peer } = setup(['ada', 'mallory'])
    const mallory = peer('mallory')
    const own = presenceMessage([[1001, 5, person('Mallory', 'mallory')]])
    mallory.send(own)
    expect(mallory.received).toEqual([own])
    // Under this peer's own client id, and as Ada (who is connected here directly): both dropped.
    mallory.send(presenceMessage([[awareness.clientID, 99, person('Mallory', 'mallory')]]))
    mallory.send(presenceMessage([[2002, 99, person('Mallory', 'ada')]]))
    expect(mallory.received).toHaveLength(1)
    // Forwarding someone not connected here (a partial mesh) is what peers do: kept; the forgery in the same message is not.
    mallory.send(presenceMessage([[3003, 1, person('Cy', 'cy')], [2002, 100, person('Mallory', 'ada')]]))
    expect(mallory.received).toHaveLength(2)
    expect(mallory.received[1]).toEqual(presenceMessage([[3003, 1, person('Cy', 'cy')]]))
    // Ada speaks for herself.
    const ada = peer('ada')
    const hers = presenceMessage([[2002, 1, person('Ada', 'ada')]])
    ada.send(hers)
    expect(ada.received).toEqual([hers])
  })

  it('holds a bounded number of states in all: made-up client ids past it are dropped, known ones still change', () => {
    const { awareness, peer } = setup()
    const p = peer('p')
    const sent: Uint8Array[] = []
    for (let start = 0; start < MAX_PRESENCE_STATES + 500; start += 200) {
      const batch = Array.from({ length: 200 }, (_, i) => [50_000 + start + i, 1, person(`fake ${start + i}`, `fake-${start + i}`)] as const)
      p.send(presenceMessage(batch))
      // What y-webrtc would do with what passed.
      for (const message of p.received.splice(0)) {
        sent.push(message)
        const decoder = decoding.createDecoder(message)
        decoding.readVarUint(decoder)
        applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), 'peer')
      }
    }
    expect(awareness.getStates().size).toBe(MAX_PRESENCE_STATES)
    const known = presenceMessage([[50_000, 2, person('renamed', 'fake-0')]])
    p.send(known)
    expect(p.received).toEqual([known])
  })

  it('keeps at most a bounded number of states in a message, and drops a flood of messages', () => {
    const { refused, peer } = setup()
    const p = peer('p')
    const many = Array.from({ length: MAX_STATES_PER_MESSAGE + 50 }, (_, i) => [10_000 + i, 1, person(`fake ${i}`, `fake-${i}`)] as const)
    p.send(presenceMessage(many))
    expect(p.received).toEqual([presenceMessage(many.slice(0, MAX_STATES_PER_MESSAGE))])
    const cursor = presenceMessage([[1, 1, person('P', 'p')]])
    for (let i = 0; i < 500; i++) p.send(cursor)
    // A burst passes, the rest of a same-instant flood does not.
    expect(p.received.length).toBeGreaterThan(50)
    expect(p.received.length).toBeLessThan(200)
    expect(refused).toEqual([])
  })
})
