/**
 * Across NATs (DESIGN.md §13), behind real ones: two LANs behind iptables MASQUERADE and a public
 * segment with the meshboard server and coturn, all in network namespaces this file builds and
 * removes. Chromium runs inside the LANs. With the defaults no direct connection opens and the
 * screen says so truthfully; with TURN_URLS and TURN_SECRET the browsers connect through a relay
 * candidate; a LAN whose link goes down and comes back recovers, and so does one whose router
 * comes back with a new public address (every mapping gone), and its board catches up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StrokeJSON } from '../../src/model/board-json'
import { WAIT_MS, statusTexts, type Peer } from '../helpers/browser'
import { startCoturn, type CoturnHandle } from '../helpers/coturn'
import { expectBoard, useE2E } from '../helpers/e2e'
import { createNatNetwork, netnsUnavailable, WAN_IP, type Lan, type NatNetwork } from '../helpers/netns'
import { spiral, wave } from '../helpers/boards'
import { selectedCandidates, throughRelay, type SelectedPair } from '../helpers/webrtc-path'

const unavailable = netnsUnavailable()
if (unavailable) console.warn(`skipping the NAT tests: ${unavailable}`)

const SECRET = 'nat-test-static-auth-secret'
const TURN_PORT = 3478
const SERVER_PORT = 8787
const ORIGIN = `http://${WAN_IP}:${SERVER_PORT}`
const TURN_ENV = { TURN_URLS: `turn:${WAN_IP}:${TURN_PORT}?transport=udp`, TURN_SECRET: SECRET }

const e2e = useE2E()

function everConnectedDirectly(peer: Peer): Promise<boolean> {
  return peer.page.evaluate(() =>
    ((window as unknown as { __meshTestConnections?: RTCPeerConnection[] }).__meshTestConnections ?? []).some((connection) => connection.connectionState === 'connected'),
  )
}

/** The people panel's avatars: what their tooltips say, besides this user's own. */
function avatarTitles(peer: Peer): Promise<string[]> {
  return peer.page.evaluate(() =>
    [...(document.querySelector('mesh-board')!.shadowRoot!.querySelector('mesh-people')!.shadowRoot!.querySelectorAll('.avatar') ?? [])]
      .slice(1)
      .map((avatar) => avatar.getAttribute('title') ?? ''),
  )
}

async function waitForStatusText(peer: Peer, text: string): Promise<void> {
  try {
    await peer.page.waitForFunction(
      (expected) => document.querySelector('mesh-board')?.shadowRoot?.querySelector('mesh-status')?.shadowRoot?.querySelector('[role=status]')?.textContent?.trim() === expected,
      text,
      { timeout: WAIT_MS },
    )
  } catch {
    expect((await statusTexts(peer)).status, `${peer.name}'s status`).toBe(text)
  }
}

/** Stops keeping the board on the server, so nothing travels through it: WebRTC or nothing. */
async function withoutServerCopy(peer: Peer): Promise<void> {
  await peer.page.evaluate(() => (document.querySelector('mesh-board')!.store = 'off'))
  await peer.page.waitForFunction(() => document.querySelector('mesh-board')!.storeStatus === 'off' && document.querySelector('mesh-board')!.status !== 'connecting', null, { timeout: WAIT_MS })
}

