/**
 * Who is on the board: avatars (initials in each person's colour) with a count. Click someone to
 * follow their view; click yourself to change your name and colour.
 */
import { LitElement, css, html } from 'lit'
import { customElement, property, state } from 'lit/decorators.js'
import { localized, msg, str } from '@lit/localize'
import { formatNumber, isOne } from '../i18n/format'
import { currentLanguage } from '../i18n/current-language'
import type { Presence, PresenceVoice } from '../net/presence'
import { micIcon, micOffIcon, relayIcon, unreachableIcon } from './icons'
import { USER_COLORS, initials } from './identity'
import { avatarColors } from './readable-ink'
import { SPEAKING_LEVEL } from './voice-state'
import { panelStyles } from './panel-styles'
import { emit } from './mesh-events'

/**
 * How a person is reached: over WebRTC directly or through a TURN relay, through the server's
 * relay, not yet, or not at all (found, but nothing gets through: see unreachableHint).
 */
export type PeerLink = 'direct' | 'turn' | 'server' | 'connecting' | 'unreachable'

/** How a person is reached, in words (evaluated when shown, in the language of the moment). */
function linkWords(link: PeerLink): string {
  switch (link) {
    case 'direct':
      return msg('connected directly', { id: 'people.link.direct', desc: "how a person on the board is reached; part of their avatar's description" })
    case 'turn':
      return msg('connected through a relay (TURN)', { id: 'people.link.turn', desc: "how a person on the board is reached; TURN is the name of a relay protocol" })
    case 'server':
      return msg('connected through the server', { id: 'people.link.server', desc: "how a person on the board is reached; part of their avatar's description" })
    case 'connecting':
      return msg('connecting…', { id: 'people.link.connecting', desc: 'a person on the board is not connected yet; part of their avatar\'s description' })
    case 'unreachable':
      return msg("can't be reached from here", { id: 'people.link.unreachable', desc: "a person on the board whom nothing reaches; part of their avatar's description" })
  }
}

/** A person's voice state, in words ('' when not in voice). */
function voiceWords(voice: PresenceVoice | null): string {
  if (!voice) return ''
  return voice.muted
    ? msg('in voice, muted', { id: 'people.voice.muted', desc: "a person is in the voice call with their microphone muted; part of their avatar's description" })
    : msg('in voice', { id: 'people.voice.in', desc: "a person is in the voice call; part of their avatar's description" })
}

/** How a person is reached and their voice state, as their avatar describes them ('' when there is neither). */
function peerState(reached: string, inVoice: string): string {
  if (reached && inVoice) {
    return msg(str`${reached}, ${inVoice}`, {
      id: 'people.peer.state',
      desc: 'how a person is reached (e.g. "connected directly"), then their voice state (e.g. "in voice, muted")',
    })
  }
  return reached || inVoice
}

/** What would fix an unreachable person, for the user to pass on: they rarely run the server themselves. */
export function unreachableHint(): string {
  return msg("Your network or theirs blocks direct connections. Whoever runs this board's server can fix this by setting up a TURN relay (see docs/operating.md).", {
    id: 'people.unreachable.hint',
    desc: 'why a person cannot be reached and what fixes it; TURN is the name of a relay protocol, docs/operating.md a file name',
  })
}

/** A text about an unreachable person followed by unreachableHint(). */
function withHint(text: string, hint: string): string {
  return msg(str`${text}. ${hint}`, {
    id: 'people.unreachable.with-hint',
    desc: "a description of an unreachable person (without its full stop), then the sentences saying why and what fixes it",
  })
}

export type PeopleEvent = { kind: 'follow'; clientId: number | null } | { kind: 'identity'; name: string; color: string; colorChosen: boolean }

/** Avatars shown before the rest collapse into "+N". */
const MAX_AVATARS = 5

