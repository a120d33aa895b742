/**
 * Who is on the board: avatars (initials in each person's colour) with a count. Click someone to
 * follow their view; click yourself to change your name and colour.
 */
import { LitElement, css, html } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import type { Presence, PresenceVoice } from '../net/presence'
import { micIcon, micOffIcon, relayIcon, unreachableIcon } from './icons'
import { USER_COLORS, initials } from './identity'
import { avatarColors } from './readable-ink'
import { SPEAKING_LEVEL } from './voice-state'
import { panelStyles } from './panel-styles'
import { emit } from './mesh-events'

/**
 * How a person is reached: over WebRTC directly or through a TURN relay, through the server's
 * relay, not yet, or not at all (found, but nothing gets through: see UNREACHABLE_HINT).
 */
export type PeerLink = 'direct' | 'turn' | 'server' | 'connecting' | 'unreachable'

const LINK_WORDS: Record<PeerLink, string> = {
  direct: 'connected directly',
  turn: 'connected through a relay (TURN)',
  server: 'connected through the server',
  connecting: 'connecting…',
  unreachable: "can't be reached from here",
}

/** What would fix an unreachable person, for the user to pass on: they rarely run the server themselves. */
export const UNREACHABLE_HINT =
  "Your network or theirs blocks direct connections. Whoever runs this board's server can fix this by setting up a TURN relay (see docs/operating.md)."

export type PeopleEvent = { kind: 'follow'; clientId: number | null } | { kind: 'identity'; name: string; color: string; colorChosen: boolean }

/** Avatars shown before the rest collapse into "+N". */
const MAX_AVATARS = 5

@customElement('mesh-people')
export class MeshPeople extends LitElement {
  @property({ attribute: false }) self: { name: string; color: string } = { name: '', color: '#1971c2' }
  /** False when the embedding page sets the name or colour: then there is nothing to edit here. */
  @property({ attribute: false }) selfEditable = true
  @property({ attribute: false }) peers: readonly Presence[] = []
  /** How each peer is reached, by the peer id its presence carries. */
  @property({ attribute: false }) links: ReadonlyMap<string, PeerLink> = new Map()
  /** People found on the board but unreachable, whose presence (name, colour) never arrived. */
  @property({ attribute: false }) unreachable = 0
  @property({ attribute: false }) following: number | null = null
  /** This user's voice (null when not in voice), for the ring on their own avatar. */
  @property({ attribute: false }) selfVoice: PresenceVoice | null = null
  @state() private editing = false

  static override styles = [
    panelStyles,
    css`
      :host {
        position: relative;
        display: inline-flex;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 5px 10px 5px 5px;
        border-radius: 999px;
      }
      .avatars {
        display: flex;
        gap: 6px;
      }
      .avatar {
        display: grid;
        place-items: center;
        width: 30px;
        height: 30px;
        padding: 0;
        border: 0;
        border-radius: 50%;
        background: var(--fill, var(--color));
        color: var(--ink, #ffffff);
        font-size: 11px;
        font-weight: 700;
        letter-spacing: 0.02em;
      }
      /*
       * A button's initials are its picture, as a photo would be (generated content, not text):
       * its name is the label, the person's name, which speech and screen readers use.
       */
      button.avatar::before {
        content: attr(data-initials);
      }
      .avatar[aria-pressed='true'] {
        box-shadow: 0 0 0 2px var(--color);
      }
      .avatar-wrap {
        position: relative;
        display: inline-grid;
      }
      /* Speaking: a ring that grows with the level, visible to everyone whether in voice or not. */
      .speaking .avatar {
        box-shadow: 0 0 0 var(--ring) color-mix(in srgb, var(--color) 50%, transparent);
        transition: box-shadow 90ms linear;
      }
      .badge {
        position: absolute;
        right: -3px;
        bottom: -3px;
        display: grid;
        place-items: center;
        width: 15px;
        height: 15px;
        border-radius: 50%;
        background: var(--mesh-panel-background, #ffffff);
        box-shadow: 0 0 0 1px rgb(0 0 0 / 12%);
        color: #2f9e44;
      }
      /* Top left, clear of the voice badge: this person's drawing reaches you through the server. */
      .badge.relay {
        right: auto;
        bottom: auto;
        left: -3px;
        top: -3px;
        color: var(--mesh-muted, #495057);
      }
      .connecting .avatar,
      .unreachable .avatar {
        opacity: 0.55;
      }
      .badge.unreachable {
        right: auto;
        bottom: auto;
        left: -3px;
        top: -3px;
        color: var(--mesh-danger, #c92a2a);
      }
      .badge.muted {
        color: var(--mesh-danger, #c92a2a);
      }
      .badge svg {
        width: 11px;
        height: 11px;
      }
      .more {
        background: #868e96;
      }
      .count {
        white-space: nowrap;
        font-weight: 600;
      }
      label {
        display: grid;
        gap: 4px;
        font-weight: 600;
      }
      input {
        height: 32px;
        padding: 0 10px;
        border: 1px solid rgb(0 0 0 / 15%);
        border-radius: 8px;
        font: inherit;
      }
      .swatches {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .swatch {
        width: 24px;
        height: 24px;
        padding: 0;
        border: 0;
        border-radius: 50%;
        background: var(--color);
      }
      .swatch[aria-pressed='true'] {
        box-shadow: 0 0 0 2px var(--mesh-panel-background, #fff), 0 0 0 4px var(--color);
      }
      .actions {
        display: flex;
        justify-content: flex-end;
      }
    `,
  ]

