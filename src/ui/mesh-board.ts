/** `<mesh-board>`: the whole whiteboard as one custom element. Its reference is the JSDoc on the class. */
import { LitElement, html, type PropertyValues } from 'lit'
import { customElement, property, query, state } from 'lit/decorators.js'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { BoardJSON } from '../model/board-json'
import { withStyle, type StyleChange } from '../model/shape-spec'
import { InsecureContextError, boardFragment, isBoardId, isBoardKey, newBoardAddress, sameOriginSignalingUrl } from '../net/board-address'
import type { ConnectionStatus } from '../net/board-connection'
import type { ServerStoreStatus } from '../store/server-store'
import { actionForKey, runAction, type ActionHost, type BoardAction } from '../editor/actions'
import { BoardEditor } from '../editor/board-editor'
import { BoardStage } from '../render/board-stage'
import { KonvaSurface } from '../render/board-surface'
import { Viewport, type Point } from '../render/camera'
import { InputController } from '../tools/input'
import type { ToolName } from '../tools/tool'
import { iceServersAttribute, isTheme, onUnlessFalse, type Theme } from './attributes'
import { BoardEditing } from './board-editing'
import { runFileCommand } from './board-files'
import { paintGrid } from './grid'
import { meshBoardStyles } from './mesh-board-styles'
import {
  emit,
  type MeshBoardChangeDetail,
  type MeshChangeDetail,
  type MeshErrorDetail,
  type MeshPeersDetail,
  type MeshReadyDetail,
  type MeshStatusDetail,
  type MeshStoreDetail,
} from './mesh-events'
import type { FileEvent } from './mesh-file-menu'
import { HistoryController, type HistoryHost } from './history-controller'
import type { PeopleEvent } from './mesh-people'
import type { ToolbarEvent } from './mesh-toolbar'
import type { ViewEvent } from './mesh-view-controls'
import { peerLinks, unreachableWithoutPresence } from './peer-links'
import { loadPreferences, savePreferences, type Preferences } from './preferences'
import { NoticeController } from './notice-controller'
import { PresenceController } from './presence-controller'
import { SessionEvents } from './session-events'
import { styleTarget, swatchOf, type StyleTarget } from './style-target'
import { VoiceController, type VoiceEvent, type VoiceState } from './voice-controller'
import './mesh-file-menu'
import './mesh-people'
import './mesh-share'
import './mesh-style-panel'
import './mesh-status'
import './mesh-toolbar'
import './mesh-help'
import './mesh-view-controls'
import './mesh-voice'

export { ReadonlyBoardError } from '../editor/board-editor'
export type { MeshBoardChangeDetail, MeshChangeDetail, MeshErrorDetail, MeshPeersDetail, MeshReadyDetail, MeshStatusDetail, MeshStoreDetail } from './mesh-events'

