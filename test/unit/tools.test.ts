/**
 * Each tool against a fake context, driven through the tool runtime as the input module drives
 * it: presses, drags, the frame tick, and interruptions (a pinch, read-only, another tool).
 */
import { describe, expect, it } from 'vitest'
import { exportBoard } from '../../src/model/board-json'
import { addShape } from '../../src/model/ops'
import { EraserTool } from '../../src/tools/eraser/eraser-tool'
import { HandTool } from '../../src/tools/hand/hand-tool'
import { ImageTool } from '../../src/tools/image/image-tool'
import { PenTool } from '../../src/tools/pen/pen-tool'
import { SelectTool } from '../../src/tools/select/select-tool'
import { DEFAULT_BOX, ShapeTool } from '../../src/tools/shape/shape-tool'
import { TextTool } from '../../src/tools/text/text-tool'
import { toolBench } from '../helpers/tool-runtime'

/** The strokes' points as exported: [x, y] pairs in board coordinates. */
function strokePoints(bench: ReturnType<typeof toolBench>): number[][][] {
  return exportBoard(bench.doc).shapes.flatMap((shape) => (shape.type === 'stroke' ? [shape.points.map(([x, y]) => [x!, y!])] : []))
}

describe('pen', () => {
  it('writes the points that arrived on the frame tick, and finishes the stroke on release', () => {
    const bench = toolBench()
    const pen = new PenTool(bench.context)
    bench.active = pen
    bench.gestures.pointerDown(bench.pointer(10, 10), false)
    bench.gestures.pointerMove(bench.pointer(20, 10))
    bench.gestures.pointerMove(bench.pointer(30, 10))
    expect(strokePoints(bench)).toEqual([[[10, 10]]])
    bench.frames.run()
    expect(strokePoints(bench)).toEqual([[[10, 10], [20, 10], [30, 10]]])
    bench.gestures.pointerMove(bench.pointer(40, 10))
    bench.gestures.pointerUp(bench.pointer(40, 10))
    expect(strokePoints(bench)).toEqual([[[10, 10], [20, 10], [30, 10], [40, 10]]])
    expect(bench.shapes()[0]).toMatchObject({ type: 'stroke', complete: true })
    // No gesture, no frames: the tick stops once the stroke is done.
    bench.frames.run()
    expect(bench.frames.pending).toBe(0)
  })

  it('ends the stroke when the board turns read-only mid-stroke, and the next stroke after read-only is a new one', () => {
    const bench = toolBench()
    const pen = new PenTool(bench.context)
    const hand = new HandTool(bench.context)
    bench.active = pen
    bench.gestures.pointerDown(bench.pointer(10, 10), false)
    bench.gestures.pointerMove(bench.pointer(50, 10))
    // Read-only: the hand becomes the active tool, and the stroke is taken away from the pen.
    bench.active = hand
    bench.gestures.interrupt('readonly')
    expect(pen.drawing).toBe(false)
    // The rest of that drag, and its release, reach nobody.
    bench.gestures.pointerMove(bench.pointer(90, 10))
    bench.gestures.pointerUp(bench.pointer(90, 10))
    bench.frames.run()
    expect(strokePoints(bench)).toEqual([[[10, 10], [50, 10]]])
    expect(bench.shapes()[0]).toMatchObject({ complete: true })
    // Read-only off again: a new press is a new stroke, not more of the old one.
    bench.active = pen
    bench.gestures.pointerDown(bench.pointer(200, 200), false)
    bench.gestures.pointerMove(bench.pointer(220, 200))
    bench.gestures.pointerUp(bench.pointer(220, 200))
    expect(strokePoints(bench)).toEqual([
      [[10, 10], [50, 10]],
      [[200, 200], [220, 200]],
    ])
  })

  it('takes back the stroke a pinch began, leaving nothing to undo', () => {
    const bench = toolBench()
    bench.active = new PenTool(bench.context)
    bench.gestures.pointerDown(bench.pointer(10, 10, { kind: 'touch' }), false)
    bench.gestures.pointerMove(bench.pointer(14, 12, { kind: 'touch' }))
    bench.frames.run()
    expect(bench.shapes()).toHaveLength(1)
    bench.gestures.interrupt('pinch')
    expect(bench.shapes()).toEqual([])
    expect(bench.history.canUndo).toBe(false)
    expect(bench.history.canRedo).toBe(false)
  })

  it('keeps what was drawn when the browser cancels the pointer or another tool is chosen', () => {
    const bench = toolBench()
    bench.active = new PenTool(bench.context)
    bench.gestures.pointerDown(bench.pointer(10, 10), false)
    bench.gestures.pointerMove(bench.pointer(30, 10))
    bench.gestures.pointerCancel(1)
    bench.gestures.pointerDown(bench.pointer(10, 50), false)
    bench.gestures.pointerMove(bench.pointer(30, 50))
    bench.gestures.interrupt('tool-change')
    expect(strokePoints(bench)).toEqual([
      [[10, 10], [30, 10]],
      [[10, 50], [30, 50]],
    ])
    expect(bench.shapes().every((shape) => shape.type === 'stroke' && shape.complete)).toBe(true)
  })

  it('keeps the gesture with the tool that began it when the active tool changes meanwhile', () => {
    const bench = toolBench()
    bench.active = new PenTool(bench.context)
    bench.gestures.pointerDown(bench.pointer(10, 10), false)
    bench.active = new EraserTool(bench.context)
    bench.gestures.pointerMove(bench.pointer(30, 10))
    bench.gestures.pointerUp(bench.pointer(30, 10))
    expect(strokePoints(bench)).toEqual([[[10, 10], [30, 10]]])
  })
})

