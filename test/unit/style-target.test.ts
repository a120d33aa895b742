import { describe, expect, it } from 'vitest'
import { sampleBoard, sampleShape } from '../helpers/sample-shapes'
import { History } from '../../src/model/history'
import { SHAPE_TYPES, type Shape, type ShapeType } from '../../src/model/shapes'
import type { TextLayout } from '../../src/model/transform'
import type { StyleChange } from '../../src/model/shape-spec'
import { SelectionCommands } from '../../src/tools/select/commands'
import { Selection } from '../../src/tools/select/selection'
import { TOOL_NAMES, type ToolName } from '../../src/tools/tool'
import { styleTarget, swatchOf, TOOL_MAKES } from '../../src/ui/style-target'
import { displayColor } from '../../src/render/ink'
import { DEFAULT_PREFERENCES } from '../../src/ui/preferences'
import { withStyle, type Style } from '../../src/model/shape-spec'

/** A stand-in for the canvas's text measuring: half the font size per character, one line. */
const layout: TextLayout = (text, fontSize) => ({ width: (text.length * fontSize) / 2, height: fontSize })

type Key = StyleChange['key']
const change = (key: Key, value: string | number | boolean) => ({ key, value }) as StyleChange

/** Applies a style change to one shape of every type, all selected: what changed, by type. */
function applied(key: Key, value: string | number | boolean): Partial<Record<ShapeType, Partial<Shape>>> {
  const { doc, ids, shapes } = sampleBoard()
  const before = new Map(shapes().map((shape) => [shape.type, shape]))
  const selection = new Selection()
  selection.set(Object.values(ids))
  new SelectionCommands(doc, new History(doc), selection, layout).style(change(key, value))
  const changed: Partial<Record<ShapeType, Partial<Shape>>> = {}
  for (const shape of shapes()) {
    const old = before.get(shape.type)! as unknown as Record<string, unknown>
    const fields = Object.entries(shape).filter(([field, now]) => field !== 'points' && now !== old[field])
    const gone = Object.keys(old).filter((field) => !(field in shape))
    if (fields.length > 0 || gone.length > 0) changed[shape.type] = Object.fromEntries([...fields, ...gone.map((field) => [field, undefined])])
  }
  return changed
}

describe('a style choice applied to a selection of every type', () => {
  it('colour: the ink and text of everything but notes and images; a filled box keeps its fill in the new tint', () => {
    expect(applied('color', '#123456')).toEqual({
      stroke: { color: '#123456' },
      rectangle: { color: '#123456', fill: '#12345633' },
      ellipse: { color: '#123456' },
      line: { color: '#123456' },
      arrow: { color: '#123456' },
      text: { color: '#123456' },
    })
  })

  it('stroke width: strokes, boxes and lines', () => {
    expect(applied('strokeWidth', 6)).toEqual({ stroke: { strokeWidth: 6 }, rectangle: { strokeWidth: 6 }, ellipse: { strokeWidth: 6 }, line: { strokeWidth: 6 }, arrow: { strokeWidth: 6 } })
  })

  it('fill: boxes only, tinted like their outline, or none', () => {
    expect(applied('fill', true)).toEqual({ ellipse: { fill: '#2f9e4433' } })
    expect(applied('fill', false)).toEqual({ rectangle: { fill: null } })
  })

  it('note colour: notes only', () => {
    expect(applied('noteColor', '#a5d8ff')).toEqual({ sticky: { fill: '#a5d8ff' } })
  })

  it('font size: texts (laid out again) and notes', () => {
    expect(applied('fontSize', 56)).toEqual({ text: { fontSize: 56, width: 140, height: 56 }, sticky: { fontSize: 56 } })
  })

  it('opacity: everything', () => {
    expect(applied('opacity', 0.5)).toEqual(Object.fromEntries(SHAPE_TYPES.map((type) => [type, { opacity: 0.5 }])))
  })
})

const next: Style = { color: '#1e1e1e', strokeWidth: 4, fill: false, noteColor: '#ffc9c9', fontSize: 16, opacity: 1 }

