/**
 * The colours and widths the toolbar offers, chosen to read well on light and dark boards. Their
 * names are read when shown (getters), so that they follow the interface's language.
 */
import { msg } from '@lit/localize'

/** A table entry whose name is worked out each time it is read, in the interface's language. */
function named<V>(value: V, name: () => string): { readonly name: string; readonly value: V } {
  return {
    value,
    get name() {
      return name()
    },
  }
}

export interface NamedColor {
  /** What its button is called ('Red', 'Yellow note'). */
  readonly name: string
  readonly value: string
}

export const PALETTE: readonly NamedColor[] = [
  named('#1e1e1e', () => msg('Ink', { id: 'color.ink', desc: 'a colour swatch: the default near-black ink (white on a dark board)' })),
  named('#e03131', () => msg('Red', { id: 'color.red', desc: 'a colour swatch' })),
  named('#f08c00', () => msg('Orange', { id: 'color.orange', desc: 'a colour swatch' })),
  named('#2f9e44', () => msg('Green', { id: 'color.green', desc: 'a colour swatch' })),
  named('#1971c2', () => msg('Blue', { id: 'color.blue', desc: 'a colour swatch' })),
  named('#9c36b5', () => msg('Violet', { id: 'color.violet', desc: 'a colour swatch' })),
]

/** A width or a font size as the style panel offers it. */
export interface NamedNumber {
  /** What its button is called ('Thin stroke', 'Small text'). */
  readonly name: string
  readonly value: number
}

export type NamedWidth = NamedNumber

export const WIDTHS: readonly NamedWidth[] = [
  named(2, () => msg('Thin stroke', { id: 'width.thin', desc: 'a stroke width button: the thinnest line' })),
  named(4, () => msg('Medium stroke', { id: 'width.medium', desc: 'a stroke width button: a line of medium thickness' })),
  named(8, () => msg('Bold stroke', { id: 'width.bold', desc: 'a stroke width button: a thick line' })),
  named(16, () => msg('Marker stroke', { id: 'width.marker', desc: 'a stroke width button: the thickest line, as drawn with a felt marker' })),
]

/** Sticky note colours: pastels on which dark text reads well, on light and dark boards. */
export const NOTE_COLORS: readonly NamedColor[] = [
  named('#ffec99', () => msg('Yellow note', { id: 'note-color.yellow', desc: 'a sticky note colour swatch' })),
  named('#ffc9c9', () => msg('Pink note', { id: 'note-color.pink', desc: 'a sticky note colour swatch' })),
  named('#b2f2bb', () => msg('Green note', { id: 'note-color.green', desc: 'a sticky note colour swatch' })),
  named('#a5d8ff', () => msg('Blue note', { id: 'note-color.blue', desc: 'a sticky note colour swatch' })),
  named('#d0bfff', () => msg('Violet note', { id: 'note-color.violet', desc: 'a sticky note colour swatch' })),
  named('#ffd8a8', () => msg('Orange note', { id: 'note-color.orange', desc: 'a sticky note colour swatch' })),
]

export interface NamedSize extends NamedNumber {
  /** What its button shows: a letter or two ('S', 'XL'). */
  readonly short: string
}

function sized(value: number, name: () => string, short: () => string): NamedSize {
  return {
    value,
    get name() {
      return name()
    },
    get short() {
      return short()
    },
  }
}

export const FONT_SIZES: readonly NamedSize[] = [
  sized(16, () => msg('Small text', { id: 'size.small', desc: 'a font size button' }), () => msg('S', { id: 'size.small.short', desc: 'on the "Small text" font size button: a letter or two, as for clothes sizes' })),
  sized(24, () => msg('Medium text', { id: 'size.medium', desc: 'a font size button' }), () => msg('M', { id: 'size.medium.short', desc: 'on the "Medium text" font size button: a letter or two, as for clothes sizes' })),
  sized(36, () => msg('Large text', { id: 'size.large', desc: 'a font size button' }), () => msg('L', { id: 'size.large.short', desc: 'on the "Large text" font size button: a letter or two, as for clothes sizes' })),
  sized(56, () => msg('Extra large text', { id: 'size.extra-large', desc: 'a font size button' }), () => msg('XL', { id: 'size.extra-large.short', desc: 'on the "Extra large text" font size button: a letter or two, as for clothes sizes' })),
]
