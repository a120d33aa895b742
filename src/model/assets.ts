/**
 * Image bytes (DESIGN.md §3 `assets`): content-addressed by their SHA-256, so the same picture
 * pasted twice, or by two people, is stored once. Images are downscaled and capped before they get
 * here (ui/image-import.ts); the reader enforces the cap again, since a peer can write anything.
 */
import type * as Y from 'yjs'
import { makeRoom } from './board-budget'
import { transactLocal } from './board-doc'

/** Largest image a board accepts, encoded. */
export const MAX_ASSET_BYTES = 1024 * 1024

const HASH_PATTERN = /^[0-9a-f]{64}$/

export function assetsOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('assets')
}

export function isAssetHash(value: unknown): value is string {
  return typeof value === 'string' && HASH_PATTERN.test(value)
}

/** The image formats every browser decodes, recognised by their first bytes (never by a name or a claim). */
export function imageMimeType(bytes: Uint8Array): 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | null {
  const starts = (...prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte)
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png'
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif'
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp'
  return null
}

/** The bytes of an image asset, or null when missing or not an acceptable image. */
export function readAsset(doc: Y.Doc, hash: string): Uint8Array | null {
  if (!isAssetHash(hash)) return null
  const bytes = assetsOf(doc).get(hash)
  if (!(bytes instanceof Uint8Array) || bytes.length > MAX_ASSET_BYTES || imageMimeType(bytes) === null) return null
  return bytes
}

/** Stores image bytes under their hash (a no-op when already there). */
export function putAsset(doc: Y.Doc, hash: string, bytes: Uint8Array): void {
  if (!isAssetHash(hash)) throw new TypeError('An asset hash is 64 lowercase hex digits (SHA-256).')
  if (bytes.length > MAX_ASSET_BYTES) throw new RangeError(`An image may take at most ${MAX_ASSET_BYTES} bytes.`)
  const assets = assetsOf(doc)
  if (assets.get(hash) instanceof Uint8Array) return
  makeRoom(doc, bytes.byteLength)
  transactLocal(doc, () => assets.set(hash, bytes))
}

/** SHA-256 of the bytes as hex: the asset's key. */
export async function hashAsset(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}
