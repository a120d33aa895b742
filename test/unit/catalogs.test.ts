// Every language is complete: each message the code shows (each msg() call) has its translation in
// every catalog of src/i18n/locales, with the same placeholders, and no catalog keeps a message the
// code no longer has. `npm run messages` says what is missing where.
import { describe, expect, it } from 'vitest'
import { allSourceMessages, catalogLanguages, catalogOf, compareCatalog } from '../../support/catalogs'
import { MessageError, sourceMessages } from '../../support/messages'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'

const messages = allSourceMessages()

describe('the message catalogs', () => {
  it('finds the messages in the code', () => {
    expect(messages.length).toBeGreaterThan(100)
    expect(messages.map((message) => message.id)).toContain('menu.label')
  })

  it('has the languages the issue promises', () => {
    expect(catalogLanguages()).toEqual(expect.arrayContaining(['de', 'es', 'fr', 'ja', 'ko', 'zh-Hans']))
  })

  for (const language of catalogLanguages()) {
    it(`${language} has every message, with its placeholders, and nothing stale`, async () => {
      const report = compareCatalog(messages, await catalogOf(language))
      expect(report.missing.map((message) => `${message.id} (${message.where})`)).toEqual([])
      expect(report.stale).toEqual([])
      expect(report.mismatched).toEqual([])
    })
  }
})

describe('reading messages from the code', () => {
  const codeIn = (code: string) => {
    const root = mkdtempSync(join(tmpdir(), 'meshboard-messages-'))
    writeFileSync(join(root, 'a.ts'), code)
    return root
  }

  it('numbers the placeholders of a str template and keeps the note', () => {
    const [message] = sourceMessages(codeIn("msg(str`${name} joined ${board}`, { id: 'joined', desc: 'a person joined' })"))
    expect(message).toMatchObject({ id: 'joined', text: '${0} joined ${1}', placeholders: ['name', 'board'], description: 'a person joined' })
  })

  it('refuses a message without an id, and one id for two texts', () => {
    expect(() => sourceMessages(codeIn("msg('Undo')"))).toThrow(MessageError)
    expect(() => sourceMessages(codeIn("msg('Undo', { id: 'a' }); msg('Redo', { id: 'a' })"))).toThrow(/also used/)
  })

  it('finds what a catalog lacks, keeps stale, and gets wrong', () => {
    const code = sourceMessages(codeIn("msg('Undo', { id: 'undo' }); msg(str`${n} people`, { id: 'people' })"))
    const report = compareCatalog(code, { people: '사람', gone: '옛날' })
    expect(report.missing.map((message) => message.id)).toEqual(['undo'])
    expect(report.stale).toEqual(['gone'])
    expect(report.mismatched.map((entry) => entry.id)).toEqual(['people'])
  })
})
