/**
 * The board editor: everything `<mesh-board>` does that is not an element — the open board's
 * session, how it is drawn, the tools and their runtime, the selection, the camera's actions,
 * import and export. A plain class: no Lit, no DOM listeners (the input module and the element
 * feed it), so it runs in Node against a stand-in surface (test/unit/board-editor.test.ts).
 *
 * One editor per element; `open` replaces the board it shows, `close` lets it go.
 */
import type * as Y from 'yjs'
import { msg, str } from '@lit/localize'
import type { Awareness } from 'y-protocols/awareness'
import { readAsset } from '../model/assets'
import { LOCAL_ORIGIN } from '../model/board-doc'
import { exportBoard, exportBoardFile, importBoard, readAllShapes, type BoardFileJSON, type BoardJSON } from '../model/board-json'
import { frameOf, selectionFrame } from '../model/frame'
import { shapeBounds, unionBounds } from '../model/geometry'
import { readShapes } from '../model/validate'
import { fillTint, type Shape, type StrokeStyle } from '../model/shapes'
import type { Style } from '../model/shape-spec'
import type { Presence, PresenceViewport } from '../net/presence'
import type { BoardSurface, PresenceDrawing, SelectionDrawing, ShapeDrawing } from '../render/board-surface'
import type { SelectionView } from '../render/selection-overlay'
import { exportPng, exportSvg } from '../render/board-export'
import { cameraShowing, panBy, visibleRect, zoomAt, type Point, type Viewport } from '../render/camera'
import { layoutText } from '../render/text-layout'
import { EraserTool } from '../tools/eraser/eraser-tool'
import { GestureRouter, type FrameScheduler } from '../tools/gestures'
import { HandTool } from '../tools/hand/hand-tool'
import { ImageTool } from '../tools/image/image-tool'
import { LaserTool } from '../tools/laser/laser-tool'
import { PenTool } from '../tools/pen/pen-tool'
import { SelectionCommands } from '../tools/select/commands'
import { SelectTool } from '../tools/select/select-tool'
import { Selection } from '../tools/select/selection'
import { ShapeTool } from '../tools/shape/shape-tool'
import { TextTool } from '../tools/text/text-tool'
import { isToolName, type Tool, type ToolContext, type ToolName, type TrailPoint } from '../tools/tool'
import type { ShapeId } from '../model/ids'
import type { ActionHost, ShellActions } from './actions'
import { BoardSession, type SessionOptions } from './board-session'
import { ViewKeeper } from './view-keeper'
import { KeyboardWalk } from './keyboard-walk'
import { describeShape } from './shape-description'
import { formatNumber, formatPercent, isOne } from '../i18n/format'

/** Zoom-to-fit never magnifies past this: a single small doodle should not fill the screen. */
const MAX_FIT_SCALE = 2
const FIT_MARGIN_PX = 48
/** One zoom-in step (and its inverse for zooming out). */
const ZOOM_STEP = 1.25
/** How far an arrow key pans the view when nothing is selected, in screen pixels. */
const PAN_STEP_PX = 80
/** Progress is shown for boards big enough to take a noticeable time: bytes arriving, shapes to draw. */
const PROGRESS_MIN_BYTES = 256 * 1024
const PROGRESS_MIN_SHAPES = 500
/** How often the progress is re-read while a board is open (a few numbers; cheap). */
const PROGRESS_POLL_MS = 200

/** Thrown by methods that would edit a read-only board. */
export class ReadonlyBoardError extends Error {
  override name = 'ReadonlyBoardError'
  constructor() {
    super('This board is read-only (the readonly attribute is set).')
  }
}

/** The style the next shape is made with (the user's last choices). */
export type NextStyle = Style

/** Where this user's presence goes (the element's presence controller). */
export interface PresenceSink {
  attach(awareness: Awareness, knownPeers: () => ReadonlySet<string>): void
  detach(): void
  readonly peers: readonly Presence[]
  setSelection(ids: readonly string[]): void
  setLaser(trail: readonly TrailPoint[]): void
  setViewport(viewport: PresenceViewport): void
}

