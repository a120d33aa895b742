/**
 * Laying out text for the canvas, the exports and the in-place editor alike: the font, line
 * height and word wrapping are decided here once, so what is typed, drawn and exported agree.
 */
export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
export const LINE_HEIGHT = 1.25
/** Space between a sticky note's edge and its text, in board units. */
export const STICKY_PADDING = 14

export interface TextLayout {
  readonly lines: readonly string[]
  /** Widest line (auto width) or the box width (wrapped). */
  readonly width: number
  readonly height: number
}

let measureContext: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null = null

function context(fontSize: number) {
  measureContext ??= new OffscreenCanvas(1, 1).getContext('2d')!
  const font = fontOf(fontSize)
  if (measureContext.font !== font) measureContext.font = font
  return measureContext
}

export function fontOf(fontSize: number): string {
  return `${fontSize}px ${FONT_FAMILY}`
}

/**
 * Lines of `text` at `fontSize`. With a width, words wrap inside it (a word longer than the width
 * breaks between letters); without one, lines break at newlines only.
 */
export function layoutText(text: string, fontSize: number, width: number | null): TextLayout {
  const measure = context(fontSize)
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    if (width === null) lines.push(paragraph)
    else lines.push(...wrap(paragraph, width, (part) => measure.measureText(part).width))
  }
  const widest = Math.max(0, ...lines.map((line) => measure.measureText(line).width))
  return { lines, width: width ?? Math.ceil(widest), height: Math.max(1, lines.length) * fontSize * LINE_HEIGHT }
}

/** Lines of one paragraph wrapped to `width`; exported for tests, which measure with a stand-in. */
export function wrap(paragraph: string, width: number, measure: (text: string) => number): string[] {
  const lines: string[] = []
  let line = ''
  // Words with the spaces before them, so spacing is kept as typed.
  for (const word of paragraph.match(/\s*\S+|\s+$/g) ?? ['']) {
    const candidate = line + word
    if (line === '' || measure(candidate) <= width) {
      line = candidate
    } else {
      lines.push(line)
      line = word.trimStart()
    }
    // A single word wider than the box is broken between letters.
    for (let fit = fittingPrefix(line, width, measure); fit < line.length; fit = fittingPrefix(line, width, measure)) {
      lines.push(line.slice(0, fit))
      line = line.slice(fit)
    }
  }
  lines.push(line)
  return lines
}

/**
 * How many leading characters of `text` fit in `width` (at least one: a character wider than the
 * box still takes a line). The bound is found by doubling, then halved down, so only prefixes up
 * to about twice a line are measured: a 20,000-character word lays out in near-linear time
 * (shortening the prefix a character at a time made it cubic: 6,000 characters froze the page).
 */
function fittingPrefix(text: string, width: number, measure: (text: string) => number): number {
  if (text.length <= 1) return text.length
  let fits = 1
  let tooLong = 2
  while (tooLong < text.length && measure(text.slice(0, tooLong)) <= width) {
    fits = tooLong
    tooLong *= 2
  }
  if (tooLong >= text.length) {
    if (measure(text) <= width) return text.length
    tooLong = text.length
  }
  while (tooLong - fits > 1) {
    const middle = (fits + tooLong) >> 1
    if (measure(text.slice(0, middle)) <= width) fits = middle
    else tooLong = middle
  }
  return fits
}

/** Draws laid-out lines from (0, 0) downwards on a 2D context whose font and fill are already set. */
export function drawLines(context: CanvasRenderingContext2D, layout: TextLayout, fontSize: number, left = 0, top = 0): void {
  context.textBaseline = 'middle'
  layout.lines.forEach((line, index) => context.fillText(line, left, top + (index + 0.5) * fontSize * LINE_HEIGHT))
}
