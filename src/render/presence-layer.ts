/**
 * Other people on the overlay layer: their cursors (arrow and name, in their colour, glided
 * smoothly between the ~30 updates a second they send) and laser trails that fade out. Sizes are
 * in screen pixels, whatever the zoom. Animates only while something moves or fades.
 */
import type { Box, Point } from '../model/geometry'
import type { TrailPoint } from '../model/laser'
import { Konva } from './konva'
import type { Viewport } from './camera'

export type { TrailPoint } from '../model/laser'

/** What the overlay shows of one other person. */
export interface PeerOverlay {
  readonly clientId: number
  readonly name: string
  readonly color: string
  readonly cursor: Point | null
  readonly laser: readonly TrailPoint[]
  /** Ids of the shapes this person has selected: outlined in their colour. */
  readonly selection: readonly string[]
}

/** The pointer arrow, in screen pixels from its tip. */
const CURSOR_ARROW = 'M0 0 L0 17 L4.5 13 L7.5 20 L10.5 18.7 L7.6 12 L13 12 Z'
let cursorPath: Path2D | null = null

/** A peer's arrow in their colour, outlined in white and lifted by a soft shadow. */
function drawCursorArrow(context: Konva.Context, shape: Konva.Shape): void {
  cursorPath ??= new Path2D(CURSOR_ARROW)
  const native = context._context as CanvasRenderingContext2D
  native.save()
  native.shadowColor = 'rgba(0,0,0,0.25)'
  native.shadowBlur = 3
  native.shadowOffsetY = 1
  native.fillStyle = shape.fill() as string
  native.fill(cursorPath)
  native.restore()
  native.strokeStyle = '#ffffff'
  native.lineWidth = 1.5
  native.lineJoin = 'round'
  native.stroke(cursorPath)
}

const NAME_FONT = '600 12px system-ui, sans-serif'
const NAME_PADDING = 5

/** The person's name in white on a rounded tag of their colour. */
function drawNameTag(context: Konva.Context, shape: Konva.Shape): void {
  const native = context._context as CanvasRenderingContext2D
  const name = String(shape.getAttr('name') ?? '')
  native.font = NAME_FONT
  const width = native.measureText(name).width + 2 * NAME_PADDING
  native.fillStyle = shape.fill() as string
  native.beginPath()
  native.roundRect(0, 0, width, 12 + 2 * NAME_PADDING, 6)
  native.fill()
  native.fillStyle = '#ffffff'
  native.textBaseline = 'middle'
  native.fillText(name, NAME_PADDING, NAME_PADDING + 6.5)
}

/** How long a laser point stays visible. */
export const LASER_FADE_MS = 1000
/** Time constant of cursor gliding: long enough to hide 30 Hz steps, short enough to feel live. */
const GLIDE_MS = 45
const LASER_COLOR = '#ff2d55'

/**
 * The user asked the system for less motion: cursors jump to where they are instead of gliding,
 * and a laser trail stays whole, unfaded, until it is over, then goes at once.
 */
function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches
}

interface RemoteCursor {
  readonly group: Konva.Group
  readonly arrow: Konva.Shape
  /** The name tag beside the arrow (attrs `name` and `fill`). */
  readonly label: Konva.Shape
  /** Where the cursor is drawn, moved in place towards `target` every frame. */
  shown: { x: number; y: number } | null
  target: Point | null
}

interface Selection {
  readonly color: string
  readonly ids: readonly string[]
}

interface Trail {
  points: readonly TrailPoint[]
  receivedAt: number
}

export class PresenceLayer {
  private readonly cursors = new Map<number, RemoteCursor>()
  private readonly trails = new Map<number, Trail>()
  private readonly selections = new Map<number, Selection>()
  private readonly laserShape: Konva.Shape
  private readonly selectionShape: Konva.Shape
  private frame = 0
  private lastFrame = 0
  /** With reduced motion, the redraw that removes the trails once they are over. */
  private trailsEnd: ReturnType<typeof setTimeout> | null = null
  private readonly stopFollowingCamera: () => void

  constructor(
    private readonly layer: Konva.Layer,
    private readonly viewport: Viewport,
    /** This user's own trail, drawn straight from the tool rather than after a network round. */
    private readonly localTrail: () => readonly TrailPoint[],
    /** Where a shape is on the board, as drawn. */
    private readonly boundsOf: (id: string) => Box | null,
  ) {
    this.selectionShape = new Konva.Shape({ listening: false, sceneFunc: (context) => this.drawSelections(context) })
    this.laserShape = new Konva.Shape({ listening: false, sceneFunc: (context) => this.drawTrails(context) })
    layer.add(this.selectionShape, this.laserShape)
    this.stopFollowingCamera = viewport.onChange(() => this.animate())
  }

  /** Takes the latest presence of everyone else. */
  update(peers: readonly PeerOverlay[]): void {
    const now = performance.now()
    const present = new Set<number>()
    for (const peer of peers) {
      present.add(peer.clientId)
      const cursor = this.cursors.get(peer.clientId) ?? this.createCursor(peer.clientId)
      cursor.target = peer.cursor
      if (cursor.shown === null && cursor.target) cursor.shown = { ...cursor.target }
      cursor.label.setAttrs({ name: peer.name, fill: peer.color })
      cursor.arrow.fill(peer.color)
      if (peer.selection.length > 0) this.selections.set(peer.clientId, { color: peer.color, ids: peer.selection })
      else this.selections.delete(peer.clientId)
      const trail = this.trails.get(peer.clientId)
      if (peer.laser.length > 0 && trail?.points !== peer.laser) this.trails.set(peer.clientId, { points: peer.laser, receivedAt: now })
    }
    for (const [clientId, cursor] of this.cursors) {
      if (present.has(clientId)) continue
      cursor.group.destroy()
      this.cursors.delete(clientId)
      this.trails.delete(clientId)
      this.selections.delete(clientId)
    }
    this.animate()
  }

