// Which language a person gets: the browser's list (or a page's lang) matched against the
// languages meshboard has, the way a Korean, Taiwanese or Austrian browser asks.
import { describe, expect, it } from 'vitest'
import { matchLanguage, nativeName } from '../../src/i18n/languages'
import { formatAgo, formatBytes, formatNumber, formatPercent, isOne } from '../../src/i18n/format'
import { setCurrentLanguage } from '../../src/i18n/current-language'

const HAVE = ['en', 'de', 'es', 'fr', 'ja', 'ko', 'zh-Hans']

describe('matchLanguage', () => {
  it('takes the first requested language it has', () => {
    expect(matchLanguage(['ko-KR', 'en-US'], HAVE)).toBe('ko')
    expect(matchLanguage(['it', 'de-AT', 'en'], HAVE)).toBe('de')
    expect(matchLanguage(['EN-gb'], HAVE)).toBe('en')
  })

  it('gives Simplified Chinese to mainland and Singapore Chinese, never to Traditional', () => {
    expect(matchLanguage(['zh-CN'], HAVE)).toBe('zh-Hans')
    expect(matchLanguage(['zh-SG'], HAVE)).toBe('zh-Hans')
    expect(matchLanguage(['zh'], HAVE)).toBe('zh-Hans')
    expect(matchLanguage(['zh-TW', 'ja'], HAVE)).toBe('ja')
    expect(matchLanguage(['zh-Hant'], HAVE)).toBe('en')
  })

  it('falls back to English for what it lacks or cannot read', () => {
    expect(matchLanguage(['pt-BR', 'not a tag!'], HAVE)).toBe('en')
    expect(matchLanguage([], HAVE)).toBe('en')
  })
})

describe('language names and formats', () => {
  it('names each language in itself', () => {
    expect(HAVE.map(nativeName)).toEqual(['English', 'Deutsch', 'Español', 'Français', '日本語', '한국어', '简体中文'])
  })

  it('writes numbers, sizes, times and plurals the language’s way', () => {
    try {
      setCurrentLanguage('de')
      expect(formatNumber(12345.5)).toBe('12.345,5')
      expect(formatPercent(0.5)).toBe('50\u00a0%')
      setCurrentLanguage('ko')
      expect(formatAgo(Date.now() - 5 * 60_000)).toBe('5분 전')
      expect(isOne(1)).toBe(false)
      setCurrentLanguage('fr')
      expect(isOne(0)).toBe(true)
      setCurrentLanguage('en')
      expect(isOne(0)).toBe(false)
      expect(formatBytes(3_200_000)).toBe('3.2 MB')
      expect(formatBytes(840_000)).toBe('840 kB')
    } finally {
      setCurrentLanguage('en')
    }
  })
})
