/** Konva projection of a stroke: one Konva.Shape filling a cached Path2D of the outline. */
import Konva from 'konva'
import type { StrokeShape } from '../../model/shapes'
import { strokeOutlinePath } from '../stroke-outline'
import type { ShapeRenderer } from './renderer'

const OUTLINE = 'meshOutline'

function drawOutline(context: Konva.Context, node: Konva.Shape): void {
  const outline = node.getAttr(OUTLINE) as Path2D | undefined
  if (!outline) return
  context.fillStyle = node.fill() as string
  context.fill(outline)
}

export const strokeRenderer: ShapeRenderer<StrokeShape> = {
  create(stroke) {
    const node = new Konva.Shape({ id: stroke.id, listening: false, perfectDrawEnabled: false, sceneFunc: drawOutline })
    strokeRenderer.update(node, stroke)
    return node
  },
  update(node, stroke) {
    node.setAttrs({
      x: stroke.x,
      y: stroke.y,
      rotation: (stroke.rotation * 180) / Math.PI,
      fill: stroke.color,
      opacity: stroke.opacity,
      [OUTLINE]: new Path2D(strokeOutlinePath(stroke)),
    })
  },
}
