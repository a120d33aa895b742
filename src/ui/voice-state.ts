/** The pure parts of voice: who to send to, what to call an error, how loud is speaking. */
import { msg } from '@lit/localize'
import type { Presence } from '../net/presence'

/** Above this many people in voice a full mesh strains upload and CPU (DESIGN.md §6). */
export const COMFORTABLE_VOICE_PEERS = 8
/** Levels are published in steps of this: finer steps would only cost presence traffic. */
export const LEVEL_STEP = 0.05
/** A level at or above this shows as speaking. */
export const SPEAKING_LEVEL = 0.15

/** The y-webrtc ids of the people in voice, to whom this user's microphone goes while in voice. */
export function voiceTargets(peers: readonly Presence[], joined: boolean): Set<string> {
  if (!joined) return new Set()
  return new Set(peers.filter((peer) => peer.voice && peer.peerId).map((peer) => peer.peerId!))
}

/** Whether the microphone is heard: not muted, or muted but holding push-to-talk. */
export function isTransmitting(muted: boolean, pushToTalk: boolean): boolean {
  return !muted || pushToTalk
}

/** RMS of an audio frame (samples in -1..1) on a 0..1 scale that follows loudness: -60 dBFS is 0. */
export function levelFromSamples(samples: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!
  const rms = Math.sqrt(sum / Math.max(1, samples.length))
  if (rms <= 0) return 0
  return Math.min(1, Math.max(0, (20 * Math.log10(rms) + 60) / 60))
}

export function quantizeLevel(level: number): number {
  return Math.round(level / LEVEL_STEP) * LEVEL_STEP
}

export type VoiceProblem = 'denied' | 'no-microphone' | 'insecure' | 'unplugged' | 'busy' | 'failed'

/**
 * Words for the user: what happened and what they can do about it. Each is read when it is shown
 * (a getter), so that it is in the language of that moment.
 */
export const VOICE_MESSAGES: Readonly<Record<VoiceProblem, string>> = {
  get denied() {
    return msg('Microphone access was denied. Allow the microphone for this site in your browser settings, then join again.', { id: 'voice.problem.denied' })
  },
  get 'no-microphone'() {
    return msg('No microphone was found. Plug one in, then join again.', { id: 'voice.problem.no-microphone' })
  },
  get insecure() {
    return msg('Voice needs a secure page: open meshboard over https:// (or on localhost).', { id: 'voice.problem.insecure', desc: 'meshboard is the name of the app; https:// and localhost stay as they are' })
  },
  get unplugged() {
    return msg('Your microphone was disconnected, so you left voice. Plug it back in and join again.', { id: 'voice.problem.unplugged' })
  },
  get busy() {
    return msg('The microphone is in use by another application or could not be started.', { id: 'voice.problem.busy' })
  },
  get failed() {
    return msg('Could not start the microphone.', { id: 'voice.problem.failed' })
  },
}

/** Classifies a getUserMedia failure. */
export function voiceProblemOf(error: unknown): VoiceProblem {
  switch ((error as { name?: string } | null)?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied'
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no-microphone'
    case 'NotReadableError':
    case 'AbortError':
      return 'busy'
    default:
      return 'failed'
  }
}
