/** Keyboard shortcuts of the board, in one table so the toolbar's tooltips and the handler agree. */
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

/** Single-key tool shortcuts, shown in tooltips. */
export const TOOL_SHORTCUTS: Readonly<Record<ToolName, string>> = {
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

export const MUTE_KEY = 'm'
export const PUSH_TO_TALK_KEY = 'b'

export const UNDO_SHORTCUT = 'Ctrl+Z'
export const REDO_SHORTCUT = 'Ctrl+Shift+Z'
export const ZOOM_IN_SHORTCUT = 'Ctrl+='
export const ZOOM_OUT_SHORTCUT = 'Ctrl+-'
export const ZOOM_RESET_SHORTCUT = 'Ctrl+0'
export const ZOOM_FIT_SHORTCUT = 'Shift+1'
export const GRID_SHORTCUT = 'G'
export const HELP_SHORTCUT = '?'
export const DUPLICATE_SHORTCUT = 'Ctrl+D'
export const SELECT_ALL_SHORTCUT = 'Ctrl+A'
export const DELETE_SHORTCUT = 'Delete'
export const REORDER_SHORTCUTS: Readonly<Record<Reorder, string>> = {
  front: 'Ctrl+Shift+]',
  forward: 'Ctrl+]',
  backward: 'Ctrl+[',
  back: 'Ctrl+Shift+[',
}
/** Board units an arrow key moves the selection (with shift: NUDGE_FAR). */
export const NUDGE = 1
export const NUDGE_FAR = 10

/** Every shortcut with what it does, for the help panel. */
export const SHORTCUT_LIST: readonly { keys: string; action: string }[] = [
  { keys: UNDO_SHORTCUT, action: 'Undo your last action' },
  { keys: `${REDO_SHORTCUT} or Ctrl+Y`, action: 'Redo' },
  { keys: 'Space + drag', action: 'Pan (also the middle button, or two fingers)' },
  { keys: 'Wheel or pinch', action: 'Zoom around the pointer' },
  { keys: ZOOM_IN_SHORTCUT, action: 'Zoom in' },
  { keys: ZOOM_OUT_SHORTCUT, action: 'Zoom out' },
  { keys: ZOOM_RESET_SHORTCUT, action: 'Zoom to 100%' },
  { keys: ZOOM_FIT_SHORTCUT, action: 'Zoom to fit everything' },
  { keys: 'Shift while drawing', action: 'Squares, circles and 15° angles' },
  { keys: 'Click, Shift+click, drag', action: 'Select, add to the selection, select an area' },
  { keys: 'Double-click', action: 'Edit a text or note' },
  { keys: 'Shift while resizing or rotating', action: 'Keep proportions, turn in 15° steps' },
  { keys: SELECT_ALL_SHORTCUT, action: 'Select everything' },
  { keys: 'Escape', action: 'Clear the selection' },
  { keys: `${DELETE_SHORTCUT} or Backspace`, action: 'Delete the selection' },
  { keys: DUPLICATE_SHORTCUT, action: 'Duplicate the selection' },
  { keys: 'Arrow keys', action: `Move the selection (${NUDGE} unit, Shift: ${NUDGE_FAR})` },
  { keys: 'Ctrl+C, Ctrl+X, Ctrl+V', action: 'Copy, cut and paste (also between boards, and images)' },
  { keys: `${REORDER_SHORTCUTS.forward} / ${REORDER_SHORTCUTS.backward}`, action: 'Bring forward, send backward' },
  { keys: `${REORDER_SHORTCUTS.front} / ${REORDER_SHORTCUTS.back}`, action: 'Bring to front, send to back' },
  { keys: GRID_SHORTCUT, action: 'Show or hide the grid' },
  { keys: 'M', action: 'Mute or unmute (in voice)' },
  { keys: `Hold ${PUSH_TO_TALK_KEY.toUpperCase()}`, action: 'Talk while muted (in voice)' },
  { keys: HELP_SHORTCUT, action: 'This list' },
]

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
