/**
 * Presence (DESIGN.md §2): who is on the board and what they are doing right now, shared through
 * y-protocols awareness and never written to the document. Remote states come from any peer, so
 * each one is validated before use, like document values.
 */
import type { Awareness } from 'y-protocols/awareness'
import type { TrailPoint as LaserPoint } from '../model/laser'

export interface PresenceUser {
  readonly name: string
  readonly color: string
}

/** The part of the board a peer is looking at, in board coordinates. */
export interface PresenceViewport {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface PresenceVoice {
  readonly muted: boolean
  /** Microphone level, 0 (silence) to 1, from the peer's own analyser: shown to everyone. */
  readonly level: number
}

export interface Presence {
  readonly clientId: number
  readonly user: PresenceUser
  readonly cursor: { readonly x: number; readonly y: number } | null
  readonly viewport: PresenceViewport | null
  readonly laser: readonly LaserPoint[]
  /** Ids of the shapes the peer has selected. */
  readonly selection: readonly string[]
  /** Null unless the peer is in voice. */
  readonly voice: PresenceVoice | null
  /** The peer's y-webrtc peer id, so its presence can be dropped the moment its connection closes. */
  readonly peerId: string | null
}

export const MAX_NAME_LENGTH = 40
export const MAX_LASER_POINTS = 64
/** Outlines drawn for one peer's selection at most: a select-all of a huge board is shown in part. */
export const MAX_SELECTION = 1000
const SHAPE_ID = /^[A-Za-z0-9_-]{1,64}$/
/** Cursor and laser updates per second at most: smooth enough to interpolate, cheap on the wire. */
export const PRESENCE_UPDATES_PER_SECOND = 30

const COLOR = /^#[0-9a-f]{6}$/i
const LIMIT = 10_000_000

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= LIMIT
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** A remote awareness state as Presence, or null if it is not one (empty, malformed, hostile). */
export function readPresence(clientId: number, state: unknown): Presence | null {
  if (!isRecord(state) || !isRecord(state.user)) return null
  const { name, color } = state.user
  if (typeof name !== 'string' || typeof color !== 'string' || !COLOR.test(color)) return null
  const cleanName = name.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH)
  if (cleanName === '') return null
  return {
    clientId,
    user: { name: cleanName, color },
    cursor: readPoint(state.cursor),
    viewport: readViewport(state.viewport),
    laser: readLaser(state.laser),
    selection: Array.isArray(state.selection)
      ? state.selection.slice(0, MAX_SELECTION).filter((id): id is string => typeof id === 'string' && SHAPE_ID.test(id))
      : [],
    voice: readVoice(state.voice),
    peerId: typeof state.peerId === 'string' && state.peerId.length <= 64 ? state.peerId : null,
  }
}

function readPoint(value: unknown): { x: number; y: number } | null {
  return isRecord(value) && isNumber(value.x) && isNumber(value.y) ? { x: value.x, y: value.y } : null
}

function readViewport(value: unknown): PresenceViewport | null {
  if (!isRecord(value)) return null
  const { x, y, width, height } = value
  if (!isNumber(x) || !isNumber(y) || !isNumber(width) || !isNumber(height) || width <= 0 || height <= 0) return null
  return { x, y, width, height }
}

function readVoice(value: unknown): PresenceVoice | null {
  if (!isRecord(value) || typeof value.muted !== 'boolean' || typeof value.level !== 'number' || !Number.isFinite(value.level)) return null
  return { muted: value.muted, level: value.muted ? 0 : Math.min(1, Math.max(0, value.level)) }
}

function readLaser(value: unknown): LaserPoint[] {
  if (!Array.isArray(value)) return []
  const points: LaserPoint[] = []
  for (const point of value.slice(0, MAX_LASER_POINTS)) {
    if (Array.isArray(point) && isNumber(point[0]) && isNumber(point[1]) && isNumber(point[2]) && point[2] >= 0) {
      points.push([point[0], point[1], point[2]])
    }
  }
  return points
}

/** Everyone else on the board with a valid presence. */
export function remotePresences(awareness: Awareness): Presence[] {
  const result: Presence[] = []
  awareness.getStates().forEach((state, clientId) => {
    if (clientId === awareness.clientID) return
    const presence = readPresence(clientId, state)
    if (presence) result.push(presence)
  })
  return result
}

/**
 * Publishes this user's presence. Fields that change with every pointer move (cursor, viewport,
 * laser) are sent at most PRESENCE_UPDATES_PER_SECOND times per second, always ending on the
 * latest value; identity changes go out at once.
 */
export class PresencePublisher {
  private pending: Record<string, unknown> = {}
  private timer: ReturnType<typeof setTimeout> | undefined
  private lastSent = 0

  constructor(private readonly awareness: Awareness) {}

  setUser(user: PresenceUser): void {
    this.awareness.setLocalStateField('user', user)
  }

  setPeerId(peerId: string): void {
    this.awareness.setLocalStateField('peerId', peerId)
  }

  setCursor(cursor: { x: number; y: number } | null): void {
    this.queue('cursor', cursor)
  }

  setViewport(viewport: PresenceViewport): void {
    this.queue('viewport', viewport)
  }

  setLaser(points: readonly LaserPoint[]): void {
    this.queue('laser', points)
  }

  setSelection(ids: readonly string[]): void {
    this.queue('selection', ids)
  }

  setVoice(voice: PresenceVoice | null): void {
    this.queue('voice', voice)
  }

  destroy(): void {
    clearTimeout(this.timer)
  }

  private queue(field: string, value: unknown): void {
    this.pending[field] = value
    if (this.timer !== undefined) return
    const wait = Math.max(0, this.lastSent + 1000 / PRESENCE_UPDATES_PER_SECOND - performance.now())
    this.timer = setTimeout(() => this.send(), wait)
  }

  private send(): void {
    this.timer = undefined
    this.lastSent = performance.now()
    const state = this.awareness.getLocalState()
    if (state === null) return
    this.awareness.setLocalState({ ...state, ...this.pending })
    this.pending = {}
  }
}
