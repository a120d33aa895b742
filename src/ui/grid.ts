/** The dot grid: a CSS background of a layer under the canvas, moving and scaling with the camera. */
import type { Camera } from '../render/camera'

/** Distance between grid dots at 100%, in board units. */
const GRID_SPACING = 24

export function paintGrid(layer: HTMLElement, shown: boolean, { x, y, scale }: Camera): void {
  layer.classList.toggle('grid', shown)
  // Far out, every fourth dot only: a dense grid would turn into a grey wash.
  const spacing = GRID_SPACING * scale * (scale < 0.5 ? 4 : 1)
  layer.style.setProperty('--grid-size', `${spacing}px`)
  layer.style.setProperty('--grid-x', `${x}px`)
  layer.style.setProperty('--grid-y', `${y}px`)
}
