/**
 * The board's kept view (src/render/kept-view.ts) as stored on a peer's device, reached through
 * IndexedDB in the page: whether it is there, and changes to it a test or benchmark needs (gone,
 * an older one put back, its images replaced).
 */
import type { Peer } from './browser'

type KeptViewAction = 'count' | 'delete' | 'stash' | 'unstash' | 'paint-red'

/** How many shapes the stored kept view has bounds for; -1 if none is stored. */
export function keptViewShapes(peer: Peer): Promise<number> {
  return onKeptView(peer, 'count')
}

/** Waits until a kept view with the bounds of `shapes` shapes is stored. */
export async function waitUntilViewKept(peer: Peer, shapes: number, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout
  while ((await keptViewShapes(peer)) !== shapes) {
    if (Date.now() > deadline) throw new Error(`no view of ${shapes} shapes was kept (stored: ${await keptViewShapes(peer)})`)
    await peer.page.waitForTimeout(100)
  }
}

/** Deletes the stored kept view: the next opening draws the board from its document alone. */
export async function forgetKeptView(peer: Peer): Promise<void> {
  await onKeptView(peer, 'delete')
}

/** Copies the stored kept view into the page's memory (to put it back later with `unstashKeptView`). */
export async function stashKeptView(peer: Peer): Promise<void> {
  await onKeptView(peer, 'stash')
}

/** Stores the stashed kept view again, over whatever is stored now. */
export async function unstashKeptView(peer: Peer): Promise<void> {
  await onKeptView(peer, 'unstash')
}

/** Replaces every tile image of the stored kept view by a solid red square: what it shows becomes recognisable. */
export async function paintKeptViewRed(peer: Peer): Promise<void> {
  await onKeptView(peer, 'paint-red')
}

function onKeptView(peer: Peer, action: KeptViewAction): Promise<number> {
  return peer.page.evaluate(async (action) => {
    const databases = (await indexedDB.databases()).filter((db) => db.name?.startsWith('meshboard-'))
    if (databases.length !== 1) throw new Error(`expected one board stored on this device, found ${databases.length}`)
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(databases[0]!.name!)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    const done = <T>(request: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
    const page = window as unknown as { __stashedKeptView?: unknown }
    type Stored = { ids: unknown[]; tiles: { image: Blob | null }[] }
    try {
      const read = () => db.transaction('custom', 'readonly').objectStore('custom')
      const write = () => db.transaction('custom', 'readwrite').objectStore('custom')
      if (action === 'delete') await done(write().delete('kept-view'))
      if (action === 'unstash') await done(write().put(page.__stashedKeptView, 'kept-view'))
      const stored = (await done(read().get('kept-view'))) as Stored | undefined
      if (action === 'stash') page.__stashedKeptView = stored
      if (action === 'paint-red' && stored) {
        const canvas = new OffscreenCanvas(256, 256)
        const context = canvas.getContext('2d')!
        context.fillStyle = '#ff0000'
        context.fillRect(0, 0, 256, 256)
        const red = await canvas.convertToBlob({ type: 'image/png' })
        for (const tile of stored.tiles) if (tile.image) tile.image = red
        await done(write().put(stored, 'kept-view'))
      }
      return stored?.ids.length ?? -1
    } finally {
      db.close()
    }
  }, action)
}
