/** Identifiers. Branded so a shape id cannot be passed where some other string is expected. */

export type ShapeId = string & { readonly __brand: 'ShapeId' }

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** A random url-safe string of `length` characters (6 bits each). */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  let out = ''
  for (const byte of bytes) out += ALPHABET[byte & 63]
  return out
}

/** 96 random bits: collisions between peers creating shapes concurrently are out of reach. */
export function newShapeId(): ShapeId {
  return randomToken(16) as ShapeId
}

const SHAPE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export function isShapeId(value: unknown): value is ShapeId {
  return typeof value === 'string' && SHAPE_ID_PATTERN.test(value)
}
