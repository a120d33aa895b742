/**
 * The one input module (DESIGN.md §11): the only place that listens to the DOM. It turns pointer,
 * wheel and keyboard events on the board into tool calls, camera moves and board actions.
 *
 * Navigation wins over the active tool: a middle-button drag, a drag with space held and a
 * two-finger touch always pan (and pinch zooms), whatever tool is selected.
 */
import { panBy, screenToBoard, zoomAt, type Point, type Viewport } from '../render/camera'
import type { GestureRouter } from './gestures'
import { PUSH_TO_TALK_KEY, type BoardAction, type KeyInput } from './shortcuts'
import type { BoardPointer, Tool } from './tool'

/** Zoom factor per wheel pixel: a typical mouse notch (100 px) zooms by about 16%. */
const WHEEL_ZOOM_RATE = 0.0015
const LINE_HEIGHT_PX = 16

export interface InputOptions {
  /** Receives pointer and wheel events: the drawing surface. */
  readonly element: HTMLElement
  /** Receives keyboard and wheel events: the focusable board, so shortcuts act only while it has focus. */
  readonly keyTarget: HTMLElement
  readonly viewport: Viewport
  /** Where presses go: the open board's tool runtime (null while no board is open). */
  readonly gestures: () => GestureRouter | null
  readonly activeTool: () => Tool | null
  /** What a key press means (the actions table's matcher, editor/actions.ts: the tools layer does not read the editor's). */
  readonly keyAction: (input: KeyInput) => BoardAction | null
  readonly onAction: (action: BoardAction) => void
  /** Called when the cursor style should change (tool switch, space held, drag). */
  readonly onCursor: (cursor: string) => void
  /** Where the pointer is on the board, or null when it left the board. */
  readonly onHover: (board: Point | null) => void
  /** The user moved the camera themselves (pan, zoom, pinch). */
  readonly onNavigate: () => void
  /** The user pressed, dragged or wheeled on the board (before any tool acts on it). */
  readonly onInteraction: () => void
}

export class InputController {
  private readonly element: HTMLElement
  private readonly touches = new Map<number, Point>()
  private pinch: { distance: number; center: Point } | null = null
  private spaceHeld = false
  /** Once a pen has touched the board, single touches are palms resting on the screen, not drawing. */
  private penSeen = false
  /** What the active tool shows under the idle pointer (a resize arrow over a handle...). */
  private hoverCursor: string | null = null
  /** Where the idle pointer is, asked about on the next frame tick (hit tests are not free). */
  private hoverPoint: Point | null = null
  private readonly abort = new AbortController()

  constructor(private readonly options: InputOptions) {
    this.element = options.element
    const listen = <K extends keyof HTMLElementEventMap>(
      type: K,
      handler: (event: HTMLElementEventMap[K]) => void,
      passive = true,
      target: HTMLElement = this.element,
    ) => target.addEventListener(type, handler, { signal: this.abort.signal, passive })
    listen('pointerdown', (event) => this.pointerDown(event), false)
    listen('pointermove', (event) => this.pointerMove(event))
    listen('pointerup', (event) => this.pointerEnd(event, false))
    listen('pointercancel', (event) => this.pointerEnd(event, true))
    listen('pointerleave', (event) => event.pointerType !== 'touch' && options.onHover(null))
    listen('lostpointercapture', (event) => this.pointerEnd(event, true))
    // On the whole board, panels included: a wheel over the board must never scroll the page around it.
    listen('wheel', (event) => this.wheel(event), false, options.keyTarget)
    listen('keydown', (event) => this.keyDown(event), false, options.keyTarget)
    listen('keyup', (event) => this.keyUp(event), true, options.keyTarget)
    listen(
      'blur',
      () => {
        // Keys released while focus was elsewhere never send keyup here.
        this.setSpace(false)
        options.onAction({ kind: 'push-to-talk', pressed: false })
      },
      true,
      options.keyTarget,
    )
    listen('contextmenu', (event) => event.preventDefault(), false)
  }

  destroy(): void {
    this.abort.abort()
    this.forget()
  }

  /** Forgets fingers and hover (the board behind them closed, or the tool changed). */
  forget(): void {
    this.hoverCursor = null
    this.hoverPoint = null
    this.touches.clear()
    this.pinch = null
  }

  get cursor(): string {
    if (this.options.gestures()?.panning) return 'grabbing'
    if (this.spaceHeld) return 'grab'
    return this.hoverCursor ?? this.options.activeTool()?.cursor ?? 'default'
  }

  /** On the gesture runtime's frame tick: the cursor for what the idle pointer is over. */
  hoverTick(): void {
    const point = this.hoverPoint
    this.hoverPoint = null
    // A press since then owns the cursor until it is released.
    if (!point || this.options.gestures()?.busy) return
    const cursor = this.options.activeTool()?.hoverCursor?.(point) ?? null
    if (cursor === this.hoverCursor) return
    this.hoverCursor = cursor
    this.options.onCursor(this.cursor)
  }

  private pointerDown(event: PointerEvent): void {
    if (event.pointerType === 'pen') this.penSeen = true
    if (event.pointerType === 'touch') this.touches.set(event.pointerId, this.localPoint(event))
    this.options.keyTarget.focus({ preventScroll: true })
    event.preventDefault()
    this.options.onInteraction()
    const gestures = this.options.gestures()
    if (!gestures) return
    if (this.touches.size >= 2) {
      this.startPinch(gestures)
      return
    }
    // Two fingers still pinch and pan (above); one finger after a pen is a palm and does nothing.
    if (event.pointerType === 'touch' && this.penSeen) return
    const pan = event.button === 1 || this.spaceHeld || this.options.activeTool()?.name === 'hand'
    if (!pan && event.button !== 0) return
    gestures.pointerDown(this.toBoardPointer(event), pan)
    if (gestures.owns(event.pointerId)) this.element.setPointerCapture?.(event.pointerId)
    this.options.onCursor(this.cursor)
  }

