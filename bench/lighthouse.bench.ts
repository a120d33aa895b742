/**
 * The app's first load as Lighthouse 12 (12.2.3, a dev dependency) measures it on its default
 * mobile profile: a mid-range phone on a slow 4G line, simulated (the page loads at full speed and
 * Lighthouse works out the throttled timings), in Debian's Chromium, from the real server on
 * 127.0.0.1 sending its precompressed files. Three runs, each in a fresh browser; the medians.
 * Targets (issue 23): performance score ≥ 95, first contentful paint ≤ 1.8 s, largest ≤ 2.5 s.
 */
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { CHROMIUM, CHROMIUM_ARGS } from '../support/browser'
import { startServer } from '../support/server'
import { median, round } from './stats'
import type { BenchResult } from './bench-result'

const RUNS = 3
const TARGETS = { score: 95, fcpMs: 1800, lcpMs: 2500 }

interface Run {
  readonly score: number
  readonly accessibility: number
  readonly fcpMs: number
  readonly lcpMs: number
  readonly tbtMs: number
  readonly scriptKiB: number
  readonly unusedScriptKiB: number
  readonly textCompression: boolean
}

async function audit(url: string): Promise<Run> {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ['--headless=new', ...CHROMIUM_ARGS] })
  try {
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] })
    if (!result) throw new Error('Lighthouse returned nothing')
    const { audits, categories } = result.lhr
    const number = (id: string) => audits[id]?.numericValue ?? NaN
    const scripts = (audits['network-requests']?.details as { items?: { resourceType?: string; transferSize?: number }[] } | undefined)?.items ?? []
    return {
      score: Math.round((categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((categories.accessibility?.score ?? 0) * 100),
      fcpMs: number('first-contentful-paint'),
      lcpMs: number('largest-contentful-paint'),
      tbtMs: number('total-blocking-time'),
      scriptKiB: scripts.filter((item) => item.resourceType === 'Script').reduce((sum, item) => sum + (item.transferSize ?? 0), 0) / 1024,
      unusedScriptKiB: ((audits['unused-javascript']?.details as { overallSavingsBytes?: number } | undefined)?.overallSavingsBytes ?? 0) / 1024,
      textCompression: audits['uses-text-compression']?.score === 1,
    }
  } finally {
    await chrome.kill()
  }
}

export async function run(): Promise<BenchResult> {
  const server = await startServer()
  try {
    const runs: Run[] = []
    for (let i = 0; i < RUNS; i++) runs.push(await audit(server.url))
    const row = (name: string, pick: (run: Run) => number, unit: string, target?: { value: number; atLeast?: boolean }) => {
      const value = median(runs.map(pick))
      const met = target && (target.atLeast ? value >= target.value : value <= target.value)
      return {
        measure: name,
        median: `${round(value, 1)} ${unit}`,
        runs: runs.map((run) => round(pick(run), 1)).join(' / '),
        target: target ? `${target.atLeast ? '≥' : '≤'} ${target.value} ${unit}: ${met ? 'met' : `MISSED by ${round(Math.abs(value - target.value), 1)}`}` : '',
      }
    }
    return {
      rows: [
        row('performance score', (run) => run.score, 'points', { value: TARGETS.score, atLeast: true }),
        row('first contentful paint', (run) => run.fcpMs, 'ms', { value: TARGETS.fcpMs }),
        row('largest contentful paint', (run) => run.lcpMs, 'ms', { value: TARGETS.lcpMs }),
        row('total blocking time', (run) => run.tbtMs, 'ms'),
        row('script sent (compressed)', (run) => run.scriptKiB, 'KiB'),
        row('script unused at start', (run) => run.unusedScriptKiB, 'KiB'),
        row('accessibility score', (run) => run.accessibility, 'points'),
        { measure: 'text compression audit', median: runs.every((run) => run.textCompression) ? 'passed' : 'FAILED', runs: '', target: '' },
      ],
      figures: { runs },
    }
  } finally {
    await server.stop()
  }
}
