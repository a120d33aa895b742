/**
 * The server only introduces peers: neither the board id nor its key ever reaches it, in any HTTP
 * request or signaling frame, while two browsers find each other and draw together.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { wave } from '../helpers/boards'
import { useE2E } from '../helpers/e2e'

const e2e = useE2E()

/** Everything a page sends to servers: request lines, headers, bodies and WebSocket frames. */
function recordOutgoing(page: Page): string[] {
  const sent: string[] = []
  page.on('request', (request) => {
    sent.push(`${request.method()} ${request.url()}`, JSON.stringify(request.headers()), request.postData() ?? '')
  })
  page.on('websocket', (socket) => {
    sent.push(`WS ${socket.url()}`)
    socket.on('framesent', (frame) => sent.push(String(frame.payload)))
  })
  return sent
}

describe('privacy', () => {
  it('never sends the board id or key to the server', async () => {
    const server = await e2e.server()
    const [a, b] = await Promise.all([e2e.peer('A'), e2e.peer('B')])
    const sentByA = recordOutgoing(a.page)
    const sentByB = recordOutgoing(b.page)
    const url = await a.createBoard(server.url)
    await b.open(url)
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
    await a.drawStroke(wave(250, 260, 400, 50))
    await expect.poll(async () => (await b.exportJSON()).shapes.length).toBe(1)

    const fragment = new URLSearchParams(new URL(url).hash.slice(1))
    const secrets = [fragment.get('board')!, fragment.get('key')!]
    const everything = [...sentByA, ...sentByB]
    // The recording is real: it saw the signaling traffic that introduced the two peers.
    expect(everything.some((line) => line.includes('"publish"'))).toBe(true)
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(12)
      expect(everything.filter((line) => line.includes(secret))).toEqual([])
    }
  })
})
