/** What each tool is called, for the toolbar's buttons and the shortcut list. */
import type { ToolName } from '../tools/tool'

export const TOOL_LABELS: Readonly<Record<ToolName, string>> = {
  select: 'Select',
  pen: 'Pen',
  highlighter: 'Highlighter',
  eraser: 'Eraser',
  rectangle: 'Rectangle',
  ellipse: 'Ellipse',
  line: 'Line',
  arrow: 'Arrow',
  text: 'Text',
  sticky: 'Sticky note',
  image: 'Image',
  laser: 'Laser pointer',
  hand: 'Hand (pan)',
}
