/** `<mesh-board>`: the whole whiteboard as one custom element. Its reference is the JSDoc on the class. */
import { LitElement, html, type PropertyValues } from 'lit'
import { customElement, property, query, state } from 'lit/decorators.js'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { readAsset } from '../model/assets'
import { LOCAL_ORIGIN } from '../model/board-doc'
import { BoardImportError, exportBoard, importBoard, readAllShapes, type BoardJSON } from '../model/board-json'
import { fillTint, hasText, isBoxShape, type Shape, type StrokeStyle } from '../model/shapes'
import { InsecureContextError, boardFragment, isBoardId, isBoardKey, newBoardAddress, sameOriginSignalingUrl } from '../net/board-address'
import type { ConnectionStatus } from '../net/board-connection'
import type { Presence } from '../net/presence'
import type { ServerStoreStatus } from '../store/server-store'
import { unionBounds } from '../model/geometry'
import { exportPng, exportSvg } from '../render/board-export'
import { displayColor } from '../render/ink'
import { ImageCache } from '../render/image-cache'
import { ellipseRenderer, rectangleRenderer } from '../render/shapes/box'
import { imageRenderer } from '../render/shapes/image'
import { lineRenderer } from '../render/shapes/line'
import { stickyRenderer, textRenderer } from '../render/shapes/text'
import { SelectionOverlay } from '../render/selection-overlay'
import { layoutText } from '../render/text-layout'
import { BoardStage } from '../render/board-stage'
import { Viewport, cameraShowing, panBy, visibleRect, zoomAt, type Point } from '../render/camera'
import { PresenceLayer } from '../render/presence-layer'
import { Projector } from '../render/projector'
import { strokeRenderer } from '../render/shapes/stroke'
import { HandTool } from '../tools/hand/hand-tool'
import { ImageTool } from '../tools/image/image-tool'
import { InputController } from '../tools/input'
import { LaserTool } from '../tools/laser/laser-tool'
import { EraserTool } from '../tools/eraser/eraser-tool'
import { PenTool } from '../tools/pen/pen-tool'
import { ShapeTool } from '../tools/shape/shape-tool'
import { SelectTool } from '../tools/select/select-tool'
import type { StyleChange } from '../tools/select/commands'
import type { BoardAction } from '../tools/shortcuts'
import { TextTool } from '../tools/text/text-tool'
import { isToolName, type Tool, type ToolContext, type ToolName } from '../tools/tool'
import { iceServersAttribute, isTheme, onUnlessFalse, type Theme } from './attributes'
import { BoardEditing } from './board-editing'
import { BoardSession } from './board-session'
import { ViewKeeper } from './view-keeper'
import { meshBoardStyles } from './mesh-board-styles'
import type { FileEvent } from './mesh-file-menu'
import { HistoryController, type HistoryHost } from './history-controller'
import type { StyleControls, StyleEvent, StyleValues } from './mesh-style-panel'
import type { PeerLink, PeopleEvent } from './mesh-people'
import type { ToolbarEvent } from './mesh-toolbar'
import type { VoiceEvent } from './mesh-voice'
import type { ViewEvent } from './mesh-view-controls'
import { loadPreferences, savePreferences, type Preferences } from './preferences'
import { PresenceController } from './presence-controller'
import { VoiceController, type VoiceState } from './voice-controller'
import './mesh-file-menu'
import './mesh-people'
import './mesh-share'
import './mesh-style-panel'
import './mesh-status'
import './mesh-toolbar'
import './mesh-help'
import './mesh-view-controls'
import './mesh-voice'

export interface MeshReadyDetail {
  readonly board: string
}
export interface MeshChangeDetail {
  /** True when this user made the change, false when it came from a peer or from storage. */
  readonly local: boolean
}
export interface MeshPeersDetail {
  readonly peerCount: number
}
export interface MeshStatusDetail {
  readonly status: ConnectionStatus
}
export interface MeshBoardChangeDetail {
  readonly board: string
  readonly key: string
}
export interface MeshStoreDetail {
  readonly storeStatus: ServerStoreStatus
  /** Why the server's copy is behind, when `storeStatus` is 'error'. */
  readonly error: string | null
}
export interface MeshErrorDetail {
  readonly code: 'storage' | 'store' | 'peer' | 'insecure-context' | 'connection' | 'voice' | 'readonly' | 'file'
  readonly message: string
}

/** Thrown by methods that would edit a `readonly` board. */
export class ReadonlyBoardError extends Error {
  override name = 'ReadonlyBoardError'
  constructor() {
    super('This board is read-only (the readonly attribute is set).')
  }
}

/** Tools that draw with ink (colour, width) and those that make boxes that can be filled. */
const INK_TOOLS: ReadonlySet<ToolName> = new Set(['pen', 'highlighter', 'rectangle', 'ellipse', 'line', 'arrow'])
const FILL_TOOLS: ReadonlySet<ToolName> = new Set(['rectangle', 'ellipse'])
/** How long a notice (a file that is not an image...) stays up. */
const NOTICE_MS = 8000
/** A board that stopped applying changes is opened again at most this often (reopenWedged). */
const REOPEN_WEDGED_EVERY_MS = 60_000
/** Progress is shown for boards big enough to take a noticeable time: bytes arriving, shapes to draw. */
const PROGRESS_MIN_BYTES = 256 * 1024
const PROGRESS_MIN_SHAPES = 500
/** How often the progress is re-read while a board is open (a few numbers; cheap). */
const PROGRESS_POLL_MS = 200
/** What the style panel edits, and the values it shows. */
interface StyleTarget {
  readonly controls: StyleControls
  readonly values: StyleValues
}

/** Boards narrower than this (embeds) start with the style panel closed: it would cover too much. */
const COMPACT_BOARD_WIDTH = 720
/** How far an arrow key pans the view when nothing is selected, in screen pixels. */
const PAN_STEP_PX = 80

/** Zoom-to-fit never magnifies past this: a single small doodle should not fill the screen. */
const MAX_FIT_SCALE = 2
const FIT_MARGIN_PX = 48
/** One zoom-in step (and its inverse for zooming out). */
const ZOOM_STEP = 1.25
/** Distance between grid dots at 100%, in board units. */
const GRID_SPACING = 24
const DARK_BACKGROUND = '#18181b'
const LIGHT_BACKGROUND = '#fbfbfa'

