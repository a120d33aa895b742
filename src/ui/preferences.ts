/** The user's last style choices and view settings, remembered on this device for every board. */
import type { Style } from '../model/shape-spec'
import { deviceStorage, readJSON, writeJSON, type ReadableStorage, type WritableStorage } from './device-storage'
import { FONT_SIZES, NOTE_COLORS, PALETTE, WIDTHS } from './palette'

/** The next shape's style (the style vocabulary of model/shape-spec.ts, as stored) and the grid. */
export interface Preferences extends Style {
  readonly grid: boolean
}

const STORAGE_KEY = 'meshboard:preferences'
export const DEFAULT_PREFERENCES: Preferences = {
  color: PALETTE[0]!.value,
  strokeWidth: WIDTHS[1]!.value,
  fill: false,
  noteColor: NOTE_COLORS[0]!.value,
  fontSize: FONT_SIZES[1]!.value,
  opacity: 1,
  grid: false,
}

export function loadPreferences(storage: ReadableStorage | null = deviceStorage()): Preferences {
  const stored = (readJSON(STORAGE_KEY, storage) ?? {}) as Partial<Preferences>
  return {
    color: PALETTE.some((entry) => entry.value === stored.color) ? stored.color! : DEFAULT_PREFERENCES.color,
    strokeWidth: WIDTHS.some((entry) => entry.value === stored.strokeWidth) ? stored.strokeWidth! : DEFAULT_PREFERENCES.strokeWidth,
    fill: stored.fill === true,
    noteColor: NOTE_COLORS.some((entry) => entry.value === stored.noteColor) ? stored.noteColor! : DEFAULT_PREFERENCES.noteColor,
    fontSize: FONT_SIZES.some((entry) => entry.value === stored.fontSize) ? stored.fontSize! : DEFAULT_PREFERENCES.fontSize,
    opacity: typeof stored.opacity === 'number' && stored.opacity >= 0.1 && stored.opacity <= 1 ? stored.opacity : DEFAULT_PREFERENCES.opacity,
    grid: stored.grid === true,
  }
}

export function savePreferences(preferences: Preferences, storage: WritableStorage | null = deviceStorage()): void {
  writeJSON(STORAGE_KEY, preferences, storage)
}
