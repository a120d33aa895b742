import { describe, expect, it } from 'vitest'
import { sampleBoard } from '../helpers/sample-shapes'
import { History } from '../../src/model/history'
import { SHAPE_TYPES, type Shape, type ShapeType } from '../../src/model/shapes'
import type { TextLayout } from '../../src/model/transform'
import type { StyleChange } from '../../src/model/shape-spec'
import { SelectionCommands } from '../../src/tools/select/commands'
import { Selection } from '../../src/tools/select/selection'

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
