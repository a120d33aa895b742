/**
 * The editing that needs the DOM: the in-place text editor, the system clipboard (copy, cut, paste
 * of shapes, of what Excalidraw copies, images and text), and dropped and picked images and
 * drawings (`.excalidraw`, `.meshboard`). The selection itself is the board
 * editor's (src/editor). One per open board; `<mesh-board>` creates it when a board opens and
 * drops it with the board.
 */
import { msg, str } from '@lit/localize'
import type * as Y from 'yjs'
import { putAsset } from '../model/assets'
import type { BoardJSON } from '../model/board-json'
import { copyShapes, pasteShapes, readClipboard } from '../model/clipboard'
import { isExcalidraw } from '../model/excalidraw-kind'
import type { Box } from '../model/geometry'
import { formatList } from '../i18n/format'
import type { History } from '../model/history'
import type { ShapeId } from '../model/ids'
import { addShape, deleteShapes } from '../model/ops'
import { screenToBoard, type Point, type Viewport } from '../render/camera'
import { layoutText } from '../render/text-layout'
import type { ShapeDrawing } from '../render/board-surface'
import type { Selection } from '../tools/select/selection'
import { ImageImportError, prepareImage } from './image-import'
import { TextEditor } from './text-editor'

/** Largest size (board units, at 100%) a new image is shown at: big enough to see, never wall-sized. */
const MAX_IMAGE_DISPLAY = 640
/** Where repeated pastes land relative to each other, in board units. */
const PASTE_OFFSET = 16

export interface BoardEditingOptions {
  readonly doc: Y.Doc
  readonly history: History
  readonly viewport: Viewport
  readonly shapes: ShapeDrawing
  /** The board editor's selection: what is copied, cut, and what a paste selects. */
  readonly selection: Selection
  /** The text editor opened or closed over the selection. */
  readonly editingText: (open: boolean) => void
  /** The focusable board: clipboard and drop events arrive here. */
  readonly host: HTMLElement
  /** Layer over the canvas for the text editor. */
  readonly editorLayer: HTMLElement
  readonly viewSize: () => { width: number; height: number }
  readonly textStyle: () => { color: string; fontSize: number; opacity: number }
  readonly dark: () => boolean
  readonly readonly: () => boolean
  /** A message for the user (a file that is not an image...); null clears it. */
  readonly notify: (message: string) => void
  /** Something the user should know that is no failure (what an Excalidraw drawing lost on the way). */
  readonly tell: (message: string) => void
  /** An image was placed: the board switches to the select tool with it selected. */
  readonly onImagePlaced: () => void
  /** Text editing ended: a text or note tool hands over to the select tool, as after an image. */
  readonly onEditEnd: () => void
}

export class BoardEditing {
  readonly editor: TextEditor
  private readonly abort = new AbortController()
  /** The file picker of the image tool and the menu's "Insert image", and where its image goes. */
  private readonly imageInput: HTMLInputElement
  private imageTarget: Point | undefined
  /** How many times the current clipboard content was pasted here, to fan out repeated pastes. */
  private pasteCount = 0
  private lastPasted = ''

  constructor(private readonly options: BoardEditingOptions) {
    this.editor = new TextEditor({
      doc: options.doc,
      history: options.history,
      viewport: options.viewport,
      container: options.editorLayer,
      textStyle: options.textStyle,
      dark: options.dark,
      hide: (ids) => options.shapes.setHidden(ids),
      onClose: (id) => {
        options.selection.set(id ? [id] : [])
        options.host.focus({ preventScroll: true })
        options.editingText(false)
        options.onEditEnd()
      },
    })
    const listen = <K extends keyof HTMLElementEventMap>(type: K, handler: (event: HTMLElementEventMap[K]) => void) =>
      options.host.addEventListener(type, handler, { signal: this.abort.signal })
    this.imageInput = Object.assign(document.createElement('input'), { type: 'file', accept: 'image/*', hidden: true })
    this.imageInput.addEventListener('change', () => this.imagePicked(), { signal: this.abort.signal })
    options.editorLayer.append(this.imageInput)
    listen('copy', (event) => this.copy(event, false))
    listen('cut', (event) => this.copy(event, true))
    listen('paste', (event) => void this.paste(event))
    listen('dragover', (event) => {
      if (!this.options.readonly() && event.dataTransfer?.types.includes('Files')) event.preventDefault()
    })
    listen('drop', (event) => void this.drop(event))
  }

  destroy(): void {
    this.editor.close()
    this.abort.abort()
    this.imageInput.remove()
  }

