/**
 * The board's passing message (a file that is not an image, a peer that was disconnected…): shown
 * for a few seconds or until dismissed, a newer one replacing it.
 */
import { msg } from '@lit/localize'
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit'

/** How long a notice stays up. */
const NOTICE_MS = 8000

export class NoticeController implements ReactiveController {
  private message: string | null = null
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this)
  }

  hostDisconnected(): void {
    clearTimeout(this.timer)
    this.message = null
  }

  /** Shows a message for a few seconds. */
  show(message: string): void {
    clearTimeout(this.timer)
    this.message = message
    this.timer = setTimeout(() => this.dismiss(), NOTICE_MS)
    this.host.requestUpdate()
  }

  dismiss(): void {
    clearTimeout(this.timer)
    this.message = null
    this.host.requestUpdate()
  }

  render() {
    if (!this.message) return ''
    return html`<div class="notice" role="alert"><span>${this.message}</span><button @click=${() => this.dismiss()}>${msg('Dismiss', { id: 'notice.dismiss', desc: 'a button: close the message' })}</button></div>`
  }
}
