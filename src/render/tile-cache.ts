/**
 * The board's shapes drawn once into square tiles and then reused, so that a frame costs a few
 * image copies instead of one path fill per shape (DESIGN.md §4, "Big boards"). Software canvas
 * fills a 100-point stroke in tens of microseconds: 10,000 strokes on screen are hundreds of
 * milliseconds per frame drawn directly, a few milliseconds from tiles.
 *
 * Tiles live on zoom levels: level L has 2^L device pixels per board unit, and a frame uses the
 * nearest level at or above its own resolution, drawn down by at most half (sharp, never blurred
 * up). Tiles are drawn within a time budget per frame, a tile's shapes spread over several frames
 * if need be; until a tile is complete its area shows what another level has there (a coarser or
 * a finer tile), or its previous image if it was only out of date. A change to the document
 * invalidates exactly the tiles under the changed shapes' old and new bounds.
 */
import { SceneCanvas } from 'konva/lib/Canvas'
import type { Box } from '../model/geometry'
import type { Camera } from './camera'

/** Tile edge in device pixels: small enough to redraw within a frame where the board is dense. */
export const TILE_PX = 256
/** 160 tiles of 256 KiB: 40 MiB of pixels at most, several screens' worth at any zoom. */
const MAX_TILES = 160
const MIN_LEVEL = -8
const MAX_LEVEL = 5
/** How many levels up (coarser) and down (finer) a missing tile looks for a stand-in. */
const COARSER_FALLBACK = 4

/** `Tile.shown` when what is on screen is no image of the tile's own. */
const SHOWN_STAND_IN = -1
const SHOWN_NOTHING = -2

/** What tiles show: the shapes meeting a board area, bottom first, and how to draw one. */
export interface TileSource<T> {
  shapesIn(area: Box): readonly T[]
  /** Draws one shape onto a canvas whose transform maps board units to the tile's pixels. */
  draw(shape: T, canvas: SceneCanvas): void
}

interface TileJob<T> {
  readonly canvas: SceneCanvas
  shapes: readonly T[] | null
  next: number
  /** The part of the tile whose shapes it draws (board units); null: all of it. */
  part: Box | null
}

interface Tile<T> {
  readonly level: number
  readonly tx: number
  readonly ty: number
  /** The last complete image, possibly out of date; null until one exists, or if it was empty. */
  canvas: SceneCanvas | null
  /** The last complete image had no shape at all (no canvas is kept for that). */
  empty: boolean
  /** The last complete image holds only the shapes meeting this part of the tile (the part that was in view); null: all. */
  part: Box | null
  fresh: boolean
  job: TileJob<T> | null
  /** The frame it was last shown in, for eviction. */
  used: number
  /** Images completed so far: a new one may be drawn on a canvas the tile had before (kept spare meanwhile). */
  drawings: number
  /** Which of its images is on screen since the last paint, or SHOWN_STAND_IN, or SHOWN_NOTHING. */
  shown: number
}

export interface PaintView {
  readonly camera: Camera
  readonly width: number
  readonly height: number
  readonly pixelRatio: number
}

/** One tile's image at a level: null where the tile has no shape. */
export interface TileImage<I> {
  readonly tx: number
  readonly ty: number
  readonly image: I | null
}

/** The tiles covering a view, at the level it is drawn from. */
export interface ViewTiles<I> {
  readonly level: number
  readonly tiles: readonly TileImage<I>[]
}

/** What a paint left to do: `inView`, tiles in view still to be drawn; `more`, any drawing left (tiles drawn in part). */
export interface PaintResult {
  readonly inView: boolean
  readonly more: boolean
}

export class TileCache<T> {
  private readonly tiles = new Map<string, Tile<T>>()
  private readonly spare: SceneCanvas[] = []
  private frame = 0
  /** The canvas and view of the last paint: while they stay, tiles already on screen are left there. */
  private shownOn: CanvasRenderingContext2D | null = null
  private shownView = ''

  constructor(private readonly source: TileSource<T>) {}