@localized()
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
    const selfName = this.self.name
    const count = formatNumber(total)
    const more = formatNumber(hidden)
    const hint = unreachableHint()
    return html`
      <div class="bar panel" role="group" aria-label=${msg('People on this board', { id: 'people.group' })}>
        <div class="avatars">
          ${this.wrap(
            this.selfVoice,
            this.self.color,
            this.selfEditable
              ? html`<button
                  class="avatar"
                  style=${avatarColors(this.self.color)}
                  aria-label=${msg(str`You (${selfName}): change your name and colour`, { id: 'people.self.edit-label' })}
                  title=${msg(str`${selfName} (you) — click to change`, { id: 'people.self.edit-title', desc: 'tooltip of your own avatar' })}
                  aria-expanded=${this.editing}
                  data-initials=${initials(this.self.name)}
                  @click=${() => (this.editing = !this.editing)}
                ></button>`
              : html`<span class="avatar" role="img" style=${avatarColors(this.self.color)} aria-label=${msg(str`You (${selfName})`, { id: 'people.self.label', desc: 'your own avatar, with your name' })}
                  title=${msg(str`${selfName} (you)`, { id: 'people.self.title', desc: 'tooltip of your own avatar, with your name' })}
                  >${initials(this.self.name)}</span
                >`,
          )}
          ${shown.map((peer) => {
            const followed = this.following === peer.clientId
            const name = peer.user.name
            const link = peer.peerId ? this.links.get(peer.peerId) : undefined
            const state = peerState(link ? linkWords(link) : '', voiceWords(peer.voice))
            const title = state
              ? followed
                ? msg(str`${name}, ${state} — following; click to stop`, { id: 'people.peer.title.following', desc: 'tooltip of the avatar of a person you follow: name, how they are reached and their voice state' })
                : msg(str`${name}, ${state} — click to follow`, { id: 'people.peer.title.follow', desc: 'tooltip of a person\'s avatar: name, how they are reached and their voice state' })
              : followed
                ? msg(str`${name} — following; click to stop`, { id: 'people.peer.title.following-plain', desc: 'tooltip of the avatar of a person you follow' })
                : msg(str`${name} — click to follow`, { id: 'people.peer.title.follow-plain', desc: "tooltip of a person's avatar" })
            const unreachable = link === 'unreachable'
            return this.wrap(
              peer.voice,
              peer.user.color,
              html`<button
                class="avatar"
                style=${avatarColors(peer.user.color)}
                aria-label=${followed ? msg(str`Stop following ${name}`, { id: 'people.stop-following' }) : msg(str`Follow ${name}`, { id: 'people.follow' })}
                aria-description=${unreachable ? withHint(state, hint) : state}
                title=${unreachable ? withHint(title, hint) : title}
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
                aria-label=${msg("Someone you can't reach", { id: 'people.unknown.label', desc: 'an avatar for a person on the board whose name never arrived' })}
                aria-description=${hint}
                title=${msg(str`Someone is on this board, but can't be reached from here. ${hint}`, { id: 'people.unknown.title', desc: 'tooltip of an avatar for a person whose name never arrived; the placeholder is the hint saying what fixes it' })}
                >?</span
              >`,
              'unreachable',
            ),
          )}
          ${hidden > 0
            ? html`<span class="avatar more" title=${this.nameList(this.peers.slice(MAX_AVATARS).map((peer) => peer.user.name))}
                >${msg(str`+${more}`, { id: 'people.more', desc: 'an avatar standing for this many more people on the board' })}</span
              >`
            : ''}
        </div>
        <span class="count"
          >${total === 1
            ? msg('Just you', { id: 'people.count.alone', desc: 'nobody else is on the board' })
            : isOne(total)
              ? msg(str`${count} here`, { id: 'people.here.one', desc: 'how many people are on the board, you included' })
              : msg(str`${count} here`, { id: 'people.here.other', desc: 'how many people are on the board, you included' })}</span
        >
      </div>
      ${this.editing && this.selfEditable ? this.renderEditor() : ''}
    `
  }

  /** Names as a list in the interface's language ("Ada, Ben, Cy"). */
  private nameList(names: readonly string[]): string {
    return new Intl.ListFormat(currentLanguage(), { type: 'unit', style: 'short' }).format(names)
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
      aria-label=${msg('Your name and colour', { id: 'people.editor.label' })}
      @submit=${(event: Event) => {
        event.preventDefault()
        save()
      }}
      @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && (this.editing = false)}
    >
      <label>
        ${msg('Your name', { id: 'people.editor.name', desc: 'label of the field for your name' })}
        <input
          name="name"
          maxlength="40"
          autocomplete="nickname"
          .value=${this.self.name}
          @input=${(event: Event) => (name = (event.target as HTMLInputElement).value)}
        />
      </label>
      <div class="swatches" role="group" aria-label=${msg('Your colour', { id: 'people.editor.colour', desc: 'the group of colours to pick yours from' })}>
        ${USER_COLORS.map(
          (value) => html`<button
            type="button"
            class="swatch"
            style=${`--color:${value}`}
            aria-label=${msg(str`Colour ${value}`, { id: 'people.editor.swatch', desc: 'a colour to pick; the placeholder is its hex code, e.g. #e03131' })}
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
      <p class="hint">${msg('Remembered on this device, for every board.', { id: 'people.editor.hint', desc: 'your name and colour are kept on this device' })}</p>
      <div class="actions"><button class="text-button primary" type="submit">${msg('Save', { id: 'people.editor.save', desc: 'a button: save your name and colour' })}</button></div>
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

