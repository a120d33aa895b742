/**
 * Sealed bytes: what leaves the browser for the server (records, snapshots, relayed messages).
 * AES-GCM with a fresh random 96-bit IV each time, authenticated together with what the bytes
 * are and which board they belong to, so the server can neither read nor alter them, nor pass
 * one board's records (or a relayed message) off as another's.
 *
 * Layout: version (1 byte) | IV (12 bytes) | ciphertext and 16-byte tag.
 */
const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16

export type SealPurpose = 'update' | 'snapshot' | 'relay' | 'version' | 'version-bundle'

export class UnreadableSealError extends Error {
  override name = 'UnreadableSealError'
}

export async function seal(key: CryptoKey, purpose: SealPurpose, scope: string, plain: Uint8Array): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const cipher = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: context(purpose, scope) }, key, asBufferSource(plain))
  const sealed = new Uint8Array(1 + IV_BYTES + cipher.byteLength)
  sealed[0] = VERSION
  sealed.set(iv, 1)
  sealed.set(new Uint8Array(cipher), 1 + IV_BYTES)
  return sealed
}

/** The plain bytes; throws UnreadableSealError for bytes not sealed by this key for this purpose and scope. */
export async function unseal(key: CryptoKey, purpose: SealPurpose, scope: string, sealed: Uint8Array): Promise<Uint8Array> {
  if (sealed.byteLength < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) {
    throw new UnreadableSealError('not a sealed record of this version')
  }
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: asBufferSource(sealed.subarray(1, 1 + IV_BYTES)), additionalData: context(purpose, scope) },
      key,
      asBufferSource(sealed.subarray(1 + IV_BYTES)),
    )
    return new Uint8Array(plain)
  } catch {
    throw new UnreadableSealError('sealed with another key, for another purpose, or altered')
  }
}

/** Web Crypto's types refuse views that could be of a SharedArrayBuffer; ours never are. */
export function asBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>
}

function context(purpose: SealPurpose, scope: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`meshboard/v1 ${purpose}\n${scope}`)
}
