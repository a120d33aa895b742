/**
 * JoinerAnswers: a peer that holds nothing of the board gets it from one shared encoding, byte for
 * byte what y-webrtc (y-protocols) would have answered; anyone else is answered by y-webrtc.
 */
import { describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { JoinerAnswers, PIECE_BYTES } from '../../src/net/joiner-answers'

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
  const answers = new JoinerAnswers(doc)
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
    answers.watch(stand)
    return { sent, passedOn, receive: (data: Uint8Array) => stand.emit('data', data) }
  }
  return { doc, answers, peer }
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

  it('leaves a peer that holds part of the board, and every other message, to y-webrtc', () => {
    const { doc, peer } = setup()
    const partial = new Y.Doc()
    Y.applyUpdate(partial, Y.encodeStateAsUpdate(doc))
    const p = peer()
    const request = syncStep1(partial)
    p.receive(request)
    p.receive(new Uint8Array([0, 2, 1, 0]))
    expect(p.sent).toEqual([])
    expect(p.passedOn).toEqual([request, new Uint8Array([0, 2, 1, 0])])
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
