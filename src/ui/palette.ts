/** The colours and widths the toolbar offers, chosen to read well on light and dark boards. */

export interface NamedColor {
  readonly name: string
  readonly value: string
}

export const PALETTE: readonly NamedColor[] = [
  { name: 'Ink', value: '#1e1e1e' },
  { name: 'Red', value: '#e03131' },
  { name: 'Orange', value: '#f08c00' },
  { name: 'Green', value: '#2f9e44' },
  { name: 'Blue', value: '#1971c2' },
  { name: 'Violet', value: '#9c36b5' },
]

/** A width or a font size as the style panel offers it. */
export interface NamedNumber {
  readonly name: string
  readonly value: number
}

export type NamedWidth = NamedNumber

export const WIDTHS: readonly NamedWidth[] = [
  { name: 'Thin', value: 2 },
  { name: 'Medium', value: 4 },
  { name: 'Bold', value: 8 },
  { name: 'Marker', value: 16 },
]

/** Sticky note colours: pastels on which dark text reads well, on light and dark boards. */
export const NOTE_COLORS: readonly NamedColor[] = [
  { name: 'Yellow', value: '#ffec99' },
  { name: 'Pink', value: '#ffc9c9' },
  { name: 'Green', value: '#b2f2bb' },
  { name: 'Blue', value: '#a5d8ff' },
  { name: 'Violet', value: '#d0bfff' },
  { name: 'Orange', value: '#ffd8a8' },
]

export type NamedSize = NamedNumber

export const FONT_SIZES: readonly NamedSize[] = [
  { name: 'Small', value: 16 },
  { name: 'Medium', value: 24 },
  { name: 'Large', value: 36 },
  { name: 'Extra large', value: 56 },
]
