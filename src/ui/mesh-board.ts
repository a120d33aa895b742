/**
 * `<mesh-board>`: a collaborative whiteboard, peer to peer.
 *
 * @element mesh-board
 *
 * @attr board - Board id. With `key`, names the shared board; without them the board is a
 *   scratch board that lives only in this element.
 * @attr key - The board's secret key (at least 128 bits, base64url). It encrypts signaling and
 *   never leaves the browser except to peers of the same board.
 * @attr signaling - WebSocket URL of the signaling server. Default: `/signal` on the page's origin.
 *
 * @prop {RTCIceServer[]} iceServers - STUN/TURN servers for WebRTC. Default: none (local networks).
 * @prop {'pen' | 'hand' | 'laser'} tool - The active tool.
 * @prop {number} peerCount - Read-only: peers connected over WebRTC.
 * @prop {'offline' | 'connecting' | 'connected'} status - Read-only: whether peers can be reached.
 * @prop {Y.Doc} doc - Read-only: the board's Yjs document.
 * @prop {Awareness} awareness - Read-only: the y-protocols awareness (presence) of this board.
 * @prop {VoiceState} voiceState - Read-only: the voice channel as this user sees it.
 *
 * @method exportJSON - `{ version, shapes: [{ id, type, ... }] }` in z-order, bottom first; stroke
 *   points as `[x, y, pressure?]` in board coordinates.
 * @method importJSON - Replaces the board's content with such a JSON (object or string), as one
 *   undoable step. Shapes without an `id` get a new one. Throws `BoardImportError` on bad input,
 *   leaving the board unchanged.
 * @method undo - Undoes this user's last action (never someone else's).
 * @method redo - Redoes it.
 *
 * @fires {CustomEvent<MeshChangeDetail>} mesh-change - The document changed (`local`: by this user).
 * @fires {CustomEvent<MeshPeersDetail>} mesh-peers - The number of connected peers changed.
 * @fires {CustomEvent<MeshStatusDetail>} mesh-status - `status` changed.
 * @fires {CustomEvent<MeshErrorDetail>} mesh-error - Something failed that the user should know about.
 * @fires {CustomEvent<MeshBoardChangeDetail>} mesh-board-change - The user started a new board from
 *   the share panel; `board` and `key` now name it (the app puts them in its URL).
 *
 * @csspart toolbar - The toolbar.
 * @csspart status - The status pill.
 * @csspart people - The people panel (avatars, follow, your name and colour).
 * @csspart share - The share button and its panel.
 * @csspart voice - The voice panel (join, mute, microphone, people in voice).
 * @csspart canvas - The drawing surface.
 *
 * @cssprop --mesh-background - Board background.
 * @cssprop --mesh-panel-background - Background of toolbar and status.
 * @cssprop --mesh-panel-color - Text and icon colour of toolbar and status.
 * @cssprop --mesh-accent - Colour of the active tool and focus rings.
 * @cssprop --mesh-font - Font of the panels.
 */
import { LitElement, css, html } from 'lit'
import { customElement, property, query, state } from 'lit/decorators.js'
import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import { LOCAL_ORIGIN } from '../model/board-doc'
import { exportBoard, importBoard, type BoardJSON } from '../model/board-json'
import type { StrokeStyle } from '../model/shapes'
import { InsecureContextError, boardFragment, isBoardId, isBoardKey, newBoardAddress, sameOriginSignalingUrl } from '../net/board-address'
import type { ConnectionStatus } from '../net/board-connection'
import type { Presence } from '../net/presence'
import { BoardStage } from '../render/board-stage'
import { Viewport, cameraShowing, visibleRect } from '../render/camera'
import { PresenceLayer } from '../render/presence-layer'
import { Projector } from '../render/projector'
import { strokeRenderer } from '../render/shapes/stroke'
import { HandTool } from '../tools/hand/hand-tool'
import { InputController } from '../tools/input'
import { LaserTool } from '../tools/laser/laser-tool'
import { PenTool } from '../tools/pen/pen-tool'
import type { BoardAction } from '../tools/shortcuts'
import { isToolName, type ToolContext, type ToolName } from '../tools/tool'
import { BoardSession } from './board-session'
import type { PeopleEvent } from './mesh-people'
import type { ToolbarEvent } from './mesh-toolbar'
import { PALETTE, WIDTHS } from './palette'
import { PresenceController } from './presence-controller'
import { VoiceController, type VoiceState } from './voice-controller'
import type { VoiceEvent } from './mesh-voice'
import './mesh-people'
import './mesh-voice'
import './mesh-share'
import './mesh-status'
import './mesh-toolbar'

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
export interface MeshErrorDetail {
  readonly code: 'storage' | 'insecure-context' | 'connection' | 'voice'
  readonly message: string
}

