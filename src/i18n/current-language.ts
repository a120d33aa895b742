/**
 * The language the interface is shown in now, for the Intl formats of numbers and dates. Kept apart
 * from localization.ts (which loads the catalogs through the bundler) so that any module may ask.
 */
import { SOURCE_LANGUAGE } from './languages'

let current = SOURCE_LANGUAGE

export function currentLanguage(): string {
  return current
}

export function setCurrentLanguage(tag: string): void {
  current = tag
}
