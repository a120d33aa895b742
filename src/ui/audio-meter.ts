/** How loud a stream is right now, from a WebAudio analyser (getStats' audioLevel reads 0 when playback is muted). */
import { levelFromSamples } from './voice-state'

export class AudioMeter {
  private readonly source: MediaStreamAudioSourceNode
  private readonly analyser: AnalyserNode
  private readonly samples: Float32Array<ArrayBuffer>

  constructor(context: AudioContext, stream: MediaStream) {
    this.source = context.createMediaStreamSource(stream)
    this.analyser = context.createAnalyser()
    this.analyser.fftSize = 1024
    this.samples = new Float32Array(this.analyser.fftSize)
    // Analysis only: the analyser is not connected onwards, so nothing is played through it.
    this.source.connect(this.analyser)
  }

  /** 0 (silence) to 1. */
  level(): number {
    this.analyser.getFloatTimeDomainData(this.samples)
    return levelFromSamples(this.samples)
  }

  disconnect(): void {
    this.source.disconnect()
  }
}
