/** The user's last style choices and view settings, remembered on this device for every board. */
import { PALETTE, WIDTHS } from './palette'

export interface Preferences {
  readonly color: string
  readonly strokeWidth: number
  readonly fill: boolean
  readonly grid: boolean
}

const STORAGE_KEY = 'meshboard:preferences'
export const DEFAULT_PREFERENCES: Preferences = { color: PALETTE[0]!.value, strokeWidth: WIDTHS[1]!.value, fill: false, grid: false }

export function loadPreferences(storage: Pick<Storage, 'getItem'> | null = safeStorage()): Preferences {
  try {
    const stored = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}') as Partial<Preferences>
    return {
      color: PALETTE.some((entry) => entry.value === stored.color) ? stored.color! : DEFAULT_PREFERENCES.color,
      strokeWidth: WIDTHS.some((entry) => entry.value === stored.strokeWidth) ? stored.strokeWidth! : DEFAULT_PREFERENCES.strokeWidth,
      fill: stored.fill === true,
      grid: stored.grid === true,
    }
  } catch {
    return DEFAULT_PREFERENCES
  }
}

export function savePreferences(preferences: Preferences, storage: Pick<Storage, 'setItem'> | null = safeStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(preferences))
  } catch {
    // Full or forbidden storage: the choices last for this page only.
  }
}

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}
