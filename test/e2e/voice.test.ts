/**
 * Voice (issue 6), between SEPARATE Chromium processes with Chromium's fake microphone, through
 * the real server: people in voice hear each other, muting silences the audio but not the board,
 * a late joiner hears and is heard by everyone, leaving releases the microphone, a denied
 * microphone is explained and drawing carries on. Ends with the README's picture of a voice call.
 *
 * The fake microphone beeps (about 20 ms every 400 ms), so a level is "above silence at some
 * point", never at one instant. Silence is measured in the listener's page by its own meter on
 * every received sample (browser.ts, waitForInboundSilence): ten reads in a row covering a second
 * and more without a single sample above -60 dBFS, which two beeps a second would break.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BOARD_JSON_VERSION, type StrokeJSON } from '../../src/model/board-json'
import type { VoiceParticipant, VoiceState } from '../../src/ui/voice-controller'
import { arc, spiral, star, wave } from '../helpers/boards'
import {
  WAIT_MS,
  audioRtpStats,
  inboundAudioLevel,
  localMediaTracks,
  presence,
  presetIdentity,
  waitForInboundSilence,
  type Peer,
  type Point,
  type PeerOptions,
  type PresenceState,
} from '../helpers/browser'
import { expectBoard, useE2E } from '../helpers/e2e'
import { shownAddress, writeReadmeScreenshot } from '../helpers/screenshots'

const e2e = useE2E()

type Identity = { readonly name: string; readonly color: string }
const ADA: Identity = { name: 'Ada', color: '#e03131' }
const BEN: Identity = { name: 'Ben', color: '#1971c2' }
const CY: Identity = { name: 'Cy', color: '#2f9e44' }
const DEE: Identity = { name: 'Dee', color: '#9c36b5' }

/** A user in their own Chromium process with a fake microphone (unless told otherwise). */
async function person(label: string, identity: Identity, options: Omit<PeerOptions, 'name'> = {}): Promise<Peer> {
  const peer = await e2e.peer(label, { media: 'fake', ...options })
  await presetIdentity(peer, identity)
  return peer
}

/** The first person creates a board, the others open it; resolves once everyone is connected to everyone. */
async function onOneBoard(...peers: Peer[]): Promise<string> {
  const server = await e2e.server()
  const url = await peers[0]!.createBoard(server.url)
  await Promise.all(peers.slice(1).map((peer) => peer.open(url)))
  await Promise.all(peers.map((peer) => peer.waitForPeerCount(peers.length - 1)))
  return url
}

/** A button of the board's panels (Playwright's role engine pierces the open shadow roots). */
const button = (peer: Peer, name: string) => peer.page.locator('mesh-board').getByRole('button', { name, exact: true })

const voiceState = (peer: Peer): Promise<VoiceState> => peer.page.evaluate(() => document.querySelector('mesh-board')!.voiceState)

/** The people in voice as `peer` lists them, by name. */
const inVoice = async (peer: Peer): Promise<string[]> => (await voiceState(peer)).participants.map((person) => person.name).sort()

const participant = async (peer: Peer, name: string): Promise<VoiceParticipant | undefined> =>
  (await voiceState(peer)).participants.find((person) => person.name === name)

type VoicePresence = { readonly muted: boolean; readonly level: number } | null | undefined

/**
 * What the person called `name` publishes about their voice, as `peer`'s awareness holds it
 * (null or undefined: not in voice; 'unknown' while `peer` does not know them at all).
 */
async function voiceSeenBy(peer: Peer, name: string): Promise<VoicePresence | 'unknown'> {
  const state = Object.values((await presence(peer)).others).find((other) => other.user?.name === name)
  return state ? (state as PresenceState & { voice?: VoicePresence }).voice : 'unknown'
}

