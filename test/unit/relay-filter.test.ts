/**
 * RelayFilter: which peers a change goes to. The room is y-webrtc's own (a provider without
 * signaling), so its own sending reaches the peers in its connections; those are stand-in peers
 * that record what y-webrtc sends them and apply their messages to the document the way y-webrtc
 * does (synchronously inside simple-peer's 'data' event, with the room as the origin). Real peers
 * over WebRTC: wire-contract.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { WebrtcProvider, type WebrtcConn } from 'y-webrtc'
import { MAX_UPDATE_STRUCTS, screenUpdate } from '../../src/model/update-screen'
import { RelayFilter } from '../../src/net/relay-filter'
import { chainPeerData, whenRoom } from '../../src/wire/wire-internals'
import { addTinyShapes } from '../helpers/boards'

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

/** The update in a sync message y-webrtc sent. */
function updateOf(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message)
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
  return decoding.readVarUint8Array(decoder)
}

const providers: WebrtcProvider[] = []
let rooms = 0
afterEach(async () => {
  for (const provider of providers.splice(0)) {
    provider.destroy()
    // y-webrtc destroys the room once the key is there.
    await whenRoom(provider)
  }
})

async function setup() {
  const doc = new Y.Doc()
  const provider = new WebrtcProvider(`relay-filter-test-${rooms++}`, doc, { signaling: [] })
  providers.push(provider)
  const room = (await whenRoom(provider))!
  const conns = room.webrtcConns
  /** Each send of y-webrtc's: the peers it reached, and the update it carried. */
  const sentTo: string[][] = []
  const sent: Uint8Array[] = []
  const messages: Uint8Array[] = []
  const filter = new RelayFilter(room, doc)
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
      // y-webrtc hands one message to each of its connections in turn: one send, one entry.
      send(message: Uint8Array): void {
        if (message === messages.at(-1)) sentTo.at(-1)!.push(id), sentTo.at(-1)!.sort()
        else {
          messages.push(message)
          sent.push(updateOf(message))
          sentTo.push([id])
        }
      },
    }
    conns.set(id, { peer: emitter, destroy() {} } as unknown as WebrtcConn)
    chainPeerData(emitter, [filter.stepFor(emitter)])
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
  it('sends a change that came from a peer to every other peer, not back to it', async () => {
    const { sentTo, conns, peer } = await setup()
    const p = peer('p')
    peer('q')
    peer('r')
    p.receive(syncMessage(remoteChanges()[0]))
    expect(sentTo).toEqual([['q', 'r']])
    // The peer is back among the connections after the send.
    expect([...conns.keys()].sort()).toEqual(['p', 'q', 'r'])
  })

  it('sends changes made here to every peer', async () => {
    const { doc, sentTo, peer } = await setup()
    peer('p')
    peer('q')
    doc.getArray<string>('notes').push(['mine'])
    expect(sentTo).toEqual([['p', 'q']])
  })

  it('sends to every peer, its sender included, a change that also holds what waited for it', async () => {
    const { doc, sentTo, peer } = await setup()
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

  it('passes a big change on as it arrived (no second encoding), to the store and the other peers', async () => {
    const { doc, sentTo, sent, peer } = await setup()
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
    expect(sent[0]).toEqual(stored[0])
    // What it holds is the board.
    expect(remoteDoc(stored[0]!).getMap('shapes').toJSON()).toEqual(board.getMap('shapes').toJSON())
    // The same board again holds nothing new: nothing to store or send.
    p.receive(message)
    expect(stored).toHaveLength(1)
    expect(sentTo).toHaveLength(1)
  })

  it('sends a change of more structs than a receiver takes in one update as pieces a peer takes one by one', async () => {
    const { doc, sentTo, sent, peer } = await setup()
    peer('p')
    peer('q')
    const before = new Y.Doc()
    Y.applyUpdate(before, Y.encodeStateAsUpdate(doc))
    addTinyShapes(doc, 20_000) // an import of 140,000 structs in one transaction
    expect(sent.length).toBeGreaterThan(5)
    expect(sentTo.every((to) => to.join() === 'p,q')).toBe(true)
    for (const piece of sent) {
      expect(Y.decodeUpdate(piece).structs.length).toBeLessThanOrEqual(MAX_UPDATE_STRUCTS)
      expect(screenUpdate(before, piece)).toBeNull()
      Y.applyUpdate(before, piece)
    }
    expect(before.getMap('shapes').toJSON()).toEqual(doc.getMap('shapes').toJSON())
  })
})
