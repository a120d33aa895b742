/**
 * The colours and widths the toolbar offers, chosen to read well on light and dark boards. Their
 * names are read when shown (getters), so that they follow the interface's language.
 */
import { msg } from '@lit/localize'

export interface NamedColor {
  /** What its button is called ('Red', 'Yellow note'). */
  readonly name: string
  readonly value: string
}

export const PALETTE: readonly NamedColor[] = [
  {
    get name() {
      return msg('Ink', { id: 'color.ink', desc: 'a colour swatch: the default near-black ink (white on a dark board)' })
    },
    value: '#1e1e1e',
  },
  {
    get name() {
      return msg('Red', { id: 'color.red', desc: 'a colour swatch' })
    },
    value: '#e03131',
  },
  {
    get name() {
      return msg('Orange', { id: 'color.orange', desc: 'a colour swatch' })
    },
    value: '#f08c00',
  },
  {
    get name() {
      return msg('Green', { id: 'color.green', desc: 'a colour swatch' })
    },
    value: '#2f9e44',
  },
  {
    get name() {
      return msg('Blue', { id: 'color.blue', desc: 'a colour swatch' })
    },
    value: '#1971c2',
  },
  {
    get name() {
      return msg('Violet', { id: 'color.violet', desc: 'a colour swatch' })
    },
    value: '#9c36b5',
  },
]

/** A width or a font size as the style panel offers it. */
export interface NamedNumber {
  /** What its button is called ('Thin stroke', 'Small text'). */
  readonly name: string
  readonly value: number
}

export type NamedWidth = NamedNumber

export const WIDTHS: readonly NamedWidth[] = [
  {
    get name() {
      return msg('Thin stroke', { id: 'width.thin', desc: 'a stroke width button: the thinnest line' })
    },
    value: 2,
  },
  {
    get name() {
      return msg('Medium stroke', { id: 'width.medium', desc: 'a stroke width button: a line of medium thickness' })
    },
    value: 4,
  },
  {
    get name() {
      return msg('Bold stroke', { id: 'width.bold', desc: 'a stroke width button: a thick line' })
    },
    value: 8,
  },
  {
    get name() {
      return msg('Marker stroke', { id: 'width.marker', desc: 'a stroke width button: the thickest line, as drawn with a felt marker' })
    },
    value: 16,
  },
]

/** Sticky note colours: pastels on which dark text reads well, on light and dark boards. */
export const NOTE_COLORS: readonly NamedColor[] = [
  {
    get name() {
      return msg('Yellow note', { id: 'note-color.yellow', desc: 'a sticky note colour swatch' })
    },
    value: '#ffec99',
  },
  {
    get name() {
      return msg('Pink note', { id: 'note-color.pink', desc: 'a sticky note colour swatch' })
    },
    value: '#ffc9c9',
  },
  {
    get name() {
      return msg('Green note', { id: 'note-color.green', desc: 'a sticky note colour swatch' })
    },
    value: '#b2f2bb',
  },
  {
    get name() {
      return msg('Blue note', { id: 'note-color.blue', desc: 'a sticky note colour swatch' })
    },
    value: '#a5d8ff',
  },
  {
    get name() {
      return msg('Violet note', { id: 'note-color.violet', desc: 'a sticky note colour swatch' })
    },
    value: '#d0bfff',
  },
  {
    get name() {
      return msg('Orange note', { id: 'note-color.orange', desc: 'a sticky note colour swatch' })
    },
    value: '#ffd8a8',
  },
]

export interface NamedSize extends NamedNumber {
  /** What its button shows: a letter or two ('S', 'XL'). */
  readonly short: string
}

export const FONT_SIZES: readonly NamedSize[] = [
  {
    get name() {
      return msg('Small text', { id: 'size.small', desc: 'a font size button' })
    },
    get short() {
      return msg('S', { id: 'size.small.short', desc: 'on the "Small text" font size button: a letter or two, as for clothes sizes' })
    },
    value: 16,
  },
  {
    get name() {
      return msg('Medium text', { id: 'size.medium', desc: 'a font size button' })
    },
    get short() {
      return msg('M', { id: 'size.medium.short', desc: 'on the "Medium text" font size button: a letter or two, as for clothes sizes' })
    },
    value: 24,
  },
  {
    get name() {
      return msg('Large text', { id: 'size.large', desc: 'a font size button' })
    },
    get short() {
      return msg('L', { id: 'size.large.short', desc: 'on the "Large text" font size button: a letter or two, as for clothes sizes' })
    },
    value: 36,
  },
  {
    get name() {
      return msg('Extra large text', { id: 'size.extra-large', desc: 'a font size button' })
    },
    get short() {
      return msg('XL', { id: 'size.extra-large.short', desc: 'on the "Extra large text" font size button: a letter or two, as for clothes sizes' })
    },
    value: 56,
  },
]
