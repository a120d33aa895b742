/**
 * What the board editor draws on (src/editor): the shapes of an open board, the selection overlay
 * and others' presence, behind one interface. `KonvaSurface` is the real one, on a Konva stage;
 * the editor's unit tests use a stand-in, so the editor runs in Node without a canvas.
 */
import type * as Y from 'yjs'
import type { Box } from '../model/geometry'
import type { BoardStage } from './board-stage'
import type { Viewport } from './camera'
import type { Konva } from './konva'
import { ImageCache } from './image-cache'
import { PresenceLayer, type PeerOverlay, type TrailPoint } from './presence-layer'
import { Projector, type ProjectorHooks } from './projector'
import { SelectionOverlay, type SelectionView } from './selection-overlay'
import { ellipseRenderer, rectangleRenderer } from './shapes/box'
import { imageRenderer } from './shapes/image'
import { lineRenderer } from './shapes/line'
import { strokeRenderer } from './shapes/stroke'
import { stickyRenderer, textRenderer } from './shapes/text'

/** A board's shapes as drawn: what the tools ask of the render side, and what exports need. */
export type ShapeDrawing = Pick<
  Projector,
  | 'shapesNear'
  | 'shapesInside'
  | 'bounds'
  | 'setDimmed'
  | 'setHidden'
  | 'setView'
  | 'redrawAll'
  | 'noteInteraction'
  | 'pending'
  | 'backlog'
  | 'changes'
  | 'restore'
  | 'viewToKeep'
  | 'destroy'
> & {
  /** Decoded images for exports, by asset hash. */
  loadImages(hashes: Iterable<string>): Promise<Map<string, ImageBitmap>>
}

export interface SelectionDrawing {
  show(view: SelectionView | null): void
  showMarquee(area: Box | null): void
  destroy(): void
}

export interface PresenceDrawing {
  update(peers: readonly PeerOverlay[]): void
  /** Something moved (a laser, a shape under someone's selection): draw the next frames. */
  animate(): void
  destroy(): void
}

export interface BoardSurface {
  /** The view's size in CSS pixels. */
  readonly width: number
  readonly height: number
  drawShapes(doc: Y.Doc, hooks: ProjectorHooks): ShapeDrawing
  drawSelection(): SelectionDrawing
  /** Others' cursors, lasers and selections; `localTrail` is this user's own laser. */
  drawPresence(localTrail: () => readonly TrailPoint[], boundsOf: (id: string) => Box | null): PresenceDrawing
}

/** The board drawn on a Konva stage (the element's, made at its first render: hence a getter). */
export class KonvaSurface implements BoardSurface {
  constructor(
    private readonly stageOf: () => BoardStage,
    private readonly viewport: Viewport,
    /** The accent colour (selection frames), read when drawn so a theme change shows at once. */
    private readonly accent: () => string,
  ) {}

  get width(): number {
    return this.stageOf().width
  }

  get height(): number {
    return this.stageOf().height
  }

  drawShapes(doc: Y.Doc, hooks: ProjectorHooks): ShapeDrawing {
    // Images decode after the shapes showing them are drawn: a decoded one redraws the board.
    let shapes: KonvaShapes | undefined
    const images = new ImageCache(doc, () => shapes?.redrawAll())
    const stage = this.stageOf()
    shapes = new KonvaShapes(doc, stage.shapesLayer, stage.liveLayer, images, hooks)
    return shapes
  }

  drawSelection(): SelectionDrawing {
    return new SelectionOverlay(this.stageOf().overlayLayer, this.viewport, this.accent)
  }

  drawPresence(localTrail: () => readonly TrailPoint[], boundsOf: (id: string) => Box | null): PresenceDrawing {
    return new PresenceLayer(this.stageOf().overlayLayer, this.viewport, localTrail, boundsOf)
  }
}

/** The projector with the image cache its image renderer draws from. */
class KonvaShapes extends Projector implements ShapeDrawing {
  constructor(
    doc: Y.Doc,
    layer: Konva.Layer,
    liveLayer: Konva.Layer,
    private readonly images: ImageCache,
    hooks: ProjectorHooks,
  ) {
    super(
      doc,
      layer,
      liveLayer,
      { stroke: strokeRenderer, rectangle: rectangleRenderer, ellipse: ellipseRenderer, line: lineRenderer, arrow: lineRenderer, text: textRenderer, sticky: stickyRenderer, image: imageRenderer(images) },
      hooks,
    )
  }

  loadImages(hashes: Iterable<string>): Promise<Map<string, ImageBitmap>> {
    return this.images.load(hashes)
  }

  override destroy(): void {
    super.destroy()
    this.images.destroy()
  }
}
