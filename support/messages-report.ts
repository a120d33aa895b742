/**
 * `npm run messages [-- <language>…]`: what each catalog in src/i18n/locales lacks (with the English
 * text and what each placeholder holds), and what it has that the code no longer shows. With
 * `--all`, every message, for starting a new language's file.
 */
import { allSourceMessages, catalogLanguages, catalogOf, compareCatalog } from './catalogs'

const args = process.argv.slice(2)
const all = args.includes('--all')
const messages = allSourceMessages()
const show = (message: (typeof messages)[number]) => {
  const notes = [message.description, ...message.placeholders.map((expression, index) => `\${${index}} = ${expression}`)].filter(Boolean)
  console.log(`  ${JSON.stringify(message.id)}: ${JSON.stringify(message.text)}${notes.length ? `   // ${notes.join('; ')}` : ''}   (${message.where})`)
}

if (all) {
  console.log(`${messages.length} messages:`)
  messages.forEach(show)
} else {
  let incomplete = false
  const languages = args.length ? args : catalogLanguages()
  for (const language of languages) {
    const report = compareCatalog(messages, await catalogOf(language))
    const problems = report.missing.length + report.stale.length + report.mismatched.length
    console.log(`${language}: ${problems === 0 ? 'complete' : `${report.missing.length} missing, ${report.stale.length} stale, ${report.mismatched.length} mismatched`}`)
    report.missing.forEach(show)
    for (const id of report.stale) console.log(`  stale: ${id}`)
    for (const { id, problem } of report.mismatched) console.log(`  ${id} ${problem}`)
    if (problems) incomplete = true
  }
  process.exitCode = incomplete ? 1 : 0
}
