/** `<mesh-board>`: the whole whiteboard as one custom element. Its reference is the JSDoc on the class. */
import { LitElement, html, type PropertyValues } from 'lit'
import { customElement, property, query, state } from 'lit/decorators.js'
import { msg, str, updateWhenLocaleChanges } from '@lit/localize'
import { currentLanguage } from '../i18n/current-language'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { BoardFileJSON, BoardJSON } from '../model/board-json'
import { boardFragment, newBoardAddress, sameOriginSignalingUrl } from '../net/board-address'
import type { ConnectionStatus } from '../net/board-connection'
import type { ServerStoreStatus } from '../store/server-store'
import { actionForKey, runAction, type BoardAction } from '../editor/actions'
import { BoardEditor } from '../editor/board-editor'
import { BoardStage } from '../render/board-stage'
import { KonvaSurface } from '../render/board-surface'
import { Viewport } from '../render/camera'
import { InputController } from '../tools/input'
import type { ToolName } from '../tools/tool'
import { iceServersAttribute, isTheme, onUnlessFalse, type Theme } from './attributes'
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
import { LanguageController } from './language-controller'
import { LayoutController } from './layout-controller'
import type { PeopleEvent } from './mesh-people'
import type { ToolbarEvent } from './mesh-toolbar'
import type { ViewEvent } from './mesh-view-controls'
import { peerLinks, unreachableWithoutPresence } from './peer-links'
import { NoticeController } from './notice-controller'
import { PresenceController } from './presence-controller'
import { SessionController, type SessionHost } from './session-controller'
import { StyleController, type StyleHost } from './style-controller'
import { ThemeController } from './theme-controller'
import { VoiceController, type VoiceEvent, type VoiceState } from './voice-controller'
import './mesh-file-menu'
import './mesh-people'
import './mesh-share'
import './mesh-status'
import './mesh-toolbar'
import './mesh-help'
import './mesh-view-controls'
import './mesh-voice'

