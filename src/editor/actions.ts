/**
 * Everything the board can be asked to do from its keys and buttons, in one table (issue 21):
 * for each action its keys (as shown, and the chords that mean it), its name on buttons and in
 * tooltips, what the help list says of it, whether a read-only board allows it, and what it does.
 * The keyboard (actionForKey), the toolbar, the view controls, the style panel's buttons and the
 * help list all read it; runAction is the one place the read-only rule is applied.
 *
 * The action values themselves (BoardAction) and the pointer-side key handling (repeats, the
 * push-to-talk release) stay in tools/: this layer reads them, they never read it.
 */
import type { Reorder } from '../model/z-order'
import { MUTE_KEY, NUDGE, NUDGE_FAR, PUSH_TO_TALK_KEY, type BoardAction, type KeyInput } from '../tools/shortcuts'
import { TOOL_NAMES, type ToolName } from '../tools/tool'

export type { BoardAction, KeyInput }
export type ActionId = BoardAction['kind']
/** An action's arguments: its value without its kind (`{ to: 'in' }` for zooming in). */
export type ActionArgs<K extends ActionId> = Omit<Extract<BoardAction, { kind: K }>, 'kind'>
export type ZoomTo = ActionArgs<'zoom'>['to']

/** What the actions act on: the board's editor and element. Nothing here checks read-only; runAction does. */
export interface ActionHost {
  /** View only: runAction refuses what would change the document or the tool. */
  readonly readonly: boolean
  setTool(tool: ToolName): void
  /** Asks for a picture for the image tool (placed in the middle of the view). */
  pickImage(): void
  undo(): void
  redo(): void
  zoom(to: ZoomTo): void
  toggleGrid(): void
  toggleHelp(): void
  toggleMute(): void
  pushToTalk(pressed: boolean): void
  selectAll(): void
  /** Lets go of the selection. */
  deselect(): void
  /** Deletes the selection. */
  deleteSelection(): void
  duplicate(): void
  /**
   * Moves the selection by (dx, dy) board units, except on a read-only board; with nothing
   * selected, pans the view instead (BoardEditor.nudge).
   */
  nudge(dx: number, dy: number): void
  reorder(to: Reorder): void
}

/** The actions the element that shows the board carries out itself: its grid, help list and voice. */
export type ShellActions = Pick<ActionHost, 'toggleGrid' | 'toggleHelp' | 'toggleMute' | 'pushToTalk'>

/**
 * A key press that means a shortcut. Alt is never held: AltGr reports Ctrl and Alt together, and
 * types characters rather than commands.
 */
export interface Chord {
  /** Ctrl, or ⌘ on a Mac. */
  readonly command: boolean
  /** Shift held, not held, or either ('any': Ctrl++ is Ctrl+Shift+= on most layouts). */
  readonly shift: boolean | 'any'
  /** The characters that mean it (`key`, lowercase). */
  readonly keys?: readonly string[]
  /** The physical keys that mean it too (`code`), where the character depends on the layout (Shift+1, brackets typed with AltGr). */
  readonly codes?: readonly string[]
}

/** One way of asking for an action, with its arguments: a row of the help list, a button's tooltip. */
export interface Shortcut<K extends ActionId> {
  /** The keys as shown ('Ctrl+Z'). Tooltips show the first; the help list all of them, joined by "or". */
  readonly keys: readonly string[]
  readonly chords: readonly Chord[]
  /** Its arguments; a function of the key press where that decides them (Shift nudges further). */
  readonly args: ActionArgs<K> | ((input: KeyInput) => ActionArgs<K>)
  /** Its name on buttons and in tooltips. */
  readonly label: string
  /** What the help list says it does, where that says more than the label. */
  readonly help?: string
  /** Held down, not pressed (push-to-talk): the help list says "Hold". */
  readonly hold?: boolean
}

export interface ActionEntry<K extends ActionId> {
  readonly id: K
  /** Allowed on a read-only board: it changes neither the document nor the tool. */
  readonly readonly: boolean
  readonly shortcuts: readonly Shortcut<K>[]
  readonly run: (host: ActionHost, args: ActionArgs<K>) => void
}