@customElement('mesh-board')
export class MeshBoard extends LitElement {
  @property({ reflect: true }) board = ''
  @property({ reflect: true }) key = ''
  @property() signaling = ''
  @property({ attribute: false }) iceServers: RTCIceServer[] = []

  @state() private activeTool: ToolName = 'pen'
  @state() private strokeColor = PALETTE[0]!.value
  @state() private strokeWidth = WIDTHS[1]!.value
  @state() private problem: string | null = null
  @state() private cursor = 'crosshair'
  /** The client id of the person whose view this user follows. */
  @state() private following: number | null = null
  @query('.canvas') private canvas!: HTMLDivElement

  private session: BoardSession | null = null
  private stage: BoardStage | null = null
  private projector: Projector | null = null
  private input: InputController | null = null
  private tools: { pen: PenTool; hand: HandTool; laser: LaserTool } | null = null
  private presenceLayer: PresenceLayer | null = null
  private readonly presence = new PresenceController(this, (peers) => this.onPeers(peers))
  private readonly voice = new VoiceController(this, {
    mesh: () => this.session?.voice ?? null,
    peers: () => this.presence.peers,
    publish: (voice) => this.presence.setVoice(voice),
    onError: (message) => this.emit<MeshErrorDetail>('mesh-error', { code: 'voice', message }),
  })
  private readonly viewport = new Viewport()
  private openedConfig = ''
  private lastStatus: ConnectionStatus | null = null
  private lastPeerCount = -1

  static override styles = css`
    :host {
      display: block;
      position: relative;
      overflow: hidden;
      min-height: 200px;
      background: var(--mesh-background, #fbfbfa);
      outline: none;
      contain: strict;
    }
    .canvas {
      position: absolute;
      inset: 0;
      touch-action: none;
      outline: none;
    }
    mesh-toolbar {
      position: absolute;
      top: 12px;
      left: 50%;
      transform: translateX(-50%);
    }
    mesh-status {
      position: absolute;
      left: 12px;
      bottom: 12px;
    }
    mesh-voice {
      position: absolute;
      right: 12px;
      bottom: 12px;
    }
    .top-right {
      position: absolute;
      top: 12px;
      right: 12px;
      display: flex;
      gap: 8px;
      align-items: flex-start;
    }
    .following {
      position: absolute;
      inset: 0;
      pointer-events: none;
      box-shadow: inset 0 0 0 3px var(--color);
    }
    .following span {
      position: absolute;
      left: 50%;
      bottom: 12px;
      transform: translateX(-50%);
      padding: 4px 10px;
      border-radius: 999px;
      background: var(--color);
      color: #ffffff;
      font: 600 12px/1.4 system-ui, sans-serif;
    }
    /* Narrow boards: the toolbar moves to the bottom so it never sits under the people panel. */
    @media (max-width: 860px) {
      mesh-toolbar {
        top: auto;
        bottom: 56px;
      }
    }
  `

  get tool(): ToolName {
    return this.activeTool
  }

  set tool(name: ToolName) {
    if (!isToolName(name)) throw new TypeError(`Unknown tool "${String(name)}"`)
    if (name === this.activeTool) return
    this.input?.cancelAll()
    this.activeTool = name
    this.updateCursor()
  }

  get peerCount(): number {
    return this.session?.peerCount ?? 0
  }

  get status(): ConnectionStatus {
    return this.session?.status ?? 'offline'
  }

  get doc(): Y.Doc | null {
    return this.session?.doc ?? null
  }

  get awareness(): Awareness | null {
    return this.session?.awareness ?? null
  }

