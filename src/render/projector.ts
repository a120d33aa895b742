/**
 * Projects the document onto the canvas (DESIGN.md §4): observes `shapes` deeply, collects the ids
 * that changed and, in the frame's one draw, brings exactly those shapes up to date: their entry
 * in the spatial index, their Konva node and the tiles they cover. Local and remote edits take the
 * same path. It never writes to the document.
 *
 * Big boards: the shapes are drawn through a tile cache (tile-cache.ts), so a frame costs a few
 * image copies whatever the number of shapes; Konva nodes exist only for shapes a tile has drawn;
 * hit tests, marquee and culling ask the index. Changes are applied within a time budget per
 * frame, so a board of tens of thousands of shapes arriving at once never freezes the page. A
 * shape changing right now (a stroke being drawn) is drawn on a layer of its own above the tiles
 * (live-shapes.ts), so a dense board's tiles are not drawn again for every point.
 */
import { Konva } from './konva'
import * as Y from 'yjs'
import { shapesOf } from '../model/board-doc'
import { distanceToShape, type Box } from '../model/geometry'
import type { ShapeId } from '../model/ids'
import { compareZ, type Shape } from '../model/shapes'
import { readShape } from '../model/validate'
import type { SceneCanvas } from 'konva/lib/Canvas'
import { boxOf, ShapeIndex, type IndexedShape } from './shape-index'
import type { RenderView, RendererRegistry, ShapeRenderer } from './shapes/renderer'
import { TileCache, type PaintView } from './tile-cache'
import { boardState, sameBytes, type RestorableView, type ViewToKeep } from './kept-view'
import { LiveShapes } from './live-shapes'

/** How much of a shape about to be erased still shows. */
const DIMMED_OPACITY = 0.25
/**
 * Main-thread time per frame for applying document changes (a big board arriving) and for issuing
 * tile drawing. While the user pans, zooms or draws, a frame must stay within 16.7 ms, and about
 * half of that is already spent painting and compositing the canvases; software canvas then
 * rasterises the paths a tile issued, at several times the script's cost (measured: a 5 ms tile
 * budget made zooming out over 10,000 strokes take 30 ms frames, 2.5 ms kept them under 17; once
 * strokes were drawn without a Konva node each, 2.5 ms issued more of them and the p95 rose to
 * 18 ms, and 1.5 ms brought it to 13). Tiles not drawn yet show a coarser or finer level
 * meanwhile. Otherwise (a board arriving while nobody touches it) the work finishes sooner in
 * bigger slices, their script short of a long task (50 ms), so a click or key is answered soon.
 */
const BUDGET_MS = {
  interactive: { apply: 10, tiles: 1.5 },
  idle: { apply: 40, tiles: 20 },
} as const
/** How long after the last pointer press, drag, wheel or camera move the user counts as interacting. */
const INTERACTION_MS = 150
/** More changes than this in one frame: cheaper to redraw every tile than to find the ones touched. */
const MANY_CHANGES = 256
/** At most this many changes in a frame may go to the live layer (live-shapes.ts): more is a board arriving, not a hand. */
const LIVE_CHANGES = 4

type ShapeNode = Konva.Shape | Konva.Group

export interface ProjectorHooks {
  /** After each frame's changes are applied (others' outlines follow the shapes). */
  readonly onProjected?: () => void
  /**
   * Whether more of the board is on its way right now (a joiner receives a big board in pieces):
   * tiles drawn meanwhile would be drawn again once the next piece lands, so none are.
   */
  readonly boardArriving?: () => boolean
  /**
   * Whether a kept view of the board (kept-view.ts) is being read: it may give the shapes' bounds
   * and the tiles in view, so changes wait to be applied and tiles to be drawn.
   */
  readonly viewArriving?: () => boolean
  /** A frame left nothing to apply or draw in view: what is on screen is the board as it is. */
  readonly onSettled?: () => void
}