  /** Redraws on the next frames, until nothing moves or fades any more. */
  animate(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame((time) => this.step(time))
  }

  /** Where a peer's cursor is drawn now, in board coordinates (null when hidden). */
  cursorPosition(clientId: number): Point | null {
    const cursor = this.cursors.get(clientId)
    return cursor?.group.visible() ? { x: cursor.group.x(), y: cursor.group.y() } : null
  }

  destroy(): void {
    cancelAnimationFrame(this.frame)
    if (this.trailsEnd) clearTimeout(this.trailsEnd)
    this.stopFollowingCamera()
    for (const cursor of this.cursors.values()) cursor.group.destroy()
    this.laserShape.destroy()
    this.selectionShape.destroy()
  }

  private createCursor(clientId: number): RemoteCursor {
    const group = new Konva.Group({ listening: false, visible: false, name: `cursor-${clientId}` })
    const arrow = new Konva.Shape({ sceneFunc: drawCursorArrow })
    const label = new Konva.Shape({ x: 12, y: 20, sceneFunc: drawNameTag })
    group.add(arrow, label)
    this.layer.add(group)
    const cursor: RemoteCursor = { group, arrow, label, shown: null, target: null }
    this.cursors.set(clientId, cursor)
    return cursor
  }

  private step(time: number): void {
    this.frame = 0
    const dt = this.lastFrame === 0 ? 16 : Math.min(100, time - this.lastFrame)
    this.lastFrame = time
    const reduced = reducedMotion()
    const blend = reduced ? 1 : 1 - Math.exp(-dt / GLIDE_MS)
    const inverseScale = 1 / this.viewport.camera.scale
    let moving = false
    for (const cursor of this.cursors.values()) {
      const { target } = cursor
      if (!target) {
        cursor.shown = null
        cursor.group.visible(false)
        continue
      }
      const shown = cursor.shown ?? { ...target }
      shown.x += (target.x - shown.x) * blend
      shown.y += (target.y - shown.y) * blend
      if (Math.hypot(target.x - shown.x, target.y - shown.y) * this.viewport.camera.scale < 0.2) Object.assign(shown, target)
      else moving = true
      cursor.shown = shown
      cursor.group.setAttrs({ x: shown.x, y: shown.y, scaleX: inverseScale, scaleY: inverseScale, visible: true })
    }
    const fading = this.hasVisibleTrail()
    this.layer.batchDraw()
    if (fading && reduced && !moving) {
      // Nothing fades: one more frame, when the last trail is over.
      if (this.trailsEnd) clearTimeout(this.trailsEnd)
      this.trailsEnd = setTimeout(() => ((this.trailsEnd = null), this.animate()), this.trailsOverIn())
      this.lastFrame = 0
    } else if (moving || fading) this.animate()
    else this.lastFrame = 0
  }

  /** Milliseconds until every point of every trail is older than LASER_FADE_MS. */
  private trailsOverIn(): number {
    const now = performance.now()
    let longest = 0
    for (const [, , age] of this.localTrail()) longest = Math.max(longest, LASER_FADE_MS - age)
    for (const trail of this.trails.values()) {
      for (const [, , age] of trail.points) longest = Math.max(longest, LASER_FADE_MS - age - (now - trail.receivedAt))
    }
    return Math.max(0, longest) + 1
  }

  private hasVisibleTrail(): boolean {
    const now = performance.now()
    if (this.localTrail().some(([, , age]) => age < LASER_FADE_MS)) return true
    for (const [clientId, trail] of this.trails) {
      const elapsed = now - trail.receivedAt
      if (trail.points.some(([, , age]) => age + elapsed < LASER_FADE_MS)) return true
      this.trails.delete(clientId)
    }
    return false
  }

  private drawSelections(context: Konva.Context): void {
    const scale = this.viewport.camera.scale
    const pad = 4 / scale
    context.lineWidth = 1.5 / scale
    context.setLineDash([6 / scale, 4 / scale])
    for (const { color, ids } of this.selections.values()) {
      context.strokeStyle = color
      for (const id of ids) {
        const box = this.boundsOf(id)
        if (box) context.strokeRect(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad)
      }
    }
    context.setLineDash([])
  }

  private drawTrails(context: Konva.Context): void {
    const now = performance.now()
    const width = 4 / this.viewport.camera.scale
    this.drawTrail(context, this.localTrail(), 0, width)
    for (const trail of this.trails.values()) this.drawTrail(context, trail.points, now - trail.receivedAt, width)
  }

  /** Segments get thinner and fainter with age, so the trail reads as a comet tail. */
  private drawTrail(context: Konva.Context, points: readonly TrailPoint[], elapsed: number, width: number): void {
    context.lineCap = 'round'
    context.strokeStyle = LASER_COLOR
    context.shadowColor = LASER_COLOR
    context.shadowBlur = 8
    const reduced = reducedMotion()
    const over = points.every(([, , age]) => age + elapsed >= LASER_FADE_MS)
    for (let i = 1; i < points.length; i++) {
      const [x0, y0] = points[i - 1]!
      const [x1, y1, age] = points[i]!
      const life = reduced ? (over ? 0 : 1) : 1 - (age + elapsed) / LASER_FADE_MS
      if (life <= 0) continue
      context.globalAlpha = life
      context.lineWidth = width * (0.35 + 0.65 * life)
      context.beginPath()
      context.moveTo(x0, y0)
      context.lineTo(x1, y1)
      context.stroke()
    }
    context.globalAlpha = 1
    context.shadowBlur = 0
  }
}
