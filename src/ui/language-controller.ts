/**
 * Which language a board's interface is in: the person's pick in its menu (remembered on the
 * device), else the board's `lang` attribute, else the browser's languages (src/i18n/localization.ts).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { chooseLanguage, languageList, pickedLanguage, rememberLanguage, showLanguage, type Language } from '../i18n/localization'

export class LanguageController implements ReactiveController {
  private readonly onBrowserLanguages = () => this.apply()

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this)
  }

  hostConnected(): void {
    window.addEventListener('languagechange', this.onBrowserLanguages)
    this.apply()
  }

  hostDisconnected(): void {
    window.removeEventListener('languagechange', this.onBrowserLanguages)
  }

  /** Every language there is, for the menu. */
  get languages(): Language[] {
    return languageList()
  }

  /** What the person picked; '' while the board follows the browser (or its `lang`). */
  get picked(): string {
    return pickedLanguage()
  }

  /** The language shown while nothing is picked: the board's `lang`, else the browser's. */
  get automatic(): string {
    return chooseLanguage('', this.host.getAttribute('lang'))
  }

  /** The menu's choice ('' for the browser's language), remembered for every board on this device. */
  pick(tag: string): void {
    rememberLanguage(tag)
    this.apply()
    this.host.requestUpdate()
  }

  /** The board's `lang` attribute changed. */
  attributeChanged(): void {
    this.apply()
  }

  private apply(): void {
    void showLanguage(chooseLanguage(pickedLanguage(), this.host.getAttribute('lang')))
  }
}
