/** Numbers, percentages, sizes, times and plurals in the interface's language (Intl). */
import { currentLanguage } from './current-language'

/** Whether `count` takes the singular in the interface's language ("1 person"; in French also 0). */
export function isOne(count: number): boolean {
  return new Intl.PluralRules(currentLanguage()).select(count) === 'one'
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(currentLanguage(), options).format(value)
}

/** Names joined as the language joins a list: "Ana, Bo and Cy", "Ana、Bo、Cy". */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(currentLanguage(), { style: 'long', type: 'conjunction' }).format(items)
}

/** 0.5 → "50%" ("50 %" in French, "50%" in Korean). */
export function formatPercent(ratio: number): string {
  return formatNumber(ratio, { style: 'percent', maximumFractionDigits: 0 })
}

/** A size in bytes with the unit that keeps it short: "840 kB", "3.2 MB". */
export function formatBytes(bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit += 1
  }
  return formatNumber(value, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0 })
}

/** A moment as a date and time: "Dec 6, 2026, 9:41 PM", "2026. 12. 6. 오후 9:41". */
export function formatDateTime(at: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  return new Intl.DateTimeFormat(currentLanguage(), options).format(at)
}

/** How long ago, in the largest unit that is at least one: "5 minutes ago", "5분 전", "now". */
export function formatAgo(at: number, now: number = Date.now()): string {
  const seconds = Math.round((at - now) / 1000)
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ]
  const format = new Intl.RelativeTimeFormat(currentLanguage(), { numeric: 'auto' })
  for (const [unit, size] of steps) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit)
  return format.format(0, 'second')
}