  /** Read-only: the voice channel as this user sees it (joined, muted, who talks, problems). */
  get voiceState(): VoiceState {
    return this.voice.state
  }

  exportJSON(): BoardJSON {
    return exportBoard(this.requireSession().doc)
  }

  importJSON(json: BoardJSON | string): void {
    const session = this.requireSession()
    session.history.beginGesture()
    importBoard(session.doc, json)
  }

  undo(): void {
    this.session?.history.undo()
  }

  redo(): void {
    this.session?.history.redo()
  }

  override connectedCallback(): void {
    super.connectedCallback()
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0
    if (this.hasUpdated) this.openSession()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.closeSession()
  }

  protected override firstUpdated(): void {
    this.stage = new BoardStage(this.canvas, this.viewport, () => this.publishViewport())
    this.viewport.onChange(() => this.publishViewport())
    this.openSession()
  }

  protected override updated(): void {
    // Switching board, key or network settings leaves the old room and joins the new one.
    if (this.stage && this.session && this.sessionConfig() !== this.openedConfig) this.openSession()
  }

  override render() {
    return html`
      <div class="canvas" part="canvas" style=${`cursor:${this.cursor}`}></div>
      <mesh-toolbar
        part="toolbar"
        .tool=${this.activeTool}
        .color=${this.strokeColor}
        .width=${this.strokeWidth}
        ?can-undo=${this.session?.history.canUndo ?? false}
        ?can-redo=${this.session?.history.canRedo ?? false}
        @toolbar=${(event: CustomEvent<ToolbarEvent>) => this.onToolbar(event.detail)}
      ></mesh-toolbar>
      <mesh-status
        part="status"
        .status=${this.status}
        .peerCount=${this.peerCount}
        .saved=${this.session?.storeState ?? 'off'}
        .problem=${this.problem}
      ></mesh-status>
      <div class="top-right">
        <mesh-people
          part="people"
          .self=${this.presence.self}
          .selfVoice=${this.voice.joined ? { muted: this.voice.state.muted, level: this.voice.state.level } : null}
          .peers=${this.presence.peers}
          .following=${this.following}
          @people=${(event: CustomEvent<PeopleEvent>) => this.onPeople(event.detail)}
        ></mesh-people>
        ${this.board && this.key
          ? html`<mesh-share part="share" .link=${this.shareLink()} @new-board=${() => this.newBoard()}></mesh-share>`
          : ''}
      </div>
      <mesh-voice part="voice" .state=${this.voice.state} @voice=${(event: CustomEvent<VoiceEvent>) => this.onVoice(event.detail)}></mesh-voice>
      ${this.renderFollowing()}
    `
  }

