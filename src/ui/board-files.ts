/** The board menu's file commands: open `.meshboard` and `.excalidraw` files, save `.meshboard` files, export SVG, PNG and `.excalidraw`. */
import { msg, str } from '@lit/localize'
import type { BoardEditor } from '../editor/board-editor'
import { BoardImportError } from '../model/board-json'
import { isExcalidraw } from '../model/excalidraw-kind'
import { formatList } from '../i18n/format'
import type { FileEvent } from './mesh-file-menu'

export interface FileHost {
  readonly editor: BoardEditor
  readonly readonly: boolean
  /** The board id, for file names. */
  readonly board: string
  pickImage(): void
  showHistory(): void
  /** Says what went wrong (and reports it as a mesh-error). */
  notify(message: string): void
  /** Says something that is no failure (what an Excalidraw file lost on the way). */
  tell(message: string): void
  /** The board's background, for an exported Excalidraw scene. */
  background(): string
}

export async function runFileCommand(event: FileEvent, host: FileHost): Promise<void> {
  const { editor } = host
  if (!editor.session) return
  const name = fileName(host.board)
  try {
    switch (event.kind) {
      case 'open':
        if (host.readonly) return
        return await open(await event.file.text(), host)
      case 'save':
        return download(new Blob([JSON.stringify(editor.exportFile())], { type: 'application/json' }), `${name}.meshboard`)
      case 'svg':
        return download(new Blob([editor.exportSVG()], { type: 'image/svg+xml' }), `${name}.svg`)
      case 'excalidraw': {
        const { toExcalidraw } = await import('../model/excalidraw')
        return download(new Blob([JSON.stringify(toExcalidraw(editor.exportJSON(), host.background()))], { type: 'application/json' }), `${name}.excalidraw`)
      }
      case 'png':
        if (event.selection) return download(await editor.exportPNG(editor.selectedShapes()), `${name}-selection.png`)
        return download(await editor.exportPNG(), `${name}.png`)
      case 'insert-image':
        return host.pickImage()
      case 'history':
        return host.showHistory()
    }
  } catch (error) {
    const reason = (error as Error).message
    host.notify(
      error instanceof BoardImportError
        ? msg(str`Could not open the file: ${reason}`, { id: 'file.open-failed', desc: 'opening a .meshboard file; the placeholder is what is wrong with it' })
        : msg(str`That did not work: ${reason}`, { id: 'file.command-failed', desc: 'a command of the board menu (open, save, export) failed; the placeholder is why, often technical and in English' }),
    )
  }
}

/** Replaces the board with a file's: meshboard's own, or Excalidraw's (saying what it lost). */
async function open(text: string, host: FileHost): Promise<void> {
  let parsed: unknown = null
  try {
    parsed = JSON.parse(text)
  } catch {
    // Not JSON: importJSON says so in its own words.
  }
  if (isExcalidraw(parsed)) {
    const { fromExcalidraw } = await import('../model/excalidraw')
    const { board, lost } = await fromExcalidraw(parsed)
    host.editor.importJSON(board)
    if (lost.length > 0) {
      const list = formatList(lost)
      host.tell(msg(str`Opened from Excalidraw. Not kept as it was: ${list}.`, { id: 'excalidraw.opened-lost', desc: 'after opening an .excalidraw file; the placeholder lists what meshboard could not keep (e.g. "groups and links")' }))
    }
  } else {
    host.editor.importJSON(text)
  }
  host.editor.zoomToFit()
}

/** A name for saved files: the board's title is not a thing yet, so the date and the board id. */
function fileName(board: string): string {
  const date = new Date().toISOString().slice(0, 10)
  return board ? `meshboard-${date}-${board.slice(0, 6)}` : `meshboard-${date}`
}

/** Saves a blob as a file through a temporary link. */
function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  // The download has started by now; the URL can go once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
