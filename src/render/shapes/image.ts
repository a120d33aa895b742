/** Konva projection of images: the decoded bitmap scaled into the shape's box, or a placeholder. */
import { msg } from '@lit/localize'
import { Konva } from '../konva'
import type { ImageShape } from '../../model/shapes'
import type { ImageCache } from '../image-cache'
import type { ShapeRenderer } from './renderer'

export function imageRenderer(images: ImageCache): ShapeRenderer<ImageShape> {
  const draw = (context: Konva.Context, node: Konva.Shape) => {
    const image = node.getAttr('meshImage') as ImageShape
    const native = context._context as CanvasRenderingContext2D
    const bitmap = images.get(image.asset)
    if (typeof bitmap === 'string') return drawPlaceholder(native, image, bitmap)
    native.drawImage(bitmap, 0, 0, image.width, image.height)
  }
  const renderer: ShapeRenderer<ImageShape> = {
    create(image, view) {
      const node = new Konva.Shape({ id: image.id, listening: false, perfectDrawEnabled: false, sceneFunc: draw })
      node.getSelfRect = () => {
        const shape = node.getAttr('meshImage') as ImageShape
        return { x: 0, y: 0, width: shape.width, height: shape.height }
      }
      renderer.update(node, image, view)
      return node
    },
    update(node, image) {
      node.setAttrs({ x: image.x, y: image.y, rotation: (image.rotation * 180) / Math.PI, opacity: image.opacity, meshImage: image })
    },
  }
  return renderer
}

/** A grey card where the image will be (still arriving from a peer) or a note that it cannot be shown. */
function drawPlaceholder(context: CanvasRenderingContext2D, image: ImageShape, state: 'loading' | 'broken'): void {
  context.fillStyle = 'rgb(134 142 150 / 16%)'
  context.strokeStyle = 'rgb(134 142 150 / 55%)'
  context.lineWidth = 1
  context.fillRect(0, 0, image.width, image.height)
  context.strokeRect(0, 0, image.width, image.height)
  const size = Math.max(8, Math.min(16, image.height / 6))
  context.font = `${size}px system-ui, sans-serif`
  context.fillStyle = 'rgb(73 80 87)'
  context.textAlign = 'center'
  context.textBaseline = 'middle'
  const text =
    state === 'loading'
      ? msg('Loading image…', { id: 'image.loading', desc: 'drawn on the board where an image still arriving from others will be' })
      : msg('This image cannot be shown', { id: 'image.broken', desc: 'drawn on the board in place of an image that cannot be decoded' })
  context.fillText(text, image.width / 2, image.height / 2, image.width - 8)
  context.textAlign = 'start'
}
