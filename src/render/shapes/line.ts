/** Konva projection of lines and arrows, from (x, y) to (x + dx, y + dy). */
import { Arrow, Line } from '../konva'
import { arrowHeadLength } from '../../model/geometry'
import type { LineShape } from '../../model/shapes'
import { displayColor } from '../ink'
import type { ShapeRenderer } from './renderer'

export const lineRenderer: ShapeRenderer<LineShape> = {
  create(line, view) {
    const node =
      line.type === 'arrow'
        ? new Arrow({ id: line.id, listening: false, points: [], lineCap: 'round', lineJoin: 'round' })
        : new Line({ id: line.id, listening: false, points: [], lineCap: 'round' })
    lineRenderer.update(node, line, view)
    return node
  },
  update(node, line, view) {
    const color = displayColor(line.color, view.dark)
    const head = arrowHeadLength(line.strokeWidth)
    node.setAttrs({
      x: line.x,
      y: line.y,
      rotation: (line.rotation * 180) / Math.PI,
      points: [0, 0, line.dx, line.dy],
      stroke: color,
      fill: color,
      strokeWidth: line.strokeWidth,
      opacity: line.opacity,
      pointerLength: head,
      pointerWidth: head,
    })
  },
}
