/**
 * Konva projection of lines and arrows, from (x, y) to (x + dx, y + dy). Drawn by one Konva.Shape
 * with the same arrowhead geometry as the SVG export (Konva's own Arrow pulls in its whole path
 * parser, a tenth of the bundle, for a triangle).
 */
import { Konva } from '../konva'
import { arrowHeadLength } from '../../model/geometry'
import type { LineShape } from '../../model/shapes'
import { displayColor } from '../ink'
import type { ShapeRenderer } from './renderer'

/** The two sides of an arrowhead at the end of a line, in the line's own frame: [side, tip, side]. */
export function arrowHead(line: Pick<LineShape, 'dx' | 'dy' | 'strokeWidth'>): [[number, number], [number, number], [number, number]] {
  const length = arrowHeadLength(line.strokeWidth)
  const angle = Math.atan2(line.dy, line.dx)
  const side = (turn: number): [number, number] => [line.dx - length * Math.cos(angle + turn), line.dy - length * Math.sin(angle + turn)]
  return [side(Math.PI / 6), [line.dx, line.dy], side(-Math.PI / 6)]
}

function draw(context: Konva.Context, node: Konva.Shape): void {
  const line = node.getAttr('meshLine') as LineShape
  const native = context._context as CanvasRenderingContext2D
  native.strokeStyle = node.stroke() as string
  native.lineWidth = line.strokeWidth
  native.lineCap = 'round'
  native.lineJoin = 'round'
  native.beginPath()
  native.moveTo(0, 0)
  native.lineTo(line.dx, line.dy)
  if (line.type === 'arrow') {
    const [a, tip, b] = arrowHead(line)
    native.moveTo(...a)
    native.lineTo(...tip)
    native.lineTo(...b)
  }
  native.stroke()
}

export const lineRenderer: ShapeRenderer<LineShape> = {
  create(line, view) {
    const node = new Konva.Shape({ id: line.id, listening: false, perfectDrawEnabled: false, sceneFunc: draw })
    node.getSelfRect = () => {
      const shape = node.getAttr('meshLine') as LineShape
      const pad = shape.strokeWidth / 2 + (shape.type === 'arrow' ? arrowHeadLength(shape.strokeWidth) : 0)
      return { x: Math.min(0, shape.dx) - pad, y: Math.min(0, shape.dy) - pad, width: Math.abs(shape.dx) + 2 * pad, height: Math.abs(shape.dy) + 2 * pad }
    }
    lineRenderer.update(node, line, view)
    return node
  },
  update(node, line, view) {
    node.setAttrs({
      x: line.x,
      y: line.y,
      rotation: (line.rotation * 180) / Math.PI,
      stroke: displayColor(line.color, view.dark),
      opacity: line.opacity,
      meshLine: line,
    })
  },
}
