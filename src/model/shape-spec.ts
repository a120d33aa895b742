/**
 * What each shape type is, in one table (issue 21): the style keys it takes (the style panel
 * offers them, a style choice applies them), whether a corner resize always keeps its
 * proportions, whether it holds text edited in place, the outline its bounds are taken from and
 * the image assets an export of it needs. The validator (validate.ts) says which fields a type
 * has; test/unit/shape-spec.test.ts keeps the two in agreement.
 *
 * Also the one style vocabulary: the same keys name a style in the style panel's events, the
 * preferences, the next shape's style and the selection's style commands.
 */
import { POINT_STRIDE } from './point-codec'
import { fillTint, type Shape, type ShapeType } from './shapes'
import type { ShapePatch, TextLayout } from './transform'

export const STYLE_KEYS = ['color', 'strokeWidth', 'fill', 'noteColor', 'fontSize', 'opacity'] as const
export type StyleKey = (typeof STYLE_KEYS)[number]

/** A value for every style key: the next shape's style (the user's last choices), or what the panel shows. */
export interface Style {
  /** Ink and text colour. */
  readonly color: string
  /** Line thickness in board units. */
  readonly strokeWidth: number
  /** Whether a box is filled (with a tint of its outline colour, see fillTint). */
  readonly fill: boolean
  /** The colour of a sticky note (its text keeps `color`). */
  readonly noteColor: string
  readonly fontSize: number
  readonly opacity: number
}

/** One style choice: a key and its value. */
export type StyleChange = { readonly [K in StyleKey]: { readonly key: K; readonly value: Style[K] } }[StyleKey]

/** The style with one choice made. */
export function withStyle<S extends Style>(style: S, change: StyleChange): S {
  return { ...style, [change.key]: change.value }
}

/** Points outlining a shape in its own frame (origin at x, y, unrotated), flat, and their stride. */
export type Outline = readonly [points: ArrayLike<number>, stride: number]

export interface ShapeSpec<S extends Shape = Shape> {
  /** The style keys it takes, in STYLE_KEYS order; every shape takes opacity. */
  readonly styles: readonly StyleKey[]
  /** A corner handle always keeps its proportions (a stretched photo looks broken); others keep them with Shift. */
  readonly keepsAspect: boolean
  /** It holds text edited in place (double-click, the text editor, font size). */
  readonly editableText: boolean
  /** What its bounds are taken from (geometry.ts grows them by the ink and turns them with the shape). */
  readonly outline: (shape: S) => Outline
  /** The image assets (hashes) drawing it needs: what an export embeds or loads first. */
  readonly assets: (shape: S) => readonly string[]
}

type SpecRegistry = { readonly [T in ShapeType]: ShapeSpec<Extract<Shape, { type: T }>> }

/** A box from the origin: rectangles, ellipses, texts, notes and images. */
const box = (shape: { readonly width: number; readonly height: number }): Outline => [[0, 0, shape.width, 0, shape.width, shape.height, 0, shape.height], 2]
/** A segment from the origin to (dx, dy): lines and arrows. */
const segment = (shape: { readonly dx: number; readonly dy: number }): Outline => [[0, 0, shape.dx, shape.dy], 2]
const none = (): readonly string[] => []

const INKED = ['color', 'strokeWidth', 'opacity'] as const

export const SHAPE_SPECS: SpecRegistry = {
  // The stroke's own points, read in place: a big board bounds tens of thousands of them at once.
  stroke: { styles: INKED, keepsAspect: false, editableText: false, outline: (shape) => [shape.points, POINT_STRIDE], assets: none },
  rectangle: { styles: ['color', 'strokeWidth', 'fill', 'opacity'], keepsAspect: false, editableText: false, outline: box, assets: none },
  ellipse: { styles: ['color', 'strokeWidth', 'fill', 'opacity'], keepsAspect: false, editableText: false, outline: box, assets: none },
  line: { styles: INKED, keepsAspect: false, editableText: false, outline: segment, assets: none },
  arrow: { styles: INKED, keepsAspect: false, editableText: false, outline: segment, assets: none },
  text: { styles: ['color', 'fontSize', 'opacity'], keepsAspect: false, editableText: true, outline: box, assets: none },
  // A note's text colour is not offered: notes are pastel, their text stays dark.
  sticky: { styles: ['noteColor', 'fontSize', 'opacity'], keepsAspect: false, editableText: true, outline: box, assets: none },
  image: { styles: ['opacity'], keepsAspect: true, editableText: false, outline: box, assets: (shape) => [shape.asset] },
}

/** The spec of a shape's type, typed for that shape. */
export function specOf<S extends Shape>(shape: S): ShapeSpec<S> {
  return SHAPE_SPECS[shape.type] as unknown as ShapeSpec<S>
}

export function takesStyle(shape: Pick<Shape, 'type'>, key: StyleKey): boolean {
  return SHAPE_SPECS[shape.type].styles.includes(key)
}

/** The image assets drawing these shapes needs, each once. */
export function assetsOf(shapes: readonly Shape[]): string[] {
  return [...new Set(shapes.flatMap((shape) => specOf(shape).assets(shape)))]
}

/** How a style key reads from a shape that takes it, and how a choice of it is written. */
interface StyleRule<K extends StyleKey> {
  read(shape: Shape): Style[K] | undefined
  patch(shape: Shape, value: Style[K], layout: TextLayout): ShapePatch | null
}

const STYLE_RULES: { readonly [K in StyleKey]: StyleRule<K> } = {
  color: {
    read: (shape) => ('color' in shape ? shape.color : undefined),
    // A filled box keeps its fill in the tint of its outline.
    patch: (shape, color): ShapePatch => ((shape.type === 'rectangle' || shape.type === 'ellipse') && shape.fill ? { color, fill: fillTint(color) } : { color }),
  },
  strokeWidth: {
    read: (shape) => ('strokeWidth' in shape ? shape.strokeWidth : undefined),
    patch: (_shape, strokeWidth) => ({ strokeWidth }),
  },
  fill: {
    read: (shape) => (shape.type === 'rectangle' || shape.type === 'ellipse' ? shape.fill !== null : undefined),
    patch: (shape, fill) => (shape.type === 'rectangle' || shape.type === 'ellipse' ? { fill: fill ? fillTint(shape.color) : null } : null),
  },
  noteColor: {
    read: (shape) => (shape.type === 'sticky' ? shape.fill : undefined),
    patch: (_shape, fill) => ({ fill }),
  },
  fontSize: {
    read: (shape) => ('fontSize' in shape ? shape.fontSize : undefined),
    patch: (shape, fontSize, layout): ShapePatch => {
      if (shape.type !== 'text') return { fontSize }
      // Text never overflows its box: it is laid out again at the new size (wrapping where it was resized).
      const size = layout(shape.text, fontSize, shape.autoWidth ? null : shape.width)
      return { fontSize, width: size.width, height: size.height }
    },
  },
  opacity: {
    read: (shape) => shape.opacity,
    patch: (_shape, opacity) => ({ opacity }),
  },
}

/** A shape's value of a style key, or undefined when its type does not take it. */
export function styleOf<K extends StyleKey>(shape: Shape, key: K): Style[K] | undefined {
  return takesStyle(shape, key) ? STYLE_RULES[key].read(shape) : undefined
}

/** What a style choice writes to a shape, or null when its type does not take it. */
export function stylePatch(shape: Shape, change: StyleChange, layout: TextLayout): ShapePatch | null {
  if (!takesStyle(shape, change.key)) return null
  return (STYLE_RULES[change.key] as StyleRule<StyleKey>).patch(shape, change.value, layout)
}
