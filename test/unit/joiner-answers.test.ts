/**
 * JoinerAnswers: a peer that holds nothing of the board gets it from one shared encoding, byte for
 * byte what y-webrtc (y-protocols) would have answered; a peer that holds part of it gets what it
 * lacks, in pieces when that is big; and nobody is answered more than a few times a minute.
 */
import { describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { JoinerAnswers, PIECE_BYTES } from '../../src/net/joiner-answers'
import { chainPeerData, pendingStructsUpdate } from '../../src/wire/wire-internals'

/** What y-webrtc sends back for `request` (a sync message), through y-protocols. */
function yWebrtcAnswer(doc: Y.Doc, request: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(request)
  decoding.readVarUint(decoder)
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.readSyncMessage(decoder, encoder, doc, null)
  return encoding.toUint8Array(encoder)
}

function syncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  syncProtocol.writeSyncStep1(encoder, doc)
  return encoding.toUint8Array(encoder)
}

function setup(shapes = 100, bytesPerShape = 8) {
  const doc = new Y.Doc()
  for (let i = 0; i < shapes; i++) doc.getMap<string>('shapes').set(`shape-${i}`, `stroke ${i}`.padEnd(bytesPerShape, '.'))
  const floods: unknown[] = []
  const answers = new JoinerAnswers(doc, (peer) => floods.push(peer))
  const peer = () => {
    const sent: Uint8Array[] = []
    const passedOn: unknown[] = []
    const stand = {
      // y-webrtc's handling of the peer's messages: here, only noted.
      emit(event: string | symbol, ...args: unknown[]): boolean {
        if (event === 'data') passedOn.push(args[0])
        return true
      },
      send: (data: Uint8Array) => sent.push(data),
    }
    chainPeerData(stand, [answers.stepFor(stand)])
    return { stand, sent, passedOn, receive: (data: Uint8Array) => stand.emit('data', data) }
  }
  return { doc, answers, peer, floods }
}

describe('JoinerAnswers', () => {
  it('answers peers that hold nothing with one shared encoding, as y-webrtc would', () => {
    const { doc, peer } = setup()
    const nothing = syncStep1(new Y.Doc())
    const first = peer()
    const second = peer()
    first.receive(nothing)
    second.receive(nothing)
    expect(first.passedOn).toEqual([])
    expect(first.sent).toHaveLength(1)
    expect([...first.sent[0]!]).toEqual([...yWebrtcAnswer(doc, nothing)])
    // The same bytes, not a second encoding.
    expect(second.sent[0]).toBe(first.sent[0])
  })

  it('encodes the board again once it has changed', () => {
    const { doc, peer } = setup()
    const nothing = syncStep1(new Y.Doc())
    const before = peer()
    before.receive(nothing)
    doc.getMap<string>('shapes').delete('shape-3')
    const after = peer()
    after.receive(nothing)
    expect(after.sent[0]).not.toBe(before.sent[0])
    expect([...after.sent[0]!]).toEqual([...yWebrtcAnswer(doc, nothing)])
  })

  it('answers a peer that holds part of the board with what it lacks, as y-webrtc would, and passes other messages on', () => {
    const { doc, peer } = setup()
    const partial = new Y.Doc()
    Y.applyUpdate(partial, Y.encodeStateAsUpdate(doc))
    doc.getMap<string>('shapes').set('later', 'drawn while the peer was away')
    const p = peer()
    const request = syncStep1(partial)
    p.receive(request)
    p.receive(new Uint8Array([0, 2, 1, 0]))
    expect(p.sent.map((message) => [...message])).toEqual([[...yWebrtcAnswer(doc, request)]])
    expect(p.passedOn).toEqual([new Uint8Array([0, 2, 1, 0])])
  })

  it('sends a peer returning after a long absence what it lacks in pieces, which give the board', () => {
    const { doc, peer } = setup(50, 64)
    const returning = new Y.Doc()
    Y.applyUpdate(returning, Y.encodeStateAsUpdate(doc))
    // Drawn while it was away: far more than one message should hold.
    for (let i = 0; i < 400; i++) doc.getMap<string>('shapes').set(`away-${i}`, `stroke ${i}`.padEnd(4096, '.'))
    doc.getMap<string>('shapes').delete('shape-7')
    const p = peer()
    p.receive(syncStep1(returning))
    expect(p.sent.length).toBeGreaterThan(2)
    expect(p.sent.at(-1)!.slice(0, 2)).toEqual(new Uint8Array([0, syncProtocol.messageYjsSyncStep2]))
    for (const message of p.sent) {
      expect(message.byteLength).toBeLessThan(3 * PIECE_BYTES)
      const decoder = decoding.createDecoder(message)
      decoding.readVarUint(decoder)
      syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), returning, null)
      // Nothing waits for a later piece: each applies as it comes.
      expect(pendingStructsUpdate(returning)).toBeNull()
    }
    expect(returning.getMap('shapes').toJSON()).toEqual(doc.getMap('shapes').toJSON())
  })

  it('answers a peer a few times a minute at most, and gives up on one that floods', () => {
    const { peer, floods } = setup()
    const p = peer()
    /** A request with a made-up state vector: one client at clock i. */
    const bogus = (i: number) => {
      const vector = encoding.createEncoder()
      encoding.writeVarUint(vector, 1)
      encoding.writeVarUint(vector, 1000 + i)
      encoding.writeVarUint(vector, i)
      const request = encoding.createEncoder()
      encoding.writeVarUint(request, 0)
      encoding.writeVarUint(request, syncProtocol.messageYjsSyncStep1)
      encoding.writeVarUint8Array(request, encoding.toUint8Array(vector))
      return encoding.toUint8Array(request)
    }
    for (let i = 0; i < 30; i++) p.receive(bogus(i))
    expect(p.sent).toHaveLength(4)
    expect(floods).toEqual([p.stand])
  })

  it('sends a board bigger than a piece in pieces, the last one answering the request, and shares them too', () => {
    const { doc, peer } = setup(400, 4096)
    const nothing = syncStep1(new Y.Doc())
    const first = peer()
    const second = peer()
    first.receive(nothing)
    second.receive(nothing)
    const messages = first.sent
    expect(messages.length).toBeGreaterThanOrEqual(Math.floor((400 * 4096) / PIECE_BYTES))
    // Updates, then the sync step 2 a joiner waits for: it knows the board is all there when that comes.
    const types = messages.map((message) => [message[0], message[1]])
    expect(types.slice(0, -1).every(([sync, type]) => sync === 0 && type === syncProtocol.messageYjsUpdate)).toBe(true)
    expect(types.at(-1)).toEqual([0, syncProtocol.messageYjsSyncStep2])
    const joiner = new Y.Doc()
    for (const message of messages) {
      const decoder = decoding.createDecoder(message)
      decoding.readVarUint(decoder)
      syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), joiner, null)
    }
    expect(joiner.getMap('shapes').toJSON()).toEqual(doc.getMap('shapes').toJSON())
    expect(second.sent).toHaveLength(messages.length)
    second.sent.forEach((message, i) => expect(message).toBe(messages[i]))
  })
})
