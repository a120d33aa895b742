/**
 * The 10,000-stroke board reopened from this device's IndexedDB with nobody else online: time from
 * navigation (a reload) to everything rendered. The browser that made the board reloads it, so
 * the storage is the one a real user would have. Target (issue 8): at most 1 s.
 */
import { BIG_BOARD_STROKES, holdBoard, longTasks, profile, RECORD_LONG_TASKS, startRig, waitUntilDrawn } from './big-board'
import { median, round } from './stats'
import type { BenchResult } from './run'

// Five, not three: on a shared two-core machine single runs vary by ±0.3 s, and the median of five is steadier.
const RELOADS = 5
const TARGET_MS = 1000

export async function run(): Promise<BenchResult> {
  const rig = await startRig()
  try {
    const { holder } = await holdBoard(rig, BIG_BOARD_STROKES)
    await holder.context.addInitScript({ content: RECORD_LONG_TASKS })
    const loads: { ms: number; longestTaskMs: number }[] = []
    for (let i = 0; i < RELOADS; i++) {
      await holder.page.reload({ waitUntil: 'commit' })
      const ms = await waitUntilDrawn(holder, BIG_BOARD_STROKES)
      loads.push({ ms, longestTaskMs: Math.max(0, ...(await longTasks(holder))) })
    }
    // One more reload under the sampling profiler (not timed): where the time goes.
    const { top } = await profile(holder, async () => {
      await holder.page.reload({ waitUntil: 'commit' })
      await waitUntilDrawn(holder, BIG_BOARD_STROKES)
    })
    console.log(`reload, main thread by self time:\n  ${top.join('\n  ')}`)
    const ms = median(loads.map((load) => load.ms))
    const rows: Record<string, string | number>[] = loads.map((load, i) => ({
      reload: i + 1,
      'navigation → rendered ms': round(load.ms),
      'longest main-thread task ms': round(load.longestTaskMs),
    }))
    rows.push({ reload: 'median', 'navigation → rendered ms': round(ms), 'longest main-thread task ms': round(median(loads.map((load) => load.longestTaskMs))) })
    console.log(`target ≤ ${TARGET_MS} ms: ${ms <= TARGET_MS ? 'met' : `missed by ${round(ms - TARGET_MS)} ms`}`)
    return { rows, figures: { strokes: BIG_BOARD_STROKES, targetMs: TARGET_MS, loads, profile: top } }
  } finally {
    await rig.close()
  }
}