/** The tools' keys and names, in the toolbar's order (TOOL_NAMES). */
export const TOOLS: { readonly [T in ToolName]: { readonly key: string; readonly label: string } } = {
  select: { key: 'V', label: 'Select' },
  pen: { key: 'P', label: 'Pen' },
  highlighter: { key: 'I', label: 'Highlighter' },
  eraser: { key: 'E', label: 'Eraser' },
  rectangle: { key: 'R', label: 'Rectangle' },
  ellipse: { key: 'O', label: 'Ellipse' },
  line: { key: 'L', label: 'Line' },
  arrow: { key: 'A', label: 'Arrow' },
  text: { key: 'T', label: 'Text' },
  sticky: { key: 'N', label: 'Sticky note' },
  image: { key: 'U', label: 'Image' },
  laser: { key: 'K', label: 'Laser pointer' },
  hand: { key: 'H', label: 'Hand (pan)' },
}

const command = (keys: readonly string[], shift: boolean | 'any' = false, codes?: readonly string[]): Chord => ({ command: true, shift, keys, ...(codes ? { codes } : {}) })
const plain = (keys: readonly string[], shift: boolean | 'any' = false): Chord => ({ command: false, shift, keys })

const ARROWS: Readonly<Record<string, readonly [number, number]>> = { arrowleft: [-1, 0], arrowright: [1, 0], arrowup: [0, -1], arrowdown: [0, 1] }

/**
 * Every action. Where a key press means two shortcuts, by its character one and by its physical
 * key another, the one listed first wins: Ctrl++ zooms on a German layout (whose + is the
 * physical ] key), and the ] key brings forward whatever it types.
 */
