/**
 * What a key press can ask the board for (BoardAction) and the keys the tools layer itself needs.
 * The shortcuts themselves — keys, names, help text, the read-only rule, what each does — are one
 * table in editor/actions.ts (issue 21); the input module is handed its matcher.
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
  /** Enter: selects the shape the keyboard walked to (BoardEditor.activate). */
  | { kind: 'activate' }
  | { kind: 'resize'; dw: number; dh: number }
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