  private renderFollowing() {
    const peer = this.presence.peers.find((presence) => presence.clientId === this.following)
    if (!peer) return ''
    return html`<div class="following" style=${`--color:${peer.user.color}`}><span>Following ${peer.user.name} — move the board to stop</span></div>`
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

  private requireSession(): BoardSession {
    if (!this.session) throw new Error('<mesh-board> is not connected to a document yet')
    return this.session
  }

  private sessionConfig(): string {
    return JSON.stringify([this.board, this.key, this.signaling, this.iceServers])
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
      persist: true,
      onChange: () => this.onSessionChange(),
      onError: (error) => this.reportError(error),
      onStream: (peerId, stream) => this.voice.receive(peerId, stream),
    })
    this.session = session
    session.doc.on('afterTransaction', this.onTransaction)
    const context: ToolContext = {
      doc: session.doc,
      history: session.history,
      viewport: this.viewport,
      style: (): StrokeStyle => ({ color: this.strokeColor, width: this.strokeWidth, opacity: 1 }),
      showLaser: (trail) => {
        this.presence.setLaser(trail)
        this.presenceLayer?.animate()
      },
    }
    const tools = { pen: new PenTool(context), hand: new HandTool(context), laser: new LaserTool(context) }
    this.tools = tools
    // Others' selection outlines follow the shapes they surround, so the overlay redraws with them.
    this.projector = new Projector(session.doc, this.stage.shapesLayer, { stroke: strokeRenderer }, () => this.presenceLayer?.animate())
    const projector = this.projector
    this.presenceLayer = new PresenceLayer(
      this.stage.overlayLayer,
      this.viewport,
      () => tools.laser.trail(),
      (id) => projector.bounds(id),
    )
    this.presence.attach(session.awareness)
    this.publishViewport()
    this.input = new InputController({
      element: this.canvas,
      keyTarget: this,
      context,
      activeTool: () => this.tools?.[this.activeTool] ?? null,
      onAction: (action) => this.onAction(action),
      onCursor: () => this.updateCursor(),
      onHover: (point) => this.presence.setCursor(point),
      onNavigate: () => (this.following = null),
    })
    this.onSessionChange()
  }

  private closeSession(): void {
    this.voice.leave()
    this.input?.destroy()
    this.projector?.destroy()
    this.presenceLayer?.destroy()
    this.presence.detach()
    this.presenceLayer = null
    this.following = null
    if (this.session) {
      this.session.doc.off('afterTransaction', this.onTransaction)
      this.session.destroy()
    }
    this.input = null
    this.projector = null
    this.session = null
    this.tools = null
  }

  private readonly onTransaction = (transaction: Y.Transaction) => {
    if (transaction.changed.size === 0) return
    this.requestUpdate()
    this.emit<MeshChangeDetail>('mesh-change', { local: transaction.origin === LOCAL_ORIGIN })
  }

  private onSessionChange(): void {
    const session = this.session
    if (!session) return
    this.problem = session.storeError
    if (session.storeState === 'error' && session.storeError) this.emit<MeshErrorDetail>('mesh-error', { code: 'storage', message: session.storeError })
    const status = session.status
    if (status !== this.lastStatus) {
      this.lastStatus = status
      this.emit<MeshStatusDetail>('mesh-status', { status })
    }
    const peerCount = session.peerCount
    // A connection that just opened may be to someone in voice.
    this.voice.refreshTargets()
    if (peerCount !== this.lastPeerCount) {
      this.lastPeerCount = peerCount
      this.emit<MeshPeersDetail>('mesh-peers', { peerCount })
    }
    this.requestUpdate()
  }

  private reportError(error: unknown): void {
    const insecure = error instanceof InsecureContextError
    const message = insecure ? error.message : `Could not connect: ${error instanceof Error ? error.message : String(error)}`
    this.problem = message
    this.emit<MeshErrorDetail>('mesh-error', { code: insecure ? 'insecure-context' : 'connection', message })
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
    this.voice.refreshTargets()
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

  private onToolbar(event: ToolbarEvent): void {
    switch (event.kind) {
      case 'tool':
        this.tool = event.tool
        break
      case 'color':
        this.strokeColor = event.color
        break
      case 'width':
        this.strokeWidth = event.width
        break
      case 'undo':
        this.undo()
        break
      case 'redo':
        this.redo()
        break
    }
  }

  private onAction(action: BoardAction): void {
    switch (action.kind) {
      case 'tool':
        this.tool = action.tool
        break
      case 'undo':
        this.undo()
        break
      case 'redo':
        this.redo()
        break
      case 'toggle-mute':
        this.voice.toggleMute()
        break
      case 'push-to-talk':
        this.voice.setPushToTalk(action.pressed)
        break
    }
  }

  private onVoice(event: VoiceEvent): void {
    switch (event.kind) {
      case 'join':
        void this.voice.join()
        break
      case 'leave':
        this.voice.leave()
        break
      case 'mute':
        this.voice.toggleMute()
        break
      case 'device':
        void this.voice.selectDevice(event.deviceId)
        break
      case 'volume':
        this.voice.setVolume(event.clientId, event.volume)
        break
      case 'silence':
        this.voice.toggleSilenced(event.clientId)
        break
    }
  }

  private updateCursor(): void {
    this.cursor = this.input?.cursor ?? 'default'
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }))
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-board': MeshBoard
  }
  interface HTMLElementEventMap {
    'mesh-change': CustomEvent<MeshChangeDetail>
    'mesh-peers': CustomEvent<MeshPeersDetail>
    'mesh-status': CustomEvent<MeshStatusDetail>
    'mesh-error': CustomEvent<MeshErrorDetail>
    'mesh-board-change': CustomEvent<MeshBoardChangeDetail>
  }
}
