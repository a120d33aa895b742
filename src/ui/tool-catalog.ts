/** What each tool is called, for the toolbar's buttons and the shortcut list. */
import type { ToolName } from '../tools/tool'

export const TOOL_LABELS: Readonly<Record<ToolName, string>> = {
  pen: 'Pen',
  highlighter: 'Highlighter',
  eraser: 'Eraser',
  rectangle: 'Rectangle',
  ellipse: 'Ellipse',
  line: 'Line',
  arrow: 'Arrow',
  laser: 'Laser pointer',
  hand: 'Hand (pan)',
}
