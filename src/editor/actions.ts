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
import { msg, str } from '@lit/localize'
import { formatNumber, isOne } from '../i18n/format'
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
   * selected, goes to the next or previous shape in reading order, or pans an empty board
   * (BoardEditor.nudge).
   */
  nudge(dx: number, dy: number): void
  /** Selects the shape the keyboard went to. */
  activate(): void
  /** Makes the selection wider by `dw` and taller by `dh` board units, its top left corner staying put. */
  resize(dw: number, dh: number): void
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

/**
 * One way of asking for an action, with its arguments: a row of the help list, a button's tooltip.
 * Its texts (label, help, and keys that are words) are getters in the table, read when shown, so
 * that they are in the interface's language of the moment.
 */
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

/**
 * The tools' keys and names, in the toolbar's order (TOOL_NAMES). The names are read when shown
 * (getters), so that they follow the interface's language.
 */
export const TOOLS: { readonly [T in ToolName]: { readonly key: string; readonly label: string } } = {
  select: {
    key: 'V',
    get label() {
      return msg('Select', { id: 'tool.select', desc: 'a tool: picks shapes to move, resize or style' })
    },
  },
  pen: {
    key: 'P',
    get label() {
      return msg('Pen', { id: 'tool.pen', desc: 'a tool: draws freehand lines' })
    },
  },
  highlighter: {
    key: 'I',
    get label() {
      return msg('Highlighter', { id: 'tool.highlighter', desc: 'a tool: draws wide see-through lines' })
    },
  },
  eraser: {
    key: 'E',
    get label() {
      return msg('Eraser', { id: 'tool.eraser', desc: 'a tool: removes the shapes it touches' })
    },
  },
  rectangle: {
    key: 'R',
    get label() {
      return msg('Rectangle', { id: 'tool.rectangle', desc: 'a tool: draws rectangles' })
    },
  },
  ellipse: {
    key: 'O',
    get label() {
      return msg('Ellipse', { id: 'tool.ellipse', desc: 'a tool: draws ellipses' })
    },
  },
  line: {
    key: 'L',
    get label() {
      return msg('Line', { id: 'tool.line', desc: 'a tool: draws straight lines' })
    },
  },
  arrow: {
    key: 'A',
    get label() {
      return msg('Arrow', { id: 'tool.arrow', desc: 'a tool: draws arrows' })
    },
  },
  text: {
    key: 'T',
    get label() {
      return msg('Text', { id: 'tool.text', desc: 'a tool: places text on the board' })
    },
  },
  sticky: {
    key: 'N',
    get label() {
      return msg('Sticky note', { id: 'tool.sticky', desc: 'a tool: places a coloured note with text' })
    },
  },
  image: {
    key: 'U',
    get label() {
      return msg('Image', { id: 'tool.image', desc: 'a tool: places a picture from a file' })
    },
  },
  laser: {
    key: 'K',
    get label() {
      return msg('Laser pointer', { id: 'tool.laser', desc: 'a tool: points at things for the others, leaving a fading trail' })
    },
  },
  hand: {
    key: 'H',
    get label() {
      return msg('Hand (pan)', { id: 'tool.hand', desc: 'a tool: drags the view around' })
    },
  },
}

const command = (keys: readonly string[], shift: boolean | 'any' = false, codes?: readonly string[]): Chord => ({ command: true, shift, keys, ...(codes ? { codes } : {}) })
const plain = (keys: readonly string[], shift: boolean | 'any' = false): Chord => ({ command: false, shift, keys })

const ARROWS: Readonly<Record<string, readonly [number, number]>> = { arrowleft: [-1, 0], arrowright: [1, 0], arrowup: [0, -1], arrowdown: [0, 1] }

/** How far an arrow key press goes (to move or to resize): its direction, NUDGE units, NUDGE_FAR with Shift. */
function arrowStep(input: KeyInput): [number, number] {
  const [x, y] = ARROWS[input.key.toLowerCase()] ?? [0, 0]
  const step = input.shiftKey ? NUDGE_FAR : NUDGE
  return [x * step, y * step]
}

/**
 * Every action. Where a key press means two shortcuts, by its character one and by its physical
 * key another, the one listed first wins: Ctrl++ zooms on a German layout (whose + is the
 * physical ] key), and the ] key brings forward whatever it types.
 *
 * The names and help texts are getters, read when shown, so that they follow the interface's
 * language; the keys are names of keys and stay as they are (but for 'Arrow keys', which is words).
 */
