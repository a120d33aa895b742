/**
 * The part of Konva meshboard draws with: the core (stage, layers, groups, Konva.Shape). Importing
 * 'konva' itself pulls in every shape and filter (about a third of the bundle); every shape of the
 * board is a Konva.Shape drawing itself, so the core is all it needs.
 */
import Konva from 'konva/lib/Core'

export { Konva }