  /** Every tile meeting `box` (board units) is out of date. */
  invalidate(box: Box): void {
    for (const tile of this.tiles.values()) if (meets(tile, box)) this.outdate(tile)
  }

  /**
   * `item`, within `box`, now lies above every other shape there (one just drawn): it is drawn
   * onto the up-to-date tiles' images as they are, which is one shape's work instead of all of
   * theirs again; tiles being drawn or out of date are drawn again with it.
   */
  drawOnTop(box: Box, item: T): void {
    for (const tile of this.tiles.values()) {
      if (!meets(tile, box)) continue
      if (!tile.fresh || tile.job) {
        this.outdate(tile)
        continue
      }
      const context = (tile.canvas ??= this.blank()).getContext()
      if (tile.empty) {
        context.setTransform(1, 0, 0, 1, 0, 0)
        context.clearRect(0, 0, TILE_PX, TILE_PX)
      }
      const units = unitsPerTile(tile.level)
      const scale = TILE_PX / units
      context.setTransform(scale, 0, 0, scale, -tile.tx * units * scale, -tile.ty * units * scale)
      this.source.draw(item, tile.canvas)
      tile.empty = false
      // A new image of the tile: the next paint copies it to the screen.
      tile.drawings++
    }
  }

  /** Whether every tile of `view` meeting `box` shows an up-to-date image of its own. */
  showsCurrent(view: PaintView, box: Box): boolean {
    const level = levelFor(view.camera.scale * view.pixelRatio)
    return this.visibleTiles(level, view).every((tile) => !meets(tile, box) || (tile.fresh && tile.shown === tile.drawings))
  }

  invalidateAll(): void {
    for (const tile of this.tiles.values()) this.outdate(tile)
  }

  /**
   * Draws the view onto `context` (a canvas the size of the screen, in device pixels, that nobody
   * else draws on or clears), drawing missing or outdated tiles until `deadline` (a
   * `performance.now()` time; at least one step is always taken), or none if it is null.
   *
   * While the view stands, a tile partly out of view is first drawn with only the shapes meeting
   * the part in view (at 1280 × 800 the bottom row shows an eighth of its tiles: about a fifth of
   * the first screenful's work was for pixels nobody sees), and completed once nothing in view
   * waits, before a pan needs the rest.
   *
   * While the view stays, only tiles whose image changed are copied again: a frame of a board
   * arriving, or of a stroke being drawn, copies a few tiles instead of the screenful (copying
   * 30 tiles cost 4-5 ms a frame in software).
   */
  paint(context: CanvasRenderingContext2D, view: PaintView, deadline: number | null): PaintResult {
    this.frame++
    const level = levelFor(view.camera.scale * view.pixelRatio)
    const visible = this.visibleTiles(level, view)
    const inView = viewArea(view)
    const viewKey = `${view.camera.x} ${view.camera.y} ${view.camera.scale} ${view.width} ${view.height} ${view.pixelRatio}`
    const whole = context !== this.shownOn || viewKey !== this.shownView
    let pending = false
    let first = true
    for (const tile of visible) {
      tile.used = this.frame
      if (showsEnough(tile, inView)) continue
      // In part only while the view stands (a board arriving): while it moves, the part in view
      // changes every frame, and a tile drawn in part would be drawn again and again.
      const part = whole ? null : partInView(tile, inView)
      if (deadline !== null && (first || performance.now() < deadline)) this.work(tile, deadline, part)
      first = false
      if (!showsEnough(tile, inView)) pending = true
    }
    let more = pending
    for (const tile of visible) {
      if (!tile.part) continue
      if (!pending && deadline !== null && performance.now() < deadline) this.work(tile, deadline, null)
      if (tile.part) more = true
    }
    this.shownOn = context
    this.shownView = viewKey
    context.save()
    context.setTransform(1, 0, 0, 1, 0, 0)
    if (whole) context.clearRect(0, 0, context.canvas.width, context.canvas.height)
    for (const tile of visible) {
      const own = tile.canvas !== null || tile.empty
      if (!whole && own && tile.shown === tile.drawings) continue
      // Nothing to show yet, as in the last frame (a board being opened): leave the canvas as it
      // is. Clearing the area again made the browser repaint the whole canvas every frame.
      if (!whole && !own && tile.shown === SHOWN_NOTHING && !this.hasStandIn(tile)) continue
      // A stand-in is copied again every frame until the tile's own image replaces it.
      tile.shown = this.blit(context, view, tile, !whole) ? (own ? tile.drawings : SHOWN_STAND_IN) : SHOWN_NOTHING
    }
    context.restore()
    this.evict()
    return { inView: pending, more }
  }

