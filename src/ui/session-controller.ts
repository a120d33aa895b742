/**
 * The open board of `<mesh-board>`: opens the board its attributes name, opens it again when they
 * change or when its document stopped applying changes, and turns the session's state into the
 * element's events and the status line's problem. With each board it makes the editing that needs
 * the DOM (BoardEditing: text editor, clipboard, drops) and drops it with the board.
 */
import { msg, str } from '@lit/localize'
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import type { BoardEditor } from '../editor/board-editor'
import type { BoardSession } from '../editor/board-session'
import { InsecureContextError, isBoardId, isBoardKey } from '../net/board-address'
import type { BoardStage } from '../render/board-stage'
import type { Viewport } from '../render/camera'
import type { ToolName } from '../tools/tool'
import { BoardEditing } from './board-editing'
import { emit, type MeshErrorDetail, type MeshReadyDetail } from './mesh-events'
import { SessionEvents } from './session-events'

/** A board that stopped applying changes is opened again at most this often (reopenWedged). */
const REOPEN_WEDGED_EVERY_MS = 60_000

/** What names the open board: when any of it changes, the board is opened again. */
export interface SessionSettings {
  readonly board: string
  readonly key: string
  readonly signalingUrl: string
  readonly iceServers: readonly RTCIceServer[]
  readonly persist: boolean
  readonly serverCopy: boolean
}

export interface SessionHost {
  readonly element: HTMLElement
  readonly editor: BoardEditor
  settings(): SessionSettings
  readonly readonly: boolean
  /** The stage the board is drawn on; null before the element is first rendered. */
  readonly stage: BoardStage | null
  readonly viewport: Viewport
  /** The layer over the canvas the text editor opens in. */
  readonly editorLayer: HTMLElement
  textStyle(): { color: string; fontSize: number; opacity: number }
  dark(): boolean
  notify(message: string, code?: MeshErrorDetail['code']): void
  /** Shows a message that reports no failure (no mesh-error). */
  tell(message: string): void
  setTool(tool: ToolName): void
  /** The board is about to close: what belongs to it in the element (voice, pointers) lets go. */
  onClosing(): void
  /** Something observable of the session changed (peers, status, storage). */
  onChange(session: BoardSession): void
  onStream(peerId: string, stream: MediaStream): void
}

export class SessionController implements ReactiveController {
  /** The status line's problem, worded when asked: the words follow the interface's language. */
  private problemText: (() => string) | null = null
  private domEditing: BoardEditing | null = null
  private openedWith = ''
  /** When a board that stopped applying changes was last opened again (reopenWedged). */
  private reopenedAt: number | null = null
  private readonly events: SessionEvents

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly board: SessionHost,
  ) {
    this.events = new SessionEvents(board.element)
    host.addController(this)
  }

  hostDisconnected(): void {
    this.close()
  }

  /** A storage or connection problem for the status line; null when there is none. */
  get problem(): string | null {
    return this.problemText?.() ?? null
  }

  get editing(): BoardEditing | null {
    return this.domEditing
  }

  /** Opens the board the settings name (closing the one open); nothing before the stage exists. */
  open(): void {
    this.close()
    const { editor, stage } = this.board
    if (!stage) return
    const settings = this.board.settings()
    this.openedWith = JSON.stringify(settings)
    const address = isBoardId(settings.board) && isBoardKey(settings.key) ? { board: settings.board, key: settings.key } : null
    editor.readonly = this.board.readonly
    const session = editor.open({
      address,
      signalingUrl: settings.signalingUrl,
      iceServers: settings.iceServers,
      persist: settings.persist,
      serverCopy: settings.serverCopy,
      onChange: () => this.changed(),
      onError: (error) => this.reportError(error),
      onStream: (peerId, stream) => this.board.onStream(peerId, stream),
      onReady: () => emit<MeshReadyDetail>(this.board.element, 'mesh-ready', { board: settings.board }),
      onStoreProblem: (message) => this.board.notify(message, 'store'),
      onPeerRefused: (name) => this.board.notify(peerRefused(name), 'peer'),
      onStoredRefused: () =>
        this.board.notify(
          msg('Part of what this device saved of this board held data a board refuses, and was left out. The rest of the board is here.', { id: 'device.stored-refused' }),
          'storage',
        ),
      onWedged: address && settings.persist ? () => this.reopenWedged() : null,
    })
    this.domEditing = new BoardEditing({
      doc: session.doc,
      history: session.history,
      viewport: this.board.viewport,
      shapes: editor.shapes!,
      selection: editor.selection!,
      editingText: (open) => editor.setEditingText(open),
      host: this.board.element,
      editorLayer: this.board.editorLayer,
      viewSize: () => ({ width: stage.width, height: stage.height }),
      textStyle: () => this.board.textStyle(),
      dark: () => this.board.dark(),
      readonly: () => this.board.readonly,
      notify: (message) => this.board.notify(message),
      tell: (message) => this.board.tell(message),
      onImagePlaced: () => this.board.setTool('select'),
      onEditEnd: () => {
        if (editor.tool === 'text' || editor.tool === 'sticky') this.board.setTool('select')
      },
    })
    this.changed()
  }

  /** Switching board, key, network or storage settings leaves the old room and joins the new one. */
  reopenIfChanged(): void {
    if (this.board.stage && this.board.editor.session && JSON.stringify(this.board.settings()) !== this.openedWith) this.open()
  }

  close(): void {
    this.board.onClosing()
    this.domEditing?.destroy()
    this.domEditing = null
    this.board.editor.close()
    this.setProblem(null)
    this.events.reset()
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
    this.open()
    this.board.notify(
      msg('This board hit an error and was opened again from what was saved on this device. What was drawn in the last second may be lost.', { id: 'board.reopened' }),
      'storage',
    )
  }

  private changed(): void {
    const session = this.board.editor.session
    if (!session) return
    const storageError = this.events.update(session)
    if (storageError !== undefined) this.setProblem(storageError === null ? null : () => session.storeError ?? storageError)
    this.board.onChange(session)
    this.host.requestUpdate()
  }

  private reportError(error: unknown): void {
    const insecure = error instanceof InsecureContextError
    const message = error instanceof Error ? error.message : String(error)
    this.setProblem(() =>
      insecure ? message : msg(str`Not connected: ${message}`, { id: 'connection.failed', desc: 'shown in the status line; the placeholder is why, often technical and in English' }),
    )
    emit<MeshErrorDetail>(this.board.element, 'mesh-error', { code: insecure ? 'insecure-context' : 'connection', message: this.problem! })
  }

  private setProblem(problem: (() => string) | null): void {
    if (problem === null && this.problemText === null) return
    this.problemText = problem
    this.host.requestUpdate()
  }
}

/** A peer's data was refused and the peer disconnected: named by its presence when known. */
function peerRefused(name: string | null): string {
  return name
    ? msg(str`${name}’s board sent data this board refused; disconnected.`, { id: 'peer.refused.named', desc: 'the placeholder is the name of the person whose board sent the data' })
    : msg('A peer sent data this board refused; disconnected.', { id: 'peer.refused' })
}
