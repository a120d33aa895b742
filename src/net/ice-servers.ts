/**
 * The ICE servers of one board's connections: the ones the page configured (the `ice-servers`
 * attribute) and the ones its signaling server hands out at /ice-servers, TURN credentials
 * included (DESIGN.md §13). Those expire, so they are fetched again at 80 % of their lifetime:
 * a long session keeps working and the peers that join it later can still be reached.
 *
 * y-webrtc hands the same `peerOpts.config` object to every connection it makes, so `rtc` is that
 * object, and its `iceServers` is replaced in place: every new connection, and every ICE restart
 * (ice-recovery.ts), uses the freshest credentials.
 */
import { besideSignaling } from './board-address'

/** The server's answer (signaling/src/ice-servers.ts). */
interface IceServersAnswer {
  readonly iceServers: RTCIceServer[]
  /** Seconds the credentials are valid for; null when nothing expires. */
  readonly ttl: number | null
}

/** Refreshed when this much of their lifetime has passed, leaving time for a slow or failed request. */
const REFRESH_AT = 0.8
/** A failed request is tried again after this, doubling up to RETRY_MAX_MS: the server may be restarting. */
const RETRY_MS = 30_000
const RETRY_MAX_MS = 10 * 60_000
/** The first answer is waited for this long at most before connecting without it. */
const FIRST_ANSWER_MS = 3000

/** `wss://host/prefix/signal` → `https://host/prefix/ice-servers`: the signaling server's own. */
export function iceServersUrlFor(signalingUrl: string): string {
  return besideSignaling(signalingUrl, 'ice-servers')
}

export class IceServers {
  /** The configuration every connection of the board is made with. */
  readonly rtc: RTCConfiguration
  /** Settles with the first answer, or once it is not worth waiting for (a failure, or FIRST_ANSWER_MS). */
  readonly whenFirstAnswered: Promise<void>
  private firstAnswered!: () => void
  private timer: ReturnType<typeof setTimeout> | undefined
  private retryMs = RETRY_MS
  private readonly abort = new AbortController()

  constructor(
    private readonly signalingUrl: string,
    private readonly configured: readonly RTCIceServer[],
  ) {
    this.rtc = { iceServers: [...configured] }
    this.whenFirstAnswered = new Promise((resolve) => {
      this.firstAnswered = resolve
      setTimeout(resolve, FIRST_ANSWER_MS)
    })
    void this.fetch()
  }

  destroy(): void {
    clearTimeout(this.timer)
    this.abort.abort()
  }

  private async fetch(): Promise<void> {
    let answer: IceServersAnswer | null
    try {
      const response = await fetch(iceServersUrlFor(this.signalingUrl), { cache: 'no-store', signal: this.abort.signal })
      // Not a meshboard server (or an old one): it has no ICE servers to give, now or later.
      if (response.status === 404) return this.firstAnswered()
      answer = response.ok ? readAnswer(await response.json()) : null
    } catch {
      answer = null
    }
    if (this.abort.signal.aborted) return
    if (answer) {
      this.rtc.iceServers = [...this.configured, ...answer.iceServers]
      this.retryMs = RETRY_MS
      if (answer.ttl !== null) this.schedule(answer.ttl * 1000 * REFRESH_AT)
    } else {
      this.schedule(this.retryMs)
      this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2)
    }
    this.firstAnswered()
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.fetch(), ms)
  }
}

function readAnswer(value: unknown): IceServersAnswer | null {
  if (typeof value !== 'object' || value === null) return null
  const { iceServers, ttl } = value as Record<string, unknown>
  if (!Array.isArray(iceServers) || !iceServers.every(isIceServer)) return null
  return { iceServers, ttl: typeof ttl === 'number' && ttl > 0 ? ttl : null }
}

function isIceServer(value: unknown): value is RTCIceServer {
  if (typeof value !== 'object' || value === null) return false
  const { urls } = value as Record<string, unknown>
  return typeof urls === 'string' || (Array.isArray(urls) && urls.every((url) => typeof url === 'string'))
}