export interface BoardEditorOptions {
  readonly surface: BoardSurface
  readonly viewport: Viewport
  readonly presence: PresenceSink
  readonly nextStyle: () => NextStyle
  readonly dark: () => boolean
  /** The board's background as exports paint it. */
  readonly background: () => string
  /** Opens the in-place text editor (the element's: it is DOM). */
  readonly editText: (target: ShapeId | { newTextAt: Point }) => void
  /** Asks the user for an image file, placed at a board point (default: the middle of the view). */
  readonly pickImage: (at?: Point) => void
  /** The active tool changed (the element closes its text editor and updates its cursor). */
  readonly onToolChange: (tool: ToolName) => void
  /** Something shown changed: the selection, the following, the progress, the history's buttons. */
  readonly onChange: () => void
  /** The document changed (`local`: by this user). */
  readonly onDocumentChange: (local: boolean) => void
  /** Once a frame while a gesture goes on, or after a hover (the input module's hover cursor). */
  readonly onFrame?: () => void
  /** The browser's animation frames unless given (tests drive their own). */
  readonly frames?: FrameScheduler
  /** Says something to screen reader users (the element's live region): where the keyboard went, what is selected. */
  readonly announce?: (text: string) => void
}


/** What is open while a board is: made by `open`, let go by `close`. */
interface OpenBoard {
  readonly session: BoardSession
  readonly shapes: ShapeDrawing
  readonly overlay: SelectionDrawing
  readonly presence: PresenceDrawing
  readonly viewKeeper: ViewKeeper | null
  readonly selection: Selection
  readonly commands: SelectionCommands
  readonly tools: Readonly<Record<ToolName, Tool>>
  readonly gestures: GestureRouter
  readonly stopSelection: () => void
  readonly progressTimer: ReturnType<typeof setInterval>
}

export class BoardEditor {
  private board: OpenBoard | null = null
  private activeTool: ToolName = 'pen'
  private readOnly = false
  private followed: number | null = null
  private progressText: string | null = null
  /** Whether the overlay showed a selection at the last refresh (panels re-render only around selections). */
  private showingSelection = false
  /** The selection is drawn without handles while the text editor covers it. */
  private editingText = false
  /** Where the arrow keys went while nothing was selected. */
  private readonly walk = new KeyboardWalk()

  constructor(private readonly options: BoardEditorOptions) {}

  get session(): BoardSession | null {
    return this.board?.session ?? null
  }

  get doc(): Y.Doc | null {
    return this.board?.session.doc ?? null
  }

  get shapes(): ShapeDrawing | null {
    return this.board?.shapes ?? null
  }

  get selection(): Selection | null {
    return this.board?.selection ?? null
  }

  get commands(): SelectionCommands | null {
    return this.board?.commands ?? null
  }

  /** The tool runtime of the open board: where the input module sends presses. */
  get gestures(): GestureRouter | null {
    return this.board?.gestures ?? null
  }

  get tool(): ToolName {
    return this.activeTool
  }

  /** The tool presses go to: the hand on a read-only board. */
  get currentTool(): Tool | null {
    const tools = this.board?.tools
    if (!tools) return null
    return this.readOnly ? tools.hand : tools[this.activeTool]
  }

  get readonly(): boolean {
    return this.readOnly
  }

  /** Read-only takes the gesture in progress away (a pan may go on) and hides the handles. */
  set readonly(readonly: boolean) {
    if (readonly === this.readOnly) return
    this.readOnly = readonly
    if (readonly) this.board?.gestures.interrupt('readonly')
    this.refreshSelection()
  }

  /** The client id of the person whose view this user follows. */
  get following(): number | null {
    return this.followed
  }

  /** What a big board arriving is up to ("Receiving the board… 3.2 MB"), null otherwise. */
  get progress(): string | null {
    return this.progressText
  }

  get loading(): boolean {
    const session = this.board?.session
    return (this.board?.shapes.pending ?? false) || (session?.receivingBytes ?? 0) > 0 || (session?.readingServerCopy ?? false)
  }