export const ACTIONS: { readonly [K in ActionId]: ActionEntry<K> } = {
  tool: {
    id: 'tool',
    readonly: false,
    shortcuts: TOOL_NAMES.map((tool) => ({ keys: [TOOLS[tool].key], chords: [plain([TOOLS[tool].key.toLowerCase()])], args: { tool }, label: TOOLS[tool].label })),
    run: (host, { tool }) => {
      host.setTool(tool)
      // Choosing the image tool asks for a picture straight away (a click on the board asks again).
      if (tool === 'image') host.pickImage()
    },
  },
  undo: {
    id: 'undo',
    readonly: false,
    shortcuts: [{ keys: ['Ctrl+Z'], chords: [command(['z'])], args: {}, label: 'Undo', help: 'Undo your last action' }],
    run: (host) => host.undo(),
  },
  redo: {
    id: 'redo',
    readonly: false,
    shortcuts: [{ keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], chords: [command(['z'], true), command(['y'])], args: {}, label: 'Redo' }],
    run: (host) => host.redo(),
  },
  nudge: {
    id: 'nudge',
    // With nothing selected the arrow keys pan, which a read-only board allows; BoardEditor.nudge
    // moves no shape there.
    readonly: true,
    shortcuts: [
      {
        keys: ['Arrow keys'],
        chords: [plain(Object.keys(ARROWS), 'any')],
        args: (input) => {
          const [x, y] = ARROWS[input.key.toLowerCase()] ?? [0, 0]
          const step = input.shiftKey ? NUDGE_FAR : NUDGE
          return { dx: x * step, dy: y * step }
        },
        label: 'Move the selection',
        help: `Move the selection (${NUDGE} unit, Shift: ${NUDGE_FAR})`,
      },
    ],
    run: (host, { dx, dy }) => host.nudge(dx, dy),
  },
  help: {
    id: 'help',
    readonly: true,
    shortcuts: [{ keys: ['?'], chords: [plain(['?'], 'any')], args: {}, label: 'Keyboard shortcuts', help: 'This list' }],
    run: (host) => host.toggleHelp(),
  },
  zoom: {
    id: 'zoom',
    readonly: true,
    shortcuts: [
      { keys: ['Ctrl+='], chords: [command(['=', '+'], 'any')], args: { to: 'in' }, label: 'Zoom in' },
      { keys: ['Ctrl+-'], chords: [command(['-'], 'any')], args: { to: 'out' }, label: 'Zoom out' },
      { keys: ['Ctrl+0'], chords: [command(['0'], 'any')], args: { to: 'reset' }, label: 'Reset to 100%', help: 'Zoom to 100%' },
      // By the physical key: Shift+1 types ! or 1 or § depending on the layout.
      { keys: ['Shift+1'], chords: [{ command: false, shift: true, codes: ['Digit1'] }], args: { to: 'fit' }, label: 'Zoom to fit', help: 'Zoom to fit everything' },
    ],
    run: (host, { to }) => host.zoom(to),
  },
  'toggle-grid': {
    id: 'toggle-grid',
    readonly: true,
    shortcuts: [{ keys: ['G'], chords: [plain(['g'])], args: {}, label: 'Grid', help: 'Show or hide the grid' }],
    run: (host) => host.toggleGrid(),
  },
  'select-all': {
    id: 'select-all',
    readonly: false,
    shortcuts: [{ keys: ['Ctrl+A'], chords: [command(['a'])], args: {}, label: 'Select all', help: 'Select everything' }],
    run: (host) => {
      host.setTool('select')
      host.selectAll()
    },
  },
  deselect: {
    id: 'deselect',
    readonly: true,
    shortcuts: [{ keys: ['Escape'], chords: [plain(['escape'])], args: {}, label: 'Clear the selection' }],
    run: (host) => host.deselect(),
  },
  delete: {
    id: 'delete',
    readonly: false,
    shortcuts: [{ keys: ['Delete', 'Backspace'], chords: [plain(['delete', 'backspace'])], args: {}, label: 'Delete', help: 'Delete the selection' }],
    run: (host) => host.deleteSelection(),
  },
  duplicate: {
    id: 'duplicate',
    readonly: false,
    shortcuts: [{ keys: ['Ctrl+D'], chords: [command(['d'])], args: {}, label: 'Duplicate', help: 'Duplicate the selection' }],
    run: (host) => host.duplicate(),
  },
  reorder: {
    id: 'reorder',
    readonly: false,
    // The physical bracket keys too, so the shortcuts work on layouts where [ needs AltGr.
    shortcuts: [
      { keys: ['Ctrl+Shift+]'], chords: [command([']', '}'], true, ['BracketRight'])], args: { to: 'front' }, label: 'Bring to front' },
      { keys: ['Ctrl+]'], chords: [command([']', '}'], false, ['BracketRight'])], args: { to: 'forward' }, label: 'Bring forward' },
      { keys: ['Ctrl+['], chords: [command(['[', '{'], false, ['BracketLeft'])], args: { to: 'backward' }, label: 'Send backward' },
      { keys: ['Ctrl+Shift+['], chords: [command(['[', '{'], true, ['BracketLeft'])], args: { to: 'back' }, label: 'Send to back' },
    ],
    run: (host, { to }) => host.reorder(to),
  },
  'toggle-mute': {
    id: 'toggle-mute',
    readonly: true,
    shortcuts: [{ keys: [MUTE_KEY.toUpperCase()], chords: [plain([MUTE_KEY])], args: {}, label: 'Mute or unmute', help: 'Mute or unmute (in voice)' }],
    run: (host) => host.toggleMute(),
  },
  'push-to-talk': {
    id: 'push-to-talk',
    readonly: true,
    // The release is the key going up (the input module sends pressed: false).
    shortcuts: [
      { keys: [PUSH_TO_TALK_KEY.toUpperCase()], chords: [plain([PUSH_TO_TALK_KEY])], args: { pressed: true }, label: 'Talk while muted', help: 'Talk while muted (in voice)', hold: true },
    ],
    run: (host, { pressed }) => host.pushToTalk(pressed),
  },
}

type AnyEntry = ActionEntry<ActionId>
type AnyShortcut = Shortcut<ActionId>
const ENTRIES = Object.values(ACTIONS) as readonly AnyEntry[]

/**
 * Runs an action unless the board is read-only and the action is not allowed there. Returns
 * whether it ran.
 */
export function runAction(action: BoardAction, host: ActionHost): boolean {
  const entry = ACTIONS[action.kind] as AnyEntry
  if (host.readonly && !entry.readonly) return false
  entry.run(host, action)
  return true
}

/** Whether a read-only board allows the action. */
export function allowedReadonly(action: BoardAction): boolean {
  return ACTIONS[action.kind].readonly
}

/** What a key press means, or null. Key repeats are the input module's to handle (nudges repeat, toggles do not). */
export function actionForKey(input: KeyInput): BoardAction | null {
  if (input.altKey) return null
  for (const entry of ENTRIES) {
    for (const shortcut of entry.shortcuts) {
      if (shortcut.chords.some((chord) => means(chord, input))) return { kind: entry.id, ...argsOf(shortcut, input) } as BoardAction
    }
  }
  return null
}

