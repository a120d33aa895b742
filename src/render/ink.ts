/**
 * Colours as drawn. The default ink is near-black, which would vanish on a dark board, so a dark
 * theme draws it near-white (and the reverse); every other colour reads on both backgrounds.
 */
export const LIGHT_INK = '#1e1e1e'
export const DARK_INK = '#e9ecef'

export function displayColor(color: string, dark: boolean): string {
  if (dark && color.toLowerCase() === LIGHT_INK) return DARK_INK
  return color
}