async function joinVoice(peer: Peer): Promise<void> {
  await button(peer, 'Join voice').click()
  await button(peer, 'Leave voice').waitFor({ timeout: WAIT_MS })
  expect(await voiceState(peer), `${peer.name}'s voice after joining`).toMatchObject({ joined: true, muted: false, problem: null })
}

/** The board has the keyboard (as after a click on it), without drawing anything. */
const focusBoard = (peer: Peer) => peer.page.locator('mesh-board').focus()

/** `listener` receives audio RTP: its inbound audio byte counter is above zero, then grows. */
async function expectAudioArriving(listener: Peer): Promise<void> {
  const received = async () => (await audioRtpStats(listener)).bytesReceived
  await expect.poll(received, { timeout: WAIT_MS, message: `${listener.name}'s inbound audio RTP bytes` }).toBeGreaterThan(0)
  const start = await received()
  // About 200 ms of Opus: packets keep coming, the counter is not a leftover.
  await expect.poll(received, { timeout: WAIT_MS, message: `${listener.name}'s inbound audio RTP bytes growing` }).toBeGreaterThan(start + 1000)
}

/** `listener`'s level of `name` (the app's meter on the received audio) is above silence at some point. */
async function expectHeard(listener: Peer, name: string): Promise<void> {
  await expect.poll(async () => (await participant(listener, name))?.receiving, { timeout: WAIT_MS, message: `${listener.name} receives ${name}'s audio` }).toBe(true)
  await expect
    .poll(async () => (await participant(listener, name))?.level ?? 0, { timeout: WAIT_MS, message: `${name}'s level measured by ${listener.name}` })
    .toBeGreaterThan(0)
}

/** Something `listener` receives over WebRTC is above silence at some point (the test's own meter). */
async function expectSound(listener: Peer): Promise<void> {
  await expect.poll(() => inboundAudioLevel(listener), { timeout: WAIT_MS, message: `audio received by ${listener.name}` }).toBeGreaterThan(0.3)
}

