/**
 * The voice channel as the user lives it: join and leave, mute and push-to-talk, the microphone in
 * use, everyone's speaking level, and per-person volume. The network side is VoiceMesh; this
 * controller owns the microphone, playback and meters, and tells everyone through presence.
 * Nothing here can break drawing: every failure ends in a message and the board carries on.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { msg, str } from '@lit/localize'
import { formatNumber } from '../i18n/format'
import type { Presence, PresenceVoice } from '../net/presence'
import type { VoiceMesh } from '../net/voice-mesh'
import { AudioMeter } from './audio-meter'
import {
  COMFORTABLE_VOICE_PEERS,
  VOICE_MESSAGES,
  isTransmitting,
  quantizeLevel,
  voiceProblemOf,
  voiceTargets,
  type VoiceProblem,
} from './voice-state'

/** How often levels are read and the own level published. */
const METER_INTERVAL_MS = 100

export interface VoiceParticipant {
  readonly clientId: number
  readonly name: string
  readonly color: string
  /** They muted themselves. */
  readonly muted: boolean
  /** 0 to 1: measured here from their audio when it arrives, else what they publish. */
  readonly level: number
  /** Whether their audio reaches this browser. */
  readonly receiving: boolean
  /** Playback volume chosen here, 0 to 1. */
  readonly volume: number
  /** Silenced here (not by them). */
  readonly silenced: boolean
}

export interface VoiceState {
  readonly joined: boolean
  readonly joining: boolean
  readonly muted: boolean
  readonly pushToTalk: boolean
  /** The user's own microphone level, 0 to 1. */
  readonly level: number
  readonly problem: VoiceProblem | null
  readonly message: string | null
  readonly devices: readonly { readonly deviceId: string; readonly label: string }[]
  readonly deviceId: string | null
  /** Everyone else in voice. */
  readonly participants: readonly VoiceParticipant[]
  /** True above COMFORTABLE_VOICE_PEERS people in voice (this user included). */
  readonly crowded: boolean
}

interface RemoteAudio {
  readonly stream: MediaStream
  readonly element: HTMLAudioElement
  readonly meter: AudioMeter | null
}

/** What the voice panel asks for (mesh-voice.ts's meshui-voice events). */
export type VoiceEvent =
  | { kind: 'join' }
  | { kind: 'leave' }
  | { kind: 'mute' }
  | { kind: 'device'; deviceId: string }
  | { kind: 'volume'; clientId: number; volume: number }
  | { kind: 'silence'; clientId: number }

export interface VoiceHooks {
  readonly mesh: () => VoiceMesh | null
  readonly peers: () => readonly Presence[]
  readonly publish: (voice: PresenceVoice | null) => void
  readonly onError: (message: string) => void
}