export class Projector {
  private readonly shapes: Y.Map<unknown>
  /**
   * Bounds from a kept view (kept-view.ts) of shapes still to be applied and unchanged since it was
   * restored: applied without decoding them, and without redrawing the tiles, which show them.
   */
  private kept: Map<string, Box> | null = null
  /** Changes observed so far: what a kept view was taken at. */
  private changeCount = 0
  private readonly index = new ShapeIndex()
  private readonly nodes = new Map<string, ShapeNode>()
  private readonly tiles: TileCache<IndexedShape>
  private readonly live: LiveShapes
  /**
   * The highest shape the index has had: a shape at or above it lies on top of everything (a new
   * stroke), without searching what is under it. Not lowered when that shape goes: then the search
   * answers.
   */
  private top: Shape | null = null
  /** The live layer must be drawn again in this frame. */
  private liveChanged = false
  /** The one node on the layer: it paints the visible tiles. */
  private readonly view: Konva.Shape
  private readonly dirty = new Set<string>()
  /** Ids whose document value failed validation: skipped, counted, never rendered. */
  readonly invalid = new Set<string>()
  private look: RenderView = { dark: false }
  /** Shapes shown faded: what an eraser gesture in progress would remove. */
  private dimmed: ReadonlySet<string> = new Set()
  /** Shapes not drawn: the text being edited in place is shown by the editor instead. */
  private hidden: ReadonlySet<string> = new Set()
  private tilesPending = false
  private backlogPeak = 0
  /** When the user last pressed, dragged, wheeled or moved the camera (performance.now()). */
  private interactedAt = -Infinity
  private lastCamera = ''
  private readonly observer = (events: Y.YEvent<any>[]) => this.collect(events)
  private readonly beforeDraw = () => this.apply()

  /** `liveLayer`: a layer of its own above `layer`, where the shapes changing right now are drawn. */
  constructor(
    private readonly doc: Y.Doc,
    private readonly layer: Konva.Layer,
    liveLayer: Konva.Layer,
    private readonly renderers: RendererRegistry,
    private readonly hooks: ProjectorHooks = {},
  ) {
    this.shapes = shapesOf(doc)
    this.tiles = new TileCache({
      // Bottom first; nodes are made as each shape is drawn, so a tile's work spreads over frames.
      shapesIn: (area) => this.tileShapes(area),
      draw: ({ shape }, canvas) => this.draw(shape, canvas),
    })
    this.live = new LiveShapes(liveLayer, {
      shapeOf: (id) => this.index.get(id)?.shape,
      draw: (shape, canvas) => this.draw(shape, canvas),
      onQuiet: () => this.layer.batchDraw(),
    })
    this.view = new Konva.Shape({ listening: false, perfectDrawEnabled: false, sceneFunc: (context) => this.paint(context) })
    layer.add(this.view)
    // The tile cache clears what it repaints, and leaves tiles already on screen where they are.
    layer.clearBeforeDraw(false)
    layer.on('beforeDraw', this.beforeDraw)
    this.shapes.observeDeep(this.observer)
    for (const id of this.shapes.keys()) this.dirty.add(id)
    this.backlogPeak = this.dirty.size
    layer.batchDraw()
  }

  destroy(): void {
    this.shapes.unobserveDeep(this.observer)
    this.layer.off('beforeDraw', this.beforeDraw)
    this.layer.clearBeforeDraw(true)
    this.view.destroy()
    this.live.destroy()
    for (const node of this.nodes.values()) node.destroy()
    this.nodes.clear()
    this.index.clear()
    this.tiles.destroy()
  }

  /** Changes how every shape is shown (theme): all of them are redrawn. */
  setView(view: RenderView): void {
    if (view.dark === this.look.dark) return
    this.look = view
    this.redrawAll()
  }

  /** Draws everything again (the look of shapes changed without the document changing: an image decoded). */
  redrawAll(): void {
    for (const node of this.nodes.values()) node.destroy()
    this.nodes.clear()
    this.tiles.invalidateAll()
    this.liveChanged = this.live.size > 0
    this.layer.batchDraw()
  }

  /** Fades exactly `ids` (and un-fades the others): the eraser's preview, local to this user. */
  setDimmed(ids: ReadonlySet<string>): void {
    const before = this.dimmed
    this.dimmed = new Set(ids)
    this.redrawDifference(before, this.dimmed)
  }

  /** Hides exactly `ids` (text being edited in place) and shows the others again. */
  setHidden(ids: ReadonlySet<string>): void {
    const before = this.hidden
    this.hidden = new Set(ids)
    this.redrawDifference(before, this.hidden)
  }

  /** Shapes lying entirely inside a board rectangle (a marquee), bottom first. */
  shapesInside(area: Box): ShapeId[] {
    const inside = this.index
      .search(area)
      .filter((entry) => entry.minX >= area.x && entry.minY >= area.y && entry.maxX <= area.x + area.width && entry.maxY <= area.y + area.height)
      .map((entry) => entry.shape)
    return inside.sort(compareZ).map((shape) => shape.id)
  }