  override render() {
    const shown = this.peers.slice(0, MAX_AVATARS)
    const unknown = Math.min(this.unreachable, MAX_AVATARS - shown.length)
    const hidden = this.peers.length - shown.length + this.unreachable - unknown
    const total = this.peers.length + this.unreachable + 1
    return html`
      <div class="bar panel" role="group" aria-label="People on this board">
        <div class="avatars">
          ${this.wrap(
            this.selfVoice,
            this.self.color,
            this.selfEditable
              ? html`<button
                  class="avatar"
                  style=${avatarColors(this.self.color)}
                  aria-label=${`You (${this.self.name}): change your name and colour`}
                  title=${`${this.self.name} (you) — click to change`}
                  aria-expanded=${this.editing}
                  data-initials=${initials(this.self.name)}
                  @click=${() => (this.editing = !this.editing)}
                ></button>`
              : html`<span class="avatar" role="img" style=${avatarColors(this.self.color)} aria-label=${`You (${this.self.name})`} title=${`${this.self.name} (you)`}
                  >${initials(this.self.name)}</span
                >`,
          )}
          ${shown.map((peer) => {
            const followed = this.following === peer.clientId
            const voice = peer.voice ? (peer.voice.muted ? ', in voice, muted' : ', in voice') : ''
            const link = peer.peerId ? this.links.get(peer.peerId) : undefined
            const reached = link ? `, ${LINK_WORDS[link]}` : ''
            const hint = link === 'unreachable' ? `. ${UNREACHABLE_HINT}` : ''
            return this.wrap(
              peer.voice,
              peer.user.color,
              html`<button
                class="avatar"
                style=${avatarColors(peer.user.color)}
                aria-label=${followed ? `Stop following ${peer.user.name}` : `Follow ${peer.user.name}`}
                aria-description=${`${reached}${voice}${hint}`.slice(2)}
                title=${`${peer.user.name}${reached}${voice} — ${followed ? 'following; click to stop' : 'click to follow'}${hint}`}
                aria-pressed=${followed}
                data-initials=${initials(peer.user.name)}
                @click=${() => this.emit({ kind: 'follow', clientId: followed ? null : peer.clientId })}
              ></button>`,
              link,
            )
          })}
          ${Array.from({ length: unknown }, () =>
            this.wrap(
              null,
              '#868e96',
              html`<span
                class="avatar"
                role="img"
                style="--color:#868e96"
                aria-label="Someone you can't reach"
                aria-description=${UNREACHABLE_HINT}
                title=${`Someone is on this board, but can't be reached from here. ${UNREACHABLE_HINT}`}
                >?</span
              >`,
              'unreachable',
            ),
          )}
          ${hidden > 0 ? html`<span class="avatar more" title=${this.peers.slice(MAX_AVATARS).map((peer) => peer.user.name).join(', ')}>+${hidden}</span>` : ''}
        </div>
        <span class="count">${total === 1 ? 'Just you' : `${total} here`}</span>
      </div>
      ${this.editing && this.selfEditable ? this.renderEditor() : ''}
    `
  }

  /** An avatar with its voice state: a level ring while speaking, a microphone badge while in voice. */
  private wrap(voice: PresenceVoice | null, color: string, avatar: unknown, link?: PeerLink) {
    const speaking = voice && !voice.muted && voice.level >= SPEAKING_LEVEL
    return html`<span
      class="avatar-wrap ${speaking ? 'speaking' : ''} ${link === 'connecting' || link === 'unreachable' ? link : ''}"
      style=${`--color:${color};--ring:${2 + Math.round((voice?.level ?? 0) * 3)}px`}
    >
      ${avatar} ${link === 'server' ? html`<span class="badge relay" aria-hidden="true">${relayIcon}</span>` : ''}
      ${link === 'unreachable' ? html`<span class="badge unreachable" aria-hidden="true">${unreachableIcon}</span>` : ''}
      ${voice ? html`<span class="badge ${voice.muted ? 'muted' : ''}" aria-hidden="true">${voice.muted ? micOffIcon : micIcon}</span>` : ''}
    </span>`
  }

  private renderEditor() {
    let name = this.self.name
    let color = this.self.color
    let colorChosen = false
    const save = () => {
      this.editing = false
      this.emit({ kind: 'identity', name, color, colorChosen })
    }
    return html`<form
      class="popover panel"
      aria-label="Your name and colour"
      @submit=${(event: Event) => {
        event.preventDefault()
        save()
      }}
      @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && (this.editing = false)}
    >
      <label>
        Your name
        <input
          name="name"
          maxlength="40"
          autocomplete="nickname"
          .value=${this.self.name}
          @input=${(event: Event) => (name = (event.target as HTMLInputElement).value)}
        />
      </label>
      <div class="swatches" role="group" aria-label="Your colour">
        ${USER_COLORS.map(
          (value) => html`<button
            type="button"
            class="swatch"
            style=${`--color:${value}`}
            aria-label=${`Colour ${value}`}
            aria-pressed=${value === this.self.color}
            @click=${(event: Event) => {
              color = value
              colorChosen = true
              const group = (event.currentTarget as HTMLElement).parentElement!
              for (const button of group.children) button.setAttribute('aria-pressed', String(button === event.currentTarget))
            }}
          ></button>`,
        )}
      </div>
      <p class="hint">Remembered on this device, for every board.</p>
      <div class="actions"><button class="text-button primary" type="submit">Save</button></div>
    </form>`
  }

  private emit(detail: PeopleEvent): void {
    emit<PeopleEvent>(this, 'meshui-people', detail)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-people': MeshPeople
  }
}

