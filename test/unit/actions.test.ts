import { describe, expect, it } from 'vitest'
import { SHORTCUT_LIST, TOOL_SHORTCUTS, actionForKey, type BoardAction, type KeyInput } from '../../src/tools/shortcuts'
import { TOOL_LABELS } from '../../src/ui/tool-catalog'

/** A key press: `key` as the browser reports it, modifiers as listed ('ctrl', 'meta', 'shift', 'alt'). */
function press(key: string, ...modifiers: ('ctrl' | 'meta' | 'shift' | 'alt' | `code:${string}`)[]): KeyInput {
  const code = modifiers.find((modifier) => modifier.startsWith('code:'))?.slice(5)
  return {
    key,
    ctrlKey: modifiers.includes('ctrl'),
    metaKey: modifiers.includes('meta'),
    shiftKey: modifiers.includes('shift'),
    altKey: modifiers.includes('alt'),
    ...(code ? { code } : {}),
  }
}

/** What each key press means, as the board has always read it (issue 21 moved the rules, not the meaning). */
const TODAY: readonly [KeyInput, BoardAction | null][] = [
  [press('z', 'ctrl'), { kind: 'undo' }],
  [press('z', 'meta'), { kind: 'undo' }],
  [press('Z', 'ctrl', 'shift'), { kind: 'redo' }],
  [press('y', 'ctrl'), { kind: 'redo' }],
  [press('Y', 'ctrl', 'shift'), null],
  [press('z', 'ctrl', 'alt'), null],
  [press('=', 'ctrl'), { kind: 'zoom', to: 'in' }],
  [press('+', 'ctrl', 'shift'), { kind: 'zoom', to: 'in' }],
  [press('-', 'ctrl'), { kind: 'zoom', to: 'out' }],
  [press('_', 'ctrl', 'shift'), null],
  [press('0', 'meta'), { kind: 'zoom', to: 'reset' }],
  [press('!', 'shift', 'code:Digit1'), { kind: 'zoom', to: 'fit' }],
  [press('1', 'shift', 'code:Digit1'), { kind: 'zoom', to: 'fit' }],
  [press('!', 'shift', 'ctrl', 'code:Digit1'), null],
  [press('1', 'code:Digit1'), null],
  [press('d', 'ctrl'), { kind: 'duplicate' }],
  [press('D', 'ctrl', 'shift'), null],
  [press('a', 'ctrl'), { kind: 'select-all' }],
  [press('A', 'ctrl', 'shift'), null],
  [press(']', 'ctrl', 'code:BracketRight'), { kind: 'reorder', to: 'forward' }],
  [press('}', 'ctrl', 'shift', 'code:BracketRight'), { kind: 'reorder', to: 'front' }],
  [press('[', 'ctrl', 'code:BracketLeft'), { kind: 'reorder', to: 'backward' }],
  [press('{', 'ctrl', 'shift', 'code:BracketLeft'), { kind: 'reorder', to: 'back' }],
  // Without `code` (some browsers, synthetic events) the characters still do.
  [press(']', 'ctrl'), { kind: 'reorder', to: 'forward' }],
  [press('{', 'ctrl', 'shift'), { kind: 'reorder', to: 'back' }],
  // German layout: the bracket keys type ü and +; the physical key decides, except where the
  // character is a shortcut of its own (Ctrl++ zooms, as it always did).
  [press('ü', 'ctrl', 'code:BracketLeft'), { kind: 'reorder', to: 'backward' }],
  [press('+', 'ctrl', 'code:BracketRight'), { kind: 'zoom', to: 'in' }],
  [press('*', 'ctrl', 'shift', 'code:BracketRight'), { kind: 'reorder', to: 'front' }],
  // AltGr reports ctrl and alt together: never a command.
  [press('[', 'ctrl', 'alt', 'code:Digit8'), null],
  [press('g', 'ctrl'), null],
  [press('ArrowLeft', 'ctrl'), null],
  [press('ArrowLeft'), { kind: 'nudge', dx: -1, dy: 0 }],
  [press('ArrowRight'), { kind: 'nudge', dx: 1, dy: 0 }],
  [press('ArrowUp', 'shift'), { kind: 'nudge', dx: 0, dy: -10 }],
  [press('ArrowDown'), { kind: 'nudge', dx: 0, dy: 1 }],
  [press('ArrowDown', 'shift'), { kind: 'nudge', dx: 0, dy: 10 }],
  [press('ArrowLeft', 'alt'), null],
  [press('?', 'shift', 'code:Slash'), { kind: 'help' }],
  [press('?'), { kind: 'help' }],
  [press('?', 'alt'), null],
  [press('?', 'ctrl', 'shift'), null],
  [press('Delete'), { kind: 'delete' }],
  [press('Backspace'), { kind: 'delete' }],
  [press('Delete', 'shift'), null],
  [press('Escape'), { kind: 'deselect' }],
  [press('Escape', 'shift'), null],
  [press('g'), { kind: 'toggle-grid' }],
  [press('G', 'shift'), null],
  [press('m'), { kind: 'toggle-mute' }],
  [press('M'), { kind: 'toggle-mute' }],
  [press('b'), { kind: 'push-to-talk', pressed: true }],
  [press('b', 'alt'), null],
  [press('v'), { kind: 'tool', tool: 'select' }],
  [press('V'), { kind: 'tool', tool: 'select' }],
  [press('V', 'shift'), null],
  [press('v', 'alt'), null],
  [press('v', 'ctrl'), null],
  [press('p'), { kind: 'tool', tool: 'pen' }],
  [press('i'), { kind: 'tool', tool: 'highlighter' }],
  [press('e'), { kind: 'tool', tool: 'eraser' }],
  [press('r'), { kind: 'tool', tool: 'rectangle' }],
  [press('o'), { kind: 'tool', tool: 'ellipse' }],
  [press('l'), { kind: 'tool', tool: 'line' }],
  [press('a'), { kind: 'tool', tool: 'arrow' }],
  [press('t'), { kind: 'tool', tool: 'text' }],
  [press('n'), { kind: 'tool', tool: 'sticky' }],
  [press('u'), { kind: 'tool', tool: 'image' }],
  [press('k'), { kind: 'tool', tool: 'laser' }],
  [press('h'), { kind: 'tool', tool: 'hand' }],
  [press('x'), null],
  [press('Enter'), null],
  [press(' '), null],
  [press('Tab'), null],
]