/** A board that stopped applying changes is opened again at most this often (reopenWedged). */
const REOPEN_WEDGED_EVERY_MS = 60_000
/** Boards narrower than this (embeds) start with the style panel closed: it would cover too much. */
const COMPACT_BOARD_WIDTH = 720
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

  /** Style of the next shape and the grid: the user's last choices, on every board. */
  @state() private preferences: Preferences = loadPreferences()
  @state() private helpOpen = false
  @state() private problem: string | null = null
  /** Whether the style panel is open, once the user chose; null: by the board's size. */
  @state() private styleOpen: boolean | null = null
  @state() private cursor = 'crosshair'
  @query('.canvas') private canvas!: HTMLDivElement
  @query('.grid-layer') private gridLayer!: HTMLDivElement
  @query('.editor-layer') private editorLayer!: HTMLDivElement
  @query('.image-input') private imageInput!: HTMLInputElement

  private stage: BoardStage | null = null
  private input: InputController | null = null
  private editing: BoardEditing | null = null
  /** Where an image picked with the image tool goes. */
  private imageTarget: Point | undefined
  private readonly viewport = new Viewport()
  private readonly presence = new PresenceController(this, (peers) => {
    this.editor.peersChanged(peers)
    this.voiceChannel.refreshTargets()
  })
  private readonly voiceChannel = new VoiceController(this, {
    mesh: () => this.session?.voice ?? null,
    peers: () => this.presence.peers,
    publish: (voice) => this.presence.setVoice(voice),
    onError: (message) => emit<MeshErrorDetail>(this, 'mesh-error', { code: 'voice', message }),
  })
  private readonly historyPanel = new HistoryController(this, this.historyHost())
  private readonly actions = this.actionHost()
  private readonly notice = new NoticeController(this)
  private readonly events = new SessionEvents(this)
  private readonly darkScheme = matchMedia('(prefers-color-scheme: dark)')
  private readonly editor = new BoardEditor({
    surface: new KonvaSurface(
      () => this.requireStage(),
      this.viewport,
      () => getComputedStyle(this).getPropertyValue('--mesh-accent').trim() || '#3b5bdb',
    ),
    viewport: this.viewport,
    presence: this.presence,
    nextStyle: () => this.preferences,
    dark: () => this.isDark(),
    background: () => this.background(),
    editText: (target) => this.editing?.editText(target),
    pickImage: (at) => this.pickImage(at),
    onToolChange: () => {
      this.editing?.editor.close()
      this.input?.forget()
      this.updateCursor()
      this.requestUpdate()
    },
    onChange: () => this.requestUpdate(),
    onDocumentChange: (local) => {
      this.requestUpdate()
      emit<MeshChangeDetail>(this, 'mesh-change', { local })
    },
    onFrame: () => this.input?.hoverTick(),
  })
  private openedConfig = ''
  /** When a board that stopped applying changes was last opened again (reopenWedged). */
  private reopenedAt: number | null = null

  get tool(): ToolName {
    return this.editor.tool
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
    return this.editor.loading
  }

  get doc(): Y.Doc | null {
    return this.editor.doc
  }

  get awareness(): Awareness | null {
    return this.session?.awareness ?? null
  }

  get voiceState(): VoiceState {
    return this.voiceChannel.state
  }

  /** Selects a tool by name (see `tool`). */
  setTool(name: ToolName): void {
    this.editor.setTool(name)
  }

  /** `{ version, shapes }` in z-order, bottom first; stroke points `[x, y, pressure?]` in board coordinates. */
  exportJSON(): BoardJSON {
    return this.editor.exportJSON()
  }

  /**
   * Replaces the board's content with a board JSON (object or string) as one undoable step.
   * Throws BoardImportError on bad input (the board is left unchanged), ReadonlyBoardError when read-only.
   */
  importJSON(json: BoardJSON | string): void {
    this.editor.importJSON(json)
  }

  /** The whole board as a standalone SVG document (images embedded). */
  exportSVG(): string {
    return this.editor.exportSVG()
  }

  /** The whole board as a PNG at twice its size. */
  exportPNG(): Promise<Blob> {
    return this.editor.exportPNG()
  }

  /** Undoes this user's last action (never someone else's). */
  undo(): void {
    this.editor.undo()
  }

  redo(): void {
    this.editor.redo()
  }

  /** Moves the camera so that everything on the board is in view. */
  zoomToFit(): void {
    this.editor.zoomToFit()
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
    super.disconnectedCallback()
    this.darkScheme.removeEventListener('change', this.onSchemeChange)
    // Off the page means gone: peer connections, sockets, timers, listeners and the stage are all released.
    this.closeSession()
    this.input?.destroy()
    this.input = null
    this.stage?.destroy()
    this.stage = null
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('theme') && !isTheme(this.theme)) this.theme = 'light'
  }

  protected override firstUpdated(): void {
    let scale = this.viewport.camera.scale
    this.viewport.onChange((camera) => {
      this.editor.publishViewport()
      this.paintGrid()
      // The zoom level shown changes with the scale only, not with every pan.
      if (camera.scale !== scale) this.requestUpdate()
      scale = camera.scale
    })
    this.paintGrid()
    this.createStage()
    this.openSession()
  }

  protected override updated(): void {
    this.editor.themeChanged()
    this.editor.readonly = this.readonly
    this.presence.setOverride(this.userName, this.userColor)
    if (!this.voice) this.voiceChannel.leave()
    // Switching board, key, network or storage settings leaves the old room and joins the new one.
    if (this.stage && this.session && this.sessionConfig() !== this.openedConfig) this.openSession()
  }

  override render() {
    const style = this.styleTarget()
    const identityFixed = this.userName !== '' || this.userColor !== ''
    const session = this.session
    const progress = this.editor.progress
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
                ?selection=${(this.editor.selection?.size ?? 0) > 0}
                ?readonly=${this.readonly}
                @meshui-file=${(event: CustomEvent<FileEvent>) => void this.onFile(event.detail)}
              ></mesh-file-menu>`
            : ''}
          ${this.renderStyleToggle(style)}
        </div>
        ${this.toolbar && !this.readonly
          ? html`<mesh-toolbar
              part="toolbar"
              .tool=${this.editor.tool}
              ?can-undo=${session?.history.canUndo ?? false}
              ?can-redo=${session?.history.canRedo ?? false}
              @meshui-toolbar=${(event: CustomEvent<ToolbarEvent>) => this.onAction(event.detail)}
            ></mesh-toolbar>`
          : ''}
        <div class="end">
          <mesh-people
            part="people"
            .self=${this.presence.self}
            .selfEditable=${!identityFixed}
            .selfVoice=${this.voiceChannel.joined ? { muted: this.voiceState.muted, level: this.voiceState.level } : null}
            .peers=${this.presence.peers}
            .links=${peerLinks(session, this.presence.peers)}
            .unreachable=${unreachableWithoutPresence(session, this.presence.peers)}
            .following=${this.editor.following}
            @meshui-people=${(event: CustomEvent<PeopleEvent>) => this.onPeople(event.detail)}
          ></mesh-people>
          ${this.board && this.key ? html`<mesh-share part="share" .link=${this.shareLink()} @meshui-new-board=${() => this.newBoard()}></mesh-share>` : ''}
        </div>
      </div>
      <div class="bar bottom">
        <mesh-status
          part="status"
          .status=${this.status}
          .peerCount=${this.peerCount}
          .saved=${session?.storeState ?? 'off'}
          .server=${this.storeStatus}
          .serverError=${session?.serverError ?? null}
          .relayed=${session?.relayedPeers.size ?? 0}
          .connecting=${session?.connectingPeerCount ?? 0}
          .unreachable=${session?.unreachablePeers.size ?? 0}
          .problem=${this.problem}
          .viewOnly=${this.readonly}
        ></mesh-status>
        <mesh-view-controls
          part="view"
          .zoom=${this.viewport.camera.scale}
          .grid=${this.preferences.grid}
          .dark=${this.isDark()}
          @meshui-view=${(event: CustomEvent<ViewEvent>) => this.onView(event.detail)}
        ></mesh-view-controls>
        ${this.voice
          ? html`<mesh-voice part="voice" .state=${this.voiceState} @meshui-voice=${(event: CustomEvent<VoiceEvent>) => this.voiceChannel.run(event.detail)}></mesh-voice>`
          : html`<span></span>`}
      </div>
      ${this.renderStylePanel(style)}
      ${this.helpOpen ? html`<mesh-help part="help" @close=${() => this.closeHelp()}></mesh-help>` : ''}
      ${this.historyPanel.render()}
      ${this.renderFollowing()}
      ${progress ? html`<div class="progress" role="status">${progress}</div>` : ''}
      ${this.notice.render()}
    `
  }

  private get session() {
    return this.editor.session
  }

  /** The style panel, when open and there is something to style. */
  private renderStylePanel(target: StyleTarget | null) {
    if (!target || !this.styleShown()) return ''
    return html`<mesh-style-panel
      part="style"
      .target=${target}
      .dark=${this.isDark()}
      @meshui-style=${(event: CustomEvent<StyleChange>) => this.onStyle(event.detail)}
      @meshui-action=${(event: CustomEvent<BoardAction>) => this.onAction(event.detail)}
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
      style=${`--swatch:${swatchOf(target, this.isDark())}`}
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
    return styleTarget(this.editor.selectedShapes(), this.editor.tool, this.preferences)
  }

  private renderFollowing() {
    const peer = this.presence.peers.find((presence) => presence.clientId === this.editor.following)
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
    emit<MeshBoardChangeDetail>(this, 'mesh-board-change', address)
  }

  private sessionConfig(): string {
    return JSON.stringify([this.board, this.key, this.signaling, this.iceServers, this.persist, this.store !== 'off'])
  }

  private requireStage(): BoardStage {
    if (!this.stage) throw new Error('<mesh-board> is not rendered yet.')
    return this.stage
  }

  private createStage(): void {
    this.stage ??= new BoardStage(this.canvas, this.viewport, () => this.editor.publishViewport())
    this.input ??= new InputController({
      element: this.canvas,
      keyTarget: this,
      viewport: this.viewport,
      gestures: () => this.editor.gestures,
      activeTool: () => this.editor.currentTool,
      keyAction: actionForKey,
      onAction: (action) => this.onAction(action),
      onCursor: () => this.updateCursor(),
      onHover: (point) => this.presence.setCursor(point),
      onNavigate: () => this.editor.navigated(),
      onInteraction: () => this.editor.noteInteraction(),
    })
  }

  private openSession(): void {
    this.closeSession()
    if (!this.stage) return
    this.openedConfig = this.sessionConfig()
    const address = isBoardId(this.board) && isBoardKey(this.key) ? { board: this.board, key: this.key } : null
    this.editor.readonly = this.readonly
    const session = this.editor.open({
      address,
      signalingUrl: this.signaling || sameOriginSignalingUrl(location),
      iceServers: this.iceServers,
      persist: this.persist,
      serverCopy: this.store !== 'off',
      onChange: () => this.onSessionChange(),
      onError: (error) => this.reportError(error),
      onStream: (peerId, stream) => this.voiceChannel.receive(peerId, stream),
      onReady: () => emit<MeshReadyDetail>(this, 'mesh-ready', { board: this.board }),
      onStoreProblem: (message) => this.notify(message, 'store'),
      onPeerRefused: (name) => this.notify(`${name ? `${name}’s board` : 'A peer'} sent data this board refused; disconnected.`, 'peer'),
      onWedged: address && this.persist ? () => this.reopenWedged() : null,
    })
    const stage = this.stage
    const editor = this.editor
    this.editing = new BoardEditing({
      doc: session.doc,
      history: session.history,
      viewport: this.viewport,
      shapes: editor.shapes!,
      selection: editor.selection!,
      editingText: (open) => editor.setEditingText(open),
      host: this,
      editorLayer: this.editorLayer,
      viewSize: () => ({ width: stage.width, height: stage.height }),
      textStyle: () => ({ color: this.preferences.color, fontSize: this.preferences.fontSize, opacity: this.preferences.opacity }),
      dark: () => this.isDark(),
      readonly: () => this.readonly,
      notify: (message) => this.notify(message),
      onImagePlaced: () => this.setTool('select'),
      onEditEnd: () => {
        if (editor.tool === 'text' || editor.tool === 'sticky') this.setTool('select')
      },
    })
    this.onSessionChange()
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
    this.voiceChannel.leave()
    this.editing?.destroy()
    this.editing = null
    this.input?.forget()
    this.editor.close()
    this.problem = null
    this.events.reset()
  }

  private onSessionChange(): void {
    const session = this.session
    if (!session) return
    const storageError = this.events.update(session)
    if (storageError !== undefined) this.problem = storageError
    // A connection that just opened may be to someone in voice.
    this.voiceChannel.refreshTargets()
    this.requestUpdate()
  }

  private reportError(error: unknown): void {
    const insecure = error instanceof InsecureContextError
    const message = error instanceof Error ? error.message : String(error)
    this.problem = insecure ? message : `Not connected: ${message}`
    emit<MeshErrorDetail>(this, 'mesh-error', { code: insecure ? 'insecure-context' : 'connection', message: this.problem })
  }

  private onPeople(event: PeopleEvent): void {
    if (event.kind === 'identity') this.presence.setIdentity(event.name, event.color, event.colorChosen)
    else this.editor.follow(event.clientId)
  }

  /** A style choice: remembered for the next shape, and applied to the selection if there is one. */
  private onStyle(change: StyleChange): void {
    this.setPreferences(withStyle(this.preferences, change))
    this.editor.commands?.style(change)
  }

  private setPreferences(change: Partial<Preferences>): void {
    this.preferences = { ...this.preferences, ...change }
    savePreferences(this.preferences)
    this.paintGrid()
  }

  /** A key press, a toolbar or view button, a style panel button: the actions table runs it (editor/actions.ts). */
  private onAction(action: BoardAction): void {
    runAction(action, this.actions)
  }

  /** What the actions act on: the editor, and the element's own grid, help list, voice and file picker. */
  private actionHost(): ActionHost {
    const board = this
    return {
      get readonly() {
        return board.readonly
      },
      setTool: (tool) => this.setTool(tool),
      pickImage: () => this.pickImage(),
      undo: () => this.editor.undo(),
      redo: () => this.editor.redo(),
      zoom: (to) => this.editor.zoom(to),
      toggleGrid: () => this.setPreferences({ grid: !this.preferences.grid }),
      toggleHelp: () => {
        this.helpOpen = !this.helpOpen
      },
      toggleMute: () => this.voiceChannel.toggleMute(),
      pushToTalk: (pressed) => this.voiceChannel.setPushToTalk(pressed),
      selectAll: () => this.editor.commands?.selectAll(),
      deselect: () => this.editor.selection?.clear(),
      deleteSelection: () => this.editor.commands?.delete(),
      duplicate: () => this.editor.commands?.duplicate(),
      nudge: (dx, dy) => this.editor.nudge(dx, dy),
      reorder: (to) => this.editor.commands?.reorder(to),
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

  private onFile(event: FileEvent): Promise<void> {
    return runFileCommand(event, {
      editor: this.editor,
      readonly: this.readonly,
      board: this.board,
      pickImage: () => this.pickImage(),
      showHistory: () => this.historyPanel.show(),
      notify: (message) => this.notify(message),
    })
  }

  /** Shows a message for a few seconds, and reports it as a mesh-error for the embedding page. */
  private notify(message: string, code: MeshErrorDetail['code'] = 'file'): void {
    this.notice.show(message)
    emit<MeshErrorDetail>(this, 'mesh-error', { code, message })
  }

  private paintGrid(): void {
    if (this.gridLayer) paintGrid(this.gridLayer, this.preferences.grid, this.viewport.camera)
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
      picture: (doc) => this.editor.svgOf(doc),
      tell: (message) => this.notice.show(message),
      closed: () => this.focus({ preventScroll: true, focusVisible: false } as FocusOptions),
    }
  }

  private closeHelp(): void {
    this.helpOpen = false
    // Back to the board, so shortcuts work again; no ring, as after a click.
    this.focus({ preventScroll: true, focusVisible: false } as FocusOptions)
  }

  private updateCursor(): void {
    this.cursor = this.input?.cursor ?? 'default'
  }
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
