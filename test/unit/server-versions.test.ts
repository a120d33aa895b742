/**
 * The board's history on its server (src/store/server-versions.ts) in Node, against the real
 * server process: versions kept by one device are listed by another, sealed so that the server
 * and other boards cannot read them; the history stays within its limits, also for a version too
 * big for one record; and what someone hostile writes there is left out.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { importBoard } from '../../src/model/board-json'
import { deriveStoreKeys } from '../../src/net/store-keys'
import { MAX_SERVER_VERSIONS, ServerVersions } from '../../src/store/server-versions'
import type { NewVersion } from '../../src/store/version-store'
import { generateBoard } from '../helpers/boards'
import { startServer, type ServerHandle } from '../helpers/server'

const servers: ServerHandle[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()))
})

async function history(address = { board: 'history-board', key: 'GLzeCqQBIepZla4WQVW9Nw' }, env: Record<string, string> = {}) {
  const server = await startServer({ env })
  servers.push(server)
  const keys = await deriveStoreKeys(address)
  return { server, keys, versions: new ServerVersions({ keys, baseUrl: `${server.url}store/` }) }
}

/** A board of `strokes` strokes and the version of it a device would keep. */
function version(strokes: number, at: number, seed = at): { info: NewVersion; state: Uint8Array } {
  const doc = new Y.Doc()
  importBoard(doc, generateBoard({ strokes, pointsPerStroke: 50, seed }))
  const state = Y.encodeStateAsUpdate(doc)
  return {
    info: { at, reason: 'edited', authors: ['Ana'], shapes: strokes, bytes: state.byteLength, snapshot: Y.encodeSnapshot(Y.snapshot(doc)) },
    state,
  }
}

describe('the board history on the server', { timeout: 30_000 }, () => {
  it('lists on another device the versions one device kept, states and all', async () => {
    const { keys, server, versions } = await history()
    const first = version(20, 1_000)
    const second = version(30, 2_000)
    await versions.add(first.info, first.state)
    await versions.add(second.info, second.state)
    const elsewhere = new ServerVersions({ keys, baseUrl: `${server.url}store/` })
    const listed = await elsewhere.list()
    expect(listed.map(({ info }) => [info.at, info.shapes, info.authors])).toEqual([
      [1_000, 20, ['Ana']],
      [2_000, 30, ['Ana']],
    ])
    expect(listed[1]!.state).toEqual(second.state)
    expect(listed[1]!.info.snapshot).toEqual(second.info.snapshot)
  })

  it('keeps the newest versions within its limits, compacting as it goes, and a version too big for one record', async () => {
    const { versions } = await history()
    for (let i = 1; i <= 2 * MAX_SERVER_VERSIONS + 3; i++) {
      const small = version(3, i * 1_000)
      await versions.add(small.info, small.state)
    }
    // About 1.6 MB: more than a record (1 MiB) takes, so it goes up in a compaction.
    const big = version(4_000, 99_000, 7)
    expect(big.state.byteLength).toBeGreaterThan(1024 * 1024)
    await versions.add(big.info, big.state)
    const listed = await versions.list()
    expect(listed.length).toBeLessThanOrEqual(MAX_SERVER_VERSIONS)
    expect(listed.at(-1)!.info.at).toBe(99_000)
    expect(listed.at(-1)!.state).toEqual(big.state)
    // The newest small ones are those kept.
    expect(listed.at(-2)!.info.at).toBe((2 * MAX_SERVER_VERSIONS + 3) * 1_000)
  })

  it('is sealed for its board: another board, or the server, reads nothing of it', async () => {
    const { server, versions } = await history()
    const kept = version(10, 5_000)
    await versions.add(kept.info, kept.state)
    const otherKeys = await deriveStoreKeys({ board: 'history-board', key: 'HLzeCqQBIepZla4WQVW9Nw' })
    // Another board's keys, pointed at this history's id: nothing reads.
    const impostor = new ServerVersions({ keys: { ...otherKeys, historyId: (await deriveStoreKeys({ board: 'history-board', key: 'GLzeCqQBIepZla4WQVW9Nw' })).historyId }, baseUrl: `${server.url}store/` })
    expect(await impostor.list()).toEqual([])
    // What the server holds is not the state, nor anything of its text.
    const stored = new Uint8Array(await (await fetch(`${server.url}store/${(await deriveStoreKeys({ board: 'history-board', key: 'GLzeCqQBIepZla4WQVW9Nw' })).historyId}`)).arrayBuffer())
    expect(Buffer.from(stored).includes(Buffer.from('Ana'))).toBe(false)
    expect(Buffer.from(stored).includes(Buffer.from(kept.state.subarray(0, 64)))).toBe(false)
  })

  it('leaves out what someone with the link wrote there that is not a version', async () => {
    const { keys, server, versions } = await history()
    const kept = version(10, 5_000)
    await versions.add(kept.info, kept.state)
    // Sealed properly, but not a version: garbage, and a version whose description lies.
    const { seal } = await import('../../src/net/sealed')
    const post = async (plain: Uint8Array) =>
      fetch(`${server.url}store/${keys.historyId}/records`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${keys.historyWriteSecret}` },
        body: (await seal(keys.recordKey, 'version', keys.historyId, plain)) as Uint8Array<ArrayBuffer>,
      })
    expect((await post(new Uint8Array([1, 2, 3]))).ok).toBe(true)
    const lying = new TextEncoder().encode('{"at":-1,"reason":"<img onerror=alert(1)>"}')
    expect((await post(new Uint8Array([lying.length, ...lying, 0, 0]))).ok).toBe(true)
    const listed = await versions.list()
    expect(listed.map(({ info }) => info.at)).toEqual([5_000])
  })

  it('says nothing, and keeps nothing, on a server that keeps no boards', async () => {
    const { versions } = await history(undefined, { STORE: 'off' })
    const kept = version(5, 1_000)
    await versions.add(kept.info, kept.state)
    expect(await versions.list()).toEqual([])
  })
})
