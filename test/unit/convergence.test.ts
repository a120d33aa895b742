/**
 * Several peers edit concurrently while the network delivers their updates late, out of order,
 * duplicated and across partitions; once everything has been delivered, every peer holds the
 * same board.
 */
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { exportBoard, importBoard } from '../../src/model/board-json'
import { History } from '../../src/model/history'
import { deleteShapes } from '../../src/model/ops'
import { readAllShapes } from '../../src/model/board-json'
import { StrokeWriter } from '../../src/model/stroke-writer'
import type { ShapeId } from '../../src/model/ids'
import { random as seededRandom } from '../helpers/boards'


interface Peer {
  doc: Y.Doc
  history: History
  /** Updates this peer has produced, all of which must eventually reach everyone. */
  sent: Uint8Array[]
  writer: StrokeWriter | null
}

function simulate(seed: number, peerCount: number, steps: number): Peer[] {
  const random = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const peers: Peer[] = Array.from({ length: peerCount }, () => {
    const doc = new Y.Doc()
    const peer: Peer = { doc, history: new History(doc), sent: [], writer: null }
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'network') peer.sent.push(update)
    })
    return peer
  })
  const deliver = (from: Peer, to: Peer) => {
    if (from === to || from.sent.length === 0) return
    // Any one of the sender's updates, possibly one the receiver already has or cannot apply yet.
    Y.applyUpdate(to.doc, pick(from.sent), 'network')
  }
  let groups: Peer[][] = [peers]
  for (let step = 0; step < steps; step++) {
    const peer = pick(peers)
    const roll = random()
    if (roll < 0.05) {
      // Partition the network in two (or heal it).
      groups = random() < 0.5 ? [peers] : [peers.filter((_, i) => i % 2 === 0), peers.filter((_, i) => i % 2 === 1)]
    } else if (roll < 0.3) {
      const group = groups.find((g) => g.includes(peer))!
      deliver(pick(group), peer)
    } else if (roll < 0.6) {
      const x = random() * 1000
      const y = random() * 1000
      if (!peer.writer) {
        peer.history.beginGesture()
        peer.writer = new StrokeWriter(peer.doc, x, y, random() < 0.5 ? random() : null, { color: '#1e1e1e', strokeWidth: 4, opacity: 1 })
      } else {
        peer.writer.add(x, y, random())
        if (random() < 0.5) peer.writer.flush()
      }
    } else if (roll < 0.7 && peer.writer) {
      peer.writer.finish()
      peer.writer = null
    } else if (roll < 0.78) {
      const ids = readAllShapes(peer.doc).shapes.map((shape) => shape.id)
      if (ids.length > 0) {
        peer.history.beginGesture()
        deleteShapes(peer.doc, [pick(ids) as ShapeId])
      }
    } else if (roll < 0.86) {
      if (random() < 0.5) peer.history.undo()
      else peer.history.redo()
    } else if (roll < 0.88) {
      peer.history.beginGesture()
      importBoard(peer.doc, { version: 1, shapes: [{ type: 'stroke', points: [[random() * 100, 0], [50, 50]] }] })
    }
  }
  for (const peer of peers) peer.writer?.finish()
  // Heal: every update reaches every peer, in a shuffled order.
  const all = peers.flatMap((peer) => peer.sent)
  for (const peer of peers) {
    const shuffled = [...all].sort(() => random() - 0.5)
    for (const update of shuffled) Y.applyUpdate(peer.doc, update, 'network')
  }
  return peers
}

describe('convergence', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`peers converge after random concurrent edits, delivery order and partitions (seed ${seed})`, () => {
      const peers = simulate(seed, 3 + (seed % 3), 600)
      const [first, ...others] = peers
      const expected = exportBoard(first!.doc)
      expect(expected.shapes.length).toBeGreaterThan(0)
      for (const peer of others) {
        expect(exportBoard(peer.doc)).toEqual(expected)
        expect(Y.encodeStateVector(peer.doc)).toEqual(Y.encodeStateVector(first!.doc))
      }
      for (const peer of peers) expect(readAllShapes(peer.doc).invalid).toBe(0)
    })
  }
})
