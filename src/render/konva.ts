/**
 * The parts of Konva meshboard draws with. Importing 'konva' itself pulls in every shape and
 * filter (about a third of the bundle); the core plus these few shapes is all the board needs.
 */
import Konva from 'konva/lib/Core'
import { Path } from 'konva/lib/shapes/Path'
import { Text } from 'konva/lib/shapes/Text'
import { Label, Tag } from 'konva/lib/shapes/Label'

export { Konva, Label, Path, Tag, Text }