describe('voice between separate browsers', () => {
  it('lets two people in voice hear each other', async () => {
    const [a, b] = await Promise.all([person('A', ADA), person('B', BEN)])
    await onOneBoard(a, b)

    await joinVoice(a)
    // B is not in voice: it sees that Ada is, but gets no audio (audio only flows between people both in voice).
    await expect.poll(() => voiceSeenBy(b, 'Ada'), { timeout: WAIT_MS }).toEqual({ muted: false, level: expect.any(Number) })
    await expect.poll(() => button(b, 'Join voice').textContent(), { timeout: WAIT_MS }).toMatch(/Join voice · 1/)
    expect((await voiceState(b)).participants.map((p) => [p.name, p.receiving])).toEqual([['Ada', false]])
    expect((await audioRtpStats(a)).liveSenders, 'A sends to nobody yet').toBe(0)
    expect((await audioRtpStats(b)).bytesReceived, 'audio received by B outside voice').toBe(0)
    // Her own microphone is live: her meter moves, and what she publishes moves for B too.
    await expect.poll(async () => (await voiceState(a)).level, { timeout: WAIT_MS, message: "Ada's own level" }).toBeGreaterThan(0)
    await expect
      .poll(async () => ((await voiceSeenBy(b, 'Ada')) as { level?: number } | null)?.level ?? 0, { timeout: WAIT_MS, message: "Ada's published level as B sees it" })
      .toBeGreaterThan(0)

    await joinVoice(b)
    await expect.poll(() => inVoice(a), { timeout: WAIT_MS }).toEqual(['Ben'])
    await expect.poll(() => inVoice(b), { timeout: WAIT_MS }).toEqual(['Ada'])
    for (const [listener, speaker] of [
      [a, 'Ben'],
      [b, 'Ada'],
    ] as const) {
      await expectAudioArriving(listener)
      await expectHeard(listener, speaker)
    }
    expect((await audioRtpStats(a)).liveSenders, 'A sends its microphone to B').toBe(1)
    expect((await audioRtpStats(b)).liveSenders, 'B sends its microphone to A').toBe(1)
    expect(await a.peerCount()).toBe(1)
    expect(await b.peerCount()).toBe(1)
  })

  it('silences a muted microphone (button, M, hold B) while the board stays connected', async () => {
    const [a, b] = await Promise.all([person('A', ADA), person('B', BEN)])
    await onOneBoard(a, b)
    await joinVoice(a)
    await joinVoice(b)
    await expectHeard(b, 'Ada')
    await expectSound(b)

    await button(a, 'Mute microphone').click()
    await expect.poll(() => button(a, 'Unmute microphone').getAttribute('aria-pressed'), { timeout: WAIT_MS }).toBe('true')
    // Her own meter reads silence from its next reading on: the track is disabled at the source.
    await expect.poll(async () => (await voiceState(a)).level, { timeout: WAIT_MS }).toBe(0)
    expect(await voiceState(a)).toMatchObject({ joined: true, muted: true })
    await expect.poll(() => participant(b, 'Ada'), { timeout: WAIT_MS }).toMatchObject({ muted: true, level: 0, receiving: true })
    await expect.poll(() => voiceSeenBy(b, 'Ada'), { timeout: WAIT_MS }).toEqual({ muted: true, level: 0 })
    await waitForInboundSilence(b)

    // Only the microphone went quiet: the connection, the voice call and drawing all carry on.
    expect(await a.peerCount()).toBe(1)
    expect(await b.peerCount()).toBe(1)
    expect(await inVoice(b)).toEqual(['Ada'])
    expect(await button(b, 'Silence Ada').isVisible()).toBe(true)
    const stroke = await a.drawStroke(wave(250, 300, 400, 50))
    await expectBoard(b, { version: BOARD_JSON_VERSION, shapes: [stroke] })

    // M on the board unmutes: B hears Ada again...
    await focusBoard(a)
    await a.page.keyboard.press('m')
    await expect.poll(async () => (await voiceState(a)).muted, { timeout: WAIT_MS }).toBe(false)
    await expect.poll(async () => (await participant(b, 'Ada'))?.muted, { timeout: WAIT_MS }).toBe(false)
    await expectSound(b)
    await expectHeard(b, 'Ada')
    // ...and M mutes again.
    await a.page.keyboard.press('m')
    await expect.poll(async () => (await participant(b, 'Ada'))?.muted, { timeout: WAIT_MS }).toBe(true)
    await waitForInboundSilence(b)

    // Holding B talks while muted; letting go is silence again.
    await a.page.keyboard.down('b')
    await expect.poll(async () => (await voiceState(a)).pushToTalk, { timeout: WAIT_MS }).toBe(true)
    await expect.poll(async () => (await participant(b, 'Ada'))?.muted, { timeout: WAIT_MS }).toBe(false)
    await expectSound(b)
    await a.page.keyboard.up('b')
    await expect.poll(async () => (await participant(b, 'Ada'))?.muted, { timeout: WAIT_MS }).toBe(true)
    expect(await voiceState(a)).toMatchObject({ muted: true, pushToTalk: false })
    await waitForInboundSilence(b)
    expect(await a.peerCount()).toBe(1)
  })

  it('lets a late joiner hear both people in voice and be heard by them', async () => {
    const [a, b] = await Promise.all([person('A', ADA), person('B', BEN)])
    const url = await onOneBoard(a, b)
    await joinVoice(a)
    await joinVoice(b)
    await focusBoard(a)
    await a.page.keyboard.press('m')
    await expect.poll(async () => (await voiceState(a)).muted, { timeout: WAIT_MS }).toBe(true)

    const c = await person('C', CY)
    await c.open(url)
    await Promise.all([a, b, c].map((peer) => peer.waitForPeerCount(2)))
    // Not in voice, C still sees who is, and who is muted, in presence and on the people panel.
    await expect.poll(() => voiceSeenBy(c, 'Ada'), { timeout: WAIT_MS }).toEqual({ muted: true, level: 0 })
    await expect.poll(() => voiceSeenBy(c, 'Ben'), { timeout: WAIT_MS }).toEqual({ muted: false, level: expect.any(Number) })
    await expect.poll(() => button(c, 'Follow Ada').getAttribute('aria-description'), { timeout: WAIT_MS }).toBe('connected directly, in voice, muted')
    await expect.poll(() => button(c, 'Follow Ben').getAttribute('aria-description'), { timeout: WAIT_MS }).toBe('connected directly, in voice')
    await expect.poll(() => button(c, 'Join voice').textContent(), { timeout: WAIT_MS }).toMatch(/Join voice · 2/)
    // ...but no audio reaches C, and A and B keep sending to each other only.
    await expect.poll(() => voiceSeenBy(a, 'Cy'), { timeout: WAIT_MS }).toBeOneOf([null, undefined])
    await expect.poll(() => voiceSeenBy(b, 'Cy'), { timeout: WAIT_MS }).toBeOneOf([null, undefined])
    expect((await audioRtpStats(a)).liveSenders, 'A sends to B only').toBe(1)
    expect((await audioRtpStats(b)).liveSenders, 'B sends to A only').toBe(1)
    expect((await audioRtpStats(c)).bytesReceived, 'audio received by C outside voice').toBe(0)

    await joinVoice(c)
    await expect.poll(() => inVoice(c), { timeout: WAIT_MS }).toEqual(['Ada', 'Ben'])
    await expect.poll(() => inVoice(a), { timeout: WAIT_MS }).toEqual(['Ben', 'Cy'])
    await expect.poll(() => inVoice(b), { timeout: WAIT_MS }).toEqual(['Ada', 'Cy'])
    expect(await participant(c, 'Ada')).toMatchObject({ muted: true, level: 0 })
    await button(a, 'Unmute microphone').click()
    await expect.poll(async () => (await participant(c, 'Ada'))?.muted, { timeout: WAIT_MS }).toBe(false)

    await expectAudioArriving(c)
    await expectHeard(c, 'Ada')
    await expectHeard(c, 'Ben')
    await expectHeard(a, 'Cy')
    await expectHeard(b, 'Cy')
    for (const peer of [a, b, c]) expect((await audioRtpStats(peer)).liveSenders, `${peer.name} sends to both others`).toBe(2)
  })

  it('releases the microphone when someone leaves voice, and lets them back in', async () => {
    const [a, b] = await Promise.all([person('A', ADA), person('B', BEN)])
    await onOneBoard(a, b)
    await joinVoice(a)
    await joinVoice(b)
    await expectHeard(a, 'Ben')
    await expectHeard(b, 'Ada')
    const before = await localMediaTracks(b)
    // The capture and the clone sent to A, both live while in voice.
    expect(before.map((track) => [track.kind, track.clone, track.readyState])).toEqual([
      ['audio', false, 'live'],
      ['audio', true, 'live'],
    ])

    await button(b, 'Leave voice').click()
    await button(b, 'Join voice').waitFor({ timeout: WAIT_MS })
    await expect
      .poll(async () => (await localMediaTracks(b)).map((track) => track.readyState), { timeout: WAIT_MS, message: "B's captured tracks and their clones" })
      .toEqual(['ended', 'ended'])
    expect(await voiceState(b)).toMatchObject({ joined: false, level: 0, participants: [{ name: 'Ada', receiving: false }] })
    expect((await audioRtpStats(b)).liveSenders, 'B sends nothing').toBe(0)
    await expect.poll(() => inVoice(a), { timeout: WAIT_MS }).toEqual([])
    await expect.poll(() => voiceSeenBy(a, 'Ben'), { timeout: WAIT_MS }).toBeOneOf([null, undefined])
    await expect.poll(async () => (await audioRtpStats(a)).liveSenders, { timeout: WAIT_MS, message: 'A stops sending to B' }).toBe(0)
    expect(await a.peerCount()).toBe(1)

    // Back in voice, on the same connection: fresh tracks, heard both ways again.
    await joinVoice(b)
    await expect.poll(() => inVoice(a), { timeout: WAIT_MS }).toEqual(['Ben'])
    await expectHeard(a, 'Ben')
    await expectHeard(b, 'Ada')
  })

  it('explains a denied microphone and keeps drawing', async () => {
    const [a, d] = await Promise.all([person('A', ADA), person('D', DEE, { media: 'denied' })])
    await onOneBoard(a, d)
    await joinVoice(a)

    await button(d, 'Join voice').click()
    const alert = d.page.locator('mesh-board').locator('mesh-voice').getByRole('alert')
    await expect.poll(() => alert.textContent(), { timeout: WAIT_MS }).toMatch(/denied/i)
    expect(await voiceState(d)).toMatchObject({ joined: false, joining: false, problem: 'denied', message: expect.stringMatching(/denied/i) })
    expect(await localMediaTracks(d), 'tracks D captured').toEqual([])
    expect(await button(d, 'Join voice').isEnabled()).toBe(true)
    expect(await voiceSeenBy(a, 'Dee'), "Dee's voice as A sees it").toBeOneOf([null, undefined])

    const stroke = await d.drawStroke(spiral(400, 330, 120, 2.5, 90))
    await expectBoard(a, { version: BOARD_JSON_VERSION, shapes: [stroke] })
    expect(await d.peerCount()).toBe(1)
    // A, in voice all along, is unaffected.
    expect(await voiceState(a)).toMatchObject({ joined: true, problem: null, participants: [] })
  })
})

