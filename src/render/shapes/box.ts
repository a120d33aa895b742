/**
 * Konva projection of rectangles and ellipses: (x, y) is the box's top-left corner, and the
 * rotation turns around it like every other shape. One Konva.Shape draws the outline and fill.
 */
import { Konva } from '../konva'
import type { BoxShape } from '../../model/shapes'
import { displayColor } from '../ink'
import type { RenderView, ShapeRenderer } from './renderer'

interface BoxPaint {
  readonly box: BoxShape
  readonly stroke: string
  readonly fill: string | null
}

function draw(context: Konva.Context, node: Konva.Shape): void {
  const { box, stroke, fill } = node.getAttr('meshPaint') as BoxPaint
  const native = context._context as CanvasRenderingContext2D
  native.beginPath()
  if (box.type === 'ellipse') {
    native.ellipse(box.width / 2, box.height / 2, box.width / 2, box.height / 2, 0, 0, 2 * Math.PI)
  } else {
    // Softly rounded corners, never more than a quarter of the shorter side.
    native.roundRect(0, 0, box.width, box.height, Math.min(box.width, box.height, 16) / 4)
  }
  if (fill) {
    native.fillStyle = fill
    native.fill()
  }
  native.strokeStyle = stroke
  native.lineWidth = box.strokeWidth
  native.lineJoin = 'round'
  native.stroke()
}

function update(node: Konva.Shape | Konva.Group, box: BoxShape, view: RenderView): void {
  const paint: BoxPaint = { box, stroke: displayColor(box.color, view.dark), fill: box.fill ? displayColor(box.fill, view.dark) : null }
  node.setAttrs({ x: box.x, y: box.y, rotation: (box.rotation * 180) / Math.PI, opacity: box.opacity, meshPaint: paint })
}

function create(box: BoxShape, view: RenderView): Konva.Shape {
  const node = new Konva.Shape({ id: box.id, listening: false, perfectDrawEnabled: false, sceneFunc: draw })
  node.getSelfRect = () => {
    const { box } = node.getAttr('meshPaint') as BoxPaint
    const pad = box.strokeWidth / 2
    return { x: -pad, y: -pad, width: box.width + 2 * pad, height: box.height + 2 * pad }
  }
  update(node, box, view)
  return node
}

export const rectangleRenderer: ShapeRenderer<BoxShape> = { create, update }
export const ellipseRenderer: ShapeRenderer<BoxShape> = { create, update }