  /** Opens the file picker for an image, to be placed at a board point (default: the middle of the view). */
  pickImage(at?: Point): void {
    if (this.options.readonly()) return
    this.imageTarget = at
    this.imageInput.click()
  }

  private imagePicked(): void {
    const file = this.imageInput.files?.[0]
    this.imageInput.value = ''
    if (file) void this.insertImage(file, this.imageTarget)
  }

  /** Adds an image file at a board point (default: the middle of the view), selected. */
  async insertImage(file: File, at?: Point): Promise<void> {
    if (this.options.readonly()) return
    try {
      const image = await prepareImage(file)
      const { width, height } = this.options.viewSize()
      const camera = this.options.viewport.camera
      const centre = at ?? screenToBoard(camera, { x: width / 2, y: height / 2 })
      // Shown at its pixel size, but never larger than most of the view or MAX_IMAGE_DISPLAY.
      const fit = Math.min(1, MAX_IMAGE_DISPLAY / Math.max(image.width, image.height), (0.8 * Math.min(width, height)) / camera.scale / Math.max(image.width, image.height))
      const w = image.width * fit
      const h = image.height * fit
      this.options.history.beginGesture()
      putAsset(this.options.doc, image.hash, image.bytes)
      const id = addShape(this.options.doc, { type: 'image', asset: image.hash, x: centre.x - w / 2, y: centre.y - h / 2, rotation: 0, width: w, height: h, opacity: 1 })
      this.options.selection.set([id])
      this.options.onImagePlaced()
    } catch (error) {
      const reason = (error as Error).message
      this.options.notify(error instanceof ImageImportError ? reason : msg(str`Could not add the image: ${reason}`, { id: 'image.add-failed', desc: 'the placeholder is why (a sentence: the board is full, or a technical reason)' }))
    }
  }

  private copy(event: ClipboardEvent, cut: boolean): void {
    if (this.editor.open || this.options.selection.size === 0 || !event.clipboardData) return
    event.preventDefault()
    const text = JSON.stringify(copyShapes(this.options.doc, this.options.selection.ids))
    event.clipboardData.setData('text/plain', text)
    this.lastPasted = text
    this.pasteCount = 0
    if (cut && !this.options.readonly()) {
      this.options.history.beginGesture()
      deleteShapes(this.options.doc, this.options.selection.ids)
      this.options.selection.clear()
    }
  }

  private async paste(event: ClipboardEvent): Promise<void> {
    if (this.editor.open || this.options.readonly() || !event.clipboardData) return
    const image = [...event.clipboardData.files].find((file) => file.type.startsWith('image/')) ?? event.clipboardData.files[0]
    const text = event.clipboardData.getData('text/plain')
    event.preventDefault()
    if (image && !readClipboard(text)) return this.insertImage(image)
    if (!text) return
    const drawing = readDrawing(text)
    if (drawing) return this.insertDrawing(drawing)
    const clip = readClipboard(text)
    if (!clip) return this.pasteText(text)
    // Pasted again and again: each copy lands a little further, like a stack of cards.
    this.pasteCount = text === this.lastPasted ? this.pasteCount + 1 : 1
    this.lastPasted = text
    const { width, height } = this.options.viewSize()
    const view = { ...screenToBoard(this.options.viewport.camera, { x: 0, y: 0 }), ...sizeOnBoard(width, height, this.options.viewport.camera.scale) }
    try {
      this.options.history.beginGesture()
      const ids = pasteShapes(this.options.doc, clip, (bounds) => {
        const centre = { x: bounds.x + bounds.width / 2, y: bounds.y + bounds.height / 2 }
        const inView = centre.x >= view.x && centre.y >= view.y && centre.x <= view.x + view.width && centre.y <= view.y + view.height
        // Copies of shapes in sight land next to them; from elsewhere (another board) in the middle of the view.
        if (inView) return { dx: PASTE_OFFSET * this.pasteCount, dy: PASTE_OFFSET * this.pasteCount }
        return { dx: view.x + view.width / 2 - centre.x, dy: view.y + view.height / 2 - centre.y }
      })
      this.options.selection.set(ids)
    } catch (error) {
      const reason = (error as Error).message
      this.options.notify(msg(str`Could not paste: ${reason}`, { id: 'paste.failed', desc: 'the placeholder is why (what is wrong with what was copied, or a technical reason)' }))
    }
  }

