/** The toolbar's tools: each one's name, tooltip (from the actions table) and icon, in TOOL_NAMES order. */
import { TOOLS, tooltipOf } from '../editor/actions'
import { TOOL_NAMES, type ToolName } from '../tools/tool'
import {
  arrowIcon,
  ellipseIcon,
  eraserIcon,
  handIcon,
  highlighterIcon,
  imageIcon,
  laserIcon,
  lineIcon,
  penIcon,
  rectangleIcon,
  selectIcon,
  stickyIcon,
  textIcon,
} from './icons'

const TOOL_ICONS: Readonly<Record<ToolName, unknown>> = {
  select: selectIcon,
  pen: penIcon,
  highlighter: highlighterIcon,
  eraser: eraserIcon,
  rectangle: rectangleIcon,
  ellipse: ellipseIcon,
  line: lineIcon,
  arrow: arrowIcon,
  text: textIcon,
  sticky: stickyIcon,
  image: imageIcon,
  laser: laserIcon,
  hand: handIcon,
}

/** A tool's entry; its name and tooltip are read when shown (getters), in the interface's language. */
export interface ToolEntry {
  readonly name: ToolName
  readonly label: string
  /** 'Pen — P' */
  readonly tooltip: string
  readonly icon: unknown
}

export const TOOL_CATALOG: readonly ToolEntry[] = TOOL_NAMES.map((name) => ({
  name,
  get label() {
    return TOOLS[name].label
  },
  get tooltip() {
    return tooltipOf({ kind: 'tool', tool: name })
  },
  icon: TOOL_ICONS[name],
}))
