/** Keyboard shortcuts of the board, in one table so the toolbar's tooltips and the handler agree. */
import type { ToolName } from './tool'

export type BoardAction =
  | { kind: 'tool'; tool: ToolName }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'toggle-mute' }
  | { kind: 'push-to-talk'; pressed: boolean }

export interface KeyInput {
  readonly key: string
  readonly ctrlKey: boolean
  readonly metaKey: boolean
  readonly shiftKey: boolean
  readonly altKey: boolean
}

/** Single-key tool shortcuts, shown in tooltips. */
export const TOOL_SHORTCUTS: Readonly<Record<ToolName, string>> = {
  pen: 'P',
  highlighter: 'I',
  eraser: 'E',
  rectangle: 'R',
  ellipse: 'O',
  line: 'L',
  arrow: 'A',
  laser: 'K',
  hand: 'H',
}

export const MUTE_KEY = 'm'
export const PUSH_TO_TALK_KEY = 'v'

export const UNDO_SHORTCUT = 'Ctrl+Z'
export const REDO_SHORTCUT = 'Ctrl+Shift+Z'

export function actionForKey(input: KeyInput): BoardAction | null {
  const key = input.key.toLowerCase()
  const command = input.ctrlKey || input.metaKey
  if (command && !input.altKey) {
    if (key === 'z') return input.shiftKey ? { kind: 'redo' } : { kind: 'undo' }
    if (key === 'y' && !input.shiftKey) return { kind: 'redo' }
    return null
  }
  if (input.altKey || input.shiftKey) return null
  if (key === MUTE_KEY) return { kind: 'toggle-mute' }
  if (key === PUSH_TO_TALK_KEY) return { kind: 'push-to-talk', pressed: true }
  for (const [tool, shortcut] of Object.entries(TOOL_SHORTCUTS)) {
    if (key === shortcut.toLowerCase()) return { kind: 'tool', tool: tool as ToolName }
  }
  return null
}
