/**
 * The parts of Konva meshboard draws with. Importing 'konva' itself pulls in every shape and
 * filter (about a third of the bundle); the core plus these few shapes is all the board needs.
 */
import Konva from 'konva/lib/Core'
import { Arrow } from 'konva/lib/shapes/Arrow'
import { Ellipse } from 'konva/lib/shapes/Ellipse'
import { Label, Tag } from 'konva/lib/shapes/Label'
import { Line } from 'konva/lib/shapes/Line'
import { Path } from 'konva/lib/shapes/Path'
import { Rect } from 'konva/lib/shapes/Rect'
import { Text } from 'konva/lib/shapes/Text'

export { Arrow, Ellipse, Konva, Label, Line, Path, Rect, Tag, Text }