export const ACTIONS: { readonly [K in ActionId]: ActionEntry<K> } = {
  tool: {
    id: 'tool',
    readonly: false,
    shortcuts: TOOL_NAMES.map((tool) => ({
      keys: [TOOLS[tool].key],
      chords: [plain([TOOLS[tool].key.toLowerCase()])],
      args: { tool },
      get label() {
        return TOOLS[tool].label
      },
    })),
    run: (host, { tool }) => {
      host.setTool(tool)
      // Choosing the image tool asks for a picture straight away (a click on the board asks again).
      if (tool === 'image') host.pickImage()
    },
  },
  undo: {
    id: 'undo',
    readonly: false,
    shortcuts: [
      {
        keys: ['Ctrl+Z'],
        chords: [command(['z'])],
        args: {},
        get label() {
          return msg('Undo', { id: 'action.undo' })
        },
        get help() {
          return msg('Undo your last action', { id: 'help.undo' })
        },
      },
    ],
    run: (host) => host.undo(),
  },
  redo: {
    id: 'redo',
    readonly: false,
    shortcuts: [
      {
        keys: ['Ctrl+Shift+Z', 'Ctrl+Y'],
        chords: [command(['z'], true), command(['y'])],
        args: {},
        get label() {
          return msg('Redo', { id: 'action.redo' })
        },
      },
    ],
    run: (host) => host.redo(),
  },
  nudge: {
    id: 'nudge',
    // With nothing selected the arrow keys go from shape to shape (or pan an empty board), which a
    // read-only board allows; BoardEditor.nudge moves no shape there.
    readonly: true,
    shortcuts: [
      {
        get keys() {
          return [msg('Arrow keys', { id: 'keys.arrows', desc: 'in the list of keyboard shortcuts: the four arrow keys' })]
        },
        chords: [plain(Object.keys(ARROWS), 'any')],
        args: (input) => {
          const [dx, dy] = arrowStep(input)
          return { dx, dy }
        },
        get label() {
          return msg('Move the selection', { id: 'action.nudge' })
        },
        get help() {
          const step = formatNumber(NUDGE)
          const far = formatNumber(NUDGE_FAR)
          return isOne(NUDGE)
            ? msg(str`Move the selection (${step} unit, Shift: ${far})`, { id: 'help.nudge.one', desc: 'arrow keys: how far one press moves the selection, in board units, and with Shift held' })
            : msg(str`Move the selection (${step} units, Shift: ${far})`, { id: 'help.nudge.other', desc: 'arrow keys: how far one press moves the selection, in board units, and with Shift held' })
        },
      },
    ],
    run: (host, { dx, dy }) => host.nudge(dx, dy),
  },
  activate: {
    id: 'activate',
    readonly: false,
    shortcuts: [
      {
        keys: ['Enter'],
        chords: [plain(['enter'])],
        args: {},
        get label() {
          return msg('Select the shape in focus', { id: 'action.activate', desc: 'Enter: selects the shape the arrow keys went to' })
        },
      },
    ],
    run: (host) => host.activate(),
  },
  resize: {
    id: 'resize',
    readonly: false,
    shortcuts: [
      {
        get keys() {
          return [msg('Ctrl+Arrow keys', { id: 'keys.ctrl-arrows', desc: 'in the list of keyboard shortcuts: Ctrl held with an arrow key' })]
        },
        chords: [command(Object.keys(ARROWS), 'any')],
        args: (input) => {
          const [dw, dh] = arrowStep(input)
          return { dw, dh }
        },
        get label() {
          return msg('Resize the selection', { id: 'action.resize' })
        },
        get help() {
          const step = formatNumber(NUDGE)
          const far = formatNumber(NUDGE_FAR)
          return isOne(NUDGE)
            ? msg(str`Resize the selection (${step} unit, Shift: ${far})`, { id: 'help.resize.one', desc: 'Ctrl+arrow keys: how much one press makes the selection wider/narrower (left, right) or taller/shorter (down, up), in board units, and with Shift held' })
            : msg(str`Resize the selection (${step} units, Shift: ${far})`, { id: 'help.resize.other', desc: 'Ctrl+arrow keys: how much one press makes the selection wider/narrower (left, right) or taller/shorter (down, up), in board units, and with Shift held' })
        },
      },
    ],
    run: (host, { dw, dh }) => host.resize(dw, dh),
  },
  help: {
    id: 'help',
    readonly: true,
    shortcuts: [
      {
        keys: ['?'],
        chords: [plain(['?'], 'any')],
        args: {},
        get label() {
          return msg('Keyboard shortcuts', { id: 'action.help', desc: 'a button that shows the list of keyboard shortcuts' })
        },
        get help() {
          return msg('This list', { id: 'help.help', desc: 'in the list of keyboard shortcuts: the key that shows this very list' })
        },
      },
    ],
    run: (host) => host.toggleHelp(),
  },
  zoom: {
    id: 'zoom',
    readonly: true,
    shortcuts: [
      {
        keys: ['Ctrl+='],
        chords: [command(['=', '+'], 'any')],
        args: { to: 'in' },
        get label() {
          return msg('Zoom in', { id: 'action.zoom-in' })
        },
      },
      {
        keys: ['Ctrl+-'],
        chords: [command(['-'], 'any')],
        args: { to: 'out' },
        get label() {
          return msg('Zoom out', { id: 'action.zoom-out' })
        },
      },
      {
        keys: ['Ctrl+0'],
        chords: [command(['0'], 'any')],
        args: { to: 'reset' },
        get label() {
          return msg('Reset to 100%', { id: 'action.zoom-reset', desc: 'a button: zoom back to the actual size' })
        },
        get help() {
          return msg('Zoom to 100%', { id: 'help.zoom-reset' })
        },
      },
      // By the physical key: Shift+1 types ! or 1 or § depending on the layout.
      {
        keys: ['Shift+1'],
        chords: [{ command: false, shift: true, codes: ['Digit1'] }],
        args: { to: 'fit' },
        get label() {
          return msg('Zoom to fit', { id: 'action.zoom-fit', desc: 'a button: zoom so that every shape on the board is in view' })
        },
        get help() {
          return msg('Zoom to fit everything', { id: 'help.zoom-fit' })
        },
      },
    ],
    run: (host, { to }) => host.zoom(to),
  },
  'toggle-grid': {
    id: 'toggle-grid',
    readonly: true,
    shortcuts: [
      {
        keys: ['G'],
        chords: [plain(['g'])],
        args: {},
        get label() {
          return msg('Grid', { id: 'action.grid', desc: 'a toggle button: show the grid of dots on the board' })
        },
        get help() {
          return msg('Show or hide the grid', { id: 'help.grid' })
        },
      },
    ],
    run: (host) => host.toggleGrid(),
  },
  'select-all': {
    id: 'select-all',
    readonly: false,
    shortcuts: [
      {
        keys: ['Ctrl+A'],
        chords: [command(['a'])],
        args: {},
        get label() {
          return msg('Select all', { id: 'action.select-all' })
        },
        get help() {
          return msg('Select everything', { id: 'help.select-all' })
        },
      },
    ],
    run: (host) => {
      host.setTool('select')
      host.selectAll()
    },
  },
  deselect: {
    id: 'deselect',
    readonly: true,
    shortcuts: [
      {
        keys: ['Escape'],
        chords: [plain(['escape'])],
        args: {},
        get label() {
          return msg('Clear the selection', { id: 'action.deselect' })
        },
      },
    ],
    run: (host) => host.deselect(),
  },
  delete: {
    id: 'delete',
    readonly: false,
    shortcuts: [
      {
        keys: ['Delete', 'Backspace'],
        chords: [plain(['delete', 'backspace'])],
        args: {},
        get label() {
          return msg('Delete', { id: 'action.delete', desc: 'a button: delete the selected shapes' })
        },
        get help() {
          return msg('Delete the selection', { id: 'help.delete' })
        },
      },
    ],
    run: (host) => host.deleteSelection(),
  },
  duplicate: {
    id: 'duplicate',
    readonly: false,
    shortcuts: [
      {
        keys: ['Ctrl+D'],
        chords: [command(['d'])],
        args: {},
        get label() {
          return msg('Duplicate', { id: 'action.duplicate', desc: 'a button: copy the selected shapes in place' })
        },
        get help() {
          return msg('Duplicate the selection', { id: 'help.duplicate' })
        },
      },
    ],
    run: (host) => host.duplicate(),
  },
  reorder: {
    id: 'reorder',
    readonly: false,
    // The physical bracket keys too, so the shortcuts work on layouts where [ needs AltGr.
    shortcuts: [
      {
        keys: ['Ctrl+Shift+]'],
        chords: [command([']', '}'], true, ['BracketRight'])],
        args: { to: 'front' },
        get label() {
          return msg('Bring to front', { id: 'action.bring-to-front', desc: 'layer order: put the selection above every other shape' })
        },
      },
      {
        keys: ['Ctrl+]'],
        chords: [command([']', '}'], false, ['BracketRight'])],
        args: { to: 'forward' },
        get label() {
          return msg('Bring forward', { id: 'action.bring-forward', desc: 'layer order: move the selection one step up' })
        },
      },
      {
        keys: ['Ctrl+['],
        chords: [command(['[', '{'], false, ['BracketLeft'])],
        args: { to: 'backward' },
        get label() {
          return msg('Send backward', { id: 'action.send-backward', desc: 'layer order: move the selection one step down' })
        },
      },
      {
        keys: ['Ctrl+Shift+['],
        chords: [command(['[', '{'], true, ['BracketLeft'])],
        args: { to: 'back' },
        get label() {
          return msg('Send to back', { id: 'action.send-to-back', desc: 'layer order: put the selection below every other shape' })
        },
      },
    ],
    run: (host, { to }) => host.reorder(to),
  },
  'toggle-mute': {
    id: 'toggle-mute',
    readonly: true,
    shortcuts: [
      {
        keys: [MUTE_KEY.toUpperCase()],
        chords: [plain([MUTE_KEY])],
        args: {},
        get label() {
          return msg('Mute or unmute', { id: 'action.mute', desc: 'voice chat: turn your microphone off or on' })
        },
        get help() {
          return msg('Mute or unmute (in voice)', { id: 'help.mute' })
        },
      },
    ],
    run: (host) => host.toggleMute(),
  },
  'push-to-talk': {
    id: 'push-to-talk',
    readonly: true,
    // The release is the key going up (the input module sends pressed: false).
    shortcuts: [
      {
        keys: [PUSH_TO_TALK_KEY.toUpperCase()],
        chords: [plain([PUSH_TO_TALK_KEY])],
        args: { pressed: true },
        get label() {
          return msg('Talk while muted', { id: 'action.push-to-talk', desc: 'voice chat: the microphone is on while a key is held' })
        },
        get help() {
          return msg('Talk while muted (in voice)', { id: 'help.push-to-talk' })
        },
        hold: true,
      },
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

/** A row of the help list. Its texts are read when shown, in the interface's language. */
export interface HelpRow {
  readonly keys: string
  readonly text: string
}

/** A row whose texts are worked out each time they are read (getters). */
const lazyRow = (keys: () => string, text: () => string): HelpRow => ({
  get keys() {
    return keys()
  },
  get text() {
    return text()
  },
})

/** A shortcut's keys as the help list shows them: 'Ctrl+Shift+Z or Ctrl+Y', 'Hold B'. */
function keysShown(shortcut: AnyShortcut): string {
  const keys = shortcut.keys.reduce((first, second) => msg(str`${first} or ${second}`, { id: 'help.keys.or', desc: 'in the list of keyboard shortcuts: two keys that do the same ("Delete or Backspace")' }))
  return shortcut.hold ? msg(str`Hold ${keys}`, { id: 'help.keys.hold', desc: 'in the list of keyboard shortcuts: a key held down, not pressed ("Hold B")' }) : keys
}

const rowOf = (action: BoardAction): HelpRow =>
  lazyRow(
    () => keysShown(shortcutFor(action)),
    () => {
      const shortcut = shortcutFor(action)
      return shortcut.help ?? shortcut.label
    },
  )

/** Two actions that go together in one row ('Ctrl+] / Ctrl+['), with what the row says of both. */
const pairOf = (first: BoardAction, second: BoardAction, text: () => string): HelpRow =>
  lazyRow(() => `${keysShown(shortcutFor(first))} / ${keysShown(shortcutFor(second))}`, text)

/** What the pointer does, which no action stands for. */
const gesture = (keys: () => string, text: () => string): HelpRow => lazyRow(keys, text)

/** The help list's tools: every tool's key and name, in the toolbar's order. */
export const HELP_TOOLS: readonly HelpRow[] = TOOL_NAMES.map((tool) => rowOf({ kind: 'tool', tool }))

/** The help list's board section: the actions and the gestures, in the order people look for them. */
export const HELP_BOARD: readonly HelpRow[] = [
  rowOf({ kind: 'undo' }),
  rowOf({ kind: 'redo' }),
  gesture(
    () => msg('Space + drag', { id: 'help.gesture.pan.keys', desc: 'in the list of keyboard shortcuts: hold the space bar and drag with the pointer' }),
    () => msg('Pan (also the middle button, or two fingers)', { id: 'help.gesture.pan', desc: 'moving the view: also by dragging with the middle mouse button, or two fingers on a touch screen' }),
  ),
  gesture(
    () => msg('Wheel or pinch', { id: 'help.gesture.zoom.keys', desc: 'in the list of keyboard shortcuts: the mouse wheel, or pinching on a touch screen' }),
    () => msg('Zoom around the pointer', { id: 'help.gesture.zoom' }),
  ),
  rowOf({ kind: 'zoom', to: 'in' }),
  rowOf({ kind: 'zoom', to: 'out' }),
  rowOf({ kind: 'zoom', to: 'reset' }),
  rowOf({ kind: 'zoom', to: 'fit' }),
  gesture(
    () => msg('Shift while drawing', { id: 'help.gesture.constrain.keys', desc: 'in the list of keyboard shortcuts: holding the Shift key while drawing a shape' }),
    () => msg('Squares, circles and 15° angles', { id: 'help.gesture.constrain', desc: 'what holding Shift while drawing does: rectangles become squares, ellipses circles, lines snap to 15° steps' }),
  ),
  gesture(
    () => msg('Click, Shift+click, drag', { id: 'help.gesture.select.keys', desc: 'in the list of keyboard shortcuts: three ways of selecting with the pointer' }),
    () => msg('Select, add to the selection, select an area', { id: 'help.gesture.select', desc: 'what each of "Click, Shift+click, drag" does, in that order' }),
  ),
  gesture(
    () => msg('Double-click', { id: 'help.gesture.edit.keys', desc: 'in the list of keyboard shortcuts: a double click on a shape' }),
    () => msg('Edit a text or note', { id: 'help.gesture.edit' }),
  ),
  gesture(
    () => msg('Shift while resizing or rotating', { id: 'help.gesture.transform.keys', desc: 'in the list of keyboard shortcuts: holding the Shift key while resizing or rotating a shape' }),
    () => msg('Keep proportions, turn in 15° steps', { id: 'help.gesture.transform', desc: 'what holding Shift does while resizing (keeps the proportions) and while rotating (turns in 15° steps)' }),
  ),
  rowOf({ kind: 'select-all' }),
  rowOf({ kind: 'deselect' }),
  rowOf({ kind: 'delete' }),
  rowOf({ kind: 'duplicate' }),
  gesture(
    () => msg('Arrow keys, nothing selected', { id: 'help.walk.keys', desc: 'in the list of keyboard shortcuts: the arrow keys while no shape is selected' }),
    () => msg('Go from shape to shape, in reading order', { id: 'help.walk', desc: 'what the arrow keys do while nothing is selected: the keyboard focus goes to the next or previous shape, rows top to bottom, each left to right' }),
  ),
  rowOf({ kind: 'activate' }),
  rowOf({ kind: 'nudge', dx: 0, dy: 0 }),
  rowOf({ kind: 'resize', dw: 0, dh: 0 }),
  // The clipboard's own events (board-editing.ts), not key presses.
  gesture(
    () => 'Ctrl+C, Ctrl+X, Ctrl+V',
    () => msg('Copy, cut and paste (also between boards, and images)', { id: 'help.clipboard', desc: 'in the list of keyboard shortcuts: what Ctrl+C, Ctrl+X and Ctrl+V do; images can be pasted too' }),
  ),
  pairOf({ kind: 'reorder', to: 'forward' }, { kind: 'reorder', to: 'backward' }, () =>
    msg('Bring forward, send backward', { id: 'help.reorder.step', desc: 'in the list of keyboard shortcuts: what Ctrl+] and Ctrl+[ do to the layer order, in that order' }),
  ),
  pairOf({ kind: 'reorder', to: 'front' }, { kind: 'reorder', to: 'back' }, () =>
    msg('Bring to front, send to back', { id: 'help.reorder.ends', desc: 'in the list of keyboard shortcuts: what Ctrl+Shift+] and Ctrl+Shift+[ do to the layer order, in that order' }),
  ),
  rowOf({ kind: 'toggle-grid' }),
  rowOf({ kind: 'toggle-mute' }),
  rowOf({ kind: 'push-to-talk', pressed: true }),
  rowOf({ kind: 'help' }),
]