/**
 * `<mesh-board>`: a collaborative whiteboard, peer to peer. A standard custom element: it works in
 * plain HTML and in any framework. docs/embedding.md is the guide; this header is the reference.
 *
 * @element mesh-board
 * @summary A peer-to-peer collaborative whiteboard.
 *
 * @attr {string} board - Board id. With `key`, names the shared board. Without them the board is a
 *   scratch board that lives only in this element.
 * @attr {string} key - The board's secret key (at least 128 bits, base64url). It encrypts all
 *   signaling and never leaves the browser except to peers of the same board.
 * @attr {string} signaling - WebSocket URL of the signaling server. Default: `/signal` on the page's origin.
 * @attr {string} ice-servers - JSON array of RTCIceServer (STUN/TURN), used before the ones the signaling server
 *   hands out at its `/ice-servers` (with TURN credentials of its own, refreshed before they expire). Default: none.
 * @attr {boolean} readonly - View only: no tools, no edits; panning, zooming and presence still work.
 * @attr {'light' | 'dark' | 'auto'} theme - Colour theme; `auto` follows the system. Default: `light`.
 * @attr {string} user-name - The name others see (instead of the one the user picked).
 * @attr {string} user-color - The colour others see, as `#rrggbb`.
 * @attr {boolean} toolbar - Show the toolbar. On unless `toolbar="false"`.
 * @attr {boolean} persist - Keep the board in this browser's IndexedDB. On unless `persist="false"`.
 * @attr {'on' | 'off'} store - Keep an end-to-end encrypted copy of the board on the signaling
 *   server (so the board outlives its peers), and reach peers that cannot connect directly through
 *   its relay. On unless `store="off"`, which keeps the board purely peer to peer.
 * @attr {boolean} voice - Offer the voice channel. On unless `voice="false"`.
 *
 * @prop {RTCIceServer[]} iceServers - The same as `ice-servers`, as an array.
 * @prop {ToolName} tool - The active tool: `select`, `pen`, `highlighter`, `eraser`, `rectangle`, `ellipse`,
 *   `line`, `arrow`, `text`, `sticky`, `image`, `laser` or `hand`.
 * @prop {number} peerCount - Read-only: people connected, directly over WebRTC or through the server's relay.
 * @prop {'off' | 'saving' | 'saved' | 'error'} storeStatus - Read-only: the server's encrypted copy:
   `saved` once the latest change is stored there, `error` while it cannot be (see `mesh-store`).
 * @prop {'offline' | 'connecting' | 'connected'} status - Read-only: whether peers can be reached.
 * @prop {Y.Doc | null} doc - Read-only: the board's Yjs document (null before the element is first rendered).
 * @prop {Awareness | null} awareness - Read-only: the y-protocols awareness (presence) of this board.
 * @prop {VoiceState} voiceState - Read-only: the voice channel as this user sees it.
 * @prop {boolean} loading - Read-only: true while a board is arriving from a peer or the server, or received
 *   changes are still being drawn; false once everything received is on the canvas.
 *
 * @fires {CustomEvent<MeshReadyDetail>} mesh-ready - The board is loaded (from this device, when
 *   persisted) and joining its peers. Fired again after switching boards.
 * @fires {CustomEvent<MeshChangeDetail>} mesh-change - The document changed (`local`: by this user).
 * @fires {CustomEvent<MeshPeersDetail>} mesh-peers - The number of connected peers changed.
 * @fires {CustomEvent<MeshStatusDetail>} mesh-status - `status` changed.
 * @fires {CustomEvent<MeshStoreDetail>} mesh-store - `storeStatus` changed (with the reason when it is `error`).
 * @fires {CustomEvent<MeshErrorDetail>} mesh-error - Something failed that the user should know
 *   about (storage, voice, connection, a file or paste that could not be used); the board keeps working.
 * @fires {CustomEvent<MeshBoardChangeDetail>} mesh-board-change - The user started a new board from
 *   the share panel; `board` and `key` now name it (the app puts them in its URL).
 *
 * @csspart canvas - The drawing surface.
 * @csspart toolbar - The toolbar.
 * @csspart status - The status pill.
 * @csspart people - The people panel (avatars, follow, your name and colour).
 * @csspart share - The share button and its panel.
 * @csspart voice - The voice panel (join, mute, microphone, people in voice).
 * @csspart view - Zoom, grid, theme and shortcut buttons.
 * @csspart help - The keyboard shortcut list.
 * @csspart history - The board's history (versions kept on this device, preview, restore).
 * @csspart menu - The board menu (open, save, export, insert image, history).
 * @csspart style - The style panel (colour, width, fill, font size, opacity, layers).
 *
 * @cssprop --mesh-background - Board background.
 * @cssprop --mesh-panel-background - Background of the panels.
 * @cssprop --mesh-panel-color - Text and icon colour of the panels.
 * @cssprop --mesh-accent - Active tool, focus rings and primary buttons.
 * @cssprop --mesh-accent-soft - Background of the active tool.
 * @cssprop --mesh-on-accent - Text on accent-coloured buttons.
 * @cssprop --mesh-grid - Colour of the grid dots.
 * @cssprop --mesh-hover - Background of hovered buttons.
 * @cssprop --mesh-muted - Secondary text.
 * @cssprop --mesh-danger - Errors.
 * @cssprop --mesh-font - Font of the panels (a `font` shorthand).
 */
@customElement('mesh-board')
export class MeshBoard extends LitElement {
  static override styles = meshBoardStyles

  @property({ reflect: true }) board = ''
  @property({ reflect: true }) key = ''
  @property() signaling = ''
  @property({ attribute: 'ice-servers', converter: iceServersAttribute }) iceServers: RTCIceServer[] = []
  @property({ type: Boolean, reflect: true }) readonly = false
  @property({ reflect: true }) theme: Theme = 'light'
  @property({ attribute: 'user-name' }) userName = ''
  @property({ attribute: 'user-color' }) userColor = ''
  @property({ converter: onUnlessFalse }) toolbar = true
  @property({ converter: onUnlessFalse }) persist = true
  @property() store: 'on' | 'off' = 'on'
  @property({ converter: onUnlessFalse }) voice = true

