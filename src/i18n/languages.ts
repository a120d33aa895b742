/**
 * Which of the languages meshboard has best fits what a person asked for (their browser's list, a
 * page's `lang`, their own pick). Pure, so that it is tested without a browser.
 */

/** The language the messages are written in, in the code itself. */
export const SOURCE_LANGUAGE = 'en'

/** A BCP 47 tag's language, script and region, filled in the likeliest way (`zh-CN` → `zh-Hans-CN`). */
function expand(tag: string): Intl.Locale | null {
  try {
    return new Intl.Locale(tag).maximize()
  } catch {
    return null
  }
}

/**
 * The best of `available` for the first of `requested` that any fits: the same tag, else the same
 * language and script (`zh-TW` never gets Simplified Chinese, `pt-BR` gets `pt`), else nothing for
 * that entry and the next is tried. Falls back to the source language.
 */
export function matchLanguage(requested: readonly string[], available: readonly string[]): string {
  const candidates = available.map((tag) => ({ tag, locale: expand(tag) }))
  for (const wanted of requested) {
    const exact = available.find((tag) => tag.toLowerCase() === wanted.toLowerCase())
    if (exact) return exact
    const locale = expand(wanted)
    if (!locale) continue
    const sameRegion = candidates.find((entry) => entry.locale?.baseName === locale.baseName)
    if (sameRegion) return sameRegion.tag
    const sameScript = candidates.find((entry) => entry.locale?.language === locale.language && entry.locale.script === locale.script)
    if (sameScript) return sameScript.tag
  }
  return available.includes(SOURCE_LANGUAGE) ? SOURCE_LANGUAGE : (available[0] ?? SOURCE_LANGUAGE)
}

/** A language's own name for itself, as a person looks for it in a list ("한국어", "Deutsch"). */
export function nativeName(tag: string): string {
  try {
    const name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag
    // Some languages write their own names in lower case ("español", "français"); a list item starts with a capital.
    return name.charAt(0).toLocaleUpperCase(tag) + name.slice(1)
  } catch {
    return tag
  }
}