  /** Shapes whose ink lies within `radius` of a board point, topmost first. */
  shapesNear(point: { x: number; y: number }, radius: number): ShapeId[] {
    const around = { x: point.x - radius, y: point.y - radius, width: 2 * radius, height: 2 * radius }
    const hits = this.index
      .search(around)
      .map((entry) => entry.shape)
      .filter((shape) => distanceToShape(shape, point.x, point.y) <= radius)
    return hits.sort((a, b) => compareZ(b, a)).map((shape) => shape.id)
  }

  /** A shape's bounding box in board coordinates, as drawn; null if it is not on the board. */
  bounds(id: string): Box | null {
    const entry = this.index.get(id)
    return entry ? boxOf(entry) : null
  }

  /** Shapes changed and not yet applied, out of how many since none were waiting: a big board's progress. */
  get backlog(): { readonly left: number; readonly of: number } {
    return { left: this.dirty.size, of: this.backlogPeak }
  }

  /** How many changes of the board were observed: equal counts, same board. */
  get changes(): number {
    return this.changeCount
  }

  /**
   * Takes a kept view of the board, if it shows the board exactly as it is now: its bounds for
   * the shapes not applied yet, and its tiles, if drawn in this theme. Returns whether it did.
   */
  restore(view: RestorableView): boolean {
    if (!sameBytes(view.board, boardState(this.doc))) return false
    this.kept = new Map()
    for (const id of this.dirty) {
      const bounds = view.bounds.get(id)
      if (bounds) this.kept.set(id, bounds)
    }
    if (view.dark === this.look.dark) this.tiles.seed(view.tiles)
    this.layer.batchDraw()
    return true
  }

  /**
   * The view to keep with the stored board (kept-view.ts): null while anything is left to apply
   * or draw in view, shapes are shown other than as they are (faded, hidden), or the user is
   * panning, zooming or drawing (a big board's snapshot and bounds take a frame's time).
   */
  viewToKeep(): ViewToKeep | null {
    const stage = this.layer.getStage()
    // Live shapes are not in the tiles yet.
    if (!stage || this.pending || this.live.size > 0 || this.dimmed.size > 0 || this.hidden.size > 0) return null
    if (performance.now() - this.interactedAt < INTERACTION_MS) return null
    const tiles = this.tiles.viewTiles(this.paintView(stage))
    if (!tiles) return null
    const ids: string[] = []
    const bounds = new Float64Array(4 * this.index.size)
    for (const entry of this.index.entries()) {
      bounds.set([entry.minX, entry.minY, entry.maxX, entry.maxY], 4 * ids.length)
      ids.push(entry.shape.id)
    }
    return { board: boardState(this.doc), dark: this.look.dark, tiles, ids, bounds }
  }

  /** Whether changes or tiles in view are waiting to be drawn. */
  get pending(): boolean {
    return this.dirty.size > 0 || this.tilesPending
  }

  private redrawDifference(before: ReadonlySet<string>, after: ReadonlySet<string>): void {
    for (const id of before) if (!after.has(id)) this.restyle(id)
    for (const id of after) if (!before.has(id)) this.restyle(id)
    // A shape shown on the live layer while the tiles catch up is shown there in its new look.
    if (this.live.size > 0) this.liveChanged = true
    this.layer.batchDraw()
  }

  /** The shape looks different without having changed: a new node, and its tiles (or the live layer) drawn again. */
  private restyle(id: string): void {
    this.dropNode(id)
    const entry = this.index.get(id)
    if (this.live.has(id)) this.liveChanged = true
    else if (entry) this.tiles.invalidate(boxOf(entry))
  }

  private collect(events: Y.YEvent<any>[]): void {
    this.changeCount++
    const changed = (id: string) => {
      this.dirty.add(id)
      this.kept?.delete(id)
    }
    for (const event of events) {
      if (event.target === this.shapes) {
        for (const key of (event as Y.YMapEvent<unknown>).keysChanged) changed(key)
      } else {
        const id = event.path[0]
        if (typeof id === 'string') changed(id)
      }
    }
    this.backlogPeak = Math.max(this.backlogPeak, this.dirty.size)
    this.layer.batchDraw()
  }

