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

export interface NamedWidth {
  readonly name: string
  readonly value: number
}

export const WIDTHS: readonly NamedWidth[] = [
  { name: 'Thin', value: 2 },
  { name: 'Medium', value: 4 },
  { name: 'Bold', value: 8 },
  { name: 'Marker', value: 16 },
]
