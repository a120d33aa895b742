/**
 * The parts of Konva meshboard draws with. Importing 'konva' itself pulls in every shape and
 * filter (about a third of the bundle); the core plus these few shapes is all the board needs.
 */
import Konva from 'konva/lib/Core'
import { Ellipse } from 'konva/lib/shapes/Ellipse'
import { Rect } from 'konva/lib/shapes/Rect'

export { Ellipse, Konva, Rect }