// ----- the README's picture -----

// Wide enough for the toolbar to stay at the top, clear of both the people panel and the voice panel.
const SHOT_VIEWPORT = { width: 1080, height: 620 }
const SAMPLE_RATE = 48_000

/**
 * A mono 16-bit WAV: a voiced sound (200 Hz with harmonics) in syllables, never quieter than
 * speaking (SPEAKING_LEVEL), or silence. The fake microphone plays it in a loop.
 */
function wav(seconds: number, voiced: boolean): Buffer {
  const samples = seconds * SAMPLE_RATE
  const data = Buffer.alloc(samples * 2)
  for (let i = 0; voiced && i < samples; i++) {
    const t = i / SAMPLE_RATE
    const syllables = 0.55 + 0.45 * Math.abs(Math.sin(Math.PI * 3 * t))
    const tone = 0.6 * Math.sin(2 * Math.PI * 200 * t) + 0.3 * Math.sin(2 * Math.PI * 400 * t) + 0.1 * Math.sin(2 * Math.PI * 600 * t)
    data.writeInt16LE(Math.round(0.4 * syllables * tone * 32767), i * 2)
  }
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + data.length, 4)
  header.write('WAVEfmt ', 8)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20) // PCM
  header.writeUInt16LE(1, 22) // mono
  header.writeUInt32LE(SAMPLE_RATE, 24)
  header.writeUInt32LE(SAMPLE_RATE * 2, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36)
  header.writeUInt32LE(data.length, 40)
  return Buffer.concat([header, data])
}

