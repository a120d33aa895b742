/**
 * Text on a person's colour (avatar initials) that everyone can read: WCAG AA's 4.5:1 contrast for
 * small text. White on the colour where that reads, else dark text where that does; otherwise
 * white on the colour darkened just enough. People's colours come from anyone's presence, so any #rrggbb must work.
 */

/** The ink for small text on `color` (#rrggbb) and the fill to put it on. */
export interface ReadableInk {
  readonly fill: string
  readonly text: string
}

const DARK_TEXT = '#1e1e1e'
const WHITE = '#ffffff'
const AA = 4.5

export function readableInk(color: string): ReadableInk {
  const rgb = parse(color)
  if (!rgb) return { fill: color, text: WHITE }
  if (contrast(rgb, [255, 255, 255]) >= AA) return { fill: color, text: WHITE }
  if (contrast(rgb, parse(DARK_TEXT)!) >= AA) return { fill: color, text: DARK_TEXT }
  let fill = rgb
  // A tenth darker at a time: at most ten steps reach black, which white reads on at 21:1.
  while (contrast(fill, [255, 255, 255]) < AA) fill = fill.map((channel) => Math.floor(channel * 0.9)) as Rgb
  return { fill: hex(fill), text: WHITE }
}

/**
 * An avatar's colours as CSS custom properties: `--color`, the person's own (rings, outlines), and
 * `--fill` and `--ink` for the initials on it.
 */
export function avatarColors(color: string): string {
  const { fill, text } = readableInk(color)
  return `--color:${color};--fill:${fill};--ink:${text}`
}

type Rgb = [number, number, number]

function parse(color: string): Rgb | null {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color)
  return match ? [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)] : null
}

function hex(rgb: Rgb): string {
  return `#${rgb.map((channel) => channel.toString(16).padStart(2, '0')).join('')}`
}

/** WCAG 2's relative luminance. */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as Rgb
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** The WCAG contrast ratio of two #rrggbb colours (1 to 21); NaN if either is not one. */
export function contrastRatio(a: string, b: string): number {
  const [first, second] = [parse(a), parse(b)]
  return first && second ? contrast(first, second) : NaN
}

function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}
