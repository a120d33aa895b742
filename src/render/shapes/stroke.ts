/** Konva projection of a stroke: one Konva.Shape filling a cached Path2D of the outline. */
import { Konva } from '../konva'
import { POINT_STRIDE } from '../../model/point-codec'
import type { StrokeShape } from '../../model/shapes'
import { displayColor } from '../ink'
import { strokeOutlinePath2D } from '../stroke-outline'
import type { ShapeRenderer } from './renderer'

const OUTLINE = 'meshOutline'
const BOUNDS = 'meshBounds'
/**
 * Outlines by stroke version (the validated value is a new object whenever the stroke changes):
 * nodes come and go with the tiles that need them, the outline is computed once per change.
 */
const outlines = new WeakMap<StrokeShape, Path2D>()

function outlineOf(stroke: StrokeShape): Path2D {
  let outline = outlines.get(stroke)
  if (!outline) {
    outline = strokeOutlinePath2D(stroke)
    outlines.set(stroke, outline)
  }
  return outline
}

function drawOutline(context: Konva.Context, node: Konva.Shape): void {
  const outline = node.getAttr(OUTLINE) as Path2D | undefined
  if (!outline) return
  context.fillStyle = node.fill() as string
  context.fill(outline)
}

/** The stroke's box in its own coordinates, padded by half its width (the outline's reach). */
function strokeBounds(stroke: StrokeShape): { x: number; y: number; width: number; height: number } {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  const p = stroke.points
  for (let i = 0; i < p.length; i += POINT_STRIDE) {
    minX = Math.min(minX, p[i]!)
    maxX = Math.max(maxX, p[i]!)
    minY = Math.min(minY, p[i + 1]!)
    maxY = Math.max(maxY, p[i + 1]!)
  }
  const pad = stroke.strokeWidth / 2
  return { x: minX - pad, y: minY - pad, width: maxX - minX + 2 * pad, height: maxY - minY + 2 * pad }
}

export const strokeRenderer: ShapeRenderer<StrokeShape> = {
  create(stroke, view) {
    const node = new Konva.Shape({ id: stroke.id, listening: false, perfectDrawEnabled: false, sceneFunc: drawOutline })
    // Konva measures shapes by width/height, which a path has none of: give it the real box.
    node.getSelfRect = () => node.getAttr(BOUNDS)
    strokeRenderer.update(node, stroke, view)
    return node
  },
  update(node, stroke, view) {
    node.setAttrs({
      [BOUNDS]: strokeBounds(stroke),
      x: stroke.x,
      y: stroke.y,
      rotation: (stroke.rotation * 180) / Math.PI,
      fill: displayColor(stroke.color, view.dark),
      // Highlighter ink tints what is under it instead of covering it (on a light board).
      globalCompositeOperation: stroke.highlight && !view.dark ? 'multiply' : 'source-over',
      opacity: stroke.opacity,
      [OUTLINE]: outlineOf(stroke),
    })
  },
}
