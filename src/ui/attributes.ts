/** Attribute converters of `<mesh-board>` beyond Lit's own. */
import type { ComplexAttributeConverter } from 'lit'

/**
 * A feature that is on unless switched off: absent or any value means on, `"false"`, `"off"`,
 * `"no"` and `"0"` mean off. (A plain boolean attribute could only ever be switched on.)
 */
export const onUnlessFalse: ComplexAttributeConverter<boolean> = {
  fromAttribute: (value) => value === null || !['false', 'off', 'no', '0'].includes(value.trim().toLowerCase()),
  toAttribute: (value) => (value ? null : 'false'),
}

/** `ice-servers`: a JSON array of RTCIceServer. Invalid JSON is reported and ignored. */
export const iceServersAttribute: ComplexAttributeConverter<RTCIceServer[]> = {
  fromAttribute(value) {
    if (value === null || value.trim() === '') return []
    try {
      const parsed: unknown = JSON.parse(value)
      if (Array.isArray(parsed) && parsed.every((server) => typeof server === 'object' && server !== null && 'urls' in server)) {
        return parsed as RTCIceServer[]
      }
    } catch {
      // Reported below.
    }
    console.warn('<mesh-board>: ice-servers must be a JSON array of {"urls": ...} objects; ignoring it.')
    return []
  },
  toAttribute: (value) => JSON.stringify(value),
}

export type Theme = 'light' | 'dark' | 'auto'

export function isTheme(value: unknown): value is Theme {
  return value === 'light' || value === 'dark' || value === 'auto'
}