  /**
   * The user pressed, dragged or wheeled on the board (the input module says so, before the tools
   * act): frames keep to the small budgets for a while, so drawing stays smooth.
   */
  noteInteraction(): void {
    this.interactedAt = performance.now()
  }

  /** This frame's budgets: small while the user interacts (or the camera moves), larger otherwise. */
  private budget(): (typeof BUDGET_MS)[keyof typeof BUDGET_MS] {
    return performance.now() - this.interactedAt < INTERACTION_MS ? BUDGET_MS.interactive : BUDGET_MS.idle
  }

  /** Before the layer draws: apply the changes that fit in this frame's budget. */
  private apply(): void {
    if (this.dirty.size === 0 || this.hooks.viewArriving?.()) return
    const deadline = performance.now() + this.budget().apply
    // Shapes a kept view shows as they are need no tile redrawn.
    const many = this.dirty.size - (this.kept?.size ?? 0) > MANY_CHANGES
    const fewEnoughForLive = this.dirty.size <= LIVE_CHANGES
    let applied = 0
    for (const id of this.dirty) {
      this.dirty.delete(id)
      this.project(id, !many, fewEnoughForLive)
      // Reading the clock costs too: every sixteenth shape is often enough.
      if ((++applied & 15) === 0 && performance.now() >= deadline) break
    }
    if (many) {
      this.tiles.invalidateAll()
      // A board arriving: what lies on top of what is not worth finding out shape by shape.
      for (const id of [...this.live.ids]) this.live.release(id)
    }
    if (this.kept?.size === 0) this.kept = null
    if (this.dirty.size === 0) this.backlogPeak = 0
    this.hooks.onProjected?.()
    // In this frame: the live layer is drawn after this one's draw was asked for.
    this.drawLiveIfChanged()
  }

  /**
   * Brings one shape's index entry and node in line with the document, and its tiles, or the live
   * layer if it may go there (`mayGoLive`: few shapes change in this frame).
   */
  private project(id: string, invalidateTiles: boolean, mayGoLive: boolean): void {
    const value = this.shapes.get(id)
    const known = this.kept?.get(id)
    this.kept?.delete(id)
    const shape = value === undefined ? null : readShape(id, value, { knownValid: known !== undefined })
    if (value !== undefined && shape === null) this.invalid.add(id)
    else this.invalid.delete(id)
    this.dropNode(id)
    const wasLive = this.live.has(id)
    const previous = shape ? this.index.set(shape, known) : this.index.remove(id)
    const current = shape ? this.index.get(id) : undefined
    if (shape && (!this.top || compareZ(shape, this.top) >= 0)) this.top = shape
    const now = performance.now()
    const goesLive = mayGoLive && !known && current !== undefined && this.live.keepsChanging(id, now) && this.live.hasRoom && this.canBeLive(current)
    if (goesLive) this.live.take(id, now)
    else if (current) this.live.release(id)
    else this.live.forget(id)
    if (wasLive || goesLive) this.liveChanged = true
    if (!invalidateTiles || known) return
    // A live shape's tiles never had it.
    if (previous && !wasLive) this.tiles.invalidate(boxOf(previous))
    if (current && !goesLive) {
      this.tiles.invalidate(boxOf(current))
      this.settleLiveBelow(current)
    }
  }

  /** The shapes the tiles draw in `area`, bottom first: all but the live ones. */
  private tileShapes(area: Box): IndexedShape[] {
    const found = this.index.search(area)
    const shapes = this.live.size > 0 ? found.filter((entry) => !this.live.has(entry.shape.id)) : found
    return shapes.sort((a, b) => compareZ(a.shape, b.shape))
  }

  /**
   * Whether the shape may be drawn above the tiles: nothing the tiles draw lies above it where it
   * is. A highlighter's ink tints what is under it (multiply), which a layer of its own cannot do.
   */
  private canBeLive(entry: IndexedShape): boolean {
    const { shape } = entry
    if (shape.type === 'stroke' && shape.highlight && !this.look.dark) return false
    return this.liesOnTop(entry)
  }

  /** Whether no shape the tiles draw (all but the live ones) is above `entry` where it lies. */
  private liesOnTop(entry: IndexedShape): boolean {
    if (this.top && compareZ(entry.shape, this.top) >= 0) return true
    for (const other of this.index.search(boxOf(entry))) {
      if (other !== entry && !this.live.has(other.shape.id) && compareZ(other.shape, entry.shape) > 0) return false
    }
    return true
  }