describe('rectangle, ellipse, line and arrow', () => {
  it('makes nothing on a press, the shape on the first drag, and its size on the frame tick', () => {
    const bench = toolBench()
    bench.active = new ShapeTool(bench.context, 'rectangle')
    bench.gestures.pointerDown(bench.pointer(100, 100), false)
    expect(bench.shapes()).toEqual([])
    bench.gestures.pointerMove(bench.pointer(102, 101))
    expect(bench.shapes()).toEqual([])
    bench.gestures.pointerMove(bench.pointer(180, 140))
    expect(bench.shapes()).toHaveLength(1)
    bench.frames.run()
    expect(bench.shapes()[0]).toMatchObject({ type: 'rectangle', x: 100, y: 100, width: 80, height: 40 })
    bench.gestures.pointerMove(bench.pointer(60, 300, { shiftKey: true }))
    bench.gestures.pointerUp(bench.pointer(60, 300, { shiftKey: true }))
    expect(bench.shapes()[0]).toMatchObject({ x: -100, y: 100, width: 200, height: 200 })
  })

  it('makes a shape of the default size on a click', () => {
    const bench = toolBench()
    bench.active = new ShapeTool(bench.context, 'ellipse')
    bench.gestures.pointerDown(bench.pointer(100, 100), false)
    bench.gestures.pointerUp(bench.pointer(100, 100))
    expect(bench.shapes()).toEqual([expect.objectContaining({ type: 'ellipse', x: 100, y: 100, ...DEFAULT_BOX })])
    bench.active = new ShapeTool(bench.context, 'line')
    bench.gestures.pointerDown(bench.pointer(0, 0), false)
    bench.gestures.pointerUp(bench.pointer(0, 0))
    expect(bench.shapes()[1]).toMatchObject({ type: 'line', x: 0, y: 0, dx: 160, dy: 0 })
  })

  it('leaves nothing behind when a pinch starts on the rectangle tool, before or after the first drag', () => {
    const bench = toolBench()
    bench.active = new ShapeTool(bench.context, 'rectangle')
    bench.gestures.pointerDown(bench.pointer(100, 100, { kind: 'touch' }), false)
    bench.gestures.interrupt('pinch')
    expect(bench.shapes()).toEqual([])
    bench.gestures.pointerDown(bench.pointer(100, 100, { kind: 'touch' }), false)
    bench.gestures.pointerMove(bench.pointer(140, 130, { kind: 'touch' }))
    bench.frames.run()
    expect(bench.shapes()).toHaveLength(1)
    bench.gestures.interrupt('pinch')
    expect(bench.shapes()).toEqual([])
    expect(bench.history.canUndo).toBe(false)
  })

  it('keeps a dragged shape when the pointer is cancelled, and makes none for a press that never dragged', () => {
    const bench = toolBench()
    bench.active = new ShapeTool(bench.context, 'arrow')
    bench.gestures.pointerDown(bench.pointer(0, 0), false)
    bench.gestures.pointerCancel(1)
    expect(bench.shapes()).toEqual([])
    bench.gestures.pointerDown(bench.pointer(0, 0), false)
    bench.gestures.pointerMove(bench.pointer(50, 20))
    bench.gestures.pointerCancel(1)
    expect(bench.shapes()).toEqual([expect.objectContaining({ type: 'arrow', dx: 50, dy: 20 })])
  })
})

