/**
 * Konva projection of a stroke: one Konva.Shape filling a cached Path2D of the outline, or, where
 * the line is thinner than 1.5 pixels on the canvas it is drawn to, a plain line through its points.
 */
import { Konva } from '../konva'
import { localBox } from '../../model/geometry'
import { POINT_STRIDE } from '../../model/point-codec'
import type { StrokeShape } from '../../model/shapes'
import { displayColor } from '../ink'
import { strokeOutlinePath2D } from '../stroke-outline'
import type { RenderView, ShapeRenderer } from './renderer'

const STROKE = 'meshStroke'
const BOUNDS = 'meshBounds'
/**
 * Below this line width in device pixels, what the outline adds (width following pressure, tapered
 * ends) is finer than a pixel. Such strokes are drawn as a round-capped line through their points:
 * a small part of the cost of computing perfect-freehand's outline and filling it, and a zoomed-out
 * big board draws thousands of them into its tiles.
 */
const LINE_BELOW_PX = 1.5
/** Points nearer than this (device pixels) to the last one drawn add nothing to such a line. */
const LINE_STEP_PX = 0.75
/**
 * Outlines by stroke version (the validated value is a new object whenever the stroke changes):
 * nodes come and go with the tiles that need them, the outline is computed once per change, and
 * only once a stroke is drawn large enough to need it.
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

function drawStroke(context: Konva.Context, node: Konva.Shape): void {
  const stroke = node.getAttr(STROKE) as StrokeShape | undefined
  if (stroke) paintStroke(context._context, stroke, node.fill() as string)
}

/** The stroke's ink in its own coordinates: its outline filled, or a line where it is drawn thin. */
function paintStroke(canvas: CanvasRenderingContext2D, stroke: StrokeShape, color: string): void {
  const transform = canvas.getTransform()
  const pixelsPerUnit = Math.hypot(transform.a, transform.b)
  if (stroke.strokeWidth * pixelsPerUnit < LINE_BELOW_PX) {
    drawAsLine(canvas, stroke, color, LINE_STEP_PX / pixelsPerUnit)
    return
  }
  canvas.fillStyle = color
  canvas.fill(outlineOf(stroke))
}

/** Highlighter ink tints what is under it instead of covering it (on a light board). */
function compositeOf(stroke: StrokeShape, view: RenderView): GlobalCompositeOperation {
  return stroke.highlight && !view.dark ? 'multiply' : 'source-over'
}

/** The stroke as a line of its nominal width through its points, leaving out those within `step` units of the last. */
function drawAsLine(canvas: CanvasRenderingContext2D, stroke: StrokeShape, color: string, step: number): void {
  const p = stroke.points
  let lastX = p[0]!
  let lastY = p[1]!
  canvas.beginPath()
  canvas.moveTo(lastX, lastY)
  for (let i = POINT_STRIDE; i < p.length; i += POINT_STRIDE) {
    const x = p[i]!
    const y = p[i + 1]!
    const last = i + POINT_STRIDE >= p.length
    if (!last && Math.abs(x - lastX) < step && Math.abs(y - lastY) < step) continue
    canvas.lineTo(x, y)
    lastX = x
    lastY = y
  }
  // A one-point stroke still needs a segment (of no length) for its round caps to show as a dot.
  if (p.length <= POINT_STRIDE) canvas.lineTo(lastX, lastY)
  canvas.lineCap = 'round'
  canvas.lineJoin = 'round'
  canvas.lineWidth = stroke.strokeWidth
  canvas.strokeStyle = color
  canvas.stroke()
}

export const strokeRenderer: ShapeRenderer<StrokeShape> = {
  create(stroke, view) {
    const node = new Konva.Shape({ id: stroke.id, listening: false, perfectDrawEnabled: false, sceneFunc: drawStroke })
    // Konva measures shapes by width/height, which a path has none of: give it the real box.
    node.getSelfRect = () => node.getAttr(BOUNDS)
    strokeRenderer.update(node, stroke, view)
    return node
  },
  update(node, stroke, view) {
    node.setAttrs({
      [BOUNDS]: localBox(stroke),
      x: stroke.x,
      y: stroke.y,
      rotation: (stroke.rotation * 180) / Math.PI,
      fill: displayColor(stroke.color, view.dark),
      globalCompositeOperation: compositeOf(stroke, view),
      opacity: stroke.opacity,
      [STROKE]: stroke,
    })
  },
  draw(canvas, stroke, view, opacity) {
    canvas.save()
    canvas.translate(stroke.x, stroke.y)
    canvas.rotate(stroke.rotation)
    canvas.globalAlpha = opacity
    canvas.globalCompositeOperation = compositeOf(stroke, view)
    paintStroke(canvas, stroke, displayColor(stroke.color, view.dark))
    canvas.restore()
  },
}