describe('what the style panel edits with nothing selected', () => {
  /** The panel's controls for each tool, as they have always been. */
  const TODAY: Readonly<Record<ToolName, readonly string[] | null>> = {
    select: null,
    pen: ['color', 'strokeWidth', 'opacity'],
    highlighter: ['color', 'strokeWidth', 'opacity'],
    eraser: null,
    rectangle: ['color', 'strokeWidth', 'fill', 'opacity'],
    ellipse: ['color', 'strokeWidth', 'fill', 'opacity'],
    line: ['color', 'strokeWidth', 'opacity'],
    arrow: ['color', 'strokeWidth', 'opacity'],
    text: ['color', 'fontSize', 'opacity'],
    sticky: ['noteColor', 'fontSize', 'opacity'],
    image: null,
    laser: null,
    hand: null,
  }

  it.each(TOOL_NAMES)('%s', (tool) => {
    const target = styleTarget([], tool, next)
    expect(target?.styles ?? null).toEqual(TODAY[tool])
    if (target) expect(target).toMatchObject({ arrange: false, values: next })
  })

  it('knows every tool', () => {
    expect(Object.keys(TOOL_MAKES)).toEqual([...TOOL_NAMES])
  })
})

describe('what the style panel edits for a selection', () => {
  it('offers what any selected shape takes, with the values of the first that has each', () => {
    const rectangle = sampleShape('rectangle')
    const text = { ...sampleShape('text'), opacity: 0.3 }
    expect(styleTarget([rectangle, text], 'select', next)).toEqual({
      styles: ['color', 'strokeWidth', 'fill', 'fontSize', 'opacity'],
      arrange: true,
      values: { color: '#1971c2', strokeWidth: 2, fill: true, noteColor: next.noteColor, fontSize: 24, opacity: 0.8 },
    })
    expect(styleTarget([text, rectangle], 'select', next)?.values).toMatchObject({ color: '#1e1e1e', opacity: 0.3 })
  })

  it('shows a box without fill as such, before a filled one', () => {
    expect(styleTarget([sampleShape('ellipse'), sampleShape('rectangle')], 'select', next)?.values.fill).toBe(false)
  })

  it('offers notes their colour and size only, images their opacity only, whatever the tool', () => {
    expect(styleTarget([sampleShape('sticky'), sampleShape('image')], 'pen', next)).toEqual({
      styles: ['noteColor', 'fontSize', 'opacity'],
      arrange: true,
      values: { ...next, noteColor: '#ffec99', fontSize: 36, opacity: 0.8 },
    })
    expect(styleTarget([sampleShape('image')], 'image', next)).toEqual({ styles: ['opacity'], arrange: true, values: { ...next, opacity: 0.8 } })
  })

  it('offers everything for a selection of every type', () => {
    const { shapes } = sampleBoard()
    expect(styleTarget(shapes(), 'select', next)?.styles).toEqual(['color', 'strokeWidth', 'fill', 'noteColor', 'fontSize', 'opacity'])
  })
})

describe('the style panel button', () => {
  it('shows the ink colour, or the note colour where only notes are styled', () => {
    expect(swatchOf(styleTarget([], 'pen', next)!, false)).toBe(displayColor(next.color, false))
    expect(swatchOf(styleTarget([], 'pen', next)!, true)).toBe(displayColor(next.color, true))
    expect(swatchOf(styleTarget([], 'sticky', next)!, true)).toBe(next.noteColor)
    expect(swatchOf(styleTarget([sampleShape('sticky'), sampleShape('text')], 'select', next)!, false)).toBe(displayColor('#1e1e1e', false))
  })
})

describe('a style choice remembered for the next shape', () => {
  it('changes that key of the preferences only, in the same words', () => {
    expect(withStyle(DEFAULT_PREFERENCES, { key: 'noteColor', value: '#a5d8ff' })).toEqual({ ...DEFAULT_PREFERENCES, noteColor: '#a5d8ff' })
    expect(withStyle(DEFAULT_PREFERENCES, { key: 'strokeWidth', value: 16 })).toEqual({ ...DEFAULT_PREFERENCES, strokeWidth: 16 })
  })
})
