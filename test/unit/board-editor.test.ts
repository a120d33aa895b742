/**
 * The board editor in Node: a scratch board (no network, no storage) drawn on a stand-in surface,
 * with the tool runtime's frames run by hand. What `<mesh-board>` relies on, without a browser.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { runAction } from '../../src/editor/actions'
import { BoardEditor, ReadonlyBoardError, type BoardEditorOptions, type NextStyle, type PresenceSink } from '../../src/editor/board-editor'
import { readAllShapes } from '../../src/model/board-json'
import { unionBounds } from '../../src/model/geometry'
import type { Presence } from '../../src/net/presence'
import type { BoardSurface, ShapeDrawing } from '../../src/render/board-surface'
import { Viewport } from '../../src/render/camera'
import type { SelectionView } from '../../src/render/selection-overlay'
import type { BoardPointer } from '../../src/tools/tool'
import { ManualFrames } from '../helpers/tool-runtime'

beforeAll(() => {
  // The session says goodbye to peers on pagehide: a window event Node does not have.
  if (!('addEventListener' in globalThis)) vi.stubGlobal('addEventListener', () => {})
})

const WIDTH = 800
const HEIGHT = 600

/** A surface that draws nothing and remembers what it was asked. */
function stubSurface() {
  const drawn = { shapes: 0, destroyed: 0, dark: [] as boolean[], interactions: 0, overlay: [] as (SelectionView | null)[], presence: [] as unknown[] }
  let doc: Y.Doc | null = null
  const surface: BoardSurface = {
    width: WIDTH,
    height: HEIGHT,
    drawShapes(shown) {
      doc = shown
      drawn.shapes++
      const idsNear = (point: { x: number; y: number }) =>
        readAllShapes(doc!)
          .shapes.filter((shape) => 'width' in shape && point.x >= shape.x && point.y >= shape.y && point.x <= shape.x + shape.width && point.y <= shape.y + shape.height)
          .map((shape) => shape.id)
      const drawing: ShapeDrawing = {
        shapesNear: (point) => idsNear(point),
        shapesInside: () => [],
        bounds: () => null,
        setDimmed: () => {},
        setHidden: () => {},
        setView: (view) => drawn.dark.push(view.dark),
        redrawAll: () => {},
        noteInteraction: () => drawn.interactions++,
        pending: false,
        backlog: { left: 0, of: 0 },
        changes: 0,
        restore: () => false,
        viewToKeep: () => null,
        destroy: () => drawn.destroyed++,
        loadImages: async () => new Map(),
      }
      return drawing
    },
    drawSelection: () => ({ show: (view) => drawn.overlay.push(view), showMarquee: () => {}, destroy: () => {} }),
    drawPresence: () => ({ update: (peers) => drawn.presence.push(peers), animate: () => {}, destroy: () => {} }),
  }
  return { surface, drawn }
}

function stubPresence() {
  const sent = { attached: 0, detached: 0, selections: [] as (readonly string[])[], viewports: [] as unknown[] }
  const sink: PresenceSink & { peers: Presence[] } = {
    peers: [],
    attach: () => sent.attached++,
    detach: () => sent.detached++,
    setSelection: (ids) => sent.selections.push(ids),
    setLaser: () => {},
    setViewport: (viewport) => sent.viewports.push(viewport),
  }
  return { sink, sent }
}

const STYLE: NextStyle = { color: '#1e1e1e', strokeWidth: 4, fill: false, noteColor: '#ffec99', fontSize: 24, opacity: 1 }

const editors: BoardEditor[] = []
afterEach(() => {
  for (const editor of editors.splice(0)) editor.close()
})

