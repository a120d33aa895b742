/**
 * Decoded images by asset hash. Decoding is asynchronous and off the main thread
 * (createImageBitmap); until a bitmap is ready the renderer draws a placeholder and the cache
 * asks for a redraw when it arrives. Bytes that do not decode are remembered as broken.
 */
import type * as Y from 'yjs'
import { assetsOf, imageMimeType, readAsset } from '../model/assets'

type Entry = { state: 'loading' } | { state: 'ready'; bitmap: ImageBitmap } | { state: 'broken' }

export class ImageCache {
  private readonly entries = new Map<string, Entry>()
  private destroyed = false
  /** Bytes can arrive after the shape that shows them: a placeholder waiting for them redraws then. */
  private readonly onAssets = () => this.onLoaded()

  constructor(
    private readonly doc: Y.Doc,
    /** Called when a bitmap finished decoding (or failed) or new bytes arrived: the layer should be drawn again. */
    private readonly onLoaded: () => void,
  ) {
    assetsOf(doc).observe(this.onAssets)
  }

  /** The decoded image, or its state while it is not (yet) drawable. Starts decoding on first ask. */
  get(hash: string): ImageBitmap | 'loading' | 'broken' {
    const entry = this.entries.get(hash)
    if (entry?.state === 'ready') return entry.bitmap
    if (entry) return entry.state
    const bytes = readAsset(this.doc, hash)
    // Not arrived yet (the shape synced before its bytes): ask again on the next redraw.
    if (!bytes) return 'loading'
    this.entries.set(hash, { state: 'loading' })
    void this.decode(hash, bytes)
    return 'loading'
  }

  /** Decoded images for several hashes (exports), waiting for any still decoding. */
  async load(hashes: Iterable<string>): Promise<Map<string, ImageBitmap>> {
    const loaded = new Map<string, ImageBitmap>()
    for (const hash of new Set(hashes)) {
      const bytes = readAsset(this.doc, hash)
      if (!bytes) continue
      try {
        const cached = this.entries.get(hash)
        loaded.set(hash, cached?.state === 'ready' ? cached.bitmap : await decodeImage(bytes))
      } catch {
        // A broken image is left out of the export, as it is drawn as a placeholder on the board.
      }
    }
    return loaded
  }

  destroy(): void {
    assetsOf(this.doc).unobserve(this.onAssets)
    this.destroyed = true
    for (const entry of this.entries.values()) if (entry.state === 'ready') entry.bitmap.close()
    this.entries.clear()
  }

  private async decode(hash: string, bytes: Uint8Array): Promise<void> {
    let entry: Entry
    try {
      entry = { state: 'ready', bitmap: await decodeImage(bytes) }
    } catch {
      entry = { state: 'broken' }
    }
    if (this.destroyed) {
      if (entry.state === 'ready') entry.bitmap.close()
      return
    }
    this.entries.set(hash, entry)
    this.onLoaded()
  }
}

export function decodeImage(bytes: Uint8Array): Promise<ImageBitmap> {
  return createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: imageMimeType(bytes) ?? 'application/octet-stream' }))
}
