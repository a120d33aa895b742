/**
 * The voice panel: join and leave, mute (M) and push-to-talk (hold B), the microphone in use, and
 * the people in voice with their level and a volume for each.
 */
import { LitElement, css, html } from 'lit'
import { customElement, property } from 'lit/decorators.js'
import { localized, msg, str } from '@lit/localize'
import { formatNumber, isOne } from '../i18n/format'
import { micIcon, micOffIcon, phoneOffIcon, speakerIcon, speakerOffIcon } from './icons'
import { MUTE_KEY, PUSH_TO_TALK_KEY } from '../tools/shortcuts'
import { initials } from './identity'
import { panelStyles } from './panel-styles'
import type { VoiceEvent, VoiceState } from './voice-controller'
import { COMFORTABLE_VOICE_PEERS, SPEAKING_LEVEL } from './voice-state'
import { emit } from './mesh-events'
import { avatarColors } from './readable-ink'

export type { VoiceEvent } from './voice-controller'

const MUTE_SHORTCUT = MUTE_KEY.toUpperCase()
const PUSH_TO_TALK_SHORTCUT = PUSH_TO_TALK_KEY.toUpperCase()

@localized()
@customElement('mesh-voice')
export class MeshVoice extends LitElement {
  @property({ attribute: false }) state!: VoiceState
  /** On a narrow board: the join button shows its microphone only. */
  @property({ type: Boolean, reflect: true }) compact = false

  static override styles = [
    panelStyles,
    css`
      :host {
        display: grid;
        gap: 8px;
        justify-items: end;
        max-width: min(320px, calc(100vw - 24px));
      }
      .join {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        height: 40px;
        padding: 0 16px 0 12px;
        border: 0;
        border-radius: 999px;
        font-weight: 600;
      }
      /* On a narrow board: the microphone alone (the button's name says what it does). */
      :host([compact]) .join {
        padding: 0 12px;
      }
      :host([compact]) .join .label {
        display: none;
      }
      .card {
        width: 300px;
        max-width: 100%;
        padding: 12px;
        display: grid;
        gap: 10px;
      }
      header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        font-weight: 700;
      }
      .controls {
        display: flex;
        gap: 8px;
      }
      .controls button {
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      .muted {
        background: #fff0f0;
        color: var(--mesh-danger, #c92a2a);
      }
      .leave {
        background: #c92a2a;
        color: #ffffff;
      }
      select {
        width: 100%;
        height: 32px;
        border: 1px solid rgb(0 0 0 / 15%);
        border-radius: 8px;
        background: transparent;
        color: inherit;
        font: inherit;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      li {
        display: grid;
        grid-template-columns: auto 1fr auto;
        align-items: center;
        gap: 8px;
      }
      .avatar {
        display: grid;
        place-items: center;
        width: 26px;
        height: 26px;
        border-radius: 50%;
        background: var(--fill, var(--color));
        color: var(--ink, #ffffff);
        font-size: 10px;
        font-weight: 700;
        transition: box-shadow 80ms linear;
      }
      .speaking {
        box-shadow: 0 0 0 var(--ring) color-mix(in srgb, var(--color) 45%, transparent);
      }
      .who {
        display: grid;
        min-width: 0;
      }
      .who span {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .who input {
        width: 100%;
        margin: 0;
      }
      .tag {
        font-size: 11px;
        color: var(--mesh-muted, #495057);
      }
      .icon-button {
        display: grid;
        place-items: center;
        width: 30px;
        height: 30px;
        padding: 0;
        border: 0;
        border-radius: 8px;
        background: transparent;
      }
      .icon-button:hover {
        background: var(--mesh-hover, rgb(0 0 0 / 6%));
      }
      .alert {
        max-width: 300px;
        margin: 0;
        padding: 10px 12px;
        color: var(--mesh-danger, #c92a2a);
      }
      .meter {
        height: 4px;
        border-radius: 2px;
        background: rgb(0 0 0 / 8%);
        overflow: hidden;
      }
      .meter div {
        height: 100%;
        background: #2f9e44;
        width: calc(var(--level) * 100%);
        transition: width 80ms linear;
      }
    `,
  ]

  override render() {
    const state = this.state
    return html`
      ${state.message ? html`<p class="alert panel" role="alert">${state.message}</p>` : ''}
      ${state.joined ? this.renderJoined(state) : this.renderJoin(state)}
    `
  }

  private renderJoin(state: VoiceState) {
    const talking = state.participants.length
    const count = formatNumber(talking)
    const join = msg('Join voice', { id: 'voice.join', desc: 'a button: join the voice call' })
    const title =
      talking === 0
        ? join
        : isOne(talking)
          ? msg(str`Join voice — ${count} talking`, { id: 'voice.join.title.one', desc: 'tooltip of the join button: how many people are in the voice call' })
          : msg(str`Join voice — ${count} talking`, { id: 'voice.join.title.other', desc: 'tooltip of the join button: how many people are in the voice call' })
    const text = state.joining
      ? msg('Joining…', { id: 'voice.joining', desc: 'the join button while joining the voice call' })
      : talking > 0
        ? msg(str`Join voice · ${count}`, { id: 'voice.join.count', desc: 'the join button, with how many people are in the voice call' })
        : join
    return html`<button class="join panel" aria-label=${join} title=${title} ?disabled=${state.joining} @click=${() => this.emit({ kind: 'join' })}>
      ${micIcon} <span class="label">${text}</span>
    </button>`
  }

