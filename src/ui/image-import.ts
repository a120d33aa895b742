/**
 * Turning a file the user gave (picked, pasted or dropped) into image bytes fit for the document:
 * decoded to prove it is an image, downscaled so its longest side is at most MAX_IMAGE_SIDE, and
 * re-encoded until it fits MAX_ASSET_BYTES. Everything that goes wrong is an ImageImportError with
 * a message meant for the user.
 */
import { msg, str } from '@lit/localize'
import { formatNumber } from '../i18n/format'
import { hashAsset, imageMimeType, MAX_ASSET_BYTES } from '../model/assets'

/** Files larger than this are refused before decoding (a phone photo is 3-12 MB). */
export const MAX_IMAGE_FILE_BYTES = 40 * 1024 * 1024
/** Longest side of a stored image, in pixels: sharp on a board, small in the document. */
export const MAX_IMAGE_SIDE = 1600

export class ImageImportError extends Error {
  override name = 'ImageImportError'
}

export interface PreparedImage {
  readonly bytes: Uint8Array
  readonly hash: string
  /** Pixel size of the stored image. */
  readonly width: number
  readonly height: number
}

/** Whole megabytes (MiB) for the messages, ungrouped ("2048 MB"). */
const megabytes = (bytes: number) => formatNumber(Math.round(bytes / (1024 * 1024)), { useGrouping: false })

export async function prepareImage(file: Blob & { name?: string }): Promise<PreparedImage> {
  // The file's name, quoted by the messages; without one they say "This file".
  const label = file.name ?? ''
  if (file.size > MAX_IMAGE_FILE_BYTES) throw new ImageImportError(tooLarge(label, megabytes(file.size), megabytes(MAX_IMAGE_FILE_BYTES)))
  const original = new Uint8Array(await file.arrayBuffer())
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    throw new ImageImportError(
      label
        ? msg(str`"${label}" is not an image this browser can read (PNG, JPEG, GIF and WebP work).`, { id: 'image.unreadable.named', desc: "adding an image; the placeholder is the file's name" })
        : msg('This file is not an image this browser can read (PNG, JPEG, GIF and WebP work).', { id: 'image.unreadable' }),
    )
  }
  try {
    const fits = Math.max(bitmap.width, bitmap.height) <= MAX_IMAGE_SIDE
    // Small images in a format every peer decodes are kept byte for byte.
    if (fits && original.length <= MAX_ASSET_BYTES && imageMimeType(original)) return await prepared(original, bitmap.width, bitmap.height)
    return await reencode(bitmap, label)
  } finally {
    bitmap.close()
  }
}

async function reencode(bitmap: ImageBitmap, label: string): Promise<PreparedImage> {
  let side = MAX_IMAGE_SIDE
  // Each try shrinks the picture or its quality until it fits the document's cap.
  for (const quality of [0.86, 0.78, 0.7, 0.6, 0.5]) {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height))
    const width = Math.max(1, Math.round(bitmap.width * scale))
    const height = Math.max(1, Math.round(bitmap.height * scale))
    const canvas = new OffscreenCanvas(width, height)
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, width, height)
    // WebP keeps transparency at photo sizes; browsers that cannot encode it give PNG instead.
    const blob = await canvas.convertToBlob({ type: 'image/webp', quality })
    const bytes = new Uint8Array(await blob.arrayBuffer())
    if (bytes.length <= MAX_ASSET_BYTES && imageMimeType(bytes)) return prepared(bytes, width, height)
    side = Math.round(side * 0.8)
  }
  const most = megabytes(MAX_ASSET_BYTES)
  throw new ImageImportError(
    label
      ? msg(str`"${label}" could not be made small enough for the board (${most} MB at most).`, {
          id: 'image.too-big-to-shrink.named',
          desc: "adding an image; the placeholders are the file's name and the most an image on the board may take, in megabytes",
        })
      : msg(str`This file could not be made small enough for the board (${most} MB at most).`, {
          id: 'image.too-big-to-shrink',
          desc: 'adding an image; the placeholder is the most an image on the board may take, in megabytes',
        }),
  )
}

function tooLarge(label: string, size: string, most: string): string {
  return label
    ? msg(str`"${label}" is too large (${size} MB); images up to ${most} MB can be added.`, {
        id: 'image.too-large.named',
        desc: "adding an image; the placeholders are the file's name, its size and the largest file that can be added, in megabytes",
      })
    : msg(str`This file is too large (${size} MB); images up to ${most} MB can be added.`, {
        id: 'image.too-large',
        desc: 'adding an image; the placeholders are the size of the file and the largest file that can be added, in megabytes',
      })
}

async function prepared(bytes: Uint8Array, width: number, height: number): Promise<PreparedImage> {
  return { bytes, hash: await hashAsset(bytes), width, height }
}