/** Whether a key press (alt not held) is this chord. */
export function means(chord: Chord, input: KeyInput): boolean {
  if (chord.command !== (input.ctrlKey || input.metaKey)) return false
  if (chord.shift !== 'any' && chord.shift !== input.shiftKey) return false
  return (chord.keys?.includes(input.key.toLowerCase()) ?? false) || (input.code !== undefined && (chord.codes?.includes(input.code) ?? false))
}

function argsOf(shortcut: AnyShortcut, input: KeyInput): object {
  return typeof shortcut.args === 'function' ? shortcut.args(input) : shortcut.args
}

/** The shortcut an action is asked for with: the one with its arguments (the first, where a key press decides them). */
export function shortcutFor(action: BoardAction): AnyShortcut {
  const shortcuts = (ACTIONS[action.kind] as AnyEntry).shortcuts
  const args = Object.entries(action).filter(([field]) => field !== 'kind')
  const found = shortcuts.find((shortcut) => {
    if (typeof shortcut.args === 'function') return true
    const own = shortcut.args as Readonly<Record<string, unknown>>
    return args.every(([field, value]) => own[field] === value)
  })
  return found ?? shortcuts[0]!
}

/** The keys shown for an action ('Ctrl+Z'). */
export function keysOf(action: BoardAction): string {
  return shortcutFor(action).keys[0]!
}

/** A button's tooltip: its name and its keys ('Undo — Ctrl+Z'). */
export function tooltipOf(action: BoardAction, label = shortcutFor(action).label): string {
  return `${label} — ${keysOf(action)}`
}

/** A row of the help list. */
export interface HelpRow {
  readonly keys: string
  readonly text: string
}

const rowOf = (action: BoardAction): HelpRow => {
  const shortcut = shortcutFor(action)
  const keys = shortcut.keys.join(' or ')
  return { keys: shortcut.hold ? `Hold ${keys}` : keys, text: shortcut.help ?? shortcut.label }
}

/** Two actions that go together in one row ('Ctrl+] / Ctrl+[': "Bring forward, send backward"). */
const pairOf = (first: BoardAction, second: BoardAction): HelpRow => {
  const [a, b] = [rowOf(first), rowOf(second)]
  return { keys: `${a.keys} / ${b.keys}`, text: `${a.text}, ${b.text[0]!.toLowerCase()}${b.text.slice(1)}` }
}

/** What the pointer does, which no action stands for. */
const gesture = (keys: string, text: string): HelpRow => ({ keys, text })

/** The help list's tools: every tool's key and name, in the toolbar's order. */
export const HELP_TOOLS: readonly HelpRow[] = TOOL_NAMES.map((tool) => rowOf({ kind: 'tool', tool }))

/** The help list's board section: the actions and the gestures, in the order people look for them. */
export const HELP_BOARD: readonly HelpRow[] = [
  rowOf({ kind: 'undo' }),
  rowOf({ kind: 'redo' }),
  gesture('Space + drag', 'Pan (also the middle button, or two fingers)'),
  gesture('Wheel or pinch', 'Zoom around the pointer'),
  rowOf({ kind: 'zoom', to: 'in' }),
  rowOf({ kind: 'zoom', to: 'out' }),
  rowOf({ kind: 'zoom', to: 'reset' }),
  rowOf({ kind: 'zoom', to: 'fit' }),
  gesture('Shift while drawing', 'Squares, circles and 15° angles'),
  gesture('Click, Shift+click, drag', 'Select, add to the selection, select an area'),
  gesture('Double-click', 'Edit a text or note'),
  gesture('Shift while resizing or rotating', 'Keep proportions, turn in 15° steps'),
  rowOf({ kind: 'select-all' }),
  rowOf({ kind: 'deselect' }),
  rowOf({ kind: 'delete' }),
  rowOf({ kind: 'duplicate' }),
  rowOf({ kind: 'nudge', dx: 0, dy: 0 }),
  // The clipboard's own events (board-editing.ts), not key presses.
  gesture('Ctrl+C, Ctrl+X, Ctrl+V', 'Copy, cut and paste (also between boards, and images)'),
  pairOf({ kind: 'reorder', to: 'forward' }, { kind: 'reorder', to: 'backward' }),
  pairOf({ kind: 'reorder', to: 'front' }, { kind: 'reorder', to: 'back' }),
  rowOf({ kind: 'toggle-grid' }),
  rowOf({ kind: 'toggle-mute' }),
  rowOf({ kind: 'push-to-talk', pressed: true }),
  rowOf({ kind: 'help' }),
]
