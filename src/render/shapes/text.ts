/** Konva projection of text and sticky notes: lines laid out once per change, drawn by one Konva.Shape. */
import { Konva } from '../konva'
import type { StickyShape, TextShape } from '../../model/shapes'
import { displayColor } from '../ink'
import { drawLines, fontOf, layoutText, STICKY_PADDING, type TextLayout } from '../text-layout'
import type { ShapeRenderer } from './renderer'

const PAINT = 'meshPaint'

interface TextPaint {
  readonly layout: TextLayout
  readonly fontSize: number
  readonly color: string
  /** The note behind the text, for stickies. */
  readonly note: { readonly fill: string; readonly width: number; readonly height: number } | null
}

/** Where the text of a note starts and how wide it may run. */
export function stickyTextBox(sticky: Pick<StickyShape, 'width' | 'height'>): { left: number; top: number; width: number; height: number } {
  return {
    left: STICKY_PADDING,
    top: STICKY_PADDING,
    width: Math.max(1, sticky.width - 2 * STICKY_PADDING),
    height: Math.max(1, sticky.height - 2 * STICKY_PADDING),
  }
}

function draw(context: Konva.Context, node: Konva.Shape): void {
  const paint = node.getAttr(PAINT) as TextPaint | undefined
  if (!paint) return
  const native = context._context as CanvasRenderingContext2D
  let left = 0
  let top = 0
  if (paint.note) {
    const { fill, width, height } = paint.note
    native.save()
    native.shadowColor = 'rgb(0 0 0 / 18%)'
    native.shadowBlur = 10
    native.shadowOffsetY = 3
    native.fillStyle = fill
    native.beginPath()
    native.roundRect(0, 0, width, height, 6)
    native.fill()
    native.restore()
    const box = stickyTextBox(paint.note)
    left = box.left
    top = box.top
    // Text that does not fit stays inside the note; it is all there when the note is edited or grown.
    native.save()
    native.beginPath()
    native.rect(0, 0, width, height - STICKY_PADDING / 2)
    native.clip()
  }
  native.font = fontOf(paint.fontSize)
  native.fillStyle = paint.color
  drawLines(native, paint.layout, paint.fontSize, left, top)
  if (paint.note) native.restore()
}

function create(shape: TextShape | StickyShape): Konva.Shape {
  const node = new Konva.Shape({ id: shape.id, listening: false, perfectDrawEnabled: false, sceneFunc: draw })
  node.getSelfRect = () => ({ x: 0, y: 0, width: node.getAttr('meshWidth') ?? 0, height: node.getAttr('meshHeight') ?? 0 })
  return node
}

function place(node: Konva.Shape | Konva.Group, shape: TextShape | StickyShape, paint: TextPaint, width: number, height: number): void {
  node.setAttrs({
    x: shape.x,
    y: shape.y,
    rotation: (shape.rotation * 180) / Math.PI,
    opacity: shape.opacity,
    meshWidth: width,
    meshHeight: height,
    [PAINT]: paint,
  })
}

export const textRenderer: ShapeRenderer<TextShape> = {
  create(text, view) {
    const node = create(text)
    textRenderer.update(node, text, view)
    return node
  },
  update(node, text, view) {
    const layout = layoutText(text.text, text.fontSize, text.autoWidth ? null : text.width)
    const paint: TextPaint = { layout, fontSize: text.fontSize, color: displayColor(text.color, view.dark), note: null }
    place(node, text, paint, Math.max(text.width, layout.width), Math.max(text.height, layout.height))
  },
}

export const stickyRenderer: ShapeRenderer<StickyShape> = {
  create(sticky, view) {
    const node = create(sticky)
    stickyRenderer.update(node, sticky, view)
    return node
  },
  update(node, sticky) {
    // Notes are paper: the same pastel with dark text on light and dark boards.
    const layout = layoutText(sticky.text, sticky.fontSize, stickyTextBox(sticky).width)
    const paint: TextPaint = { layout, fontSize: sticky.fontSize, color: sticky.color, note: { fill: sticky.fill, width: sticky.width, height: sticky.height } }
    place(node, sticky, paint, sticky.width, sticky.height)
  },
}