  /**
   * The images of the tiles covering `view`, if each is complete, up to date and whole (not drawn
   * in part); null otherwise. The canvases are the cache's own: copy them before the next paint.
   */
  viewTiles(view: PaintView): ViewTiles<HTMLCanvasElement> | null {
    const level = levelFor(view.camera.scale * view.pixelRatio)
    const tiles: TileImage<HTMLCanvasElement>[] = []
    for (const tile of this.visibleTiles(level, view)) {
      if (!tile.fresh || tile.part || tile.job) return null
      tiles.push({ tx: tile.tx, ty: tile.ty, image: tile.canvas?._canvas ?? null })
    }
    return { level, tiles }
  }

  /**
   * Takes `images` as the up-to-date images of their tiles (an earlier page drew them, of the
   * board exactly as it is now); tiles up to date already keep theirs.
   */
  seed({ level, tiles }: ViewTiles<CanvasImageSource>): void {
    for (const { tx, ty, image } of tiles) {
      const tile = this.tile(level, tx, ty)
      if (tile.fresh) continue
      if (!image) {
        this.complete(tile, null, null)
        continue
      }
      const canvas = this.blank()
      const context = canvas.getContext()._context
      context.setTransform(1, 0, 0, 1, 0, 0)
      context.clearRect(0, 0, TILE_PX, TILE_PX)
      context.drawImage(image, 0, 0)
      this.complete(tile, canvas, null)
    }
  }

  destroy(): void {
    this.tiles.clear()
    this.spare.length = 0
  }

  private outdate(tile: Tile<T>): void {
    tile.fresh = false
    // A drawing in progress started from the old content: start over.
    if (tile.job) {
      tile.job.shapes = null
      tile.job.next = 0
    }
  }

  private visibleTiles(level: number, { camera, width, height }: PaintView): Tile<T>[] {
    const units = unitsPerTile(level)
    const left = -camera.x / camera.scale
    const top = -camera.y / camera.scale
    const right = left + width / camera.scale
    const bottom = top + height / camera.scale
    const tiles: Tile<T>[] = []
    for (let ty = Math.floor(top / units); ty * units < bottom; ty++) {
      for (let tx = Math.floor(left / units); tx * units < right; tx++) tiles.push(this.tile(level, tx, ty))
    }
    // Centre first: what the eye is on fills in first.
    const cx = (left + right) / 2
    const cy = (top + bottom) / 2
    const distance = (tile: Tile<T>) => Math.hypot((tile.tx + 0.5) * units - cx, (tile.ty + 0.5) * units - cy)
    return tiles.sort((a, b) => distance(a) - distance(b))
  }

  private tile(level: number, tx: number, ty: number): Tile<T> {
    const key = `${level}/${tx}/${ty}`
    let tile = this.tiles.get(key)
    if (!tile) {
      tile = { level, tx, ty, canvas: null, empty: false, part: null, fresh: false, job: null, used: this.frame, drawings: 0, shown: SHOWN_STAND_IN }
      this.tiles.set(key, tile)
    }
    return tile
  }

