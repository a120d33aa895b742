/**
 * A late joiner opens a board of 10,000 strokes (about 100 points each): time from navigation to
 * everything rendered (the whole board received, indexed and the view drawn), in a fresh Chromium
 * process with an empty profile each time, over loopback. Three ways the board can arrive:
 * - from a peer alone (the server keeps no copy: `STORE=off`);
 * - from the server's encrypted copy alone (the one browser that drew it has left);
 * - from both, whichever is first (the default: a peer online and the copy on the server).
 * Also the longest main-thread task while it arrived (whether the page froze) and the bytes
 * received over data channels. Target (issue 23): at most 1 s (issue 8 asked for 2).
 */
import { BIG_BOARD_STROKES, holdBoard, longTasks, profile, RECORD_LONG_TASKS, startRig, waitUntilDrawn, type BenchRig } from './big-board'
import { MB, median, round } from './stats'
import type { BenchResult } from './bench-result'

// Five, not three: on a shared two-core machine single joins vary by ±0.5 s, and the median of five is steadier.
const JOINS = 5
/** Issue 23: a late joiner has the 10,000-stroke board fully drawn within a second (issue 8 asked for 2 s). */
const TARGET_MS = 1000
const STORE_WAIT_MS = 120_000

interface Join {
  readonly ms: number
  readonly longestTaskMs: number
  readonly receivedMB: number
}

type Path = 'peer alone' | 'server copy alone' | 'peer and server copy'

async function joins(rig: BenchRig, url: string, path: Path): Promise<Join[]> {
  const results: Join[] = []
  for (let i = 0; i < JOINS; i++) {
    const joiner = await rig.peer(`joiner-${path.replace(/\W+/g, '-')}-${i}`)
    await joiner.context.addInitScript({ content: RECORD_LONG_TASKS })
    await joiner.page.goto(url, { waitUntil: 'commit' })
    const ms = await waitUntilDrawn(joiner, BIG_BOARD_STROKES)
    const tasks = await longTasks(joiner)
    const received = (await joiner.dataChannelStats()).bytesReceived
    results.push({ ms, longestTaskMs: Math.max(0, ...tasks), receivedMB: received / MB })
    await joiner.close()
  }
  return results
}

export async function run(): Promise<BenchResult> {
  const measured: Record<Path, Join[]> = { 'peer alone': [], 'server copy alone': [], 'peer and server copy': [] }
  const peerOnly = await startRig({ STORE: 'off' })
  try {
    const { url } = await holdBoard(peerOnly, BIG_BOARD_STROKES)
    measured['peer alone'] = await joins(peerOnly, url, 'peer alone')
    // One more joiner under the sampling profiler (not timed): where the time goes.
    const profiled = await peerOnly.peer('joiner-profiled')
    const { top } = await profile(profiled, async () => {
      await profiled.page.goto(url, { waitUntil: 'commit' })
      await waitUntilDrawn(profiled, BIG_BOARD_STROKES)
    })
    await profiled.close()
    console.log(`join from a peer, joiner's main thread by self time:\n  ${top.join('\n  ')}`)
  } finally {
    await peerOnly.close()
  }

  const withCopy = await startRig()
  try {
    const { holder, url } = await holdBoard(withCopy, BIG_BOARD_STROKES)
    await holder.page.waitForFunction(() => document.querySelector('mesh-board')?.storeStatus === 'saved', null, { timeout: STORE_WAIT_MS })
    measured['peer and server copy'] = await joins(withCopy, url, 'peer and server copy')
    await holder.page.goto('about:blank')
    measured['server copy alone'] = await joins(withCopy, url, 'server copy alone')
  } finally {
    await withCopy.close()
  }

  const rows = Object.entries(measured).map(([path, list]) => ({
    'the board comes from': path,
    'median navigation → rendered ms': round(median(list.map((join) => join.ms))),
    'runs ms': list.map((join) => round(join.ms)).join(' '),
    'longest main-thread task ms (median)': round(median(list.map((join) => join.longestTaskMs))),
    'received over WebRTC MB (median)': round(median(list.map((join) => join.receivedMB)), 2),
  }))
  for (const row of rows) {
    const ms = row['median navigation → rendered ms']
    console.log(`${row['the board comes from']}: target ≤ ${TARGET_MS} ms ${ms <= TARGET_MS ? 'met' : `missed by ${round(ms - TARGET_MS)} ms`}`)
  }
  return { rows, figures: { strokes: BIG_BOARD_STROKES, targetMs: TARGET_MS, joins: measured } }
}