  /** Opens a board (closing the one open): its session, its drawing, its tools. */
  open(settings: SessionOptions): BoardSession {
    this.close()
    const { surface, viewport } = this.options
    const session = new BoardSession(settings)
    let viewKeeper: ViewKeeper | null = null
    let presence: PresenceDrawing | null = null
    const shapes = surface.drawShapes(session.doc, {
      // Others' selection outlines and this user's frame follow the shapes they surround.
      onProjected: () => {
        presence?.animate()
        this.refreshSelection()
      },
      boardArriving: () => session.boardArriving,
      viewArriving: () => viewKeeper?.restoring ?? false,
      onSettled: () => viewKeeper?.settled(),
    })
    shapes.setView({ dark: this.options.dark() })
    if (settings.persist) viewKeeper = new ViewKeeper(shapes, session)
    const overlay = surface.drawSelection()
    const selection = new Selection()
    const commands = new SelectionCommands(session.doc, session.history, selection, layoutText)
    const context = this.toolContext(session, shapes, overlay, selection)
    const laser = new LaserTool(context)
    const tools: Record<ToolName, Tool> = {
      select: new SelectTool(context),
      pen: new PenTool(context),
      highlighter: new PenTool(context, 'highlighter'),
      eraser: new EraserTool(context),
      rectangle: new ShapeTool(context, 'rectangle'),
      ellipse: new ShapeTool(context, 'ellipse'),
      line: new ShapeTool(context, 'line'),
      arrow: new ShapeTool(context, 'arrow'),
      text: new TextTool(context, 'text'),
      sticky: new TextTool(context, 'sticky'),
      image: new ImageTool(context),
      laser,
      hand: new HandTool(context),
    }
    presence = surface.drawPresence(() => laser.trail(), (id) => shapes.bounds(id))
    const gestures = new GestureRouter({ viewport, activeTool: () => this.currentTool, frames: this.options.frames, onTick: this.options.onFrame })
    const stopSelection = selection.onChange((ids) => {
      this.options.presence.setSelection(ids)
      this.refreshSelection()
      this.announceSelection(ids.length)
    })
    session.doc.on('afterTransaction', this.onTransaction)
    const progressTimer = setInterval(() => this.refreshProgress(), PROGRESS_POLL_MS)
    this.board = { session, shapes, overlay, presence, viewKeeper, selection, commands, tools, gestures, stopSelection, progressTimer }
    this.options.presence.attach(session.awareness, () => session.knownPeerIds())
    this.publishViewport()
    return session
  }

  close(): void {
    const board = this.board
    if (!board) return
    this.board = null
    clearInterval(board.progressTimer)
    board.gestures.destroy()
    board.stopSelection()
    board.overlay.show(null)
    board.overlay.destroy()
    board.viewKeeper?.destroy()
    board.shapes.destroy()
    board.presence.destroy()
    this.options.presence.detach()
    board.session.doc.off('afterTransaction', this.onTransaction)
    board.session.destroy()
    this.followed = null
    this.progressText = null
    this.showingSelection = false
    this.walk.reset()
  }

  /** Selects a tool by name; a drawing tool lets go of the selection (the selection is the select tool's). */
  setTool(name: ToolName): void {
    if (!isToolName(name)) throw new TypeError(`Unknown tool "${String(name)}"`)
    if (name === this.activeTool) return
    this.board?.gestures.interrupt('tool-change')
    if (name !== 'select') this.board?.selection.clear()
    this.activeTool = name
    this.options.onToolChange(name)
  }

  /** Undoes this user's last action (never someone else's). */
  undo(): void {
    if (!this.readOnly) this.board?.session.history.undo()
  }

  redo(): void {
    if (!this.readOnly) this.board?.session.history.redo()
  }

  /** What the actions table (actions.ts) acts on: this editor, and the shell for the rest. */
  actionHost(shell: ShellActions): ActionHost {
    const editor = this
    const commands = () => this.board?.commands
    return {
      ...shell,
      get readonly() {
        return editor.readOnly
      },
      setTool: (tool) => this.setTool(tool),
      pickImage: () => this.options.pickImage(),
      undo: () => this.undo(),
      redo: () => this.redo(),
      zoom: (to) => this.zoom(to),
      selectAll: () => commands()?.selectAll(),
      deselect: () => this.deselect(),
      deleteSelection: () => commands()?.delete(),
      duplicate: () => commands()?.duplicate(),
      nudge: (dx, dy) => this.nudge(dx, dy),
      activate: () => this.activate(),
      resize: (dw, dh) => {
        if (this.readOnly) return
        commands()?.resize(dw, dh)
        const [shape] = this.selectedShapes()
        if (shape && this.board?.selection.size === 1) this.options.announce?.(describeShape(shape))
      },
      reorder: (to) => commands()?.reorder(to),
    }
  }