/** A bold stroke along `path`, as the pen would draw it with the mouse. */
function boldStroke(id: string, color: string, path: readonly Point[]): StrokeJSON {
  const [x, y] = path[0]!
  return { id: `voice-${id}`, type: 'stroke', x, y, rotation: 0, color, strokeWidth: 8, opacity: 1, points: path.map(([px, py]) => [px, py]) }
}



/** Whether `peer` shows `name` speaking: the ring on their avatar in the voice panel and on the people panel. */
function showsSpeaking(peer: Peer, name: string): Promise<{ voicePanel: boolean; peoplePanel: boolean }> {
  return peer.page.evaluate((name) => {
    const root = document.querySelector('mesh-board')!.shadowRoot!
    const voice = root.querySelector('mesh-voice')!.shadowRoot!
    const row = [...voice.querySelectorAll('li')].find((li) => li.querySelector('input')?.getAttribute('aria-label') === `Volume for ${name}`)
    const people = root.querySelector('mesh-people')!.shadowRoot!
    const avatar = people.querySelector(`button[aria-label="Follow ${name}"]`)
    return {
      voicePanel: !!row?.querySelector('.avatar.speaking'),
      peoplePanel: !!avatar?.closest('.avatar-wrap')?.classList.contains('speaking'),
    }
  }, name)
}

