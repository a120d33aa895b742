/**
 * Per-test ownership of e2e resources: every browser and server a test starts is closed after it,
 * whether it passed or not, and a page error in any browser fails the test. When a test fails,
 * the browsers' consoles and the servers' output are printed to help find out why.
 */
import { afterEach, beforeEach, expect } from 'vitest'
import type { BoardJSON } from '../../src/model/board-json'
import { launchPeer, type Peer, type PeerOptions } from './browser'
import { startServer, type ServerHandle, type ServerOptions } from './server'

interface Scope {
  readonly peers: Peer[]
  readonly servers: ServerHandle[]
}

export interface E2E {
  /** A new browser process, closed after the test. */
  peer(name: string, options?: Omit<PeerOptions, 'name'>): Promise<Peer>
  /** A new server process, stopped after the test. */
  server(options?: ServerOptions): Promise<ServerHandle>
}

/** Call once at the top of a test file. */
export function useE2E(): E2E {
  let scope: Scope = { peers: [], servers: [] }

  beforeEach(({ onTestFailed }) => {
    const current: Scope = (scope = { peers: [], servers: [] })
    onTestFailed(() => {
      for (const peer of current.peers) console.log(`----- console of browser ${peer.name} -----\n${peer.log.join('\n')}`)
      for (const server of current.servers) console.log(`----- output of server :${server.port} -----\n${server.output()}`)
    })
  })

  afterEach(async () => {
    const { peers, servers } = scope
    // Browsers first, so none of them sees its server go away; then every server, even if a close failed.
    const results = await Promise.allSettled(peers.map((peer) => peer.close()))
    const stopped = await Promise.allSettled(servers.map((server) => server.stop()))
    const failures = [...results, ...stopped].filter((result) => result.status === 'rejected')
    if (failures.length > 0) throw new Error(`cleanup failed: ${failures.map((f) => String(f.reason)).join('; ')}`)
    for (const peer of peers) expect(peer.pageErrors, `page errors in browser ${peer.name}`).toEqual([])
  })

  return {
    async peer(name, options = {}) {
      const peer = await launchPeer({ ...options, name })
      scope.peers.push(peer)
      return peer
    },
    async server(options) {
      const server = await startServer(options)
      scope.servers.push(server)
      return server
    },
  }
}

/**
 * Waits until the peer's board equals `expected`; if it never does, fails with the diff of what it
 * has instead of a bare timeout.
 */
export async function expectBoard(peer: Peer, expected: BoardJSON): Promise<void> {
  try {
    await peer.waitForBoard(expected)
  } catch (error) {
    expect(await peer.exportJSON(), `${peer.name}'s board (${(error as Error).message})`).toEqual(expected)
  }
}