describe('the keyboard', () => {
  it.each(TODAY.map(([input, action]) => [describeKey(input), input, action] as const))('%s', (_name, input, action) => {
    expect(actionForKey(input)).toEqual(action)
  })
})

function describeKey(input: KeyInput): string {
  const held = [input.ctrlKey && 'Ctrl', input.metaKey && 'Meta', input.altKey && 'Alt', input.shiftKey && 'Shift'].filter(Boolean)
  return [...held, JSON.stringify(input.key)].join('+') + (input.code ? ` (${input.code})` : '')
}

/** The help panel's list as it has always read (its text is the user's; issue 21 changed where it comes from). */
const HELP_TOOLS: readonly [keys: string, what: string][] = [
  ['V', 'Select'],
  ['P', 'Pen'],
  ['I', 'Highlighter'],
  ['E', 'Eraser'],
  ['R', 'Rectangle'],
  ['O', 'Ellipse'],
  ['L', 'Line'],
  ['A', 'Arrow'],
  ['T', 'Text'],
  ['N', 'Sticky note'],
  ['U', 'Image'],
  ['K', 'Laser pointer'],
  ['H', 'Hand (pan)'],
]
const HELP_BOARD: readonly [keys: string, what: string][] = [
  ['Ctrl+Z', 'Undo your last action'],
  ['Ctrl+Shift+Z or Ctrl+Y', 'Redo'],
  ['Space + drag', 'Pan (also the middle button, or two fingers)'],
  ['Wheel or pinch', 'Zoom around the pointer'],
  ['Ctrl+=', 'Zoom in'],
  ['Ctrl+-', 'Zoom out'],
  ['Ctrl+0', 'Zoom to 100%'],
  ['Shift+1', 'Zoom to fit everything'],
  ['Shift while drawing', 'Squares, circles and 15° angles'],
  ['Click, Shift+click, drag', 'Select, add to the selection, select an area'],
  ['Double-click', 'Edit a text or note'],
  ['Shift while resizing or rotating', 'Keep proportions, turn in 15° steps'],
  ['Ctrl+A', 'Select everything'],
  ['Escape', 'Clear the selection'],
  ['Delete or Backspace', 'Delete the selection'],
  ['Ctrl+D', 'Duplicate the selection'],
  ['Arrow keys', 'Move the selection (1 unit, Shift: 10)'],
  ['Ctrl+C, Ctrl+X, Ctrl+V', 'Copy, cut and paste (also between boards, and images)'],
  ['Ctrl+] / Ctrl+[', 'Bring forward, send backward'],
  ['Ctrl+Shift+] / Ctrl+Shift+[', 'Bring to front, send to back'],
  ['G', 'Show or hide the grid'],
  ['M', 'Mute or unmute (in voice)'],
  ['Hold B', 'Talk while muted (in voice)'],
  ['?', 'This list'],
]

describe('the help list', () => {
  it('lists every tool with its key, in the toolbar\'s order', () => {
    expect(Object.entries(TOOL_SHORTCUTS).map(([tool, key]) => [key, TOOL_LABELS[tool as keyof typeof TOOL_LABELS]])).toEqual(HELP_TOOLS)
  })

  it('lists the board\'s shortcuts and gestures', () => {
    expect(SHORTCUT_LIST.map(({ keys, action }) => [keys, action])).toEqual(HELP_BOARD)
  })
})