  @state() private activeTool: ToolName = 'pen'
  /** Style of the next shape and the grid: the user's last choices, on every board. */
  @state() private preferences: Preferences = loadPreferences()
  @state() private helpOpen = false
  @state() private problem: string | null = null
  /** A passing message (a file that is not an image...), shown for a few seconds. */
  @state() private notice: string | null = null
  /** What a big board arriving is up to ("Receiving the board… 3.2 MB"), null otherwise. */
  @state() private progress: string | null = null
  /** Whether the style panel is open, once the user chose; null: by the board's size. */
  @state() private styleOpen: boolean | null = null
  @state() private cursor = 'crosshair'
  /** The client id of the person whose view this user follows. */
  @state() private following: number | null = null
  @query('.canvas') private canvas!: HTMLDivElement
  @query('.grid-layer') private gridLayer!: HTMLDivElement
  @query('.editor-layer') private editorLayer!: HTMLDivElement
  @query('.image-input') private imageInput!: HTMLInputElement

  private session: BoardSession | null = null
  private stage: BoardStage | null = null
  private projector: Projector | null = null
  private viewKeeper: ViewKeeper | null = null
  private input: InputController | null = null
  private presenceLayer: PresenceLayer | null = null
  private selectionOverlay: SelectionOverlay | null = null
  private images: ImageCache | null = null
  private editing: BoardEditing | null = null
  /** Where an image picked with the image tool goes. */
  private imageTarget: Point | undefined
  private noticeTimer: ReturnType<typeof setTimeout> | undefined
  private progressTimer: ReturnType<typeof setInterval> | undefined
  private readonly presence = new PresenceController(this, (peers) => this.onPeers(peers))
  private readonly voiceChannel = new VoiceController(this, {
    mesh: () => this.session?.voice ?? null,
    peers: () => this.presence.peers,
    publish: (voice) => this.presence.setVoice(voice),
    onError: (message) => this.emit<MeshErrorDetail>('mesh-error', { code: 'voice', message }),
  })
  private readonly historyPanel = new HistoryController(this, this.historyHost())
  private readonly viewport = new Viewport()
  private readonly darkScheme = matchMedia('(prefers-color-scheme: dark)')
  private openedConfig = ''
  /** When a board that stopped applying changes was last opened again (reopenWedged). */
  private reopenedAt: number | null = null
  private lastStatus: ConnectionStatus | null = null
  private lastPeerCount = -1
  private lastStoreStatus: ServerStoreStatus | null = null
  private lastStoreError: string | null = null
  private lastStorageError: string | null = null

  get tool(): ToolName {
    return this.activeTool
  }

  set tool(name: ToolName) {
    this.setTool(name)
  }

  get peerCount(): number {
    return this.session?.peerCount ?? 0
  }

  get status(): ConnectionStatus {
    return this.session?.status ?? 'offline'
  }

  get storeStatus(): ServerStoreStatus {
    return this.session?.serverStatus ?? 'off'
  }

  get loading(): boolean {
    return (this.projector?.pending ?? false) || (this.session?.receivingBytes ?? 0) > 0 || (this.session?.readingServerCopy ?? false)
  }

  get doc(): Y.Doc | null {
    return this.session?.doc ?? null
  }

  get awareness(): Awareness | null {
    return this.session?.awareness ?? null
  }

  get voiceState(): VoiceState {
    return this.voiceChannel.state
  }

  /** Selects a tool by name (see `tool`). */
  setTool(name: ToolName): void {
    if (!isToolName(name)) throw new TypeError(`Unknown tool "${String(name)}"`)
    if (name === this.activeTool) return
    this.input?.cancelAll()
    this.editing?.editor.close()
    // A drawing tool starts something new: what was selected is let go (the selection is the select tool's).
    if (name !== 'select') this.editing?.selection.clear()
    this.activeTool = name
    this.updateCursor()
  }

  /** `{ version, shapes }` in z-order, bottom first; stroke points `[x, y, pressure?]` in board coordinates. */
  exportJSON(): BoardJSON {
    return exportBoard(this.requireSession().doc)
  }

  /**
   * Replaces the board's content with a board JSON (object or string) as one undoable step.
   * Throws BoardImportError on bad input (the board is left unchanged), ReadonlyBoardError when read-only.
   */
  importJSON(json: BoardJSON | string): void {
    const session = this.requireSession()
    if (this.readonly) throw new ReadonlyBoardError()
    session.history.beginGesture()
    importBoard(session.doc, json)
  }

  /** The whole board as a standalone SVG document (images embedded). */
  exportSVG(): string {
    const doc = this.requireSession().doc
    return exportSvg(readAllShapes(doc).shapes, { background: this.background(), dark: this.isDark(), asset: (hash) => readAsset(doc, hash) })
  }

  /** The whole board as a PNG at twice its size. */
  exportPNG(): Promise<Blob> {
    return this.renderPng(readAllShapes(this.requireSession().doc).shapes)
  }

  private async renderPng(shapes: readonly Shape[]): Promise<Blob> {
    const hashes = shapes.flatMap((shape) => (shape.type === 'image' ? [shape.asset] : []))
    const images = (await this.images?.load(hashes)) ?? new Map()
    return exportPng(shapes, { background: this.background(), dark: this.isDark(), pixelRatio: 2, images })
  }

  /** Undoes this user's last action (never someone else's). */
  undo(): void {
    if (!this.readonly) this.session?.history.undo()
  }

  redo(): void {
    if (!this.readonly) this.session?.history.redo()
  }

  /** Moves the camera so that everything on the board is in view. */
  zoomToFit(): void {
    if (!this.stage || !this.session) return
    const bounds = unionBounds(readAllShapes(this.session.doc).shapes)
    if (!bounds) {
      this.viewport.set({ x: 0, y: 0, scale: 1 })
      return
    }
    const margin = FIT_MARGIN_PX
    const width = Math.max(1, this.stage.width - 2 * margin)
    const height = Math.max(1, this.stage.height - 2 * margin)
    const fit = cameraShowing(bounds, width, height)
    const scale = Math.min(fit.scale, MAX_FIT_SCALE)
    this.viewport.set({
      scale,
      x: this.stage.width / 2 - (bounds.x + bounds.width / 2) * scale,
      y: this.stage.height / 2 - (bounds.y + bounds.height / 2) * scale,
    })
  }