export class VoiceController implements ReactiveController {
  private microphone: MediaStream | null = null
  private localMeter: AudioMeter | null = null
  private context: AudioContext | null = null
  private readonly remote = new Map<string, RemoteAudio>()
  private readonly volumes = new Map<number, number>()
  private readonly silenced = new Set<number>()
  private meterTimer: ReturnType<typeof setInterval> | undefined
  private joining = false
  private muted = false
  private pushToTalk = false
  private level = 0
  private publishedLevel = -1
  private problem: VoiceProblem | null = null
  /** The microphones, each with the browser's label ('' when it gives none). */
  private devices: { deviceId: string; label: string }[] = []
  private deviceId: string | null = null
  private readonly onDeviceChange = () => void this.refreshDevices()

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly hooks: VoiceHooks,
  ) {
    host.addController(this)
  }

  get joined(): boolean {
    return this.microphone !== null
  }

  get state(): VoiceState {
    const peers = this.hooks.peers().filter((peer) => peer.voice)
    const participants = peers.map((peer): VoiceParticipant => {
      const audio = peer.peerId ? this.remote.get(peer.peerId) : undefined
      const measured = audio?.meter?.level()
      return {
        clientId: peer.clientId,
        name: peer.user.name,
        color: peer.user.color,
        muted: peer.voice!.muted,
        level: peer.voice!.muted ? 0 : (measured ?? peer.voice!.level),
        receiving: audio !== undefined,
        volume: this.volumes.get(peer.clientId) ?? 1,
        silenced: this.silenced.has(peer.clientId),
      }
    })
    return {
      joined: this.joined,
      joining: this.joining,
      muted: this.muted,
      pushToTalk: this.pushToTalk,
      level: this.level,
      problem: this.problem,
      message: this.problem ? VOICE_MESSAGES[this.problem] : null,
      devices: this.devices.map((device, index) => ({ deviceId: device.deviceId, label: device.label || this.unnamedDevice(index) })),
      deviceId: this.deviceId,
      participants,
      crowded: participants.length + (this.joined ? 1 : 0) > COMFORTABLE_VOICE_PEERS,
    }
  }

  hostDisconnected(): void {
    this.leave()
  }

  /** Does what the voice panel asked. */
  run(event: VoiceEvent): void {
    switch (event.kind) {
      case 'join':
        return void this.join()
      case 'leave':
        return this.leave()
      case 'mute':
        return this.toggleMute()
      case 'device':
        return void this.selectDevice(event.deviceId)
      case 'volume':
        return this.setVolume(event.clientId, event.volume)
      case 'silence':
        return this.toggleSilenced(event.clientId)
    }
  }

  async join(): Promise<void> {
    if (this.joined || this.joining) return
    if (!globalThis.isSecureContext || !navigator.mediaDevices?.getUserMedia) return this.fail('insecure')
    this.joining = true
    this.problem = null
    this.host.requestUpdate()
    try {
      await this.startMicrophone(this.deviceId)
      this.muted = false
      this.publishedLevel = -1
      this.meterTimer = setInterval(() => this.tick(), METER_INTERVAL_MS)
      navigator.mediaDevices.addEventListener('devicechange', this.onDeviceChange)
      await this.refreshDevices()
      this.publish()
      this.refreshTargets()
    } catch (error) {
      this.stopMicrophone()
      this.fail(voiceProblemOf(error))
    } finally {
      this.joining = false
      this.host.requestUpdate()
    }
  }

  /** Leaves voice: every local track is stopped and the microphone released. */
  leave(): void {
    if (!this.joined && !this.joining) return
    clearInterval(this.meterTimer)
    navigator.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange)
    this.hooks.mesh()?.setMicrophone(null)
    this.stopMicrophone()
    for (const peerId of [...this.remote.keys()]) this.dropRemote(peerId)
    void this.context?.close()
    this.context = null
    this.level = 0
    this.pushToTalk = false
    this.hooks.publish(null)
    this.host.requestUpdate()
  }

  toggleMute(): void {
    if (!this.joined) return
    this.muted = !this.muted
    this.applyTransmitting()
  }

  /** Push-to-talk: while held, a muted microphone is heard. */
  setPushToTalk(pressed: boolean): void {
    if (!this.joined || this.pushToTalk === pressed) return
    this.pushToTalk = pressed
    this.applyTransmitting()
  }

  async selectDevice(deviceId: string): Promise<void> {
    this.deviceId = deviceId
    if (!this.joined) return
    try {
      // A new capture replaces the old one on every connection: leave the old one, join with the new.
      this.hooks.mesh()?.setMicrophone(null)
      this.stopMicrophone()
      await this.startMicrophone(deviceId)
      this.refreshTargets()
    } catch (error) {
      this.leave()
      this.fail(voiceProblemOf(error))
    }
    this.host.requestUpdate()
  }

  setVolume(clientId: number, volume: number): void {
    this.volumes.set(clientId, Math.min(1, Math.max(0, volume)))
    this.applyPlayback()
  }

  toggleSilenced(clientId: number): void {
    if (this.silenced.has(clientId)) this.silenced.delete(clientId)
    else this.silenced.add(clientId)
    this.applyPlayback()
  }

  /** Presence changed or a connection opened: send to exactly the people in voice. */
  refreshTargets(): void {
    this.hooks.mesh()?.sendTo(voiceTargets(this.hooks.peers(), this.joined))
    for (const peerId of [...this.remote.keys()]) {
      if (!this.hooks.peers().some((peer) => peer.peerId === peerId && peer.voice)) this.dropRemote(peerId)
    }
    this.host.requestUpdate()
  }

  /** A peer's audio arrived; it plays only while this user is in voice. */
  receive(peerId: string, stream: MediaStream): void {
    if (!this.joined) return
    this.dropRemote(peerId)
    const element = new Audio()
    element.autoplay = true
    element.srcObject = stream
    void element.play().catch(() => {})
    const meter = this.context ? new AudioMeter(this.context, stream) : null
    this.remote.set(peerId, { stream, element, meter })
    stream.addEventListener('removetrack', () => stream.getAudioTracks().length === 0 && this.dropRemote(peerId))
    this.applyPlayback()
    this.host.requestUpdate()
  }

  private async startMicrophone(deviceId: string | null): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      },
    })
    this.microphone = stream
    const track = stream.getAudioTracks()[0]
    this.deviceId = track?.getSettings().deviceId ?? deviceId
    track?.addEventListener('ended', () => {
      // Unplugged (or revoked): say so and leave cleanly rather than send silence forever.
      if (this.microphone !== stream) return
      this.leave()
      this.fail('unplugged')
    })
    this.context ??= new AudioContext()
    void this.context.resume()
    this.localMeter = new AudioMeter(this.context, stream)
    this.hooks.mesh()?.setMicrophone(stream)
    this.applyTransmitting()
  }

  private stopMicrophone(): void {
    this.localMeter?.disconnect()
    this.localMeter = null
    for (const track of this.microphone?.getTracks() ?? []) track.stop()
    this.microphone = null
  }

  private applyTransmitting(): void {
    const on = isTransmitting(this.muted, this.pushToTalk)
    for (const track of this.microphone?.getAudioTracks() ?? []) track.enabled = on
    this.hooks.mesh()?.setMuted(!on)
    this.publish()
    this.host.requestUpdate()
  }

  private applyPlayback(): void {
    for (const [peerId, audio] of this.remote) {
      const clientId = this.hooks.peers().find((peer) => peer.peerId === peerId)?.clientId
      audio.element.volume = clientId === undefined ? 1 : (this.volumes.get(clientId) ?? 1)
      audio.element.muted = clientId !== undefined && this.silenced.has(clientId)
    }
    this.host.requestUpdate()
  }

  private dropRemote(peerId: string): void {
    const audio = this.remote.get(peerId)
    if (!audio) return
    this.remote.delete(peerId)
    audio.meter?.disconnect()
    audio.element.srcObject = null
  }

  private tick(): void {
    this.level = isTransmitting(this.muted, this.pushToTalk) ? (this.localMeter?.level() ?? 0) : 0
    if (quantizeLevel(this.level) !== this.publishedLevel) this.publish()
    this.host.requestUpdate()
  }

  private publish(): void {
    if (!this.joined) return
    const transmitting = isTransmitting(this.muted, this.pushToTalk)
    this.publishedLevel = transmitting ? quantizeLevel(this.level) : 0
    this.hooks.publish({ muted: !transmitting, level: this.publishedLevel })
  }

  private async refreshDevices(): Promise<void> {
    try {
      const all = await navigator.mediaDevices.enumerateDevices()
      this.devices = all
        .filter((device) => device.kind === 'audioinput' && device.deviceId !== '')
        .map((device) => ({ deviceId: device.deviceId, label: device.label }))
    } catch {
      this.devices = []
    }
    this.host.requestUpdate()
  }

  /** What to call a microphone the browser gives no label for: "Microphone 2". */
  private unnamedDevice(index: number): string {
    const number = formatNumber(index + 1)
    return msg(str`Microphone ${number}`, { id: 'voice.device.unnamed', desc: 'a microphone the browser gives no name for, with its number in the list' })
  }

  private fail(problem: VoiceProblem): void {
    this.problem = problem
    this.hooks.onError(VOICE_MESSAGES[problem])
    this.host.requestUpdate()
  }
}