  /** `{ version, shapes }` in z-order, bottom first; stroke points `[x, y, pressure?]` in board coordinates. */
  exportJSON(): BoardJSON {
    return exportBoard(this.requireBoard().session.doc)
  }

  /** The board as a `.meshboard` file holds it: as exportJSON, strokes' points kept encoded (model/board-json.ts, BoardFileJSON). */
  exportFile(): BoardFileJSON {
    return exportBoardFile(this.requireBoard().session.doc)
  }

  /** Replaces the board's content as one undoable step (BoardImportError on bad input, the board unchanged). */
  importJSON(json: BoardJSON | BoardFileJSON | string): void {
    const { session } = this.requireBoard()
    if (this.readOnly) throw new ReadonlyBoardError()
    session.history.beginGesture()
    importBoard(session.doc, json)
  }

  /** A document as a standalone SVG (this board's, or a version's in the history panel). */
  svgOf(doc: Y.Doc): string {
    return exportSvg(readAllShapes(doc).shapes, { background: this.options.background(), dark: this.options.dark(), asset: (hash) => readAsset(doc, hash) })
  }

  exportSVG(): string {
    return this.svgOf(this.requireBoard().session.doc)
  }

  /** Shapes as a PNG at twice their size (the whole board by default). */
  async exportPNG(shapes: readonly Shape[] = readAllShapes(this.requireBoard().session.doc).shapes): Promise<Blob> {
    const hashes = shapes.flatMap((shape) => (shape.type === 'image' ? [shape.asset] : []))
    const images = (await this.board?.shapes.loadImages(hashes)) ?? new Map()
    return exportPng(shapes, { background: this.options.background(), dark: this.options.dark(), pixelRatio: 2, images })
  }

  selectedShapes(): Shape[] {
    return this.board?.commands.shapes() ?? []
  }

  /** Moves the camera so that everything on the board is in view. */
  zoomToFit(): void {
    const board = this.board
    if (!board) return
    const { surface, viewport } = this.options
    const bounds = unionBounds(readAllShapes(board.session.doc).shapes)
    if (!bounds) {
      viewport.set({ x: 0, y: 0, scale: 1 })
      return
    }
    const width = Math.max(1, surface.width - 2 * FIT_MARGIN_PX)
    const height = Math.max(1, surface.height - 2 * FIT_MARGIN_PX)
    const scale = Math.min(cameraShowing(bounds, width, height).scale, MAX_FIT_SCALE)
    viewport.set({
      scale,
      x: surface.width / 2 - (bounds.x + bounds.width / 2) * scale,
      y: surface.height / 2 - (bounds.y + bounds.height / 2) * scale,
    })
  }

  zoom(to: 'in' | 'out' | 'reset' | 'fit'): void {
    if (to === 'fit') return this.zoomToFit()
    const { surface, viewport } = this.options
    const centre = { x: surface.width / 2, y: surface.height / 2 }
    const camera = viewport.camera
    const factor = to === 'in' ? ZOOM_STEP : to === 'out' ? 1 / ZOOM_STEP : 1 / camera.scale
    viewport.set(zoomAt(camera, centre, factor))
  }

  /**
   * Arrow keys: move the selection; with nothing selected, go to the next (right, down) or
   * previous (left, up) shape in reading order; on an empty board, pan.
   */
  nudge(dx: number, dy: number): void {
    const board = this.board
    if (!board) return
    if (board.selection.size > 0) {
      if (!this.readOnly) board.commands.nudge(dx, dy)
      return
    }
    if (this.walkTo(dx + dy > 0 ? 1 : -1)) return
    const { viewport } = this.options
    viewport.set(panBy(viewport.camera, -Math.sign(dx) * PAN_STEP_PX, -Math.sign(dy) * PAN_STEP_PX))
  }