  /** `entry` goes into the tiles: live shapes it lies above and meets would cover it, so they settle now. */
  private settleLiveBelow(entry: IndexedShape): void {
    for (const id of [...this.live.ids]) {
      const other = this.index.get(id)
      if (other && compareZ(other.shape, entry.shape) < 0 && overlaps(other, entry)) this.settle(id)
    }
  }

  /**
   * The tiles take the live shape: drawn onto their images as they are if it still lies on top of
   * all they draw (a stroke just finished), else drawn again with it. It stays on the live layer
   * until the tiles in view show it.
   */
  private settle(id: string): void {
    this.live.release(id)
    this.liveChanged = true
    const entry = this.index.get(id)
    if (!entry) return
    if (this.liesOnTop(entry)) this.tiles.drawOnTop(boxOf(entry), entry)
    else this.tiles.invalidate(boxOf(entry))
  }

  /** Shapes on the live layer whose tiles in view show them now leave it. */
  private dropSettled(view: PaintView): void {
    for (const id of [...this.live.settling]) {
      const entry = this.index.get(id)
      if (entry && !this.tiles.showsCurrent(view, boxOf(entry))) continue
      this.live.settled(id)
      this.liveChanged = true
    }
  }

  private drawLiveIfChanged(): void {
    if (!this.liveChanged) return
    this.liveChanged = false
    this.live.redraw()
  }

  private paint(context: Konva.Context): void {
    const stage = this.layer.getStage()
    if (!stage) return
    const camera = { x: stage.x(), y: stage.y(), scale: stage.scaleX() }
    const cameraKey = `${camera.x} ${camera.y} ${camera.scale}`
    if (cameraKey !== this.lastCamera) {
      // The first frame only learns where the camera is.
      if (this.lastCamera) this.interactedAt = performance.now()
      this.lastCamera = cameraKey
    }
    // While a big board is still being applied or arriving, tiles would only be drawn to be drawn
    // again (measured: a quarter of the shapes drawn while a 10,000-stroke board arrived).
    const waiting = this.dirty.size > 0 || (this.hooks.boardArriving?.() ?? false) || (this.hooks.viewArriving?.() ?? false)
    const now = performance.now()
    for (const id of this.live.quiet(now)) this.settle(id)
    const deadline = waiting ? null : now + this.budget().tiles
    const view = this.paintView(stage)
    const left = this.tiles.paint(context._context, view, deadline)
    if (this.live.size > 0) this.dropSettled(view)
    this.drawLiveIfChanged()
    this.tilesPending = left.inView
    // More to draw (or to apply): the next frame goes on.
    if (left.more || this.dirty.size > 0) this.layer.batchDraw()
    else if (!waiting && !left.inView) this.hooks.onSettled?.()
  }

  private paintView(stage: Konva.Stage): PaintView {
    return {
      camera: { x: stage.x(), y: stage.y(), scale: stage.scaleX() },
      width: stage.width(),
      height: stage.height(),
      pixelRatio: this.layer.getCanvas().getPixelRatio(),
    }
  }

  /** Draws one shape into a tile: straight onto the canvas where its renderer can, through its node otherwise. */
  private draw(shape: Shape, canvas: SceneCanvas): void {
    const renderer = this.renderers[shape.type] as ShapeRenderer
    if (!renderer.draw) this.node(shape).drawScene(canvas)
    else if (!this.hidden.has(shape.id)) renderer.draw(canvas.getContext()._context, shape, this.look, this.opacityOf(shape))
  }

  private opacityOf(shape: Shape): number {
    return this.dimmed.has(shape.id) ? shape.opacity * DIMMED_OPACITY : shape.opacity
  }

  /** The shape's Konva node, made when first drawn. */
  private node(shape: Shape): ShapeNode {
    let node = this.nodes.get(shape.id)
    if (!node) {
      node = (this.renderers[shape.type] as ShapeRenderer).create(shape, this.look)
      node.opacity(this.opacityOf(shape))
      node.visible(!this.hidden.has(shape.id))
      this.nodes.set(shape.id, node)
    }
    return node
  }

  private dropNode(id: string): void {
    this.nodes.get(id)?.destroy()
    this.nodes.delete(id)
  }
}

function overlaps(a: IndexedShape, b: IndexedShape): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY
}
