/**
 * A laser pointer's trail: presence, never written to the document. Declared here, the lowest
 * layer, so that the tool making it, the presence that sends it and the layer drawing it agree.
 */

/** A laser point in board coordinates with its age in ms (when sent, for a peer's trail). */
export type TrailPoint = readonly [x: number, y: number, ageMs: number]
