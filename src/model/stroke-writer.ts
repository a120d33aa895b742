/**
 * Writes one stroke while it is being drawn: points are buffered as they arrive and written in
 * batches (the caller flushes at most once per animation frame, DESIGN.md §3), so peers see the
 * stroke grow without paying for one transaction per pointer event.
 */
import type * as Y from 'yjs'
import type { ShapeId } from './ids'
import { appendStrokePoints, beginStroke, finishStroke } from './ops'
import { POINT_PRECISION, PointStreamEncoder } from './point-codec'
import type { StrokeStyle } from './shapes'

export class StrokeWriter {
  readonly id: ShapeId
  private readonly encoder: PointStreamEncoder
  private readonly originX: number
  private readonly originY: number

  /** Starts a stroke at its first point (board coordinates) and writes it at once. */
  constructor(
    private readonly doc: Y.Doc,
    x: number,
    y: number,
    pressure: number | null,
    style: StrokeStyle,
    highlight = false,
  ) {
    // The origin sits on the point grid so that relative and absolute coordinates agree exactly.
    this.originX = Math.round(x * POINT_PRECISION) / POINT_PRECISION
    this.originY = Math.round(y * POINT_PRECISION) / POINT_PRECISION
    this.encoder = new PointStreamEncoder(pressure !== null)
    this.encoder.push(0, 0, pressure ?? undefined)
    this.id = beginStroke(doc, {
      x: this.originX,
      y: this.originY,
      style,
      pressure: pressure !== null,
      highlight,
      firstBatch: this.encoder.takeBatch(),
    })
  }

  /** Buffers a point in board coordinates. */
  add(x: number, y: number, pressure: number | null): void {
    this.encoder.push(x - this.originX, y - this.originY, pressure ?? undefined)
  }

  /** Writes the buffered points, if any, as one transaction. */
  flush(): void {
    if (this.encoder.pendingPoints > 0) appendStrokePoints(this.doc, this.id, this.encoder.takeBatch())
  }

  finish(): void {
    this.flush()
    finishStroke(this.doc, this.id)
  }
}
