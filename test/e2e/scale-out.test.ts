/**
 * Two instances of the real server behind one Redis: a browser whose board points at one and a
 * browser whose board points at the other draw together. The board is decided by the URL fragment,
 * so B opens A's board on instance two's address, and its page uses instance two's /signal.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BOARD_JSON_VERSION } from '../../src/model/board-json'
import { spiral, wave } from '../helpers/boards'
import { expectBoard, useE2E } from '../helpers/e2e'
import { startRedis, type RedisHandle } from '../helpers/redis'
import type { ServerHandle } from '../helpers/server'

let redis: RedisHandle | undefined
// Registered before useE2E's hooks, so it runs after them: the servers stop before their Redis does.
afterEach(async () => {
  await redis?.stop()
  redis = undefined
})
const e2e = useE2E()

async function metric(server: ServerHandle, series: string): Promise<number | undefined> {
  const text = await (await fetch(new URL('metrics', server.url))).text()
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

function waitForMetric(server: ServerHandle, series: string, value: number): Promise<void> {
  return vi.waitFor(async () => expect(await metric(server, series)).toBe(value), { timeout: 15_000, interval: 100 })
}

describe('two server instances behind one Redis', () => {
  it('lets browsers connected to different instances find each other and draw together', async () => {
    redis = await startRedis()
    const env = { REDIS_URL: redis.url }
    const [one, two] = await Promise.all([e2e.server({ env }), e2e.server({ env })])
    await Promise.all([one, two].map((server) => waitForMetric(server, 'meshboard_redis_connected', 1)))

    const [a, b] = await Promise.all([e2e.peer('A'), e2e.peer('B')])
    const boardOnOne = await a.createBoard(one.url)
    const boardOnTwo = new URL(new URL(boardOnOne).hash, two.url).href
    expect(new URL(boardOnTwo).origin).not.toBe(new URL(boardOnOne).origin)
    await b.open(boardOnTwo)
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])

    // Each browser's signaling went to its own instance, and crossed over through Redis: two
    // sockets per browser, y-webrtc's and the relay's (server-relay.ts).
    for (const server of [one, two]) {
      expect(await metric(server, 'meshboard_connections'), `connections on :${server.port}`).toBe(2)
      expect(await metric(server, 'meshboard_redis_messages_total{direction="received"}')).toBeGreaterThan(0)
    }

    const strokeA = await a.drawStroke(wave(250, 260, 600, 70))
    await expectBoard(b, { version: BOARD_JSON_VERSION, shapes: [strokeA] })
    const strokeB = await b.drawStroke(spiral(500, 450, 120, 2.5, 90))
    await expectBoard(a, { version: BOARD_JSON_VERSION, shapes: [strokeA, strokeB] })
  })
})
