/**
 * Tools in Node: a real document, history, viewport and selection, the render side's answers
 * stubbed, and a tool runtime whose animation frames the test runs by hand.
 */
import * as Y from 'yjs'
import { History } from '../../src/model/history'
import { readAllShapes } from '../../src/model/board-json'
import type { Shape } from '../../src/model/shapes'
import { Viewport, type Point } from '../../src/render/camera'
import { GestureRouter, type FrameScheduler } from '../../src/tools/gestures'
import { Selection } from '../../src/tools/select/selection'
import type { BoardPointer, Tool, ToolContext } from '../../src/tools/tool'

/** Frames that run only when the test says so. */
export class ManualFrames implements FrameScheduler {
  private next = 1
  private readonly callbacks = new Map<number, () => void>()

  request(callback: () => void): number {
    const handle = this.next++
    this.callbacks.set(handle, callback)
    return handle
  }

  cancel(handle: number): void {
    this.callbacks.delete(handle)
  }

  get pending(): number {
    return this.callbacks.size
  }

  /** Runs the frame callbacks asked for so far (those they ask for wait for the next call). */
  run(): void {
    const due = [...this.callbacks.values()]
    this.callbacks.clear()
    for (const callback of due) callback()
  }
}

export interface ToolBench {
  readonly doc: Y.Doc
  readonly history: History
  readonly context: ToolContext
  readonly frames: ManualFrames
  readonly gestures: GestureRouter
  /** The tool a press goes to; tests change it. */
  active: Tool | null
  /** What the editor was asked to open, and the images asked for. */
  readonly edits: unknown[]
  readonly pickedAt: Point[]
  shapes(): Shape[]
  /** A left-button mouse pointer at a board point (the camera is the identity). */
  pointer(x: number, y: number, extra?: Partial<BoardPointer>): BoardPointer
}

export function toolBench(): ToolBench {
  const doc = new Y.Doc()
  const history = new History(doc)
  const viewport = new Viewport()
  const selection = new Selection()
  const frames = new ManualFrames()
  const edits: unknown[] = []
  const pickedAt: Point[] = []
  const shapes = () => readAllShapes(doc).shapes
  const context: ToolContext = {
    doc,
    history,
    viewport,
    style: () => ({ color: '#1e1e1e', strokeWidth: 4, opacity: 1 }),
    fill: () => null,
    showLaser: () => {},
    // Every shape whose bounds lie within the radius: enough for the tools' own logic.
    shapesNear: (point, radius) =>
      shapes()
        .filter((shape) => Math.abs(shape.x - point.x) <= radius + 200 && Math.abs(shape.y - point.y) <= radius + 200)
        .map((shape) => shape.id)
        .reverse(),
    previewErase: () => {},
    selection,
    shapesInside: () => [],
    showMarquee: () => {},
    textStyle: () => ({ color: '#1e1e1e', fontSize: 24, opacity: 1 }),
    noteColor: () => '#ffec99',
    layoutText: (text, fontSize) => ({ width: text.length * fontSize * 0.5, height: fontSize * 1.25 }),
    editText: (target) => edits.push(target),
    pickImage: (at) => pickedAt.push(at),
  }
  const bench: ToolBench = {
    doc,
    history,
    context,
    frames,
    active: null,
    edits,
    pickedAt,
    shapes,
    gestures: new GestureRouter({ viewport, activeTool: () => bench.active, frames }),
    pointer: (x, y, extra = {}) => ({ pointerId: 1, kind: 'mouse', button: 0, screen: { x, y }, board: { x, y }, pressure: null, shiftKey: false, ...extra }),
  }
  return bench
}
