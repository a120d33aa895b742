/**
 * Who the people panel shows (src/ui/presence-controller.ts): presences of peers this board knows
 * of (found through signaling or the relay, or connected), one per peer. A peer can make up as
 * many client ids as it likes; they must not make "5003 here".
 */
import { describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { PresenceController } from '../../src/ui/presence-controller'

/** A remote awareness holding states for these client ids, each claiming a peer id. */
function statesFrom(entries: ReadonlyArray<readonly [clientId: number, name: string, peerId: string]>): Uint8Array {
  const remote = new Awareness(new Y.Doc())
  const states = remote.getStates()
  for (const [clientId, name, peerId] of entries) {
    states.set(clientId, { user: { name, color: '#1971c2' }, peerId })
    remote.meta.set(clientId, { clock: 1, lastUpdated: 0 })
  }
  return encodeAwarenessUpdate(remote, entries.map(([clientId]) => clientId))
}

describe('PresenceController', () => {
  it('shows one presence per known peer and none for peers nobody found', () => {
    const awareness = new Awareness(new Y.Doc())
    const known = new Set(['ana', 'ben'])
    let updates = 0
    const controller = new PresenceController({ addController() {}, removeController() {}, requestUpdate: () => updates++, updateComplete: Promise.resolve(true) }, () => {})
    controller.attach(awareness, () => known)
    const fakes = Array.from({ length: 5000 }, (_, i) => [100_000 + i, `fake ${i}`, `fake-${i}`] as const)
    applyAwarenessUpdate(awareness, statesFrom([[11, 'Ana', 'ana'], [12, 'Ben', 'ben'], [13, 'Not Ana', 'ana'], ...fakes]), 'peer')
    expect(controller.peers.map((peer) => peer.user.name)).toEqual(['Ana', 'Ben'])

    // Found later through signaling: shown from the next render on, without a presence change.
    known.add('fake-7')
    controller.hostUpdate()
    expect(controller.peers.map((peer) => peer.user.name)).toEqual(['Ana', 'Ben', 'fake 7'])
    expect(updates).toBeGreaterThan(0)
    controller.detach()
  })
})
