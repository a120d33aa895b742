/**
 * What the style panel edits (issue 21): with shapes selected, the style keys their types take
 * (model/shape-spec.ts) and the value of the first shape that has each; with nothing selected,
 * the keys of the shape the active tool makes, at the user's last choices. A choice made in the
 * panel (a StyleChange) is remembered for the next shape (withStyle) and applied to the selection
 * (SelectionCommands.style), in the same vocabulary.
 */
import { SHAPE_SPECS, STYLE_KEYS, styleOf, takesStyle, type Style, type StyleKey } from '../model/shape-spec'
import type { Shape, ShapeType } from '../model/shapes'
import { displayColor } from '../render/ink'
import type { ToolName } from '../tools/tool'

/**
 * The shape each tool makes in the style the panel sets; null for tools the panel has nothing
 * for (images are placed as they are, at full opacity).
 */
export const TOOL_MAKES: { readonly [T in ToolName]: ShapeType | null } = {
  select: null,
  pen: 'stroke',
  highlighter: 'stroke',
  eraser: null,
  rectangle: 'rectangle',
  ellipse: 'ellipse',
  line: 'line',
  arrow: 'arrow',
  text: 'text',
  sticky: 'sticky',
  image: null,
  laser: null,
  hand: null,
}

export interface StyleTarget {
  /** The style keys the panel offers, in STYLE_KEYS order. */
  readonly styles: readonly StyleKey[]
  /** A selection: the panel also offers layer order, duplicate and delete. */
  readonly arrange: boolean
  /** The values the panel shows as chosen. */
  readonly values: Style
}

/** What the panel edits: the selection, or with nothing selected what the active tool makes (null: nothing to style). */
export function styleTarget(selected: readonly Shape[], tool: ToolName, next: Style): StyleTarget | null {
  if (selected.length === 0) {
    const makes = TOOL_MAKES[tool]
    return makes ? { styles: SHAPE_SPECS[makes].styles, arrange: false, values: next } : null
  }
  const styles = STYLE_KEYS.filter((key) => selected.some((shape) => takesStyle(shape, key)))
  // The value of the first shape that has each one; the next shape's where none has it.
  const value = <K extends StyleKey>(key: K): Style[K] => selected.map((shape) => styleOf(shape, key)).find((found) => found !== undefined) ?? next[key]
  const values: Style = {
    color: value('color'),
    strokeWidth: value('strokeWidth'),
    fill: value('fill'),
    noteColor: value('noteColor'),
    fontSize: value('fontSize'),
    opacity: value('opacity'),
  }
  return { styles, arrange: true, values }
}

/** The colour on the button that opens the panel: the ink's, or the note's where only notes are styled. */
export function swatchOf(target: StyleTarget, dark: boolean): string {
  const notesOnly = target.styles.includes('noteColor') && !target.styles.includes('color')
  return notesOnly ? target.values.noteColor : displayColor(target.values.color, dark)
}
