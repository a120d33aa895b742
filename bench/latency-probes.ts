/**
 * Page-side instrumentation for the latency benchmark, installed into running boards with
 * `page.evaluate`. Plain JavaScript in strings, so no transpiler helper (esbuild's `__name`) can
 * leak into the page. Nothing of the product is changed: the probes read the public `doc` and
 * `exportJSON()` of `<mesh-board>` and listen to the shapes layer of the page's Konva stage.
 *
 * Every time is `performance.timeOrigin + performance.now()` (or an event's `timeStamp` on the
 * same base): wall-clock epoch milliseconds with sub-millisecond resolution, comparable between
 * two browser processes on one machine once each page's offset from the system clock is known
 * (CLOCK_OFFSET).
 */

/**
 * Shared by both probes: points of strokes not seen before, in board coordinates, read through
 * the public `exportJSON()` (the board holds a few hundred points: decoding it all costs well
 * under a millisecond). `seen` maps a stroke id to how many of its points were already reported.
 */
const NEW_POINTS = `
  const newPoints = (board, seen) => {
    const fresh = []
    for (const shape of board.exportJSON().shapes) {
      if (shape.type !== 'stroke') continue
      const known = seen.get(shape.id) ?? 0
      for (const point of shape.points.slice(known)) fresh.push([point[0], point[1]])
      seen.set(shape.id, Math.max(known, shape.points.length))
    }
    return fresh
  }
  const clock = () => performance.timeOrigin + performance.now()
`

/**
 * On the drawing page. `samples`: every pointer sample of a pressed mouse as the page received
 * it, [clientX, clientY, epoch of its timeStamp]; coalesced samples are listed one by one, as the
 * pen tool reads them. `writes`: every point as it lands in the local document, [boardX, boardY,
 * epoch]. `counts()` tells how far both are; `take()` returns both and starts over.
 */
export const DRAWING_PROBE = `(() => {
  ${NEW_POINTS}
  const board = document.querySelector('mesh-board')
  let samples = []
  let writes = []
  const seen = new Map()
  const record = (event) => {
    if (event.pointerType !== 'mouse' || (event.buttons & 1) === 0) return
    const coalesced = event.type === 'pointermove' && event.getCoalescedEvents ? event.getCoalescedEvents() : []
    for (const sample of coalesced.length > 0 ? coalesced : [event]) {
      samples.push([sample.clientX, sample.clientY, performance.timeOrigin + sample.timeStamp])
    }
  }
  // Capturing on window: seen before the board's own listeners act on the event.
  window.addEventListener('pointerdown', record, true)
  window.addEventListener('pointermove', record, true)
  board.doc.getMap('shapes').observeDeep(() => {
    const time = clock()
    for (const [x, y] of newPoints(board, seen)) writes.push([x, y, time])
  })
  window.__latencyProbe = {
    counts: () => [samples.length, writes.length, samples.at(-1)],
    take() {
      const taken = { samples, writes }
      samples = []
      writes = []
      return taken
    },
  }
})()`

/**
 * On the watching page: each point that arrives, [boardX, boardY, received, drawn].
 * - received: the document update that brought it was applied (our deep observer runs right
 *   after the projector's, in the same synchronous dispatch; the projector asks for a draw).
 * - drawn: the end of the next 'draw' of the shapes layer. The projector applies the changes it
 *   collected at the start of that very draw (Konva's 'beforeDraw') and paints what they touch in
 *   it: the live layer, where a stroke being drawn is, or the tiles: one pass per frame
 *   (DESIGN.md §4). A big backlog is spread over several draws; a stroke's few points never are.
 * Times are `performance.now()` in the callback, not the rAF timestamp: the frame's timestamp is
 * when the frame began, before the projection and drawing work of that frame, which is part of
 * the latency the user sees. What remains after 'drawn' is the compositor presenting the canvas.
 * `take()` returns the points that are drawn and keeps the others.
 */
export const WATCHING_PROBE = `(() => {
  ${NEW_POINTS}
  const board = document.querySelector('mesh-board')
  const stage = window.Konva.stages.find((s) => s.container().getRootNode() === board.shadowRoot)
  // The board stage's first layer holds the shapes' tiles; a stroke being drawn is on the second
  // (the live layer), which the projector draws within the first one's draw.
  const shapesLayer = stage.getLayers()[0]
  let points = []
  let awaitingDraw = []
  const seen = new Map()
  board.doc.getMap('shapes').observeDeep(() => {
    const time = clock()
    const fresh = newPoints(board, seen).map(([x, y]) => [x, y, time, null])
    points.push(...fresh)
    awaitingDraw.push(...fresh)
  })
  shapesLayer.on('draw', () => {
    const drawn = clock()
    for (const point of awaitingDraw) point[3] = drawn
    awaitingDraw = []
  })
  window.__latencyProbe = {
    drawnCount: () => points.filter((point) => point[3] !== null).length,
    take() {
      const drawn = points.filter((point) => point[3] !== null)
      points = points.filter((point) => point[3] === null)
      return drawn
    },
  }
})()`

/**
 * This page's epoch clock minus the system's (`Date.now()`, whole milliseconds), to 0.1 ms. Chromium
 * sets each document's `timeOrigin` from the system clock when the page loads, a few milliseconds
 * off under load: each page's offset is taken out of every time it reports. Each sample reads the
 * page's clock between two reads of `Date.now()` that agree, so the system clock was in that very
 * millisecond: `clock - Date.now()` is the offset plus a fraction of a millisecond, and its minimum
 * over a 50 ms busy loop is the offset itself, even if the thread was preempted in between.
 */
export const CLOCK_OFFSET = `(() => {
  let offset = Infinity
  const end = performance.now() + 50
  while (performance.now() < end) {
    const before = Date.now()
    const clock = performance.timeOrigin + performance.now()
    if (Date.now() === before) offset = Math.min(offset, clock - before)
  }
  return offset
})()`
