/** The user's last style choices and view settings, remembered on this device for every board. */
import { deviceStorage, readJSON, writeJSON, type ReadableStorage, type WritableStorage } from './device-storage'
import { PALETTE, WIDTHS } from './palette'

export interface Preferences {
  readonly color: string
  readonly strokeWidth: number
  readonly fill: boolean
  readonly grid: boolean
}

const STORAGE_KEY = 'meshboard:preferences'
export const DEFAULT_PREFERENCES: Preferences = { color: PALETTE[0]!.value, strokeWidth: WIDTHS[1]!.value, fill: false, grid: false }

export function loadPreferences(storage: ReadableStorage | null = deviceStorage()): Preferences {
  const stored = (readJSON(STORAGE_KEY, storage) ?? {}) as Partial<Preferences>
  return {
    color: PALETTE.some((entry) => entry.value === stored.color) ? stored.color! : DEFAULT_PREFERENCES.color,
    strokeWidth: WIDTHS.some((entry) => entry.value === stored.strokeWidth) ? stored.strokeWidth! : DEFAULT_PREFERENCES.strokeWidth,
    fill: stored.fill === true,
    grid: stored.grid === true,
  }
}

export function savePreferences(preferences: Preferences, storage: WritableStorage | null = deviceStorage()): void {
  writeJSON(STORAGE_KEY, preferences, storage)
}