export { ReadonlyBoardError } from '../editor/board-editor'
export type { MeshBoardChangeDetail, MeshChangeDetail, MeshErrorDetail, MeshPeersDetail, MeshReadyDetail, MeshStatusDetail, MeshStoreDetail } from './mesh-events'


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
 * @attr {string} lang - The interface's language (a BCP 47 tag: `ko`, `ja`, `zh-CN`, `de`…), unless the person
 *   picked one in the board menu. Default: the browser's languages. One language per page (docs/languages.md).
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

  @state() private helpOpen = false
  /** What the live region says now (screen readers read each change). */
  @state() private announcement = ''
  @state() private cursor = 'crosshair'
  @query('.canvas') private canvas!: HTMLDivElement
  @query('.grid-layer') private gridLayer!: HTMLDivElement
  @query('.editor-layer') private editorLayer!: HTMLDivElement

  private stage: BoardStage | null = null
  private input: InputController | null = null
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
  private readonly notice = new NoticeController(this)
  private readonly language = new LanguageController(this)
  /** Wide or compact (a phone, a tablet, a small embed): where the toolbar goes. */
  private readonly layout = new LayoutController(this, () => this.renderRoot.querySelector<HTMLElement>('.bottom-stack'))
  /** Whether the board named itself (the page gave it no name): then the name follows the language. */
  private namedItself = false
  private readonly colors = new ThemeController(this, () => this.theme)
  private readonly editor = new BoardEditor({
    surface: new KonvaSurface(
      () => this.requireStage(),
      this.viewport,
      () => this.colors.accent(),
    ),
    viewport: this.viewport,
    presence: this.presence,
    nextStyle: () => this.styles.preferences,
    dark: () => this.colors.dark,
    background: () => this.colors.background(),
    editText: (target) => this.sessions.editing?.editText(target),
    pickImage: (at) => this.sessions.editing?.pickImage(at),
    onToolChange: () => {
      this.sessions.editing?.editor.close()
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
    announce: (text) => this.announce(text),
  })
  // After the editor, which these hand on.
  /** What key presses, toolbar, view and style panel buttons act on (editor/actions.ts). */
  private readonly actions = this.editor.actionHost({
    toggleGrid: () => this.styles.setPreferences({ grid: !this.styles.preferences.grid }),
    toggleHelp: () => {
      this.helpOpen = !this.helpOpen
    },
    toggleMute: () => this.voiceChannel.toggleMute(),
    pushToTalk: (pressed) => this.voiceChannel.setPushToTalk(pressed),
  })
  /** Style of the next shape and the grid: the user's last choices, on every board. */
  private readonly styles = new StyleController(this, this.styleHost())
  private readonly sessions = new SessionController(this, this.sessionHost())

  constructor() {
    super()
    // Not the @localized() decorator: customElement() defines the class before a decorator above it
    // runs, and a <mesh-board> already in the page is made then, without it.
    updateWhenLocaleChanges(this)
  }

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
  importJSON(json: BoardJSON | BoardFileJSON | string): void {
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
    this.addEventListener('keyup', this.onTabbedTo)
    // A landmark of its own, so that what it holds is found by landmark (and axe's 'region' rule
    // holds) on any page that embeds it; a page may name or role it otherwise.
    if (!this.hasAttribute('role')) this.setAttribute('role', 'region')
    this.namedItself ||= !this.hasAttribute('aria-label') && !this.hasAttribute('aria-labelledby')
    if (this.hasUpdated) {
      this.createStage()
      this.sessions.open()
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.removeEventListener('keyup', this.onTabbedTo)
    // Off the page means gone: peer connections, sockets, timers, listeners and the stage are all
    // released (the session by its controller, in super.disconnectedCallback()).
    this.input?.destroy()
    this.input = null
    this.stage?.destroy()
    this.stage = null
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang']
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value)
    if (name === 'lang' && old !== value) this.language.attributeChanged()
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('theme') && !isTheme(this.theme)) this.theme = 'light'
    if (this.namedItself) this.setAttribute('aria-label', msg('Whiteboard', { id: 'board.label', desc: "the board's name for screen readers" }))
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
    this.sessions.open()
  }

  protected override updated(): void {
    this.editor.themeChanged()
    this.editor.readonly = this.readonly
    this.presence.setOverride(this.userName, this.userColor)
    if (!this.voice) this.voiceChannel.leave()
    this.sessions.reopenIfChanged()
  }

  override render() {
    const style = this.styles.target()
    const identityFixed = this.userName !== '' || this.userColor !== ''
    const session = this.session
    const progress = this.editor.progress
    const toolbar =
      this.toolbar && !this.readonly
        ? html`<mesh-toolbar
            part="toolbar"
            .tool=${this.editor.tool}
            ?can-undo=${session?.history.canUndo ?? false}
            ?can-redo=${session?.history.canRedo ?? false}
            ?compact=${this.layout.compact}
            @meshui-toolbar=${(event: CustomEvent<ToolbarEvent>) => this.onAction(event.detail)}
          ></mesh-toolbar>`
        : ''
    return html`
      <div class="grid-layer"></div>
      <div class="canvas" part="canvas" style=${`cursor:${this.cursor}`}></div>
      <div class="editor-layer"></div>
      <div class="bar top ${this.layout.compact ? 'compact' : ''}">
        <div class="start">
          ${this.toolbar
            ? html`<mesh-file-menu
                part="menu"
                ?selection=${(this.editor.selection?.size ?? 0) > 0}
                ?readonly=${this.readonly}
                .languages=${this.language.languages}
                .language=${this.language.picked}
                .shown=${currentLanguage()}
                .automatic=${this.language.automatic}
                @meshui-file=${(event: CustomEvent<FileEvent>) => void this.onFile(event.detail)}
              ></mesh-file-menu>`
            : ''}
          ${this.styles.renderToggle(style)}
        </div>
        ${this.layout.compact ? '' : toolbar}
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
      <div class="bottom-stack">
        <div class="bar bottom ${this.layout.compact ? 'compact' : ''} ${this.layout.stacked ? 'stacked' : ''}">
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
            .problem=${this.sessions.problem}
            .viewOnly=${this.readonly}
            ?compact=${this.layout.compact}
          ></mesh-status>
          <mesh-view-controls
            part="view"
            .zoom=${this.viewport.camera.scale}
            .grid=${this.styles.preferences.grid}
            .dark=${this.colors.dark}
            @meshui-view=${(event: CustomEvent<ViewEvent>) => this.onView(event.detail)}
          ></mesh-view-controls>
          ${this.voice
            ? html`<mesh-voice part="voice" ?compact=${this.layout.compact} .state=${this.voiceState} @meshui-voice=${(event: CustomEvent<VoiceEvent>) => this.voiceChannel.run(event.detail)}></mesh-voice>`
            : html`<span></span>`}
        </div>
        ${this.layout.compact ? toolbar : ''}
      </div>
      ${this.styles.renderPanel(style)}
      ${this.helpOpen ? html`<mesh-help part="help" @close=${() => this.closeHelp()}></mesh-help>` : ''}
      ${this.historyPanel.render()}
      ${this.renderFollowing()}
      ${progress ? html`<div class="progress" role="status">${progress}</div>` : ''}
      ${this.notice.render()}
      <div class="announcer" role="status" aria-live="polite">${this.announcement}</div>
    `
  }

  private get session() {
    return this.editor.session
  }

  private renderFollowing() {
    const peer = this.presence.peers.find((presence) => presence.clientId === this.editor.following)
    if (!peer) return ''
    const name = peer.user.name
    return html`<div class="following" style=${`--color:${peer.user.color}`}><span>${msg(str`Following ${name} — move the board to stop`, { id: 'following.banner' })}</span></div>`
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

  private onPeople(event: PeopleEvent): void {
    if (event.kind === 'identity') this.presence.setIdentity(event.name, event.color, event.colorChosen)
    else this.editor.follow(event.clientId)
  }

  /** A key press, a toolbar or view button, a style panel button: the actions table runs it (editor/actions.ts). */
  private onAction(action: BoardAction): void {
    runAction(action, this.actions)
  }

  private onFile(event: FileEvent): Promise<void> {
    if (event.kind === 'language') {
      this.language.pick(event.language)
      return Promise.resolve()
    }
    return runFileCommand(event, {
      editor: this.editor,
      readonly: this.readonly,
      board: this.board,
      pickImage: () => this.sessions.editing?.pickImage(),
      showHistory: () => this.historyPanel.show(),
      notify: (message) => this.notify(message),
      tell: (message) => this.notice.show(message),
      background: () => this.colors.background(),
    })
  }

  /** Shows a message for a few seconds, and reports it as a mesh-error for the embedding page. */
  private notify(message: string, code: MeshErrorDetail['code'] = 'file'): void {
    this.notice.show(message)
    emit<MeshErrorDetail>(this, 'mesh-error', { code, message })
  }

  private paintGrid(): void {
    if (this.gridLayer) paintGrid(this.gridLayer, this.styles.preferences.grid, this.viewport.camera)
  }

  private onView(event: ViewEvent): void {
    if (event.kind === 'toggle-theme') this.theme = this.colors.dark ? 'light' : 'dark'
    else this.onAction(event)
  }

  /** What the open board needs of the element. */
  private sessionHost(): SessionHost {
    const board = this
    return {
      element: this,
      editor: this.editor,
      viewport: this.viewport,
      settings: () => ({
        board: this.board,
        key: this.key,
        signalingUrl: this.signaling || sameOriginSignalingUrl(location),
        iceServers: this.iceServers,
        persist: this.persist,
        serverCopy: this.store !== 'off',
      }),
      get readonly() {
        return board.readonly
      },
      get stage() {
        return board.stage
      },
      get editorLayer() {
        return board.editorLayer
      },
      textStyle: () => {
        const { color, fontSize, opacity } = this.styles.preferences
        return { color, fontSize, opacity }
      },
      dark: () => this.colors.dark,
      notify: (message, code) => this.notify(message, code),
      tell: (message) => this.notice.show(message),
      setTool: (tool) => this.setTool(tool),
      onClosing: () => {
        this.voiceChannel.leave()
        this.input?.forget()
      },
      // A connection that just opened may be to someone in voice.
      onChange: () => this.voiceChannel.refreshTargets(),
      onStream: (peerId, stream) => this.voiceChannel.receive(peerId, stream),
    }
  }

  /** What the style panel needs of the element. */
  private styleHost(): StyleHost {
    const board = this
    return {
      editor: this.editor,
      get styleable() {
        return board.toolbar && !board.readonly
      },
      get dark() {
        return board.colors.dark
      },
      get width() {
        return board.stage?.width ?? Infinity
      },
      get compact() {
        return board.layout.compact
      },
      onAction: (action) => this.onAction(action),
      onPreferences: () => this.paintGrid(),
    }
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

  /** Says `text` in the live region; the same words again are changed a little, so that they are read again. */
  private announce(text: string): void {
    this.announcement = this.announcement === text ? `${text}\u00a0` : text
  }

  /**
   * Tabbed to (the board itself, not a control inside): how to get around the shapes. Read on the
   * Tab key's release, since coming back from a control inside fires no focus event on the board.
   */
  private readonly onTabbedTo = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || event.composedPath()[0] !== this) return
    this.announce(msg('Arrow keys go from shape to shape, Enter selects. Press ? for all shortcuts.', { id: 'board.keyboard-hint', desc: 'for screen readers, when the board gets the keyboard focus' }))
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