function openEditor(options: Partial<BoardEditorOptions> = {}) {
  const { surface, drawn } = stubSurface()
  const { sink, sent } = stubPresence()
  const viewport = new Viewport()
  const frames = new ManualFrames()
  const toolChanges: string[] = []
  const documentChanges: boolean[] = []
  const editor = new BoardEditor({
    surface,
    viewport,
    presence: sink,
    nextStyle: () => STYLE,
    dark: () => false,
    background: () => '#ffffff',
    editText: () => {},
    pickImage: () => {},
    onToolChange: (tool) => toolChanges.push(tool),
    onChange: () => {},
    onDocumentChange: (local) => documentChanges.push(local),
    frames,
    ...options,
  })
  editors.push(editor)
  const session = editor.open({
    address: null,
    signalingUrl: 'ws://127.0.0.1:9/signal',
    iceServers: [],
    persist: false,
    serverCopy: false,
    onChange: () => {},
    onError: (error) => {
      throw error
    },
    onStream: () => {},
    onReady: () => {},
    onStoreProblem: () => {},
    onPeerRefused: () => {},
    onStoredRefused: () => {},
    onWedged: null,
  })
  const pointer = (x: number, y: number, id = 1): BoardPointer => ({ pointerId: id, kind: 'mouse', button: 0, screen: { x, y }, board: { x, y }, pressure: null, shiftKey: false })
  return { editor, session, drawn, sent, sink, viewport, frames, toolChanges, documentChanges, pointer }
}

/** A board file of these shapes (ids are given on import). */
function board(...shapes: object[]): string {
  return JSON.stringify({ version: 1, shapes })
}

function rectangle(x: number, y: number, width: number, height: number) {
  return { type: 'rectangle' as const, x, y, width, height, rotation: 0, color: '#1e1e1e', strokeWidth: 4, opacity: 1, fill: null }
}