  /**
   * Draws as much of `tile` (or of its `part`) as the deadline allows (at least one shape); swaps
   * it in when complete. A drawing in progress goes on with the part it started with.
   */
  private work(tile: Tile<T>, deadline: number, part: Box | null): void {
    const units = unitsPerTile(tile.level)
    const scale = TILE_PX / units
    if (!tile.job?.shapes || (tile.job.part && !part)) {
      // Antialiasing reaches a pixel past a shape's bounds.
      const bleed = 1 / scale
      const area = part ?? tileArea(tile)
      const shapes = this.source.shapesIn({ x: area.x - bleed, y: area.y - bleed, width: area.width + 2 * bleed, height: area.height + 2 * bleed })
      // Nothing here (most of an empty or sparse board): no canvas to make, fill or copy.
      if (shapes.length === 0) return this.complete(tile, null, part)
      tile.job = { canvas: tile.job?.canvas ?? this.blank(), shapes, next: 0, part }
      const context = tile.job.canvas.getContext()
      context.setTransform(1, 0, 0, 1, 0, 0)
      context.clearRect(0, 0, TILE_PX, TILE_PX)
    }
    const job = tile.job
    const shapes = job.shapes!
    job.canvas.getContext().setTransform(scale, 0, 0, scale, -tile.tx * units * scale, -tile.ty * units * scale)
    while (job.next < shapes.length) {
      this.source.draw(shapes[job.next++]!, job.canvas)
      // Reading the clock costs too: every eighth shape is often enough.
      if ((job.next & 7) === 0 && performance.now() >= deadline) return
    }
    this.complete(tile, job.canvas, job.part)
  }

  /** The tile's new image is `canvas` (null: empty) of `part` of it; canvases it no longer uses are kept for other tiles. */
  private complete(tile: Tile<T>, canvas: SceneCanvas | null, part: Box | null): void {
    for (const old of [tile.canvas, tile.job?.canvas]) if (old && old !== canvas) this.spare.push(old)
    tile.canvas = canvas
    tile.empty = canvas === null
    tile.part = part
    tile.job = null
    tile.fresh = true
    tile.drawings++
  }

  private blank(): SceneCanvas {
    return this.spare.pop() ?? new SceneCanvas({ width: TILE_PX, height: TILE_PX, pixelRatio: 1 })
  }

  /**
   * The tile's image, or a stand-in from another level, or nothing yet; over what was there if
   * `clear`. Returns whether it showed anything but blank (an empty tile's own image counts).
   */
  private blit(context: CanvasRenderingContext2D, view: PaintView, tile: Tile<T>, clear: boolean): boolean {
    const units = unitsPerTile(tile.level)
    const dest = screenRect(view, tile.tx * units, tile.ty * units, units)
    if (clear) context.clearRect(dest.x, dest.y, dest.width, dest.height)
    if (tile.canvas) {
      context.drawImage(tile.canvas._canvas, 0, 0, TILE_PX, TILE_PX, dest.x, dest.y, dest.width, dest.height)
      return true
    }
    if (tile.empty) return true
    const parent = this.coarserStandIn(tile)
    if (parent?.canvas) {
      const factor = 2 ** (tile.level - parent.level)
      const part = TILE_PX / factor
      const sx = (tile.tx - parent.tx * factor) * part
      const sy = (tile.ty - parent.ty * factor) * part
      context.drawImage(parent.canvas._canvas, sx, sy, part, part, dest.x, dest.y, dest.width, dest.height)
      return true
    }
    if (parent) return false
    let shown = false
    for (const child of this.finerStandIns(tile)) {
      const half = units / 2
      const rect = screenRect(view, child.tx * half, child.ty * half, half)
      context.drawImage(child.canvas!._canvas, 0, 0, TILE_PX, TILE_PX, rect.x, rect.y, rect.width, rect.height)
      shown = true
    }
    return shown
  }

  /** Whether another level has something to show where `tile` has no image yet. */
  private hasStandIn(tile: Tile<T>): boolean {
    const parent = this.coarserStandIn(tile)
    return parent ? parent.canvas !== null : this.finerStandIns(tile).length > 0
  }

  /** The nearest coarser tile with an image of this area (one found empty means nothing is there); null if none. */
  private coarserStandIn(tile: Tile<T>): Tile<T> | null {
    for (let up = 1; up <= COARSER_FALLBACK; up++) {
      const factor = 2 ** up
      const parent = this.tiles.get(`${tile.level - up}/${Math.floor(tile.tx / factor)}/${Math.floor(tile.ty / factor)}`)
      if (parent?.canvas || parent?.empty) return parent
    }
    return null
  }