  /** Enter: selects the shape the arrow keys went to (with the select tool, which the selection belongs to). */
  activate(): void {
    const board = this.board
    const id = this.walk.focused
    if (!board || id === null || this.readOnly || board.selection.size > 0) return
    if (readShapes(board.session.doc, [id]).length === 0) return
    this.setTool('select')
    board.selection.set([id])
  }

  /** Escape: lets go of the selection; the keyboard stays on the shape it had, to go on from there. */
  private deselect(): void {
    const board = this.board
    if (!board || board.selection.size === 0) return
    this.walk.focused = board.selection.ids[0] ?? this.walk.focused
    board.selection.clear()
  }

  /** Goes to the next or previous shape, brings it into view and says what it is; false on an empty board. */
  private walkTo(step: 1 | -1): boolean {
    const board = this.board
    if (!board) return false
    const stop = this.walk.step(() => readAllShapes(board.session.doc).shapes, step)
    if (!stop) return false
    this.bringIntoView(stop.shape)
    this.refreshSelection()
    const [shape, index, count] = [describeShape(stop.shape), formatNumber(stop.index), formatNumber(stop.count)]
    this.options.announce?.(msg(str`${shape} (${index} of ${count})`, { id: 'walk.stop', desc: 'for screen readers, as the arrow keys go from shape to shape: the shape, its place in reading order and the number of shapes' }))
    return true
  }

