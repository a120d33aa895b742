/**
 * Editing text and sticky notes in place: a <textarea> laid exactly over the shape (same font,
 * size, wrapping, rotation and zoom), while the canvas hides the shape underneath. What is typed
 * reaches the document once per animation frame, so peers watch it being written; one editing
 * session is one undo step. Escape, Ctrl+Enter or a click elsewhere finishes; a text left empty
 * is removed.
 */
import { msg } from '@lit/localize'
import type * as Y from 'yjs'
import { shapesOf } from '../model/board-doc'
import type { History } from '../model/history'
import type { ShapeId } from '../model/ids'
import { addShape, deleteShapes, updateShape } from '../model/ops'
import type { StickyShape, TextShape } from '../model/shapes'
import { readShape } from '../model/validate'
import { boardToScreen, type Point, type Viewport } from '../render/camera'
import { displayColor } from '../render/ink'
import { stickyTextBox } from '../render/shapes/text'
import { FONT_FAMILY, layoutText, LINE_HEIGHT } from '../render/text-layout'

export interface TextEditorOptions {
  readonly doc: Y.Doc
  readonly history: History
  readonly viewport: Viewport
  /** Where the textarea goes: a positioned layer over the canvas. */
  readonly container: HTMLElement
  readonly textStyle: () => { color: string; fontSize: number; opacity: number }
  readonly dark: () => boolean
  /** Hides the shape being edited on the canvas (empty set: none). */
  readonly hide: (ids: ReadonlySet<string>) => void
  /** Editing ended; the id of the text or note, or null when nothing was kept. */
  readonly onClose: (id: ShapeId | null) => void
}

type Edited = TextShape | StickyShape

export class TextEditor {
  private textarea: HTMLTextAreaElement | null = null
  private id: ShapeId | null = null
  /** Where a text not yet typed will go. */
  private newAt: Point | null = null
  private frame = 0
  private stopFollowingCamera: (() => void) | null = null
  private readonly onShapes = () => this.followDocument()

  constructor(private readonly options: TextEditorOptions) {}

  get editing(): ShapeId | null {
    return this.id
  }

  get open(): boolean {
    return this.textarea !== null
  }

