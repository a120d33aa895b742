/** Konva projection of rectangles and ellipses: (x, y) is the box's top-left corner. */
import { Ellipse, Konva, Rect } from '../konva'
import type { BoxShape } from '../../model/shapes'
import { displayColor } from '../ink'
import type { RenderView, ShapeRenderer } from './renderer'

function style(box: BoxShape, view: RenderView) {
  return {
    x: box.x,
    y: box.y,
    rotation: (box.rotation * 180) / Math.PI,
    stroke: displayColor(box.color, view.dark),
    strokeWidth: box.strokeWidth,
    fill: box.fill ? displayColor(box.fill, view.dark) : undefined,
    fillEnabled: box.fill !== null,
    opacity: box.opacity,
  }
}

export const rectangleRenderer: ShapeRenderer<BoxShape> = {
  create(box, view) {
    const node = new Rect({ id: box.id, listening: false, perfectDrawEnabled: false, lineJoin: 'round' })
    rectangleRenderer.update(node, box, view)
    return node
  },
  update(node, box, view) {
    node.setAttrs({ ...style(box, view), width: box.width, height: box.height, cornerRadius: Math.min(box.width, box.height, 16) / 4 })
  },
}

export const ellipseRenderer: ShapeRenderer<BoxShape> = {
  create(box, view) {
    const node = new Konva.Group({ id: box.id, listening: false })
    node.add(new Ellipse({ listening: false, perfectDrawEnabled: false, radiusX: 0, radiusY: 0 }))
    ellipseRenderer.update(node, box, view)
    return node
  },
  update(node, box, view) {
    // The group carries position and rotation around the box corner, like every other shape.
    const { x, y, rotation, opacity, ...paint } = style(box, view)
    node.setAttrs({ x, y, rotation, opacity })
    ;(node as Konva.Group).getChildren()[0]!.setAttrs({ ...paint, x: box.width / 2, y: box.height / 2, radiusX: box.width / 2, radiusY: box.height / 2 })
  },
}
