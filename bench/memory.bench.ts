/**
 * The JS heap of a page with the 10,000-stroke board open (after a full garbage collection):
 * empty board, the board at zoom 1 (a tenth of it in view), and with the whole board in view
 * (every stroke drawn at least once). Canvas pixels (the tile cache, at most 40 MiB) and paths
 * live outside the JS heap and are not in these figures.
 */
import { BIG_BOARD_STROKES, heapBytes, importGenerated, startRig, waitUntilDrawn } from './big-board'
import { MB, round } from './stats'
import type { BenchResult } from './bench-result'

export async function run(): Promise<BenchResult> {
  const rig = await startRig()
  try {
    const peer = await rig.peer('memory')
    await peer.createBoard(rig.server.url)
    const empty = await heapBytes(peer)
    await importGenerated(peer, BIG_BOARD_STROKES)
    const atZoomOne = await heapBytes(peer)
    await peer.page.evaluate(() => document.querySelector('mesh-board')!.zoomToFit())
    await waitUntilDrawn(peer, BIG_BOARD_STROKES)
    const wholeBoard = await heapBytes(peer)
    const row = (state: string, heap: { used: number }) => ({ state, 'JS heap used MB': round(heap.used / MB), 'per stroke KB': state === 'empty board' ? '' : round((heap.used - empty.used) / 1024 / BIG_BOARD_STROKES, 2) })
    return {
      rows: [row('empty board', empty), row('10,000 strokes, zoom 1', atZoomOne), row('10,000 strokes, whole board in view', wholeBoard)],
      figures: { strokes: BIG_BOARD_STROKES, empty, atZoomOne, wholeBoard },
    }
  } finally {
    await rig.close()
  }
}
