/**
 * Which language a board's interface is in: the person's pick in its menu (remembered on the
 * device), else the board's `lang` attribute, else the browser's languages (src/i18n/localization.ts).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { chooseLanguage, languageList, pickedLanguage, rememberLanguage, showLanguage, type Language } from '../i18n/localization'

export class LanguageController implements ReactiveController {
  /** The menu's pick as stored: read once, then kept here as it changes (the board renders often). */
  private pickedTag = pickedLanguage()
  /** What Automatic gives, worked out again only when the board's `lang` or the browser's languages change. */
  private automaticTag = ''
  private readonly onBrowserLanguages = () => this.apply()

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this)
  }

  hostConnected(): void {
    window.addEventListener('languagechange', this.onBrowserLanguages)
    this.pickedTag = pickedLanguage()
    this.apply()
  }

  hostDisconnected(): void {
    window.removeEventListener('languagechange', this.onBrowserLanguages)
  }

  /** Every language there is, for the menu. */
  get languages(): readonly Language[] {
    return languageList()
  }

  /** What the person picked; '' while the board follows the browser (or its `lang`). */
  get picked(): string {
    return this.pickedTag
  }

  /** The language shown while nothing is picked: the board's `lang`, else the browser's. */
  get automatic(): string {
    return this.automaticTag
  }

  /** The menu's choice ('' for the browser's language), remembered for every board on this device. */
  pick(tag: string): void {
    rememberLanguage(tag)
    this.pickedTag = tag
    this.apply()
    this.host.requestUpdate()
  }

  /** The board's `lang` attribute changed. */
  attributeChanged(): void {
    this.apply()
  }

  private apply(): void {
    this.automaticTag = chooseLanguage('', this.host.getAttribute('lang'))
    void showLanguage(this.pickedTag || this.automaticTag)
  }
}
