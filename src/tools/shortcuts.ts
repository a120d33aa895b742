/**
 * What a key press can ask the board for (BoardAction) and the keys the tools layer itself needs.
 * The shortcuts themselves — keys, names, help text, the read-only rule, what each does — are one
 * table in editor/actions.ts; what is left below it here is the hand-written matcher and the key
 * names it replaced, kept until input.ts and the view controls read the table (issue 21).
 */
import type { Reorder } from '../model/z-order'
import type { ToolName } from './tool'

export type BoardAction =
  | { kind: 'tool'; tool: ToolName }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'toggle-mute' }
  | { kind: 'push-to-talk'; pressed: boolean }
  | { kind: 'zoom'; to: 'in' | 'out' | 'reset' | 'fit' }
  | { kind: 'toggle-grid' }
  | { kind: 'help' }
  | { kind: 'delete' }
  | { kind: 'duplicate' }
  | { kind: 'select-all' }
  | { kind: 'deselect' }
  | { kind: 'nudge'; dx: number; dy: number }
  | { kind: 'reorder'; to: Reorder }

export interface KeyInput {
  readonly key: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly shiftKey: boolean
  readonly altKey: boolean
  /** The physical key, for shortcuts whose character depends on the keyboard layout (Shift+1). */
  readonly code?: string
}

export const MUTE_KEY = 'm'
export const PUSH_TO_TALK_KEY = 'b'
/** Board units an arrow key moves the selection (with shift: NUDGE_FAR). */
export const NUDGE = 1
export const NUDGE_FAR = 10

// ---- Until input.ts and mesh-view-controls.ts read editor/actions.ts (test/unit/actions.test.ts keeps the two alike). ----

/** @deprecated editor/actions.ts TOOLS. */
const TOOL_SHORTCUTS: Readonly<Record<ToolName, string>> = {
  select: 'V',
  pen: 'P',
  highlighter: 'I',
  eraser: 'E',
  rectangle: 'R',
  ellipse: 'O',
  line: 'L',
  arrow: 'A',
  text: 'T',
  sticky: 'N',
  image: 'U',
  laser: 'K',
  hand: 'H',
}

/** @deprecated editor/actions.ts keysOf. */
export const ZOOM_IN_SHORTCUT = 'Ctrl+='
export const ZOOM_OUT_SHORTCUT = 'Ctrl+-'
export const ZOOM_RESET_SHORTCUT = 'Ctrl+0'
export const ZOOM_FIT_SHORTCUT = 'Shift+1'
export const GRID_SHORTCUT = 'G'
export const HELP_SHORTCUT = '?'

/** @deprecated editor/actions.ts actionForKey, read from its table. */
export function actionForKey(input: KeyInput): BoardAction | null {
  const key = input.key.toLowerCase()
  const command = input.ctrlKey || input.metaKey
  if (command && !input.altKey) {
    if (key === 'z') return input.shiftKey ? { kind: 'redo' } : { kind: 'undo' }
    if (key === 'y' && !input.shiftKey) return { kind: 'redo' }
    if (key === '=' || key === '+') return { kind: 'zoom', to: 'in' }
    if (key === '-') return { kind: 'zoom', to: 'out' }
    if (key === '0') return { kind: 'zoom', to: 'reset' }
    if (key === 'd' && !input.shiftKey) return { kind: 'duplicate' }
    if (key === 'a' && !input.shiftKey) return { kind: 'select-all' }
    // The physical bracket keys, so the shortcut works on layouts where [ needs AltGr.
    if (input.code === 'BracketRight' || key === ']' || key === '}') return { kind: 'reorder', to: input.shiftKey ? 'front' : 'forward' }
    if (input.code === 'BracketLeft' || key === '[' || key === '{') return { kind: 'reorder', to: input.shiftKey ? 'back' : 'backward' }
    return null
  }
  if (!input.altKey) {
    const nudge = input.shiftKey ? NUDGE_FAR : NUDGE
    if (key === 'arrowleft') return { kind: 'nudge', dx: -nudge, dy: 0 }
    if (key === 'arrowright') return { kind: 'nudge', dx: nudge, dy: 0 }
    if (key === 'arrowup') return { kind: 'nudge', dx: 0, dy: -nudge }
    if (key === 'arrowdown') return { kind: 'nudge', dx: 0, dy: nudge }
  }
  if (key === HELP_SHORTCUT && !input.altKey) return { kind: 'help' }
  if (input.shiftKey && !input.altKey && input.code === 'Digit1') return { kind: 'zoom', to: 'fit' }
  if (input.altKey || input.shiftKey) return null
  if (key === 'delete' || key === 'backspace') return { kind: 'delete' }
  if (key === 'escape') return { kind: 'deselect' }
  if (key === GRID_SHORTCUT.toLowerCase()) return { kind: 'toggle-grid' }
  if (key === MUTE_KEY) return { kind: 'toggle-mute' }
  if (key === PUSH_TO_TALK_KEY) return { kind: 'push-to-talk', pressed: true }
  for (const [tool, shortcut] of Object.entries(TOOL_SHORTCUTS)) {
    if (key === shortcut.toLowerCase()) return { kind: 'tool', tool: tool as ToolName }
  }
  return null
}
