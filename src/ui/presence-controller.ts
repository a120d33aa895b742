/**
 * Presence for the element: publishes this user (identity, cursor, viewport, laser) and keeps the
 * validated list of everyone else, observing the board's awareness while the element is connected.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { Awareness } from 'y-protocols/awareness'
import { MAX_SELECTION, PresencePublisher, remotePresences, type Presence, type PresenceViewport, type PresenceVoice } from '../net/presence'
import type { Point } from '../render/camera'
import type { TrailPoint } from '../model/laser'
import { cleanName, distinctColor, loadIdentity, saveIdentity, type StoredIdentity } from './identity'

/** A cursor that has not moved for this long is hidden from others. */
export const CURSOR_IDLE_MS = 10_000

export class PresenceController implements ReactiveController {
  /** Everyone else on the board, in a stable order (by client id). */
  peers: Presence[] = []
  identity: StoredIdentity = loadIdentity()
  /** Name and colour the embedding page decided (attributes `user-name`, `user-color`). */
  private override: { name: string; color: string } = { name: '', color: '' }
  private awareness: Awareness | null = null
  private knownPeers: () => ReadonlySet<string> = () => new Set()
  /** The known peers when the list was made, to make it again when they change. */
  private knownKey = ''
  private publisher: PresencePublisher | null = null
  private idleTimer: ReturnType<typeof setTimeout> | undefined
  private readonly onAwarenessChange = () => this.refresh()

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onPeersChanged: (peers: Presence[]) => void,
  ) {
    host.addController(this)
  }

  /**
   * Starts publishing into `awareness` (a new one per board session). Only presences of peers in
   * `knownPeers` (found through signaling or the relay, or connected) are shown, one per peer:
   * anyone can claim client ids, so 5,000 made-up ones must not make "5003 here".
   */
  attach(awareness: Awareness, knownPeers: () => ReadonlySet<string>): void {
    this.detach()
    this.knownPeers = knownPeers
    this.awareness = awareness
    this.publisher = new PresencePublisher(awareness)
    this.publisher.setUser(this.publicUser())
    awareness.on('change', this.onAwarenessChange)
    this.refresh()
  }

  detach(): void {
    clearTimeout(this.idleTimer)
    this.awareness?.off('change', this.onAwarenessChange)
    this.publisher?.destroy()
    this.awareness = null
    this.publisher = null
    this.peers = []
  }

  /** Peers found or lost without a presence change (signaling, the relay) change who is shown. */
  hostUpdate(): void {
    if (this.awareness && this.knownPeersKey() !== this.knownKey) this.refresh(false)
  }

  private knownPeersKey(): string {
    return [...this.knownPeers()].sort().join(' ')
  }

  hostDisconnected(): void {
    this.detach()
  }

  setIdentity(name: string, color: string, colorChosen: boolean): void {
    const clean = cleanName(name)
    this.identity = { name: clean || this.identity.name, color, colorChosen: colorChosen || this.identity.colorChosen }
    saveIdentity(this.identity)
    this.publisher?.setUser(this.publicUser())
    this.host.requestUpdate()
  }

  /** Empty strings (or an invalid colour) mean "not decided by the page". */
  setOverride(name: string, color: string): void {
    const next = { name: cleanName(name), color: /^#[0-9a-f]{6}$/i.test(color) ? color : '' }
    if (next.name === this.override.name && next.color === this.override.color) return
    this.override = next
    this.publisher?.setUser(this.publicUser())
    this.host.requestUpdate()
  }

  /** The name and colour others see: the page's, else the stored ones, the colour moved aside if someone has it. */
  publicUser(): { name: string; color: string } {
    const name = this.override.name || this.identity.name
    if (this.override.color) return { name, color: this.override.color }
    const { color, colorChosen } = this.identity
    if (colorChosen) return { name, color }
    return { name, color: distinctColor(color, new Set(this.peers.filter((peer) => peer.clientId < this.ownClientId()).map((peer) => peer.user.color))) }
  }

  setCursor(point: Point | null): void {
    clearTimeout(this.idleTimer)
    this.publisher?.setCursor(point)
    if (point) this.idleTimer = setTimeout(() => this.publisher?.setCursor(null), CURSOR_IDLE_MS)
  }

  setViewport(viewport: PresenceViewport): void {
    this.publisher?.setViewport(viewport)
  }

  setLaser(trail: readonly TrailPoint[]): void {
    this.publisher?.setLaser(trail)
  }

  setVoice(voice: PresenceVoice | null): void {
    this.publisher?.setVoice(voice)
  }

  /** The shapes this user has selected, outlined in their colour on everyone else's board. */
  setSelection(ids: readonly string[]): void {
    this.publisher?.setSelection(ids.slice(0, MAX_SELECTION))
  }

  /** This user's presence as others see it, for the people panel. */
  get self(): { name: string; color: string } {
    return this.publicUser()
  }

  private ownClientId(): number {
    return this.awareness?.clientID ?? 0
  }

  private refresh(update = true): void {
    if (!this.awareness) return
    const before = this.publicUser().color
    this.knownKey = this.knownPeersKey()
    const known = this.knownPeers()
    const shown = new Map<string, Presence>()
    // The first presence heard for a peer stands for it (the awareness keeps them in that order).
    for (const presence of remotePresences(this.awareness)) {
      if (presence.peerId !== null && known.has(presence.peerId) && !shown.has(presence.peerId)) shown.set(presence.peerId, presence)
    }
    this.peers = [...shown.values()].sort((a, b) => a.clientId - b.clientId)
    // Two people who both got "Red" by chance: the later one (higher id) moves to a free colour.
    const after = this.publicUser()
    if (after.color !== before) this.publisher?.setUser(after)
    this.onPeersChanged(this.peers)
    if (update) this.host.requestUpdate()
  }
}
