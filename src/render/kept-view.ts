/**
 * A board's kept view (DESIGN.md §4, §7): what the screen showed when the board was last open and
 * settled (the images of the tiles in view) and where every shape is (the spatial index's
 * bounds), stored with the board and keyed by the board's exact state: its Yjs state vector and
 * delete set. Reopened with nothing changed since, the board shows those tiles and takes those
 * bounds at once, instead of decoding a million points and drawing a screenful of strokes again
 * (about half of reopening a 10,000-stroke board). Any difference in the board's state, the
 * build that drew it or the theme, and nothing of it is used.
 */
import * as Y from 'yjs'
import type { Box } from '../model/geometry'
import { TILE_PX, type TileImage, type ViewTiles } from './tile-cache'

/** Bumped when the stored form changes; a build change alone already retires every kept view. */
const FORMAT = 1
/** A kept view with more tiles than a 4K screen shows at its densest is not one this code wrote. */
const MAX_TILES = 512

/** A kept view as stored with the board. */
export interface KeptView {
  readonly format: typeof FORMAT
  /** The build that drew it (vite.config.ts `buildId`): another may draw or bound shapes differently. */
  readonly build: string
  /** The board's state it shows: `boardState`. */
  readonly board: Uint8Array
  readonly dark: boolean
  readonly level: number
  /** PNG images; null where a tile has no shape. */
  readonly tiles: readonly TileImage<Blob>[]
  readonly ids: readonly string[]
  /** minX, minY, maxX, maxY of each of `ids`, in order. */
  readonly bounds: Float64Array
}

/** What the projector hands over to keep: the tiles are still its canvases. */
export interface ViewToKeep {
  readonly board: Uint8Array
  readonly dark: boolean
  readonly tiles: ViewTiles<HTMLCanvasElement>
  readonly ids: readonly string[]
  readonly bounds: Float64Array
}

/** A kept view ready to be shown: its images decoded, its bounds by shape. */
export interface RestorableView {
  readonly board: Uint8Array
  readonly dark: boolean
  readonly tiles: ViewTiles<ImageBitmap>
  readonly bounds: ReadonlyMap<string, Box>
}

/**
 * The board's exact state, as bytes: its state vector and delete set (a Yjs snapshot). Equal
 * bytes, equal boards: every change adds to one or the other. About 5 ms for 100,000 structures.
 */
export function boardState(doc: Y.Doc): Uint8Array {
  return Y.encodeSnapshot(Y.snapshot(doc))
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * The view in its stored form. The tiles' pixels are copied when this is called (`toBlob` copies
 * them at once and encodes later), so the canvases may be drawn on again meanwhile.
 */
export async function keptViewOf(view: ViewToKeep): Promise<KeptView> {
  const tiles = await Promise.all(
    view.tiles.tiles.map(async ({ tx, ty, image }) => ({ tx, ty, image: image ? await pngOf(image) : null })),
  )
  return { format: FORMAT, build: __MESHBOARD_BUILD__, board: view.board, dark: view.dark, level: view.tiles.level, tiles, ids: view.ids, bounds: view.bounds }
}

/**
 * A stored kept view made ready to show, or null if there is none, it is of another build or
 * form, or anything in it is not as this code writes it (storage is the page's, but it outlives
 * builds and may be damaged). Never rejects.
 */
export async function restorableView(stored: unknown): Promise<RestorableView | null> {
  if (!isKeptView(stored)) return null
  try {
    const tiles = await Promise.all(
      stored.tiles.map(async ({ tx, ty, image }) => ({ tx, ty, image: image ? await createImageBitmap(image) : null })),
    )
    if (tiles.some(({ image }) => image && (image.width !== TILE_PX || image.height !== TILE_PX))) return null
    const bounds = new Map<string, Box>()
    const b = stored.bounds
    stored.ids.forEach((id, i) => bounds.set(id, { x: b[4 * i]!, y: b[4 * i + 1]!, width: b[4 * i + 2]! - b[4 * i]!, height: b[4 * i + 3]! - b[4 * i + 1]! }))
    return { board: stored.board, dark: stored.dark, tiles: { level: stored.level, tiles }, bounds }
  } catch {
    // An image that does not decode: the view is drawn anew.
    return null
  }
}

function isKeptView(value: unknown): value is KeptView {
  if (typeof value !== 'object' || value === null) return false
  const view = value as Record<string, unknown>
  const { tiles, ids, bounds } = view
  return (
    view.format === FORMAT &&
    view.build === __MESHBOARD_BUILD__ &&
    view.board instanceof Uint8Array &&
    typeof view.dark === 'boolean' &&
    Number.isInteger(view.level) &&
    Array.isArray(tiles) &&
    tiles.length <= MAX_TILES &&
    tiles.every(isStoredTile) &&
    Array.isArray(ids) &&
    ids.every((id) => typeof id === 'string') &&
    bounds instanceof Float64Array &&
    bounds.length === 4 * ids.length &&
    bounds.every(Number.isFinite)
  )
}

function isStoredTile(value: unknown): value is TileImage<Blob> {
  const tile = value as Partial<TileImage<unknown>> | null
  return typeof tile === 'object' && tile !== null && Number.isInteger(tile.tx) && Number.isInteger(tile.ty) && (tile.image === null || tile.image instanceof Blob)
}

function pngOf(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('a tile could not be encoded'))), 'image/png'))
}
