import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { SAMPLE_FIELDS, sampleShape } from '../helpers/sample-shapes'
import { arrowHeadLength, localBox } from '../../src/model/geometry'
import { addShape } from '../../src/model/ops'
import { SHAPE_SPECS, STYLE_KEYS, assetsOf, specOf, styleOf, takesStyle, type StyleKey } from '../../src/model/shape-spec'
import { SHAPE_TYPES, hasText, inkWidth, isBoxShape, type ShapeType } from '../../src/model/shapes'
import { readShapes } from '../../src/model/validate'

/** Whether the validator takes the sample of `type` with some fields changed (undefined: left out). */
function valid(type: ShapeType, changes: Record<string, unknown>): boolean {
  const fields = Object.fromEntries(Object.entries({ ...SAMPLE_FIELDS[type], ...changes }).filter(([, value]) => value !== undefined))
  const doc = new Y.Doc()
  return readShapes(doc, [addShape(doc, fields as never)]).length === 1
}

/** The document field each style key is kept in. */
const FIELD: Readonly<Record<StyleKey, string>> = { color: 'color', strokeWidth: 'strokeWidth', fill: 'fill', noteColor: 'fill', fontSize: 'fontSize', opacity: 'opacity' }

describe('the shape spec', () => {
  it('describes every shape type the validator reads, and nothing else', () => {
    expect(Object.keys(SHAPE_SPECS).sort()).toEqual([...SHAPE_TYPES].sort())
    for (const type of SHAPE_TYPES) expect(sampleShape(type).type).toBe(type)
  })

  it.each(SHAPE_TYPES)('%s: its style keys are known, once each, in order, opacity among them', (type) => {
    const styles = SHAPE_SPECS[type].styles
    expect(styles).toEqual(STYLE_KEYS.filter((key) => styles.includes(key)))
    expect(styles).toContain('opacity')
  })

  it.each(SHAPE_TYPES)('%s: every style it takes is a field the validator checks', (type) => {
    const shape = sampleShape(type)
    for (const key of SHAPE_SPECS[type].styles) {
      expect(styleOf(shape, key), key).toBeDefined()
      expect(valid(type, { [FIELD[key]]: 'not a value' }), key).toBe(false)
      // Every style field is required, but a box's fill (none when left out).
      if (key !== 'fill' && key !== 'opacity') expect(valid(type, { [FIELD[key]]: undefined }), key).toBe(false)
    }
    for (const key of STYLE_KEYS.filter((key) => !takesStyle(shape, key))) expect(styleOf(shape, key), key).toBeUndefined()
  })

  it.each(SHAPE_TYPES)('%s: takes what its fields allow (a note keeps its text colour to itself)', (type) => {
    const shape = sampleShape(type)
    expect(takesStyle(shape, 'strokeWidth')).toBe('strokeWidth' in shape)
    expect(takesStyle(shape, 'fontSize')).toBe('fontSize' in shape)
    expect(takesStyle(shape, 'fill')).toBe(isBoxShape(shape))
    expect(takesStyle(shape, 'noteColor')).toBe(type === 'sticky')
    expect(takesStyle(shape, 'color')).toBe('color' in shape && type !== 'sticky')
  })

  it.each(SHAPE_TYPES)('%s: holds editable text exactly when it has text', (type) => {
    const shape = sampleShape(type)
    expect(SHAPE_SPECS[type].editableText).toBe(hasText(shape))
    expect(SHAPE_SPECS[type].editableText).toBe('text' in shape)
  })

  it('keeps the proportions of images only', () => {
    expect(SHAPE_TYPES.filter((type) => SHAPE_SPECS[type].keepsAspect)).toEqual(['image'])
  })

  it.each(SHAPE_TYPES)('%s: its outline, grown by its ink, is the box geometry bounds it by', (type) => {
    const shape = sampleShape(type)
    const [points, stride] = specOf(shape).outline(shape)
    const xs = Array.from({ length: points.length / stride }, (_, i) => points[i * stride]!)
    const ys = Array.from({ length: points.length / stride }, (_, i) => points[i * stride + 1]!)
    const pad = inkWidth(shape) / 2 + (type === 'arrow' ? arrowHeadLength(inkWidth(shape)) : 0)
    const box = localBox(shape)
    expect(box.x).toBeCloseTo(Math.min(...xs) - pad, 9)
    expect(box.y).toBeCloseTo(Math.min(...ys) - pad, 9)
    expect(box.width).toBeCloseTo(Math.max(...xs) - Math.min(...xs) + 2 * pad, 9)
    expect(box.height).toBeCloseTo(Math.max(...ys) - Math.min(...ys) + 2 * pad, 9)
  })

  it('names the assets an export needs: each image once', () => {
    const image = sampleShape('image')
    expect(assetsOf([sampleShape('rectangle'), image, { ...image, id: 'other' as typeof image.id }])).toEqual([image.asset])
    expect(assetsOf(SHAPE_TYPES.filter((type) => type !== 'image').map((type) => sampleShape(type)))).toEqual([])
  })

  it('reads the values the style panel shows', () => {
    expect(styleOf(sampleShape('rectangle'), 'fill')).toBe(true)
    expect(styleOf(sampleShape('ellipse'), 'fill')).toBe(false)
    expect(styleOf(sampleShape('sticky'), 'noteColor')).toBe('#ffec99')
    expect(styleOf(sampleShape('sticky'), 'color')).toBeUndefined()
    expect(styleOf(sampleShape('arrow'), 'strokeWidth')).toBe(16)
    expect(styleOf(sampleShape('text'), 'fontSize')).toBe(24)
    expect(styleOf(sampleShape('image'), 'opacity')).toBe(0.8)
  })
})