  /** The four finer tiles of this area that have an image. */
  private finerStandIns(tile: Tile<T>): Tile<T>[] {
    const children: Tile<T>[] = []
    for (let dy = 0; dy < 2; dy++) {
      for (let dx = 0; dx < 2; dx++) {
        const child = this.tiles.get(`${tile.level + 1}/${tile.tx * 2 + dx}/${tile.ty * 2 + dy}`)
        if (child?.canvas) children.push(child)
      }
    }
    return children
  }

  /** Forgets the least recently shown tiles beyond the cap, never one shown in this frame. */
  private evict(): void {
    if (this.tiles.size <= MAX_TILES) return
    const old = [...this.tiles].filter(([, tile]) => tile.used !== this.frame).sort(([, a], [, b]) => a.used - b.used)
    for (const [key, tile] of old.slice(0, this.tiles.size - MAX_TILES)) {
      if (tile.canvas) this.spare.push(tile.canvas)
      if (tile.job) this.spare.push(tile.job.canvas)
      this.tiles.delete(key)
    }
    // Spare canvases beyond a screenful are memory for nothing.
    this.spare.length = Math.min(this.spare.length, 16)
  }
}

/** The board area the view shows. */
function viewArea({ camera, width, height }: PaintView): Box {
  return { x: -camera.x / camera.scale, y: -camera.y / camera.scale, width: width / camera.scale, height: height / camera.scale }
}

function meets(tile: Tile<unknown>, box: Box): boolean {
  const units = unitsPerTile(tile.level)
  if (tile.tx * units > box.x + box.width || (tile.tx + 1) * units < box.x) return false
  return !(tile.ty * units > box.y + box.height || (tile.ty + 1) * units < box.y)
}

function tileArea(tile: Tile<unknown>): Box {
  const units = unitsPerTile(tile.level)
  return { x: tile.tx * units, y: tile.ty * units, width: units, height: units }
}

/** The part of the tile in view, or null when all of it is. */
function partInView(tile: Tile<unknown>, inView: Box): Box | null {
  const area = tileArea(tile)
  const x = Math.max(area.x, inView.x)
  const y = Math.max(area.y, inView.y)
  const right = Math.min(area.x + area.width, inView.x + inView.width)
  const bottom = Math.min(area.y + area.height, inView.y + inView.height)
  if (x === area.x && y === area.y && right === area.x + area.width && bottom === area.y + area.height) return null
  return { x, y, width: right - x, height: bottom - y }
}

/** Whether the tile's image is up to date and holds every shape of its part in view. */
function showsEnough(tile: Tile<unknown>, inView: Box): boolean {
  if (!tile.fresh || !tile.part) return tile.fresh
  const needed = partInView(tile, inView)
  if (!needed) return false
  const { part } = tile
  return needed.x >= part.x && needed.y >= part.y && needed.x + needed.width <= part.x + part.width && needed.y + needed.height <= part.y + part.height
}

/** The level whose resolution is the first at or above `pixelsPerUnit`. */
export function levelFor(pixelsPerUnit: number): number {
  // + 0 turns the -0 of ceil(-0.x) into 0.
  return Math.min(MAX_LEVEL, Math.max(MIN_LEVEL, Math.ceil(Math.log2(pixelsPerUnit) - 1e-9))) + 0
}

function unitsPerTile(level: number): number {
  return TILE_PX / 2 ** level
}

/** A board square on screen, in device pixels, edges rounded so neighbouring tiles meet without seams. */
function screenRect({ camera, pixelRatio }: PaintView, x: number, y: number, size: number): Box {
  const sx = (bx: number) => Math.round((bx * camera.scale + camera.x) * pixelRatio)
  const sy = (by: number) => Math.round((by * camera.scale + camera.y) * pixelRatio)
  const left = sx(x)
  const top = sy(y)
  return { x: left, y: top, width: sx(x + size) - left, height: sy(y + size) - top }
}