  /** Plain text from elsewhere becomes a text in the middle of the view. */
  private pasteText(text: string): void {
    const { width, height } = this.options.viewSize()
    const centre = screenToBoard(this.options.viewport.camera, { x: width / 2, y: height / 2 })
    const { color, fontSize, opacity } = this.options.textStyle()
    const clipped = text.slice(0, 20_000)
    const size = layoutText(clipped, fontSize, null)
    this.options.history.beginGesture()
    const id = addShape(this.options.doc, {
      type: 'text',
      x: centre.x - size.width / 2,
      y: centre.y - size.height / 2,
      rotation: 0,
      color,
      fontSize,
      opacity,
      text: clipped,
      autoWidth: true,
      width: size.width,
      height: size.height,
    })
    this.options.selection.set([id])
  }

  private async drop(event: DragEvent): Promise<void> {
    const files = [...(event.dataTransfer?.files ?? [])]
    if (files.length === 0 || this.options.readonly()) return
    event.preventDefault()
    const rect = this.options.editorLayer.getBoundingClientRect()
    const at = screenToBoard(this.options.viewport.camera, { x: event.clientX - rect.left, y: event.clientY - rect.top })
    for (const [index, file] of files.entries()) {
      const spot = { x: at.x + index * PASTE_OFFSET * 2, y: at.y + index * PASTE_OFFSET * 2 }
      // A drawing (.excalidraw, .meshboard) joins the board where it is dropped; anything else is taken for an image.
      const drawing = isDrawingFile(file) ? readDrawing(await file.text()) : null
      if (drawing) await this.insertDrawing(drawing, spot)
      else await this.insertImage(file, spot)
    }
  }

  /**
   * Adds a drawing (Excalidraw's, or a board JSON) on top of the board as one undo step, selected,
   * its middle at `at` (where it was dropped) or the view's. Says what Excalidraw had that the board
   * cannot keep.
   */
  private async insertDrawing(drawing: Drawing, at?: Point): Promise<void> {
    const { width, height } = this.options.viewSize()
    const camera = this.options.viewport.camera
    const view = { ...screenToBoard(camera, { x: 0, y: 0 }), ...sizeOnBoard(width, height, camera.scale) }
    try {
      const excalidraw = drawing.excalidraw && (await import('../model/excalidraw'))
      const { board, lost } = excalidraw ? await excalidraw.fromExcalidraw(drawing.excalidraw!) : { board: drawing.board!, lost: [] }
      this.options.history.beginGesture()
      const ids = pasteShapes(this.options.doc, board, (bounds: Box) => {
        const centre = { x: bounds.x + bounds.width / 2, y: bounds.y + bounds.height / 2 }
        const target = at ?? { x: view.x + view.width / 2, y: view.y + view.height / 2 }
        return { dx: target.x - centre.x, dy: target.y - centre.y }
      })
      this.options.selection.set(ids)
      if (lost.length > 0) {
        const list = formatList(lost)
        this.options.tell(msg(str`Added from Excalidraw. Not kept as it was: ${list}.`, { id: 'excalidraw.added-lost', desc: 'after pasting or dropping an Excalidraw drawing; the placeholder lists what meshboard could not keep (e.g. "groups and links")' }))
      }
    } catch (error) {
      const reason = (error as Error).message
      this.options.notify(msg(str`Could not paste: ${reason}`, { id: 'paste.failed', desc: 'the placeholder is why (what is wrong with what was copied, or a technical reason)' }))
    }
  }

  /** Opens the editor for a text or note (or a new text at a point). */
  editText(target: ShapeId | { newTextAt: Point }): void {
    if (this.options.readonly()) return
    this.options.editingText(true)
    this.editor.edit(target)
  }
}

/** A drawing to add: Excalidraw's scene or clipboard, or a board JSON (a `.meshboard` file). */
interface Drawing {
  readonly excalidraw?: { elements: unknown[]; files?: unknown }
  readonly board?: BoardJSON
}

/** What a pasted or dropped text holds, if it is a drawing (not meshboard's own clipboard, read apart). */
function readDrawing(text: string): Drawing | null {
  if (!text.trimStart().startsWith('{')) return null
  try {
    const value = JSON.parse(text) as unknown
    if (isExcalidraw(value)) return { excalidraw: value }
    if (typeof value === 'object' && value !== null && Array.isArray((value as BoardJSON).shapes) && !readClipboard(text)) return { board: value as BoardJSON }
    return null
  } catch {
    return null
  }
}

const isDrawingFile = (file: File) => /\.(excalidraw|meshboard|json)$/i.test(file.name) || file.type === 'application/json'

function sizeOnBoard(width: number, height: number, scale: number): { width: number; height: number } {
  return { width: width / scale, height: height / scale }
}