describe('README screenshot', () => {
  it('shows a voice call: one person speaking, one muted', async () => {
    const audio = await mkdtemp(join(tmpdir(), 'meshboard-voice-audio-'))
    try {
      const speech = join(audio, 'speech.wav')
      const silence = join(audio, 'silence.wav')
      await writeFile(speech, wav(4, true))
      await writeFile(silence, wav(1, false))
      const ada = { ...ADA, name: 'Ada Lovelace' }
      const ben = { ...BEN, name: 'Ben Carter' }
      const cy = { ...CY, name: 'Cy Young' }
      const [a, b, c] = await Promise.all([
        person('A', ada, { fakeAudioFile: speech }),
        person('B', ben, { viewport: SHOT_VIEWPORT, fakeAudioFile: silence }),
        person('C', cy, { fakeAudioFile: silence }),
      ])
      const url = await onOneBoard(a, b, c)
      // Drawing is not what this picture is about (other tests draw with the mouse): the board is imported.
      const board = {
        version: BOARD_JSON_VERSION,
        shapes: [
          boldStroke('wave', '#1971c2', wave(250, 190, 360, 28, 8)),
          boldStroke('spiral', '#1971c2', spiral(370, 400, 95, 2.4, 90)),
          boldStroke('star', '#f08c00', star(690, 270, 88, 37, 4)),
          boldStroke('arc', '#9c36b5', arc(690, 270, 135, 0.45, Math.PI - 0.45, 40)),
        ],
      }
      await a.importJSON(board)
      await Promise.all([a, b, c].map((peer) => expectBoard(peer, board)))

      for (const peer of [a, b, c]) await joinVoice(peer)
      await button(c, 'Mute microphone').click()
      for (const [peer, others] of [
        [a, ['Ben Carter', 'Cy Young']],
        [b, ['Ada Lovelace', 'Cy Young']],
      ] as const) {
        await expect.poll(() => inVoice(peer), { timeout: WAIT_MS }).toEqual(others)
        await expect.poll(async () => (await participant(peer, 'Cy Young'))?.muted, { timeout: WAIT_MS }).toBe(true)
      }
      // Ada talks without a pause: her ring shows on Ben's screen, steadily.
      await expectHeard(b, 'Ada Lovelace')
      await expect.poll(() => showsSpeaking(b, 'Ada Lovelace'), { timeout: WAIT_MS }).toEqual({ voicePanel: true, peoplePanel: true })
      await expect.poll(async () => (await voiceState(a)).level, { timeout: WAIT_MS, message: "Ada's own level" }).toBeGreaterThan(0.3)

      const shot = await b.page.screenshot()
      // The picture is only worth keeping if the ring was on when it was taken.
      expect(await showsSpeaking(b, 'Ada Lovelace'), "Ada's ring on Ben's screen right after the screenshot").toEqual({ voicePanel: true, peoplePanel: true })
      const png = await writeReadmeScreenshot(b.context, 'voice.png', [{ label: "Ben's browser — Ada is talking, Cy is muted", address: shownAddress(url), png: shot }], SHOT_VIEWPORT)
      expect(png.byteLength).toBeGreaterThan(10_000)
    } finally {
      await rm(audio, { recursive: true, force: true })
    }
  })
})