  /** Starts editing a text or note, or a new text at a board point (created once something is typed). */
  edit(target: ShapeId | { newTextAt: Point }): void {
    this.close()
    const textarea = document.createElement('textarea')
    textarea.className = 'text-editor'
    textarea.spellcheck = true
    textarea.setAttribute('aria-label', msg('Text', { id: 'text-editor.label', desc: 'label of the box where the text of a text or note on the board is typed' }))
    if (typeof target === 'string') {
      const shape = this.read(target)
      if (!shape) return
      this.id = target
      textarea.value = shape.text
      this.options.hide(new Set([target]))
    } else {
      const { fontSize } = this.options.textStyle()
      // The click marks the middle of the first line, where a caret would blink.
      this.newAt = { x: target.newTextAt.x, y: target.newTextAt.y - (fontSize * LINE_HEIGHT) / 2 }
    }
    this.options.history.beginGesture()
    this.textarea = textarea
    textarea.addEventListener('input', () => this.scheduleWrite())
    textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' || (event.key === 'Enter' && (event.ctrlKey || event.metaKey))) {
        event.preventDefault()
        this.close()
      }
    })
    textarea.addEventListener('blur', () => this.close())
    // Pointer and wheel input inside the editor belongs to the text, not to the board's tools.
    textarea.addEventListener('pointerdown', (event) => event.stopPropagation())
    this.options.container.append(textarea)
    this.stopFollowingCamera = this.options.viewport.onChange(() => this.place())
    shapesOf(this.options.doc).observeDeep(this.onShapes)
    this.place()
    textarea.focus({ preventScroll: true })
    textarea.setSelectionRange(textarea.value.length, textarea.value.length)
  }

  /** Finishes editing: writes the last text, removes an empty text, and gives the board its focus back. */
  close(): void {
    const textarea = this.textarea
    if (!textarea) return
    this.textarea = null
    cancelAnimationFrame(this.frame)
    this.frame = 0
    this.write(textarea.value)
    this.stopFollowingCamera?.()
    this.stopFollowingCamera = null
    shapesOf(this.options.doc).unobserveDeep(this.onShapes)
    let kept = this.id
    const shape = kept ? this.read(kept) : null
    if (kept && shape?.type === 'text' && shape.text.trim() === '') {
      deleteShapes(this.options.doc, [kept])
      kept = null
    }
    this.id = null
    this.newAt = null
    this.options.hide(new Set())
    textarea.remove()
    this.options.onClose(kept)
  }

  private read(id: ShapeId): Edited | null {
    const shape = readShape(id, shapesOf(this.options.doc).get(id))
    return shape && (shape.type === 'text' || shape.type === 'sticky') ? shape : null
  }

  /** Someone deleted the shape being edited: stop, keeping nothing. */
  private followDocument(): void {
    if (this.id && !this.read(this.id)) {
      this.id = null
      this.close()
    } else {
      this.place()
    }
  }

  private scheduleWrite(): void {
    this.place()
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0
        if (this.textarea) this.write(this.textarea.value)
      })
    }
  }

  private write(text: string): void {
    const { doc } = this.options
    if (this.id === null) {
      if (text === '' || !this.newAt) return
      const { color, fontSize, opacity } = this.options.textStyle()
      const size = layoutText(text, fontSize, null)
      this.id = addShape(doc, { type: 'text', x: this.newAt.x, y: this.newAt.y, rotation: 0, color, fontSize, opacity, text, autoWidth: true, width: size.width, height: size.height })
      this.options.hide(new Set([this.id]))
      return
    }
    const shape = this.read(this.id)
    if (!shape || shape.text === text) return
    if (shape.type === 'sticky') return updateShape(doc, this.id, { text })
    const size = layoutText(text, shape.fontSize, shape.autoWidth ? null : shape.width)
    updateShape(doc, this.id, { text, width: size.width, height: size.height })
  }

  /** Lays the textarea over the shape: board units inside, scaled and turned like the canvas. */
  private place(): void {
    const textarea = this.textarea
    if (!textarea) return
    const shape = this.id ? this.read(this.id) : null
    const style = this.options.textStyle()
    const fontSize = shape?.fontSize ?? style.fontSize
    const origin = shape ?? this.newAt!
    const camera = this.options.viewport.camera
    const screen = boardToScreen(camera, origin)
    let left = 0
    let top = 0
    let width: number
    let height: number
    const css = textarea.style
    if (shape?.type === 'sticky') {
      const box = stickyTextBox(shape)
      left = box.left
      top = box.top
      width = box.width
      height = box.height
      css.background = shape.fill
      css.color = shape.color
      css.boxShadow = `0 0 0 ${box.left}px ${shape.fill}, 0 3px 12px ${box.left}px rgb(0 0 0 / 18%)`
    } else {
      const wrapAt = shape && !shape.autoWidth ? shape.width : null
      const size = layoutText(textarea.value || ' ', fontSize, wrapAt)
      // A growing text keeps one character of room ahead of the caret.
      width = wrapAt ?? size.width + fontSize
      height = size.height
      css.background = 'transparent'
      css.color = displayColor(shape?.color ?? style.color, this.options.dark())
      css.boxShadow = 'none'
    }
    const rotation = shape?.rotation ?? 0
    css.font = `${fontSize}px/${LINE_HEIGHT} ${FONT_FAMILY}`
    css.width = `${width}px`
    css.height = `${height}px`
    css.transform = `translate(${screen.x}px, ${screen.y}px) scale(${camera.scale}) rotate(${rotation}rad) translate(${left}px, ${top}px)`
    css.whiteSpace = shape?.type === 'sticky' || (shape && !shape.autoWidth) ? 'pre-wrap' : 'pre'
  }
}