  private renderJoined(state: VoiceState) {
    const total = state.participants.length + 1
    const count = formatNumber(total)
    const key = MUTE_SHORTCUT
    const talkKey = PUSH_TO_TALK_SHORTCUT
    const limit = formatNumber(COMFORTABLE_VOICE_PEERS)
    const leave = msg('Leave voice', { id: 'voice.leave' })
    const muteText = state.muted
      ? state.pushToTalk
        ? msg('Talking…', { id: 'voice.talking', desc: 'the mute button while push-to-talk is held: you are heard' })
        : msg('Muted', { id: 'voice.muted', desc: 'the mute button while your microphone is muted' })
      : msg('Mute', { id: 'voice.mute', desc: 'a button: mute your microphone' })
    const hint = state.muted
      ? msg(str`Hold ${talkKey} to talk while muted.`, { id: 'voice.hint.push-to-talk', desc: 'the placeholder is a key of the keyboard' })
      : msg(str`Press ${key} to mute.`, { id: 'voice.hint.mute', desc: 'the placeholder is a key of the keyboard' })
    return html`<section class="card panel" aria-label=${msg('Voice', { id: 'voice.panel', desc: 'the voice call panel' })}>
      <header>
        <span
          >${isOne(total)
            ? msg(str`Voice · ${count} person`, { id: 'voice.people.one', desc: 'title of the voice call panel: how many people are in the call, you included' })
            : msg(str`Voice · ${count} people`, { id: 'voice.people.other', desc: 'title of the voice call panel: how many people are in the call, you included' })}</span
        >
      </header>
      <div class="meter" title=${msg('Your microphone level', { id: 'voice.level' })} style=${`--level:${state.level}`}><div></div></div>
      <div class="controls">
        <button
          class="text-button ${state.muted ? 'muted' : ''}"
          aria-label=${state.muted ? msg('Unmute microphone', { id: 'voice.unmute-microphone' }) : msg('Mute microphone', { id: 'voice.mute-microphone' })}
          aria-pressed=${state.muted}
          title=${state.muted
            ? msg(str`Unmute — ${key}`, { id: 'voice.unmute.title', desc: 'tooltip: unmute the microphone, with its keyboard shortcut' })
            : msg(str`Mute — ${key}`, { id: 'voice.mute.title', desc: 'tooltip: mute the microphone, with its keyboard shortcut' })}
          @click=${() => this.emit({ kind: 'mute' })}
        >
          ${state.muted ? micOffIcon : micIcon} ${muteText}
        </button>
        <button class="text-button leave" aria-label=${leave} title=${leave} @click=${() => this.emit({ kind: 'leave' })}>
          ${phoneOffIcon} ${msg('Leave', { id: 'voice.leave.short', desc: 'a button: leave the voice call' })}
        </button>
      </div>
      ${state.devices.length > 0
        ? html`<select aria-label=${msg('Microphone', { id: 'voice.microphone', desc: 'the list of microphones to use' })} @change=${(event: Event) => this.emit({ kind: 'device', deviceId: (event.target as HTMLSelectElement).value })}>
            ${state.devices.map((device) => html`<option value=${device.deviceId} ?selected=${device.deviceId === state.deviceId}>${device.label}</option>`)}
          </select>`
        : ''}
      <p class="hint">${hint}</p>
      ${state.crowded
        ? html`<p class="hint" role="status">${msg(str`More than ${limit} people are in voice: quality may suffer.`, { id: 'voice.crowded', desc: 'the number is always above 1' })}</p>`
        : ''}
      ${state.participants.length > 0
        ? html`<ul aria-label=${msg('People in voice', { id: 'voice.list' })}>
            ${state.participants.map((person) => {
              const name = person.name
              return html`<li>
                <span
                  class="avatar ${person.level >= SPEAKING_LEVEL ? 'speaking' : ''}"
                  style=${`${avatarColors(person.color)};--ring:${2 + Math.round(person.level * 5)}px`}
                  aria-hidden="true"
                  >${initials(person.name)}</span
                >
                <span class="who">
                  <span>${name} ${person.muted ? html`<span class="tag">${msg('muted', { id: 'voice.person.muted', desc: 'a tag beside the name of a person in the voice call who muted themselves' })}</span>` : ''}</span>
                  <input
                    type="range"
                    min="0"
                    max="1"
                    step="0.05"
                    .value=${String(person.volume)}
                    aria-label=${msg(str`Volume for ${name}`, { id: 'voice.volume' })}
                    @input=${(event: Event) => this.emit({ kind: 'volume', clientId: person.clientId, volume: Number((event.target as HTMLInputElement).value) })}
                  />
                </span>
                <button
                  class="icon-button"
                  aria-label=${person.silenced
                    ? msg(str`Unsilence ${name}`, { id: 'voice.unsilence', desc: 'a button: hear this person again (here only)' })
                    : msg(str`Silence ${name}`, { id: 'voice.silence', desc: 'a button: stop hearing this person (here only)' })}
                  aria-pressed=${person.silenced}
                  title=${person.silenced ? msg(str`Hear ${name} again`, { id: 'voice.hear-again' }) : msg(str`Stop hearing ${name}`, { id: 'voice.stop-hearing' })}
                  @click=${() => this.emit({ kind: 'silence', clientId: person.clientId })}
                >
                  ${person.silenced ? speakerOffIcon : speakerIcon}
                </button>
              </li>`
            })}
          </ul>`
        : html`<p class="hint">${msg('Nobody else is in voice yet.', { id: 'voice.alone' })}</p>`}
    </section>`
  }

  private emit(detail: VoiceEvent): void {
    emit<VoiceEvent>(this, 'meshui-voice', detail)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-voice': MeshVoice
  }
}
