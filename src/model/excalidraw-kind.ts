/**
 * Whether JSON is Excalidraw's: a scene (a `.excalidraw` file) or what Excalidraw copies. Apart from
 * excalidraw.ts, the conversion, so that telling them apart costs the page nothing until one comes.
 */

/** What `.excalidraw` files say they are, and what Excalidraw's copy puts on the clipboard. */
export const EXCALIDRAW_FILE = 'excalidraw'
export const EXCALIDRAW_CLIPBOARD = 'excalidraw/clipboard'

/** Whether parsed JSON is an Excalidraw scene or clipboard (judged by its `type`). */
export function isExcalidraw(value: unknown): value is { type: string; elements: unknown[]; files?: unknown } {
  if (typeof value !== 'object' || value === null) return false
  const { type, elements } = value as { type?: unknown; elements?: unknown }
  return (type === EXCALIDRAW_FILE || type === EXCALIDRAW_CLIPBOARD) && Array.isArray(elements)
}