describe('BoardEditor', () => {
  it('opens a board drawn on its surface, attached to presence, telling others what it sees', () => {
    const { editor, drawn, sent } = openEditor()
    expect(editor.doc).toBeInstanceOf(Y.Doc)
    expect(drawn.shapes).toBe(1)
    expect(drawn.dark).toEqual([false])
    expect(sent.attached).toBe(1)
    expect(sent.viewports).toHaveLength(1)
    expect(sent.viewports[0]).toMatchObject({ width: WIDTH, height: HEIGHT })
    expect(editor.currentTool?.name).toBe('pen')
  })

  it('draws with the active tool through its gesture runtime, and reports the change as local', () => {
    const { editor, frames, documentChanges, pointer } = openEditor()
    editor.gestures!.pointerDown(pointer(10, 10), false)
    editor.gestures!.pointerMove(pointer(60, 10))
    frames.run()
    editor.gestures!.pointerUp(pointer(60, 10))
    expect(editor.exportJSON().shapes).toEqual([expect.objectContaining({ type: 'stroke', points: [[10, 10], [60, 10]] })])
    expect(documentChanges.length).toBeGreaterThan(0)
    expect(documentChanges.every((local) => local)).toBe(true)
  })

  it('ends a stroke when read-only is switched on mid-stroke; with it off again, the next stroke is a new one', () => {
    const { editor, frames, pointer } = openEditor()
    editor.gestures!.pointerDown(pointer(10, 10), false)
    editor.gestures!.pointerMove(pointer(50, 10))
    editor.readonly = true
    expect(editor.currentTool?.name).toBe('hand')
    editor.gestures!.pointerMove(pointer(90, 10))
    editor.gestures!.pointerUp(pointer(90, 10))
    frames.run()
    editor.readonly = false
    editor.gestures!.pointerDown(pointer(200, 200), false)
    editor.gestures!.pointerMove(pointer(240, 200))
    editor.gestures!.pointerUp(pointer(240, 200))
    expect(editor.exportJSON().shapes.map((shape) => (shape.type === 'stroke' ? shape.points : null))).toEqual([
      [[10, 10], [50, 10]],
      [[200, 200], [240, 200]],
    ])
  })

  it('refuses unknown tools, lets go of the selection when a drawing tool is chosen, and says which tool is active', () => {
    const { editor, toolChanges } = openEditor()
    editor.importJSON(board(rectangle(0, 0, 100, 100)))
    editor.setTool('select')
    editor.commands!.selectAll()
    expect(editor.selection!.size).toBe(1)
    expect(() => editor.setTool('crayon' as never)).toThrow(TypeError)
    editor.setTool('rectangle')
    expect(editor.selection!.size).toBe(0)
    expect(toolChanges).toEqual(['select', 'rectangle'])
  })

  it('imports a board as one undoable step, and refuses to while read-only', () => {
    const { editor } = openEditor()
    editor.importJSON(board(rectangle(0, 0, 100, 100), rectangle(200, 0, 50, 50)))
    expect(editor.exportJSON().shapes).toHaveLength(2)
    editor.undo()
    expect(editor.exportJSON().shapes).toHaveLength(0)
    editor.redo()
    editor.readonly = true
    expect(() => editor.importJSON(board())).toThrow(ReadonlyBoardError)
    editor.undo()
    expect(editor.exportJSON().shapes).toHaveLength(2)
  })

  it('zooms to fit the board (never past 200%), to 100%, and in and out around the middle', () => {
    const { editor, viewport } = openEditor()
    editor.zoomToFit()
    expect(viewport.camera).toEqual({ x: 0, y: 0, scale: 1 })
    editor.importJSON(board(rectangle(1000, 1000, 1400, 1000)))
    editor.zoomToFit()
    // The board's bounds (ink included) fill the view less its 48 px margins, centred.
    const bounds = unionBounds(readAllShapes(editor.doc!).shapes)!
    const scale = Math.min((WIDTH - 96) / bounds.width, (HEIGHT - 96) / bounds.height)
    expect(viewport.camera.scale).toBeCloseTo(scale)
    expect(viewport.camera.x).toBeCloseTo(WIDTH / 2 - (bounds.x + bounds.width / 2) * scale)
    expect(viewport.camera.y).toBeCloseTo(HEIGHT / 2 - (bounds.y + bounds.height / 2) * scale)
    editor.zoom('reset')
    expect(viewport.camera.scale).toBeCloseTo(1)
    editor.zoom('in')
    expect(viewport.camera.scale).toBeCloseTo(1.25)
    editor.importJSON(board(rectangle(0, 0, 10, 10)))
    editor.zoomToFit()
    expect(viewport.camera.scale).toBe(2)
  })

  it('moves the selection with the arrow keys, goes from shape to shape when nothing is selected, pans an empty board', () => {
    const announced: string[] = []
    const { editor, viewport, drawn } = openEditor({ announce: (text) => announced.push(text) })
    const host = editor.actionHost({ toggleGrid: () => {}, toggleHelp: () => {}, toggleMute: () => {}, pushToTalk: () => {} })
    editor.nudge(10, 0)
    expect(viewport.camera).toMatchObject({ x: -80, y: 0 })
    editor.importJSON(board(rectangle(400, 0, 100, 100), rectangle(-60, 10, 50, 40)))
    // Nothing selected: the arrow keys walk the shapes, left to right, stopping at the last.
    editor.nudge(1, 0)
    expect(announced.at(-1)).toBe('Rectangle, 50 by 40 (1 of 2)')
    expect(drawn.overlay.at(-1)).toMatchObject({ focus: true, handles: false })
    editor.nudge(0, 1)
    editor.nudge(1, 0)
    expect(announced.at(-1)).toBe('Rectangle, 100 by 100 (2 of 2)')
    // Each one's middle was out of view when the keyboard got there: the view put it in its middle.
    expect(viewport.camera.x).toBeCloseTo(WIDTH / 2 - 450)
    host.activate()
    expect(editor.selection?.size).toBe(1)
    expect(announced.at(-1)).toBe('Selected: Rectangle, 100 by 100')
    editor.nudge(0, 10)
    expect(editor.exportJSON().shapes[0]).toMatchObject({ x: 400, y: 10 })
    host.resize(20, -10)
    expect(editor.exportJSON().shapes[0]).toMatchObject({ x: 400, y: 10, width: 120, height: 90 })
    // Escape: the keyboard goes on from the shape it had.
    host.deselect()
    expect(announced.at(-1)).toBe('Nothing selected')
    editor.nudge(-1, 0)
    expect(announced.at(-1)).toBe('Rectangle, 50 by 40 (1 of 2)')
  })

  it('shows the selection with handles, without them while read-only, and drops shapes others deleted from it', () => {
    const { editor, drawn, sent } = openEditor()
    editor.importJSON(board(rectangle(0, 0, 100, 100)))
    editor.setTool('select')
    editor.commands!.selectAll()
    expect(drawn.overlay.at(-1)).toMatchObject({ handles: true, frame: expect.objectContaining({ x: -8, y: -8, width: 116, height: 116 }) })
    expect(sent.selections.at(-1)).toHaveLength(1)
    editor.readonly = true
    expect(drawn.overlay.at(-1)).toMatchObject({ handles: false })
    editor.readonly = false
    // Someone else deletes it.
    const remote = new Y.Doc()
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(editor.doc!))
    remote.getMap('shapes').clear()
    Y.applyUpdate(editor.doc!, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(editor.doc!)))
    editor.refreshSelection()
    expect(editor.selection!.size).toBe(0)
    expect(drawn.overlay.at(-1)).toBeNull()
  })

  it('runs the actions table on itself, and on the shell for the grid, help and voice', () => {
    const { editor, toolChanges } = openEditor()
    const shell = { toggleGrid: vi.fn(), toggleHelp: vi.fn(), toggleMute: vi.fn(), pushToTalk: vi.fn() }
    const host = editor.actionHost(shell)
    editor.importJSON(board(rectangle(0, 0, 100, 100), rectangle(200, 0, 50, 50)))
    expect(runAction({ kind: 'select-all' }, host)).toBe(true)
    expect(toolChanges.at(-1)).toBe('select')
    expect(editor.selection!.size).toBe(2)
    runAction({ kind: 'duplicate' }, host)
    expect(editor.exportJSON().shapes).toHaveLength(4)
    runAction({ kind: 'delete' }, host)
    expect(editor.exportJSON().shapes).toHaveLength(2)
    runAction({ kind: 'undo' }, host)
    expect(editor.exportJSON().shapes).toHaveLength(4)
    runAction({ kind: 'toggle-grid' }, host)
    runAction({ kind: 'push-to-talk', pressed: true }, host)
    expect(shell.toggleGrid).toHaveBeenCalledOnce()
    expect(shell.pushToTalk).toHaveBeenCalledWith(true)
    // Read-only: what would change the board is refused, the rest still runs.
    editor.readonly = true
    expect(runAction({ kind: 'delete' }, host)).toBe(false)
    expect(runAction({ kind: 'tool', tool: 'pen' }, host)).toBe(false)
    expect(runAction({ kind: 'help' }, host)).toBe(true)
    expect(shell.toggleHelp).toHaveBeenCalledOnce()
    expect(editor.exportJSON().shapes).toHaveLength(4)
    expect(editor.tool).toBe('select')
  })

  it('reports changes that came from elsewhere as not local', () => {
    const { editor, documentChanges } = openEditor()
    const remote = new Y.Doc()
    remote.getMap('meta').set('title', 'elsewhere')
    Y.applyUpdate(editor.doc!, Y.encodeStateAsUpdate(remote))
    expect(documentChanges).toEqual([false])
  })

  it('follows a person’s view until the user moves the camera or the person leaves', () => {
    const { editor, sink, viewport } = openEditor()
    const ana = { clientId: 7, peerId: 'p7', user: { name: 'Ana', color: '#e03131' }, cursor: null, laser: [], selection: [], viewport: { x: 1000, y: 0, width: 400, height: 300 }, voice: null } as unknown as Presence
    sink.peers = [ana]
    editor.follow(7)
    expect(editor.following).toBe(7)
    expect(viewport.camera.scale).toBeCloseTo(2)
    expect(viewport.camera.x).toBeCloseTo(-2000)
    editor.navigated()
    expect(editor.following).toBeNull()
    editor.follow(7)
    editor.peersChanged([])
    expect(editor.following).toBeNull()
  })

  it('notes interaction for the drawing, and lets everything go on close', () => {
    const { editor, drawn, sent } = openEditor()
    editor.noteInteraction()
    expect(drawn.interactions).toBe(1)
    editor.close()
    expect(drawn.destroyed).toBe(1)
    expect(sent.detached).toBe(1)
    expect(editor.session).toBeNull()
    expect(editor.gestures).toBeNull()
    expect(() => editor.exportJSON()).toThrow(/no board yet/)
  })
})
