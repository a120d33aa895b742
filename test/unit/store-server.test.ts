/** The board store in the real built server (dist/server/main.js): crashes, restarts, several instances on one Redis. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startRedis } from '../helpers/redis.js'
import { startServer, type ServerHandle } from '../helpers/server.js'
import { StoreClient } from '../helpers/store-client.js'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) await cleanup()
})

// The store needs no built app; a page of its own spares these tests `npm run build:app`.
let staticDir: string
beforeAll(async () => {
  staticDir = await mkdtemp(join(tmpdir(), 'meshboard-static-'))
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>meshboard test</title>')
})
afterAll(() => rm(staticDir, { recursive: true, force: true }))

async function server({ env = {}, dataDir }: { env?: Record<string, string>; dataDir?: string } = {}): Promise<ServerHandle> {
  const handle = await startServer({ env: { STATIC_DIR: staticDir, ...env }, dataDir })
  cleanups.push(() => handle.stop())
  return handle
}

/** Until the instance's Redis connection is ready: with no offline queue, earlier requests get 503. */
async function whenStoreAnswers(board: StoreClient): Promise<void> {
  await expect.poll(async () => (await board.read()).status, { timeout: 10_000, interval: 50 }).toBe(200)
}

describe('board store in the real server', { timeout: 60_000 }, () => {
  it('keeps an acknowledged append through kill -9 and a restart on the same DATA_DIR', async () => {
    // A directory of the test's own: the helper removes the one it makes as soon as the server exits.
    const dataDir = await mkdtemp(join(tmpdir(), 'meshboard-data-'))
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const first = await server({ dataDir })
    const board = new StoreClient(first.url)
    for (let i = 1; i <= 20; i++) expect((await board.append(`record ${i}`)).json.seq).toBe(i)
    await first.kill()
    expect((await first.exited).signal).toBe('SIGKILL')

    const second = await server({ dataDir })
    const reopened = new StoreClient(second.url, board.id, board.secret)
    const contents = await reopened.contents()
    expect(contents).toHaveLength(20)
    expect(contents.at(-1)).toEqual([2, 20, 'record 20'])
    expect((await reopened.append('after the crash')).json.seq).toBe(21)
  })

  it('serves one board from two instances on one Redis: append, read and compact through either', async () => {
    const redis = await startRedis()
    cleanups.push(() => redis.stop())
    const env = { REDIS_URL: redis.url, STORE_NEW_BOARDS_PER_DAY: '1' }
    const [one, two] = await Promise.all([server({ env }), server({ env })])
    const viaOne = new StoreClient(one.url)
    const viaTwo = new StoreClient(two.url, viaOne.id, viaOne.secret)
    await whenStoreAnswers(viaOne)
    await whenStoreAnswers(viaTwo)

    for (const text of ['a', 'b', 'c']) await viaOne.append(text)
    expect(await viaTwo.contents()).toEqual([
      [2, 1, 'a'],
      [2, 2, 'b'],
      [2, 3, 'c'],
    ])
    expect((await viaTwo.snapshot(2, 'S2')).json).toEqual({ seq: 2, dropped: 2, logRecords: 1, logBytes: 1, boardBytes: 3 })
    expect(await viaOne.snapshot(1, 'S1')).toMatchObject({ status: 409, json: { error: 'stale-base' } })
    expect(await viaOne.append('d', viaOne.secret.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))).toMatchObject({
      status: 403,
      json: { error: 'wrong-secret' },
    })
    expect((await viaTwo.append('d')).json.seq).toBe(4)
    expect(await viaOne.contents()).toEqual([
      [1, 2, 'S2'],
      [2, 3, 'c'],
      [2, 4, 'd'],
    ])
    expect(await viaOne.contents(3)).toEqual([[2, 4, 'd']])
    // The new-board quota is shared: this address made its one board today through instance one.
    expect(await new StoreClient(two.url).append('x')).toMatchObject({ status: 429, json: { error: 'new-board-limit' } })
  })

  it('answers 503 store-unavailable at once while Redis is down, and recovers', async () => {
    const redis = await startRedis()
    cleanups.push(() => redis.stop())
    const instance = await server({ env: { REDIS_URL: redis.url } })
    const board = new StoreClient(instance.url)
    await whenStoreAnswers(board)
    await board.append('before')

    await redis.kill()
    const started = Date.now()
    expect(await board.append('during')).toMatchObject({ status: 503, json: { error: 'store-unavailable' } })
    expect((await board.read()).status).toBe(503)
    // Not a hang: well inside the command timeout of 2 s plus slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000)

    // A fresh, empty Redis: the instance reconnects by itself.
    await redis.restart()
    await whenStoreAnswers(board)
    expect((await board.append('after')).json.seq).toBe(1)
    expect(instance.output()).toContain('store-unavailable')
  })
})
