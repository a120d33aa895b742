/**
 * The colours of `<mesh-board>` that script needs: whether the theme is dark (`auto` follows the
 * system, and the board repaints when the system switches), the background exports paint, and the
 * accent the selection is drawn in. Custom properties set by the page win over the theme's.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { Theme } from './attributes'

const DARK_BACKGROUND = '#18181b'
const LIGHT_BACKGROUND = '#fbfbfa'
const DEFAULT_ACCENT = '#3b5bdb'

export class ThemeController implements ReactiveController {
  private readonly scheme = matchMedia('(prefers-color-scheme: dark)')
  private readonly onSchemeChange = (): void => this.host.requestUpdate()

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly theme: () => Theme,
  ) {
    host.addController(this)
  }

  hostConnected(): void {
    this.scheme.addEventListener('change', this.onSchemeChange)
  }

  hostDisconnected(): void {
    this.scheme.removeEventListener('change', this.onSchemeChange)
  }

  get dark(): boolean {
    const theme = this.theme()
    return theme === 'dark' || (theme === 'auto' && this.scheme.matches)
  }

  /** The board's background as exports paint it: `--mesh-background` when set, else the theme's. */
  background(): string {
    return this.property('--mesh-background') || (this.dark ? DARK_BACKGROUND : LIGHT_BACKGROUND)
  }

  accent(): string {
    return this.property('--mesh-accent') || DEFAULT_ACCENT
  }

  private property(name: string): string {
    return getComputedStyle(this.host).getPropertyValue(name).trim()
  }
}
