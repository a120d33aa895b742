/** The language catalogs in src/i18n/locales, checked against the messages in the code (support/messages.ts). */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { TemplateLike } from '@lit/localize'
import { sourceMessages, type SourceMessage } from './messages'

export const SOURCE_ROOT = join(import.meta.dirname, '..', 'src')
const LOCALES = join(SOURCE_ROOT, 'i18n', 'locales')

export function catalogLanguages(): string[] {
  return readdirSync(LOCALES)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => name.slice(0, -3))
    .sort()
}

export async function catalogOf(language: string): Promise<Record<string, TemplateLike>> {
  const module = (await import(pathToFileURL(join(LOCALES, `${language}.ts`)).href)) as { templates: Record<string, TemplateLike> }
  return module.templates
}

export interface CatalogReport {
  /** Messages in the code the catalog has no translation for. */
  readonly missing: SourceMessage[]
  /** Ids in the catalog that no message in the code has any more. */
  readonly stale: string[]
  /** Translations whose placeholders differ from the English (`${0}` missing, or one the English lacks). */
  readonly mismatched: { id: string; problem: string }[]
}

function placeholdersOf(template: TemplateLike): number[] {
  if (typeof template === 'string') return []
  if ('strTag' in template) return (template.values as number[]).slice().sort()
  throw new Error('catalog entries are strings or str`` templates, not html``')
}

export function compareCatalog(messages: readonly SourceMessage[], templates: Record<string, TemplateLike>): CatalogReport {
  const ids = new Set(messages.map((message) => message.id))
  const mismatched: { id: string; problem: string }[] = []
  for (const message of messages) {
    const translated = templates[message.id]
    if (translated === undefined) continue
    const expected = message.placeholders.map((_, index) => index)
    const found = placeholdersOf(translated)
    if (JSON.stringify(found) !== JSON.stringify(expected)) {
      mismatched.push({ id: message.id, problem: `has placeholders [${found.join(', ')}], the English [${expected.join(', ')}] (${message.placeholders.join(', ')})` })
    } else if (typeof translated === 'string' && translated.trim() === '') {
      mismatched.push({ id: message.id, problem: 'is empty' })
    }
  }
  return {
    missing: messages.filter((message) => !(message.id in templates)),
    stale: Object.keys(templates).filter((id) => !ids.has(id)),
    mismatched,
  }
}

export const allSourceMessages = (): SourceMessage[] => sourceMessages(SOURCE_ROOT)