  /** Pans (at the same zoom) so that a shape whose middle is out of view is in the view's middle. */
  private bringIntoView(shape: Shape): void {
    const { surface, viewport } = this.options
    const camera = viewport.camera
    const view = visibleRect(camera, surface.width, surface.height)
    const box = shapeBounds(shape)
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2]
    if (x >= view.x && y >= view.y && x <= view.x + view.width && y <= view.y + view.height) return
    viewport.set({ ...camera, x: surface.width / 2 - (box.x + box.width / 2) * camera.scale, y: surface.height / 2 - (box.y + box.height / 2) * camera.scale })
  }

  /** Tells screen reader users what is selected now (a click, a marquee, Enter, Ctrl+A, Escape). */
  private announceSelection(count: number): void {
    const announce = this.options.announce
    if (!announce) return
    if (count === 0) {
      announce(msg('Nothing selected', { id: 'announce.nothing-selected' }))
      return
    }
    const [shape] = this.selectedShapes()
    if (count === 1 && shape) {
      const what = describeShape(shape)
      announce(msg(str`Selected: ${what}`, { id: 'announce.selected' }))
      return
    }
    const number = formatNumber(count)
    announce(isOne(count) ? msg(str`${number} shape selected`, { id: 'announce.selected-many.one' }) : msg(str`${number} shapes selected`, { id: 'announce.selected-many.other' }))
  }

  /** Follows a person's view (null: stop). */
  follow(clientId: number | null): void {
    this.followed = clientId
    this.peersChanged(this.options.presence.peers)
    this.options.onChange()
  }

  /** The user moved the camera themselves: following stops. */
  navigated(): void {
    if (this.followed === null) return
    this.followed = null
    this.options.onChange()
  }

  /** Others' presence changed: their cursors, lasers and selections, and the view being followed. */
  peersChanged(peers: readonly Presence[]): void {
    this.board?.presence.update(
      peers.map((peer) => ({ clientId: peer.clientId, name: peer.user.name, color: peer.user.color, cursor: peer.cursor, laser: peer.laser, selection: peer.selection })),
    )
    if (this.followed === null) return
    const followed = peers.find((peer) => peer.clientId === this.followed)
    const { surface, viewport } = this.options
    if (!followed) {
      this.followed = null
      this.options.onChange()
    } else if (followed.viewport) viewport.set(cameraShowing(followed.viewport, surface.width, surface.height))
  }

  /** Tells others what this user sees (after every camera move and resize). */
  publishViewport(): void {
    if (!this.board) return
    const { surface, viewport } = this.options
    this.options.presence.setViewport(visibleRect(viewport.camera, surface.width, surface.height))
  }

  /** The theme changed: shapes are drawn in its colours. */
  themeChanged(): void {
    this.board?.shapes.setView({ dark: this.options.dark() })
  }

  /** The input module saw a press, drag or wheel: drawing keeps to small frame budgets a while. */
  noteInteraction(): void {
    this.board?.shapes.noteInteraction()
  }

  /** The text editor opened or closed over the selection (it hides the frame while open). */
  setEditingText(open: boolean): void {
    this.editingText = open
    this.refreshSelection()
  }

  /** Brings the overlay in line with the document (after every projected frame and selection change). */
  refreshSelection(): void {
    const board = this.board
    if (!board) return
    const shapes = board.commands.shapes()
    // Shapes deleted by anyone (or made invalid by a peer) leave the selection.
    if (shapes.length !== board.selection.size) {
      const present = new Set<string>(shapes.map((shape) => shape.id))
      board.selection.prune((id) => present.has(id))
    }
    const scale = this.options.viewport.camera.scale
    const frame = selectionFrame(shapes, scale)
    board.overlay.show(
      frame && !this.editingText
        ? { frame, shapes: shapes.length > 1 ? shapes.map((shape) => frameOf([shape])!) : [], handles: !this.readOnly }
        : this.focusView(board, scale),
    )
    if (shapes.length > 0 || this.showingSelection) this.options.onChange()
    this.showingSelection = shapes.length > 0
  }

  /** The keyboard's focus ring, while nothing is selected and the shape it is on is still there. */
  private focusView(board: OpenBoard, scale: number): SelectionView | null {
    if (board.selection.size > 0 || this.walk.focused === null || this.editingText) return null
    const frame = selectionFrame(readShapes(board.session.doc, [this.walk.focused]), scale)
    return frame && { frame, shapes: [], handles: false, focus: true }
  }

  private toolContext(session: BoardSession, shapes: ShapeDrawing, overlay: SelectionDrawing, selection: Selection): ToolContext {
    const next = this.options.nextStyle
    const textStyle = () => ({ color: next().color, fontSize: next().fontSize, opacity: next().opacity })
    return {
      doc: session.doc,
      history: session.history,
      viewport: this.options.viewport,
      style: (): StrokeStyle => ({ color: next().color, strokeWidth: next().strokeWidth, opacity: next().opacity }),
      fill: () => (next().fill ? fillTint(next().color) : null),
      showLaser: (trail) => {
        this.options.presence.setLaser(trail)
        this.board?.presence.animate()
      },
      shapesNear: (point, radius) => shapes.shapesNear(point, radius),
      previewErase: (ids) => shapes.setDimmed(ids),
      selection,
      shapesInside: (area) => shapes.shapesInside(area),
      showMarquee: (area) => overlay.showMarquee(area),
      textStyle,
      noteColor: () => next().noteColor,
      layoutText: (text, fontSize, width) => layoutText(text, fontSize, width),
      editText: (target) => this.options.editText(target),
      pickImage: (at) => {
        if (!this.readOnly) this.options.pickImage(at)
      },
    }
  }

  private refreshProgress(): void {
    const board = this.board
    if (!board) return
    const receiving = board.session.receivingBytes
    const { left, of } = board.shapes.backlog
    let progress: string | null = null
    if (receiving >= PROGRESS_MIN_BYTES) {
      const megabytes = formatNumber(receiving / (1024 * 1024), { minimumFractionDigits: 1, maximumFractionDigits: 1 })
      progress = msg(str`Receiving the board… ${megabytes} MB`, { id: 'progress.receiving', desc: 'a big board is arriving; the placeholder is how much came so far, in megabytes (e.g. 3.2)' })
    } else if (left > 0 && of >= PROGRESS_MIN_SHAPES) {
      const drawn = formatPercent(Math.floor((100 * (of - left)) / of) / 100)
      progress = msg(str`Drawing the board… ${drawn}`, { id: 'progress.drawing', desc: 'a big board is being drawn; the placeholder is how much of it, as a percentage (e.g. 40%)' })
    }
    if (progress === this.progressText) return
    this.progressText = progress
    this.options.onChange()
  }

  private requireBoard(): OpenBoard {
    if (!this.board) throw new Error('<mesh-board> has no board yet: call this after it is on the page and rendered (mesh-ready).')
    return this.board
  }

  private readonly onTransaction = (transaction: Y.Transaction) => {
    if (transaction.changed.size === 0) return
    this.walk.invalidate()
    this.options.onDocumentChange(transaction.origin === LOCAL_ORIGIN)
  }
}
