/**
 * RelayFilter: which peers a change goes to. A stand-in room records the peers y-webrtc's send
 * would reach; stand-in peers apply their messages to the document the way y-webrtc does
 * (synchronously inside simple-peer's 'data' event, with the room as the origin).
 */
import { describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { Room } from 'y-webrtc'
import { RelayFilter } from '../../src/net/relay-filter'

/** y-webrtc's message carrying `update`: a sync message (0) of type step 2 or update. */
function syncMessage(update: Uint8Array, step2 = false): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  if (step2) syncProtocol.writeSyncStep2(encoder, remoteDoc(update))
  else syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

function remoteDoc(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return doc
}

function setup() {
  const doc = new Y.Doc()
  const sentTo: string[][] = []
  const sent: Uint8Array[] = []
  const conns = new Map<string, { peer: unknown }>()
  const room = {
    webrtcConns: conns,
    _docUpdateHandler: (update: Uint8Array) => {
      sentTo.push([...conns.keys()].sort())
      sent.push(update)
    },
  }
  doc.on('update', room._docUpdateHandler)
  const filter = new RelayFilter(room as unknown as Room, doc)
  const peer = (id: string) => {
    const emitter = {
      // As y-webrtc reads a peer's message: synchronously, with the room as the origin.
      emit(event: string | symbol, ...args: unknown[]): boolean {
        if (event !== 'data') return true
        const decoder = decoding.createDecoder(args[0] as Uint8Array)
        decoding.readVarUint(decoder)
        syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, room)
        return true
      },
    }
    conns.set(id, { peer: emitter })
    filter.watch(emitter)
    return { receive: (message: Uint8Array) => emitter.emit('data', message) }
  }
  return { doc, sentTo, sent, conns, peer }
}

/** Two consecutive changes by another peer, encoded separately: the second depends on the first. */
function remoteChanges(): [Uint8Array, Uint8Array] {
  const remote = new Y.Doc()
  const updates: Uint8Array[] = []
  remote.on('update', (update: Uint8Array) => updates.push(update))
  remote.getArray<string>('notes').push(['first'])
  remote.getArray<string>('notes').push(['second'])
  return [updates[0]!, updates[1]!]
}

describe('RelayFilter', () => {
  it('sends a change that came from a peer to every other peer, not back to it', () => {
    const { sentTo, conns, peer } = setup()
    const p = peer('p')
    peer('q')
    peer('r')
    p.receive(syncMessage(remoteChanges()[0]))
    expect(sentTo).toEqual([['q', 'r']])
    // The peer is back among the connections after the send.
    expect([...conns.keys()].sort()).toEqual(['p', 'q', 'r'])
  })

  it('sends changes made here to every peer', () => {
    const { doc, sentTo, peer } = setup()
    peer('p')
    peer('q')
    doc.getArray<string>('notes').push(['mine'])
    expect(sentTo).toEqual([['p', 'q']])
  })

  it('sends to every peer, its sender included, a change that also holds what waited for it', () => {
    const { doc, sentTo, peer } = setup()
    const p = peer('p')
    const q = peer('q')
    const [first, second] = remoteChanges()
    // From q, the second change alone: it waits in the document for the first.
    q.receive(syncMessage(second))
    expect(sentTo).toEqual([])
    // p sends the first: applying it brings in q's change as well, which p may not have.
    p.receive(syncMessage(first))
    expect(doc.getArray('notes').toArray()).toEqual(['first', 'second'])
    expect(sentTo).toEqual([['p', 'q']])
  })

  it('passes a big change on as it arrived (no second encoding), to the store and the other peers', () => {
    const { doc, sentTo, sent, peer } = setup()
    const stored: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => stored.push(update))
    const p = peer('p')
    peer('q')
    const board = new Y.Doc()
    for (let i = 0; i < 3000; i++) board.getMap<string>('shapes').set(`shape-${i}`, `a stroke of many points, number ${i}`)
    const message = syncMessage(Y.encodeStateAsUpdate(board), true)
    expect(message.byteLength).toBeGreaterThan(64 * 1024)
    p.receive(message)
    expect(doc.getMap('shapes').size).toBe(3000)
    expect(sentTo).toEqual([['q']])
    expect(stored).toHaveLength(1)
    // The very bytes of the message: Yjs did not encode the change again.
    expect(stored[0]!.buffer).toBe(message.buffer)
    expect(sent[0]).toBe(stored[0])
    // What it holds is the board.
    expect(remoteDoc(stored[0]!).getMap('shapes').toJSON()).toEqual(board.getMap('shapes').toJSON())
    // The same board again holds nothing new: nothing to store or send.
    p.receive(message)
    expect(stored).toHaveLength(1)
    expect(sentTo).toHaveLength(1)
  })
})
