/**
 * RelayFilter: which peers a change goes to. A stand-in room records the peers y-webrtc's send
 * would reach; stand-in peers apply their messages to the document the way y-webrtc does
 * (synchronously inside simple-peer's 'data' event, with the room as the origin).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Room } from 'y-webrtc'
import { RelayFilter } from '../../src/net/relay-filter'

function setup() {
  const doc = new Y.Doc()
  const sentTo: string[][] = []
  const conns = new Map<string, { peer: unknown }>()
  const room = {
    webrtcConns: conns,
    _docUpdateHandler: () => sentTo.push([...conns.keys()].sort()),
  }
  doc.on('update', room._docUpdateHandler)
  const filter = new RelayFilter(room as unknown as Room, doc)
  const peer = (id: string) => {
    const emitter = {
      emit(event: string | symbol, ...args: unknown[]): boolean {
        if (event === 'data') Y.applyUpdate(doc, args[0] as Uint8Array, room)
        return true
      },
    }
    conns.set(id, { peer: emitter })
    filter.watch(emitter)
    return { receive: (update: Uint8Array) => emitter.emit('data', update) }
  }
  return { doc, sentTo, conns, peer }
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
    p.receive(remoteChanges()[0])
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
    q.receive(second)
    expect(sentTo).toEqual([])
    // p sends the first: applying it brings in q's change as well, which p may not have.
    p.receive(first)
    expect(doc.getArray('notes').toArray()).toEqual(['first', 'second'])
    expect(sentTo).toEqual([['p', 'q']])
  })
})