  override connectedCallback(): void {
    super.connectedCallback()
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0
    this.darkScheme.addEventListener('change', this.onSchemeChange)
    if (this.hasUpdated) {
      this.createStage()
      this.openSession()
    }
  }

  override disconnectedCallback(): void {
    clearTimeout(this.noticeTimer)
    super.disconnectedCallback()
    this.darkScheme.removeEventListener('change', this.onSchemeChange)
    // Off the page means gone: peer connections, sockets, timers and the stage are all released.
    this.closeSession()
    this.stage?.destroy()
    this.stage = null
  }

  protected override firstUpdated(): void {
    let scale = this.viewport.camera.scale
    this.viewport.onChange((camera) => {
      this.publishViewport()
      this.paintGrid()
      // The zoom level shown changes with the scale only, not with every pan.
      if (camera.scale !== scale) this.requestUpdate()
      scale = camera.scale
    })
    this.paintGrid()
    this.createStage()
    this.openSession()
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!isTheme(this.theme)) this.theme = 'light'
    this.projector?.setView({ dark: this.isDark() })
    this.presence.setOverride(this.userName, this.userColor)
    if (!this.voice) this.voiceChannel.leave()
    // A drawing gesture in progress when the board turns read-only ends here (pans may go on).
    if (changed.has('readonly') && this.readonly) this.input?.cancelAll()
    // Switching board, key, network or storage settings leaves the old room and joins the new one.
    if (this.stage && this.session && this.sessionConfig() !== this.openedConfig) this.openSession()
  }

  override render() {
    const style = this.styleTarget()
    const identityFixed = this.userName !== '' || this.userColor !== ''
    return html`
      <div class="grid-layer"></div>
      <div class="canvas" part="canvas" style=${`cursor:${this.cursor}`}></div>
      <div class="editor-layer"></div>
      <input class="image-input" type="file" accept="image/*" hidden @change=${(event: Event) => this.imagePicked(event)} />
      <div class="bar top">
        <div class="start">
          ${this.toolbar
            ? html`<mesh-file-menu
                part="menu"
                ?selection=${(this.editing?.selection.size ?? 0) > 0}
                ?readonly=${this.readonly}
                @file=${(event: CustomEvent<FileEvent>) => void this.onFile(event.detail)}
              ></mesh-file-menu>`
            : ''}
          ${this.renderStyleToggle(style)}
        </div>
        ${this.toolbar && !this.readonly
          ? html`<mesh-toolbar
              part="toolbar"
              .tool=${this.activeTool}
              ?can-undo=${this.session?.history.canUndo ?? false}
              ?can-redo=${this.session?.history.canRedo ?? false}
              @toolbar=${(event: CustomEvent<ToolbarEvent>) => this.onAction(event.detail)}
            ></mesh-toolbar>`
          : ''}
        <div class="end">
          <mesh-people
            part="people"
            .self=${this.presence.self}
            .selfEditable=${!identityFixed}
            .selfVoice=${this.voiceChannel.joined ? { muted: this.voiceState.muted, level: this.voiceState.level } : null}
            .peers=${this.presence.peers}
            .links=${this.peerLinks()}
            .unreachable=${this.unreachableWithoutPresence()}
            .following=${this.following}
            @people=${(event: CustomEvent<PeopleEvent>) => this.onPeople(event.detail)}
          ></mesh-people>
          ${this.board && this.key ? html`<mesh-share part="share" .link=${this.shareLink()} @new-board=${() => this.newBoard()}></mesh-share>` : ''}
        </div>
      </div>
      <div class="bar bottom">
        <mesh-status
          part="status"
          .status=${this.status}
          .peerCount=${this.peerCount}
          .saved=${this.session?.storeState ?? 'off'}
          .server=${this.storeStatus}
          .serverError=${this.session?.serverError ?? null}
          .relayed=${this.session?.relayedPeers.size ?? 0}
          .connecting=${this.session?.connectingPeerCount ?? 0}
          .unreachable=${this.session?.unreachablePeers.size ?? 0}
          .problem=${this.problem}
          .viewOnly=${this.readonly}
        ></mesh-status>
        <mesh-view-controls
          part="view"
          .zoom=${this.viewport.camera.scale}
          .grid=${this.preferences.grid}
          .dark=${this.isDark()}
          @view=${(event: CustomEvent<ViewEvent>) => this.onView(event.detail)}
        ></mesh-view-controls>
        ${this.voice
          ? html`<mesh-voice part="voice" .state=${this.voiceState} @voice=${(event: CustomEvent<VoiceEvent>) => this.onVoice(event.detail)}></mesh-voice>`
          : html`<span></span>`}
      </div>
      ${this.renderStylePanel(style)}
      ${this.helpOpen ? html`<mesh-help part="help" @close=${() => this.closeHelp()}></mesh-help>` : ''}
      ${this.historyPanel.render()}
      ${this.renderFollowing()}
      ${this.progress ? html`<div class="progress" role="status">${this.progress}</div>` : ''}
      ${this.notice
        ? html`<div class="notice" role="alert"><span>${this.notice}</span><button @click=${() => (this.notice = null)}>Dismiss</button></div>`
        : ''}
    `
  }

  /** The style panel, when open and there is something to style. */
  private renderStylePanel(target: StyleTarget | null) {
    if (!target || !this.styleShown()) return ''
    return html`<mesh-style-panel
      part="style"
      .controls=${target.controls}
      .values=${target.values}
      .dark=${this.isDark()}
      @style=${(event: CustomEvent<StyleEvent>) => this.onStyle(event.detail)}
    ></mesh-style-panel>`
  }

  /** The button that shows and hides the style panel, with the current colour on it. */
  private renderStyleToggle(target: StyleTarget | null) {
    if (!target) return ''
    const shown = this.styleShown()
    return html`<button
      class="style-toggle"
      aria-label="Style panel"
      title=${shown ? 'Hide the style panel' : 'Colour, width, fill, font size and opacity'}
      aria-pressed=${shown}
      style=${`--swatch:${target.controls.note && !target.controls.color ? target.values.noteColor : displayColor(target.values.color, this.isDark())}`}
      @click=${() => (this.styleOpen = !shown)}
    >
      <span></span>
    </button>`
  }

  /** Open unless the user closed it; on a small board (an embed) closed until opened. */
  private styleShown(): boolean {
    return this.styleOpen ?? (this.stage?.width ?? Infinity) >= COMPACT_BOARD_WIDTH
  }

  /** What the style panel edits: the selection or, with nothing selected, what the active tool makes. */
  private styleTarget(): StyleTarget | null {
    if (!this.toolbar || this.readonly) return null
    const selected = this.editing?.selectedShapes() ?? []
    const prefs = this.preferences
    let controls: StyleControls
    let values: StyleValues = {
      color: prefs.color,
      strokeWidth: prefs.strokeWidth,
      fill: prefs.fill,
      noteColor: prefs.noteColor,
      fontSize: prefs.fontSize,
      opacity: prefs.opacity,
    }
    if (selected.length > 0) {
      const first = selected[0]!
      controls = {
        color: selected.some((shape) => shape.type !== 'image' && shape.type !== 'sticky'),
        width: selected.some((shape) => 'strokeWidth' in shape),
        fill: selected.some(isBoxShape),
        note: selected.some((shape) => shape.type === 'sticky'),
        font: selected.some(hasText),
        arrange: true,
      }
      // The panel shows the values of the first shape that has each one.
      const find = <T,>(read: (shape: Shape) => T | undefined, fallback: T): T => selected.map(read).find((value) => value !== undefined) ?? fallback
      values = {
        color: find((shape) => (shape.type !== 'image' && shape.type !== 'sticky' ? shape.color : undefined), prefs.color),
        strokeWidth: find((shape) => ('strokeWidth' in shape ? shape.strokeWidth : undefined), prefs.strokeWidth),
        fill: find((shape) => (isBoxShape(shape) ? shape.fill !== null : undefined), prefs.fill),
        noteColor: find((shape) => (shape.type === 'sticky' ? shape.fill : undefined), prefs.noteColor),
        fontSize: find((shape) => (hasText(shape) ? shape.fontSize : undefined), prefs.fontSize),
        opacity: first.opacity,
      }
    } else {
      const tool = this.activeTool
      if (!INK_TOOLS.has(tool) && tool !== 'text' && tool !== 'sticky') return null
      controls = {
        color: INK_TOOLS.has(tool) || tool === 'text',
        width: INK_TOOLS.has(tool),
        fill: FILL_TOOLS.has(tool),
        note: tool === 'sticky',
        font: tool === 'text' || tool === 'sticky',
        arrange: false,
      }
    }
    return { controls, values }
  }

  private renderFollowing() {
    const peer = this.presence.peers.find((presence) => presence.clientId === this.following)
    if (!peer) return ''
    return html`<div class="following" style=${`--color:${peer.user.color}`}><span>Following ${peer.user.name} — move the board to stop</span></div>`
  }

  private isDark(): boolean {
    return this.theme === 'dark' || (this.theme === 'auto' && this.darkScheme.matches)
  }

  private readonly onSchemeChange = () => this.requestUpdate()

  /** The board's background as exports paint it: the custom property when set, else the theme's. */
  private background(): string {
    const custom = getComputedStyle(this).getPropertyValue('--mesh-background').trim()
    return custom || (this.isDark() ? DARK_BACKGROUND : LIGHT_BACKGROUND)
  }

  /** The page's own URL with this board's fragment: what a friend opens to join. */
  private shareLink(): string {
    return `${location.origin}${location.pathname}${location.search}${boardFragment({ board: this.board, key: this.key })}`
  }

  private newBoard(): void {
    const address = newBoardAddress()
    this.board = address.board
    this.key = address.key
    this.emit<MeshBoardChangeDetail>('mesh-board-change', address)
  }

  /** How each person on the board is reached, by the peer id their presence carries. */
  private peerLinks(): ReadonlyMap<string, PeerLink> {
    const links = new Map<string, PeerLink>()
    const session = this.session
    if (!session) return links
    const unreachable = session.unreachablePeers
    for (const peer of this.presence.peers) {
      if (!peer.peerId) continue
      links.set(peer.peerId, linkOf(session, unreachable, peer.peerId))
    }
    return links
  }

  /** People found but unreachable whose presence never arrived (nothing carried it): no avatar shows them otherwise. */
  private unreachableWithoutPresence(): number {
    const unreachable = this.session?.unreachablePeers
    if (!unreachable) return 0
    const present = new Set(this.presence.peers.map((peer) => peer.peerId))
    return [...unreachable].filter((peerId) => !present.has(peerId)).length
  }

  private requireSession(): BoardSession {
    if (!this.session) throw new Error('<mesh-board> has no board yet: call this after it is on the page and rendered (mesh-ready).')
    return this.session
  }

  private sessionConfig(): string {
    return JSON.stringify([this.board, this.key, this.signaling, this.iceServers, this.persist, this.store !== 'off'])
  }

  private createStage(): void {
    this.stage ??= new BoardStage(this.canvas, this.viewport, () => this.publishViewport())
  }

  private openSession(): void {
    this.closeSession()
    if (!this.stage) return
    this.openedConfig = this.sessionConfig()
    const address = isBoardId(this.board) && isBoardKey(this.key) ? { board: this.board, key: this.key } : null
    const session = new BoardSession({
      address,
      signalingUrl: this.signaling || sameOriginSignalingUrl(location),
      iceServers: this.iceServers,
      persist: this.persist,
      serverCopy: this.store !== 'off',
      onChange: () => this.onSessionChange(),
      onError: (error) => this.reportError(error),
      onStream: (peerId, stream) => this.voiceChannel.receive(peerId, stream),
      onReady: () => this.emit<MeshReadyDetail>('mesh-ready', { board: this.board }),
      onStoreProblem: (message) => this.notify(message, 'store'),
      onPeerRefused: (name) => this.notify(`${name ? `${name}’s board` : 'A peer'} sent data this board refused; disconnected.`, 'peer'),
      onWedged: address && this.persist ? () => this.reopenWedged() : null,
    })
    this.session = session
    session.doc.on('afterTransaction', this.onTransaction)
    const stage = this.stage
    const images = new ImageCache(session.doc, () => this.projector?.redrawAll())
    this.images = images
    // Others' selection outlines and this user's frame follow the shapes they surround, so the overlay redraws with them.
    const projector = new Projector(
      session.doc,
      stage.shapesLayer,
      { stroke: strokeRenderer, rectangle: rectangleRenderer, ellipse: ellipseRenderer, line: lineRenderer, arrow: lineRenderer, text: textRenderer, sticky: stickyRenderer, image: imageRenderer(images) },
      {
        onProjected: () => {
          this.presenceLayer?.animate()
          this.editing?.refresh()
        },
        boardArriving: () => session.boardArriving,
        viewArriving: () => this.viewKeeper?.restoring ?? false,
        onSettled: () => this.viewKeeper?.settled(),
      },
    )
    projector.setView({ dark: this.isDark() })
    this.projector = projector
    if (this.persist) this.viewKeeper = new ViewKeeper(projector, session)
    const overlay = new SelectionOverlay(stage.overlayLayer, this.viewport, () => getComputedStyle(this).getPropertyValue('--mesh-accent').trim() || '#3b5bdb')
    this.selectionOverlay = overlay
    const textStyle = () => ({ color: this.preferences.color, fontSize: this.preferences.fontSize, opacity: this.preferences.opacity })
    const editing = new BoardEditing({
      doc: session.doc,
      history: session.history,
      viewport: this.viewport,
      projector,
      overlay,
      host: this,
      editorLayer: this.editorLayer,
      viewSize: () => ({ width: stage.width, height: stage.height }),
      textStyle,
      dark: () => this.isDark(),
      readonly: () => this.readonly,
      publishSelection: (ids) => this.presence.setSelection(ids),
      notify: (message) => this.notify(message),
      onChange: () => this.requestUpdate(),
      onImagePlaced: () => this.setTool('select'),
      onEditEnd: () => {
        if (this.activeTool === 'text' || this.activeTool === 'sticky') this.setTool('select')
      },
    })
    this.editing = editing
    const context: ToolContext = {
      doc: session.doc,
      history: session.history,
      viewport: this.viewport,
      style: (): StrokeStyle => ({ color: this.preferences.color, strokeWidth: this.preferences.strokeWidth, opacity: this.preferences.opacity }),
      fill: () => (this.preferences.fill ? fillTint(this.preferences.color) : null),
      showLaser: (trail) => {
        this.presence.setLaser(trail)
        this.presenceLayer?.animate()
      },
      shapesNear: (point, radius) => projector.shapesNear(point, radius),
      previewErase: (ids) => projector.setDimmed(ids),
      selection: editing.selection,
      shapesInside: (area) => projector.shapesInside(area),
      showMarquee: (area) => overlay.showMarquee(area),
      textStyle,
      noteColor: () => this.preferences.noteColor,
      layoutText: (text, fontSize, width) => layoutText(text, fontSize, width),
      editText: (target) => editing.editText(target),
      pickImage: (at) => this.pickImage(at),
    }
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
    this.presenceLayer = new PresenceLayer(stage.overlayLayer, this.viewport, () => laser.trail(), (id) => projector.bounds(id))
    this.presence.attach(session.awareness, () => session.knownPeerIds())
    this.publishViewport()
    this.input = new InputController({
      element: this.canvas,
      keyTarget: this,
      context,
      // View only: the board can be looked around, never drawn on.
      activeTool: () => (this.readonly ? tools.hand : tools[this.activeTool]),
      onAction: (action) => this.onAction(action),
      onCursor: () => this.updateCursor(),
      onHover: (point) => this.presence.setCursor(point),
      onNavigate: () => (this.following = null),
    })
    this.progressTimer = setInterval(() => this.refreshProgress(), PROGRESS_POLL_MS)
    this.onSessionChange()
  }

  private refreshProgress(): void {
    const receiving = this.session?.receivingBytes ?? 0
    const { left, of } = this.projector?.backlog ?? { left: 0, of: 0 }
    let progress: string | null = null
    if (receiving >= PROGRESS_MIN_BYTES) progress = `Receiving the board… ${(receiving / (1024 * 1024)).toFixed(1)} MB`
    else if (left > 0 && of >= PROGRESS_MIN_SHAPES) progress = `Drawing the board… ${Math.floor((100 * (of - left)) / of)}%`
    if (progress !== this.progress) this.progress = progress
  }

  /**
   * A board whose document stopped applying changes is opened again from what was saved: on this
   * device, every change up to the moment it stopped (nothing after it was stored). Once a minute
   * at most: a board that stops again at once (something it is sent at every opening) is left
   * with the status saying to reload.
   */
  private reopenWedged(): void {
    if (this.reopenedAt !== null && performance.now() - this.reopenedAt < REOPEN_WEDGED_EVERY_MS) return
    this.reopenedAt = performance.now()
    this.openSession()
    this.notify('This board hit an error and was opened again from what was saved on this device. What was drawn in the last second may be lost.', 'storage')
  }

  private closeSession(): void {
    clearInterval(this.progressTimer)
    this.progress = null
    this.voiceChannel.leave()
    this.input?.destroy()
    this.editing?.destroy()
    this.selectionOverlay?.destroy()
    this.viewKeeper?.destroy()
    this.viewKeeper = null
    this.projector?.destroy()
    this.images?.destroy()
    this.presenceLayer?.destroy()
    this.presence.detach()
    if (this.session) {
      this.session.doc.off('afterTransaction', this.onTransaction)
      this.session.destroy()
    }
    this.input = null
    this.editing = null
    this.selectionOverlay = null
    this.projector = null
    this.images = null
    this.presenceLayer = null
    this.session = null
    this.following = null
    this.problem = null
    this.lastStorageError = null
  }

  private readonly onTransaction = (transaction: Y.Transaction) => {
    if (transaction.changed.size === 0) return
    this.requestUpdate()
    this.emit<MeshChangeDetail>('mesh-change', { local: transaction.origin === LOCAL_ORIGIN })
  }

  private onSessionChange(): void {
    const session = this.session
    if (!session) return
    const storageError = session.storeError
    if (storageError !== this.lastStorageError) {
      this.lastStorageError = storageError
      this.problem = storageError
      if (storageError) this.emit<MeshErrorDetail>('mesh-error', { code: 'storage', message: storageError })
    }
    const status = session.status
    if (status !== this.lastStatus) {
      this.lastStatus = status
      this.emit<MeshStatusDetail>('mesh-status', { status })
    }
    // A connection that just opened may be to someone in voice.
    this.voiceChannel.refreshTargets()
    const storeStatus = session.serverStatus
    const storeError = session.serverError
    if (storeStatus !== this.lastStoreStatus || storeError !== this.lastStoreError) {
      this.lastStoreStatus = storeStatus
      this.lastStoreError = storeError
      this.emit<MeshStoreDetail>('mesh-store', { storeStatus, error: storeError })
    }
    const peerCount = session.peerCount
    if (peerCount !== this.lastPeerCount) {
      this.lastPeerCount = peerCount
      this.emit<MeshPeersDetail>('mesh-peers', { peerCount })
    }
    this.requestUpdate()
  }

  private reportError(error: unknown): void {
    const insecure = error instanceof InsecureContextError
    const message = error instanceof Error ? error.message : String(error)
    this.problem = insecure ? message : `Not connected: ${message}`
    this.emit<MeshErrorDetail>('mesh-error', { code: insecure ? 'insecure-context' : 'connection', message: this.problem })
  }

  private onPeers(peers: Presence[]): void {
    this.presenceLayer?.update(
      peers.map((peer) => ({
        clientId: peer.clientId,
        name: peer.user.name,
        color: peer.user.color,
        cursor: peer.cursor,
        laser: peer.laser,
        selection: peer.selection,
      })),
    )
    this.voiceChannel.refreshTargets()
    if (this.following === null) return
    const followed = peers.find((peer) => peer.clientId === this.following)
    if (!followed) this.following = null
    else if (followed.viewport && this.stage) this.viewport.set(cameraShowing(followed.viewport, this.stage.width, this.stage.height))
  }

  private onPeople(event: PeopleEvent): void {
    if (event.kind === 'identity') {
      this.presence.setIdentity(event.name, event.color, event.colorChosen)
      return
    }
    this.following = event.clientId
    this.onPeers(this.presence.peers)
  }

  private publishViewport(): void {
    if (this.stage) this.presence.setViewport(visibleRect(this.viewport.camera, this.stage.width, this.stage.height))
  }

  /** A style choice: remembered for the next shape, and applied to the selection if there is one. */
  private onStyle(event: StyleEvent): void {
    const commands = this.editing?.commands
    const apply = (change: StyleChange) => commands?.style(change)
    switch (event.kind) {
      case 'color':
        this.setPreferences({ color: event.color })
        apply({ kind: 'color', color: event.color })
        break
      case 'width':
        this.setPreferences({ strokeWidth: event.width })
        apply({ kind: 'strokeWidth', strokeWidth: event.width })
        break
      case 'fill':
        this.setPreferences({ fill: event.fill })
        apply({ kind: 'fill', fill: event.fill })
        break
      case 'note':
        this.setPreferences({ noteColor: event.color })
        apply({ kind: 'noteColor', fill: event.color })
        break
      case 'font':
        this.setPreferences({ fontSize: event.size })
        apply({ kind: 'fontSize', fontSize: event.size })
        break
      case 'opacity':
        this.setPreferences({ opacity: event.opacity })
        apply({ kind: 'opacity', opacity: event.opacity })
        break
      case 'reorder':
        commands?.reorder(event.to)
        break
      case 'duplicate':
        commands?.duplicate()
        break
      case 'delete':
        commands?.delete()
        break
    }
  }

  private setPreferences(change: Partial<Preferences>): void {
    this.preferences = { ...this.preferences, ...change }
    savePreferences(this.preferences)
    this.paintGrid()
  }

  private onAction(action: BoardAction): void {
    switch (action.kind) {
      case 'tool':
        if (this.readonly) break
        this.setTool(action.tool)
        // Choosing the image tool asks for a picture straight away (a click on the board asks again).
        if (action.tool === 'image') this.pickImage()
        break
      case 'undo':
        this.undo()
        break
      case 'redo':
        this.redo()
        break
      case 'toggle-mute':
        this.voiceChannel.toggleMute()
        break
      case 'push-to-talk':
        this.voiceChannel.setPushToTalk(action.pressed)
        break
      case 'zoom':
        this.zoom(action.to)
        break
      case 'toggle-grid':
        this.setPreferences({ grid: !this.preferences.grid })
        break
      case 'help':
        this.helpOpen = !this.helpOpen
        break
      default:
        this.onSelectionAction(action)
    }
  }

  private onSelectionAction(action: Extract<BoardAction, { kind: 'delete' | 'duplicate' | 'select-all' | 'deselect' | 'nudge' | 'reorder' }>): void {
    const editing = this.editing
    if (!editing) return
    if (action.kind === 'deselect') return editing.selection.clear()
    if (this.readonly) return
    switch (action.kind) {
      case 'select-all':
        this.setTool('select')
        return editing.commands.selectAll()
      case 'delete':
        return editing.commands.delete()
      case 'duplicate':
        return editing.commands.duplicate()
      case 'nudge':
        if (editing.selection.size === 0) {
          // Nothing selected: the arrow keys move the view instead, a screenful at a time in tenths.
          this.viewport.set(panBy(this.viewport.camera, -Math.sign(action.dx) * PAN_STEP_PX, -Math.sign(action.dy) * PAN_STEP_PX))
          return
        }
        return editing.commands.nudge(action.dx, action.dy)
      case 'reorder':
        return editing.commands.reorder(action.to)
    }
  }

  /** Opens the file picker for an image, to be placed at a board point (default: the middle of the view). */
  private pickImage(at?: Point): void {
    if (this.readonly) return
    this.imageTarget = at
    this.imageInput?.click()
  }

  private imagePicked(event: Event): void {
    const input = event.target as HTMLInputElement
    const file = input.files?.[0]
    input.value = ''
    if (file) void this.editing?.insertImage(file, this.imageTarget)
  }

  private async onFile(event: FileEvent): Promise<void> {
    const session = this.session
    if (!session) return
    try {
      switch (event.kind) {
        case 'open': {
          if (this.readonly) return
          this.importJSON(await event.file.text())
          this.zoomToFit()
          return
        }
        case 'save':
          return download(new Blob([JSON.stringify(this.exportJSON())], { type: 'application/json' }), `${this.fileName()}.meshboard`)
        case 'svg':
          return download(new Blob([this.exportSVG()], { type: 'image/svg+xml' }), `${this.fileName()}.svg`)
        case 'png': {
          const shapes = event.selection ? (this.editing?.selectedShapes() ?? []) : readAllShapes(session.doc).shapes
          return download(await this.renderPng(shapes), `${this.fileName()}${event.selection ? '-selection' : ''}.png`)
        }
        case 'insert-image':
          return this.pickImage()
        case 'history':
          return this.historyPanel.show()
      }
    } catch (error) {
      this.notify(error instanceof BoardImportError ? `Could not open the file: ${error.message}` : `That did not work: ${(error as Error).message}`)
    }
  }

  /** A name for saved files: the board's title is not a thing yet, so the date and the board id. */
  private fileName(): string {
    const date = new Date().toISOString().slice(0, 10)
    return this.board ? `meshboard-${date}-${this.board.slice(0, 6)}` : `meshboard-${date}`
  }

  /** Shows a message for a few seconds, and reports it as a mesh-error for the embedding page. */
  private notify(message: string, code: MeshErrorDetail['code'] = 'file'): void {
    this.tell(message)
    this.emit<MeshErrorDetail>('mesh-error', { code, message })
  }

  /** Shows a message for a few seconds. */
  private tell(message: string): void {
    clearTimeout(this.noticeTimer)
    this.notice = message
    this.noticeTimer = setTimeout(() => (this.notice = null), NOTICE_MS)
  }

  private zoom(to: 'in' | 'out' | 'reset' | 'fit'): void {
    if (to === 'fit') return this.zoomToFit()
    if (!this.stage) return
    const centre = { x: this.stage.width / 2, y: this.stage.height / 2 }
    const camera = this.viewport.camera
    const factor = to === 'in' ? ZOOM_STEP : to === 'out' ? 1 / ZOOM_STEP : 1 / camera.scale
    this.viewport.set(zoomAt(camera, centre, factor))
  }

  /** The dot grid is a CSS background of the canvas that moves and scales with the camera. */
  private paintGrid(): void {
    const canvas = this.gridLayer
    if (!canvas) return
    canvas.classList.toggle('grid', this.preferences.grid)
    const { x, y, scale } = this.viewport.camera
    // Far out, every fourth dot only: a dense grid would turn into a grey wash.
    const spacing = GRID_SPACING * scale * (scale < 0.5 ? 4 : 1)
    canvas.style.setProperty('--grid-size', `${spacing}px`)
    canvas.style.setProperty('--grid-x', `${x}px`)
    canvas.style.setProperty('--grid-y', `${y}px`)
  }

  private onView(event: ViewEvent): void {
    if (event.kind === 'toggle-theme') this.theme = this.isDark() ? 'light' : 'dark'
    else this.onAction(event)
  }

  /** What the history panel needs of the board. */
  private historyHost(): HistoryHost {
    const board = this
    return {
      get session() {
        return board.session
      },
      get readonly() {
        return board.readonly
      },
      picture: (doc) => exportSvg(readAllShapes(doc).shapes, { background: this.background(), dark: this.isDark(), asset: (hash) => readAsset(doc, hash) }),
      tell: (message) => this.tell(message),
      closed: () => this.focus({ preventScroll: true, focusVisible: false } as FocusOptions),
    }
  }

  private closeHelp(): void {
    this.helpOpen = false
    // Back to the board, so shortcuts work again; no ring, as after a click.
    this.focus({ preventScroll: true, focusVisible: false } as FocusOptions)
  }

  private onVoice(event: VoiceEvent): void {
    switch (event.kind) {
      case 'join':
        void this.voiceChannel.join()
        break
      case 'leave':
        this.voiceChannel.leave()
        break
      case 'mute':
        this.voiceChannel.toggleMute()
        break
      case 'device':
        void this.voiceChannel.selectDevice(event.deviceId)
        break
      case 'volume':
        this.voiceChannel.setVolume(event.clientId, event.volume)
        break
      case 'silence':
        this.voiceChannel.toggleSilenced(event.clientId)
        break
    }
  }

  private updateCursor(): void {
    this.cursor = this.input?.cursor ?? 'default'
  }

  private emit<T>(type: string, detail: T): void {
    dispatch(this, type, detail)
  }
}

/** Saves a blob as a file through a temporary link. */
function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  // The download has started by now; the URL can go once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** Every public event bubbles out of shadow roots and carries a typed detail (DESIGN.md §11). */
function dispatch<T>(target: EventTarget, type: string, detail: T): void {
  target.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }))
}

/** How one person is reached, in the people panel's words (mesh-people.ts). */
function linkOf(session: BoardSession, unreachable: ReadonlySet<string>, peerId: string): PeerLink {
  if (session.relayedPeers.has(peerId)) return 'server'
  if (session.isDirect(peerId)) return session.isThroughTurn(peerId) ? 'turn' : 'direct'
  return unreachable.has(peerId) ? 'unreachable' : 'connecting'
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-board': MeshBoard
  }
  interface HTMLElementEventMap {
    'mesh-ready': CustomEvent<MeshReadyDetail>
    'mesh-change': CustomEvent<MeshChangeDetail>
    'mesh-peers': CustomEvent<MeshPeersDetail>
    'mesh-status': CustomEvent<MeshStatusDetail>
    'mesh-store': CustomEvent<MeshStoreDetail>
    'mesh-error': CustomEvent<MeshErrorDetail>
    'mesh-board-change': CustomEvent<MeshBoardChangeDetail>
  }
}