  private pointerMove(event: PointerEvent): void {
    if (this.touches.has(event.pointerId)) {
      this.touches.set(event.pointerId, this.localPoint(event))
      if (this.pinch) return this.movePinch()
    }
    const gestures = this.options.gestures()
    const owner = gestures?.owns(event.pointerId) ?? null
    if (event.pointerType !== 'touch') {
      const board = screenToBoard(this.options.viewport.camera, this.localPoint(event))
      this.options.onHover(board)
      if (!owner) {
        this.hoverPoint = board
        gestures?.schedule(true)
      }
    }
    if (!owner || !gestures) return
    this.options.onInteraction()
    if (owner === 'pan') this.options.onNavigate()
    // Coalesced events carry every sample the browser merged into this one: strokes stay smooth.
    const samples = owner === 'tool' && event.getCoalescedEvents ? event.getCoalescedEvents() : []
    for (const sample of samples.length > 0 ? samples : [event]) gestures.pointerMove(this.toBoardPointer(sample))
  }

  private pointerEnd(event: PointerEvent, cancelled: boolean): void {
    this.touches.delete(event.pointerId)
    if (this.pinch && this.touches.size < 2) this.pinch = null
    const gestures = this.options.gestures()
    if (!gestures?.owns(event.pointerId)) return
    if (cancelled) gestures.pointerCancel(event.pointerId)
    else gestures.pointerUp(this.toBoardPointer(event))
    this.options.onCursor(this.cursor)
  }

  private startPinch(gestures: GestureRouter): void {
    // A second finger turns whatever the first one started into navigation.
    gestures.interrupt('pinch')
    const [a, b] = [...this.touchesSnapshot()]
    if (a && b) this.pinch = { distance: distance(a, b), center: midpoint(a, b) }
  }

  private movePinch(): void {
    const [a, b] = this.touchesSnapshot()
    if (!a || !b || !this.pinch) return
    const center = midpoint(a, b)
    const span = distance(a, b)
    const viewport = this.options.viewport
    let camera = panBy(viewport.camera, center.x - this.pinch.center.x, center.y - this.pinch.center.y)
    if (this.pinch.distance > 0 && span > 0) camera = zoomAt(camera, center, span / this.pinch.distance)
    viewport.set(camera)
    this.options.onNavigate()
    this.pinch = { distance: span, center }
  }

  private touchesSnapshot(): Point[] {
    return [...this.touches.values()].slice(0, 2)
  }

  private wheel(event: WheelEvent): void {
    // The board owns the wheel: it must never scroll the page around it.
    event.preventDefault()
    const scale = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? LINE_HEIGHT_PX : 1
    const dx = event.deltaX * scale
    const dy = event.deltaY * scale
    const viewport = this.options.viewport
    this.options.onInteraction()
    this.options.onNavigate()
    // Trackpads scroll in two dimensions and pinch with ctrlKey set; a mouse wheel scrolls in y only.
    const zoom = event.ctrlKey || event.metaKey || (dx === 0 && !event.shiftKey)
    if (zoom) viewport.set(zoomAt(viewport.camera, this.localPoint(event), Math.exp(-dy * WHEEL_ZOOM_RATE)))
    else viewport.set(panBy(viewport.camera, -(event.shiftKey && dx === 0 ? dy : dx), event.shiftKey && dx === 0 ? 0 : -dy))
  }

  private keyDown(event: KeyboardEvent): void {
    if (isTextEntry(event)) return
    // Space and Enter on a focused button press it; only on the board itself do they mean "pan" and "select".
    if ((event.key === ' ' || event.key === 'Enter') && event.composedPath()[0] instanceof HTMLButtonElement) return
    if (event.key === ' ') {
      event.preventDefault()
      this.setSpace(true)
      return
    }
    const action = this.options.keyAction(event)
    // Holding a key repeats keydown: push-to-talk and toggles must act once per press (nudging and resizing repeat).
    if (action && event.repeat && action.kind !== 'nudge' && action.kind !== 'resize') {
      event.preventDefault()
      return
    }
    if (action) {
      event.preventDefault()
      this.options.onAction(action)
    }
  }

  private keyUp(event: KeyboardEvent): void {
    if (event.key === ' ') this.setSpace(false)
    if (event.key.toLowerCase() === PUSH_TO_TALK_KEY) this.options.onAction({ kind: 'push-to-talk', pressed: false })
  }

  private setSpace(held: boolean): void {
    if (this.spaceHeld === held) return
    this.spaceHeld = held
    this.options.onCursor(this.cursor)
  }

  private localPoint(event: MouseEvent): Point {
    // Not cached: an embedded board moves whenever its page scrolls, and layout is clean here anyway.
    const rect = this.element.getBoundingClientRect()
    return { x: event.clientX - rect.left, y: event.clientY - rect.top }
  }

  private toBoardPointer(event: PointerEvent): BoardPointer {
    const screen = this.localPoint(event)
    const kind = event.pointerType === 'pen' || event.pointerType === 'touch' ? event.pointerType : 'mouse'
    return {
      pointerId: event.pointerId,
      kind,
      button: event.button,
      screen,
      board: screenToBoard(this.options.viewport.camera, screen),
      // Only pens report real pressure; mice report 0.5 and most touch screens 0 or 1.
      pressure: kind === 'pen' ? Math.max(0.05, event.pressure) : null,
      shiftKey: event.shiftKey,
    }
  }
}

function isTextEntry(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0]
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y)
}

function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }
}
