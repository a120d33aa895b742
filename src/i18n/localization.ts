/**
 * The interface's language: @lit/localize in runtime mode, with one catalog per language in
 * ./locales (a file named by its BCP 47 tag, found by the bundler: adding a language is adding a
 * file). The catalogs load on demand; English, the language the code is written in, needs none.
 *
 * @lit/localize keeps one language per page, so every board on a page shows the same one: the last
 * asked for (a `lang` attribute set, a pick in a board's menu).
 */
import { LOCALE_STATUS_EVENT, configureLocalization, type LocaleModule } from '@lit/localize'
import { deviceStorage, readJSON, writeJSON, type ReadableStorage, type WritableStorage } from '../ui/device-storage'
import { setCurrentLanguage } from './current-language'
import { matchLanguage, nativeName, SOURCE_LANGUAGE } from './languages'

const catalogs = import.meta.glob<LocaleModule>('./locales/*.ts')
const catalogOf = new Map(Object.entries(catalogs).map(([path, load]) => [path.slice('./locales/'.length, -'.ts'.length), load]))

/** Every language the interface can be shown in, English first. */
export const LANGUAGES: readonly string[] = [SOURCE_LANGUAGE, ...[...catalogOf.keys()].sort()]

const { setLocale } = configureLocalization({
  sourceLocale: SOURCE_LANGUAGE,
  targetLocales: LANGUAGES.filter((tag) => tag !== SOURCE_LANGUAGE),
  loadLocale: (tag) => catalogOf.get(tag)!(),
})

export interface Language {
  readonly tag: string
  /** Its name in itself: what its speakers look for in a list. */
  readonly name: string
}

let list: readonly Language[] | null = null

/** Every language with its own name (worked out once: the names never change). */
export function languageList(): readonly Language[] {
  list ??= LANGUAGES.map((tag) => ({ tag, name: nativeName(tag) }))
  return list
}

const STORAGE_KEY = 'meshboard:language'

/** The language this person picked in a board's menu, remembered on the device; '' for their browser's. */
export function pickedLanguage(storage: ReadableStorage | null = deviceStorage()): string {
  const stored = readJSON(STORAGE_KEY, storage)
  return typeof stored === 'string' && LANGUAGES.includes(stored) ? stored : ''
}

export function rememberLanguage(tag: string, storage: WritableStorage | null = deviceStorage()): void {
  writeJSON(STORAGE_KEY, tag, storage)
}

/**
 * The language to show: the person's own pick, else the page's wish for this board (its `lang`),
 * else the first of the browser's languages that meshboard has, else English.
 */
export function chooseLanguage(picked: string, attribute: string | null, browser: readonly string[] = navigator.languages): string {
  if (picked) return picked
  return matchLanguage([...(attribute ? [attribute] : []), ...browser], LANGUAGES)
}

// Before any component hears that a language is in, so that their Intl formats use it as they re-render.
window.addEventListener(LOCALE_STATUS_EVENT, (event) => {
  if (event.detail.status === 'ready') setCurrentLanguage(event.detail.readyLocale)
})

/** Shows the interface in `tag` (loading its catalog first); components re-render once it is in. */
export async function showLanguage(tag: string): Promise<void> {
  try {
    await setLocale(tag)
  } catch (error) {
    // A catalog that did not arrive (offline before it was ever cached): the interface stays as it was.
    console.warn(`meshboard: the ${tag} messages could not be loaded`, error)
  }
}