describe.skipIf(unavailable !== null)('behind two NATs', () => {
  let net: NatNetwork
  let coturn: CoturnHandle | undefined
  beforeAll(async () => {
    net = await createNatNetwork()
  })
  afterAll(async () => {
    await coturn?.stop()
    await net?.destroy()
  })

  /** A browser in `lan`, recording every HTTP response body it gets (to look for the TURN secret). */
  async function peerIn(name: string, lan: Lan): Promise<Peer & { bodies: Buffer[] }> {
    const peer = await e2e.peer(name, { chromium: await net.chromium(lan, ORIGIN) })
    const bodies: Buffer[] = []
    peer.page.on('response', (response) => void response.body().then((body) => bodies.push(body), () => {}))
    return Object.assign(peer, { bodies })
  }

  const serverInWan = (env: Record<string, string> = {}) => e2e.server({ host: WAN_IP, port: SERVER_PORT, prefix: net.exec(net.wan), env })

  it('with the defaults: no direct connection, and the screen says how each person is reached', async () => {
    await serverInWan()
    const [a, b] = [await peerIn('A', net.lans[0]), await peerIn('B', net.lans[1])]
    const url = await a.createBoard(`${ORIGIN}/`)
    await b.open(url)
    // The server relays (DESIGN.md §12): drawing works, and says it goes through the server.
    await waitForStatusText(a, 'Connected to 1 person (all through the server)')
    await a.drawStroke(wave(200, 250, 500, 60))
    await expectBoard(b, await a.exportJSON())
    expect(await avatarTitles(b)).toEqual([expect.stringContaining('connected through the server')])
    expect(await everConnectedDirectly(a)).toBe(false)

    // Without the server's copy and relay, nothing reaches the other person: the screen says so
    // and what would fix it, and never that nobody is there.
    await Promise.all([withoutServerCopy(a), withoutServerCopy(b)])
    await waitForStatusText(a, "Can't connect to 1 person here")
    const hint = await a.page.evaluate(() => document.querySelector('mesh-board')!.shadowRoot!.querySelector('mesh-status')!.shadowRoot!.querySelector('[role=status]')!.getAttribute('title'))
    expect(hint).toContain('TURN relay')
    expect(await avatarTitles(a)).toEqual([expect.stringMatching(/^Someone is on this board, but can't be reached from here\. .*TURN relay/)])
    expect(await everConnectedDirectly(a)).toBe(false)
  })

  it('with TURN: connects through a relay candidate, strokes cross it, and the secret reaches no page', async () => {
    coturn = await startCoturn({ listenIp: WAN_IP, port: TURN_PORT, secret: SECRET, prefix: net.exec(net.wan) })
    await serverInWan(TURN_ENV)
    const [a, b] = [await peerIn('A', net.lans[0]), await peerIn('B', net.lans[1])]
    const url = await a.createBoard(`${ORIGIN}/`)
    await Promise.all([withoutServerCopy(a), b.open(url).then(() => withoutServerCopy(b))])
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
    await a.page.waitForFunction(() => document.querySelector('mesh-board')!.shadowRoot!.querySelector('mesh-people')!.shadowRoot!.querySelectorAll('.avatar')[1]?.getAttribute('title')?.includes('relay (TURN)'), null, { timeout: WAIT_MS })
    const pairs = await selectedCandidates(a)
    expect(pairs).toHaveLength(1)
    expect([pairs[0]!.local, pairs[0]!.remote]).toContain('relay')
    expect((await statusTexts(a)).status).toBe('Connected to 1 person')

    const drawn = await a.drawStroke(wave(200, 250, 500, 60))
    await expectBoard(b, await a.exportJSON())
    expect(((await b.exportJSON()).shapes[0] as StrokeJSON).points).toEqual(drawn.points)
    expect((await b.dataChannelStats()).messagesReceived).toBeGreaterThan(0)
    expect(coturn.output()).toMatch(/ALLOCATE processed, success/)

    for (const peer of [a, b]) {
      expect(peer.bodies.length).toBeGreaterThan(0)
      for (const body of peer.bodies) expect(body.includes(Buffer.from(SECRET)), `a response to ${peer.name} contains the TURN secret`).toBe(false)
    }
  })

  /** A on LAN 1 and B on LAN 2 on a new board, connected through TURN with the server's copy off, one stroke of A's on both. */
  async function connectedOverTurn(): Promise<[Peer, Peer]> {
    coturn ??= await startCoturn({ listenIp: WAN_IP, port: TURN_PORT, secret: SECRET, prefix: net.exec(net.wan) })
    await serverInWan(TURN_ENV)
    const [a, b] = [await peerIn('A', net.lans[0]), await peerIn('B', net.lans[1])]
    const url = await a.createBoard(`${ORIGIN}/`)
    await Promise.all([withoutServerCopy(a), b.open(url).then(() => withoutServerCopy(b))])
    await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
    await a.drawStroke(wave(200, 200, 500, 40))
    await expectBoard(b, await a.exportJSON())
    return [a, b]
  }

  /** How many connections the page made, and the ICE username fragment of the newest: an ICE restart changes it. */
  const iceOf = (peer: Peer) =>
    peer.page.evaluate(() => {
      const list = (window as unknown as { __meshTestConnections: RTCPeerConnection[] }).__meshTestConnections
      return { count: list.length, ufrag: /a=ice-ufrag:(\S+)/.exec(list.at(-1)?.localDescription?.sdp ?? '')?.[1] }
    })

  type Ice = Awaited<ReturnType<typeof iceOf>>
  const howRecovered = (before: Ice, after: Ice) =>
    after.count !== before.count ? `${after.count - before.count} new connection(s)` : after.ufrag !== before.ufrag ? 'ICE restart' : 'ICE healed by itself'

  /** Waits until none of the peer's connections is connected: it noticed the path is gone. */
  const waitUntilCut = (peer: Peer) =>
    peer.page.waitForFunction(
      () => ((window as unknown as { __meshTestConnections?: RTCPeerConnection[] }).__meshTestConnections ?? []).every((connection) => connection.iceConnectionState !== 'connected'),
      null,
      { timeout: WAIT_MS },
    )

  /** After a recovery: one connection again, and A's strokes reach B over it. Resolves with its selected pair. */
  async function expectWorkingAgain(a: Peer, b: Peer): Promise<SelectedPair> {
    const pairs = await selectedCandidates(a)
    expect(pairs).toHaveLength(1)
    await a.drawStroke(wave(200, 600, 500, 30))
    await expectBoard(b, await a.exportJSON())
    return pairs[0]!
  }

  it('recovers when a LAN link goes down and comes back, and the board catches up without a reload', async () => {
    const [a, b] = await connectedOverTurn()
    const before = await iceOf(a)
    await net.linkDown(net.lans[0])
    // A notices its connection is gone (ICE 'disconnected'), then B draws what A cannot get now.
    await waitUntilCut(a)
    await b.drawStroke(spiral(600, 450, 80, 2.5, 60))
    const missed = await b.exportJSON()
    const upAt = performance.now()
    await net.linkUp(net.lans[0])
    await expectBoard(a, missed)
    const caughtUp = performance.now() - upAt
    await a.waitForPeerCount(1)
    const reconnected = performance.now() - upAt
    console.log(`NAT recovery, link down and up (${howRecovered(before, await iceOf(a))}): board caught up ${Math.round(caughtUp)} ms and connected again ${Math.round(reconnected)} ms after the link came back`)
    expect(throughRelay(await expectWorkingAgain(a, b))).toBe(true)
  })

  it("recovers when A's router comes back with a new public address and every mapping is gone, and the board catches up without a reload", async () => {
    const [a, b] = await connectedOverTurn()
    const before = await iceOf(a)
    const cutAt = performance.now()
    await net.uplinkDown(net.lans[0])
    await waitUntilCut(a)
    await b.drawStroke(spiral(600, 450, 80, 2.5, 60))
    const missed = await b.exportJSON()
    // Nothing else carries the board (the server's copy is off): A has not got it.
    expect((await a.exportJSON()).shapes).toHaveLength(1)
    const upAt = performance.now()
    const address = await net.uplinkUp(net.lans[0])
    await expectBoard(a, missed)
    const caughtUp = performance.now() - upAt
    await a.waitForPeerCount(1)
    const reconnected = performance.now() - upAt
    const how = howRecovered(before, await iceOf(a))
    const outage = performance.now() - cutAt
    // The new path may be TURN again or, with the NATs' mappings made fresh, a direct one through them.
    const { local, remote } = await expectWorkingAgain(a, b)
    console.log(
      `NAT recovery, new public address ${address} (${how}, now ${local}/${remote}): board caught up ${Math.round(caughtUp)} ms and connected again ${Math.round(reconnected)} ms after the uplink came back, ${Math.round(outage)} ms after it went`,
    )
  })
})