describe('select', () => {
  it('moves the selection on a drag as one undo step, and puts it back when the drag turns into a pinch', () => {
    const bench = toolBench()
    const id = addShape(bench.doc, { type: 'rectangle', x: 0, y: 0, rotation: 0, width: 100, height: 100, color: '#1e1e1e', strokeWidth: 4, opacity: 1 })
    bench.active = new SelectTool(bench.context)
    bench.gestures.pointerDown(bench.pointer(50, 0), false)
    expect(bench.context.selection.ids).toEqual([id])
    bench.gestures.pointerMove(bench.pointer(80, 10))
    bench.frames.run()
    bench.gestures.pointerUp(bench.pointer(80, 10))
    expect(bench.shapes()[0]).toMatchObject({ x: 30, y: 10 })
    bench.history.undo()
    expect(bench.shapes()[0]).toMatchObject({ x: 0, y: 0 })

    bench.gestures.pointerDown(bench.pointer(50, 0, { kind: 'touch' }), false)
    bench.gestures.pointerMove(bench.pointer(90, 40, { kind: 'touch' }))
    bench.frames.run()
    expect(bench.shapes()[0]).toMatchObject({ x: 40, y: 40 })
    bench.gestures.interrupt('pinch')
    expect(bench.shapes()[0]).toMatchObject({ x: 0, y: 0 })
  })
})

describe('eraser, text, sticky and image', () => {
  it('erases nothing when its gesture is interrupted, and what it touched when released', () => {
    const bench = toolBench()
    addShape(bench.doc, { type: 'rectangle', x: 0, y: 0, rotation: 0, width: 10, height: 10, color: '#1e1e1e', strokeWidth: 4, opacity: 1 })
    bench.active = new EraserTool(bench.context)
    bench.gestures.pointerDown(bench.pointer(0, 0), false)
    bench.gestures.interrupt('readonly')
    expect(bench.shapes()).toHaveLength(1)
    bench.gestures.pointerDown(bench.pointer(0, 0), false)
    bench.gestures.pointerUp(bench.pointer(0, 0))
    expect(bench.shapes()).toEqual([])
  })

  it('makes a sticky note and opens it for typing on release, and nothing for a press a pinch took', () => {
    const bench = toolBench()
    bench.active = new TextTool(bench.context, 'sticky')
    bench.gestures.pointerDown(bench.pointer(300, 300, { kind: 'touch' }), false)
    bench.gestures.interrupt('pinch')
    expect(bench.shapes()).toEqual([])
    expect(bench.edits).toEqual([])
    bench.gestures.pointerDown(bench.pointer(300, 300), false)
    expect(bench.shapes()).toEqual([])
    bench.gestures.pointerUp(bench.pointer(300, 300))
    const [note] = bench.shapes()
    expect(note).toMatchObject({ type: 'sticky', x: 200, y: 200, width: 200, height: 200, fill: '#ffec99' })
    expect(bench.edits).toEqual([note!.id])
  })

  it('opens the editor for a new text where the board was clicked', () => {
    const bench = toolBench()
    bench.active = new TextTool(bench.context, 'text')
    bench.gestures.pointerDown(bench.pointer(40, 60), false)
    bench.gestures.pointerUp(bench.pointer(40, 60))
    expect(bench.edits).toEqual([{ newTextAt: { x: 40, y: 60 } }])
  })

  it('asks for an image where the board was clicked, not when the press was taken', () => {
    const bench = toolBench()
    bench.active = new ImageTool(bench.context)
    bench.gestures.pointerDown(bench.pointer(5, 5), false)
    bench.gestures.interrupt('tool-change')
    bench.gestures.pointerDown(bench.pointer(7, 9), false)
    bench.gestures.pointerUp(bench.pointer(7, 9))
    expect(bench.pickedAt).toEqual([{ x: 7, y: 9 }])
  })
})

describe('the pan', () => {
  it('pans with any tool active when the press is a pan (middle button, space, hand)', () => {
    const bench = toolBench()
    bench.active = new PenTool(bench.context)
    bench.gestures.pointerDown(bench.pointer(100, 100, { button: 1 }), true)
    bench.gestures.pointerMove(bench.pointer(130, 80, { button: 1 }))
    expect(bench.gestures.panning).toBe(true)
    bench.gestures.pointerUp(bench.pointer(130, 80, { button: 1 }))
    expect(bench.context.viewport.camera).toMatchObject({ x: 30, y: -20 })
    expect(bench.shapes()).toEqual([])
  })
})
