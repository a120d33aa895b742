/**
 * Projects the document onto Konva (DESIGN.md §4): observes `shapes` deeply, collects the ids that
 * changed and, once per animation frame, creates, updates or destroys exactly those nodes.
 * Local and remote edits take the same path. It never writes to the document.
 */
import type Konva from 'konva'
import * as Y from 'yjs'
import { shapesOf } from '../model/board-doc'
import { distanceToShape, shapeBounds, type Box } from '../model/geometry'
import type { ShapeId } from '../model/ids'
import { compareZ, type Shape } from '../model/shapes'
import { readShape } from '../model/validate'
import type { RenderView, RendererRegistry, ShapeRenderer } from './shapes/renderer'

/** How much of a shape about to be erased still shows. */
const DIMMED_OPACITY = 0.25

interface Projected {
  node: Konva.Shape | Konva.Group
  shape: Shape
}

export class Projector {
  private readonly shapes: Y.Map<unknown>
  private readonly projected = new Map<string, Projected>()
  private readonly dirty = new Set<string>()
  /** Ids whose document value failed validation: skipped, counted, never rendered. */
  readonly invalid = new Set<string>()
  private frame = 0
  private view: RenderView = { dark: false }
  /** Shapes shown faded: what an eraser gesture in progress would remove. */
  private dimmed: ReadonlySet<string> = new Set()
  /** Shapes not drawn: the text being edited in place is shown by the editor instead. */
  private hidden: ReadonlySet<string> = new Set()
  private readonly observer = (events: Y.YEvent<any>[]) => this.collect(events)

  constructor(
    doc: Y.Doc,
    private readonly layer: Konva.Layer,
    private readonly renderers: RendererRegistry,
    private readonly onProjected: () => void = () => {},
  ) {
    this.shapes = shapesOf(doc)
    this.shapes.observeDeep(this.observer)
    for (const id of this.shapes.keys()) this.dirty.add(id)
    this.schedule()
  }

  destroy(): void {
    this.shapes.unobserveDeep(this.observer)
    cancelAnimationFrame(this.frame)
    for (const { node } of this.projected.values()) node.destroy()
    this.projected.clear()
  }

  /** Changes how every shape is shown (theme): all of them are redrawn at the next frame. */
  setView(view: RenderView): void {
    if (view.dark === this.view.dark) return
    this.view = view
    for (const id of this.projected.keys()) this.dirty.add(id)
    this.schedule()
  }

  /** Fades exactly `ids` (and un-fades the others): the eraser's preview, local to this user. */
  setDimmed(ids: ReadonlySet<string>): void {
    this.redrawDifference(this.dimmed, ids)
    this.dimmed = new Set(ids)
  }

  /** Hides exactly `ids` (text being edited in place) and shows the others again. */
  setHidden(ids: ReadonlySet<string>): void {
    this.redrawDifference(this.hidden, ids)
    this.hidden = new Set(ids)
  }

  /** Redraws the shapes in one set and not the other (a look switched on or off for them). */
  private redrawDifference(before: ReadonlySet<string>, after: ReadonlySet<string>): void {
    for (const id of before) if (!after.has(id)) this.dirty.add(id)
    for (const id of after) if (!before.has(id)) this.dirty.add(id)
    this.schedule()
  }

  /** Shapes lying entirely inside a board rectangle (a marquee), bottom first. */
  shapesInside(area: Box): ShapeId[] {
    const inside: Shape[] = []
    for (const { shape } of this.projected.values()) {
      const box = shapeBounds(shape)
      if (box.x >= area.x && box.y >= area.y && box.x + box.width <= area.x + area.width && box.y + box.height <= area.y + area.height) inside.push(shape)
    }
    return inside.sort(compareZ).map((shape) => shape.id)
  }

  /** Shapes whose ink lies within `radius` of a board point, topmost first. */
  shapesNear(point: { x: number; y: number }, radius: number): ShapeId[] {
    const hits: Shape[] = []
    for (const { shape } of this.projected.values()) if (distanceToShape(shape, point.x, point.y) <= radius) hits.push(shape)
    return hits.sort((a, b) => compareZ(b, a)).map((shape) => shape.id)
  }

  /** Applies pending changes now instead of at the next frame. */
  flush(): void {
    cancelAnimationFrame(this.frame)
    this.frame = 0
    if (this.dirty.size === 0) return
    let orderChanged = false
    for (const id of this.dirty) orderChanged = this.project(id) || orderChanged
    this.dirty.clear()
    if (orderChanged) this.restack()
    this.layer.batchDraw()
    this.onProjected()
  }

  private collect(events: Y.YEvent<any>[]): void {
    for (const event of events) {
      if (event.target === this.shapes) {
        for (const key of (event as Y.YMapEvent<unknown>).keysChanged) this.dirty.add(key)
      } else {
        const id = event.path[0]
        if (typeof id === 'string') this.dirty.add(id)
      }
    }
    this.schedule()
  }

  private schedule(): void {
    if (this.frame === 0 && this.dirty.size > 0) this.frame = requestAnimationFrame(() => this.flush())
  }

  /** Brings one node in line with the document; returns whether the stacking order may have changed. */
  private project(id: string): boolean {
    const value = this.shapes.get(id)
    const shape = value === undefined ? null : readShape(id, value)
    if (value !== undefined && shape === null) this.invalid.add(id)
    else this.invalid.delete(id)
    const current = this.projected.get(id)
    if (shape === null) {
      if (current) {
        current.node.destroy()
        this.projected.delete(id)
      }
      return false
    }
    const renderer = this.renderers[shape.type] as ShapeRenderer
    if (current && current.shape.type === shape.type) {
      renderer.update(current.node, shape, this.view)
      this.applyDim(current.node, shape)
      const moved = current.shape.z !== shape.z
      current.shape = shape
      return moved
    }
    current?.node.destroy()
    const node = renderer.create(shape, this.view)
    this.applyDim(node, shape)
    this.projected.set(id, { node, shape })
    this.layer.add(node)
    return true
  }

  private applyDim(node: Konva.Shape | Konva.Group, shape: Shape): void {
    node.opacity(this.dimmed.has(shape.id) ? shape.opacity * DIMMED_OPACITY : shape.opacity)
    node.visible(!this.hidden.has(shape.id))
  }

  /** Re-stacks the layer's children by z when they are out of order (appending is the common case). */
  private restack(): void {
    const children = this.layer.getChildren()
    const entries = children.map((node) => this.projected.get(node.id())).filter((entry): entry is Projected => !!entry)
    let sorted = true
    for (let i = 1; i < entries.length && sorted; i++) sorted = compareZ(entries[i - 1]!.shape, entries[i]!.shape) <= 0
    if (sorted) return
    entries.sort((a, b) => compareZ(a.shape, b.shape))
    this.layer.removeChildren()
    for (const entry of entries) this.layer.add(entry.node)
  }

  /** A shape's bounding box in board coordinates, as drawn; null if it is not on the board. */
  bounds(id: string): { x: number; y: number; width: number; height: number } | null {
    const node = this.projected.get(id)?.node
    return node ? node.getClientRect({ relativeTo: this.layer }) : null
  }

  get size(): number {
    return this.projected.size
  }
}
