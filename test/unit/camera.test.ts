import { describe, expect, it } from 'vitest'
import { MAX_SCALE, boardToScreen, cameraShowing, panBy, screenToBoard, visibleRect, zoomAt } from '../../src/render/camera'

describe('camera', () => {
  it('converts between screen and board coordinates both ways', () => {
    const camera = { x: 120, y: -40, scale: 2.5 }
    const board = { x: 33, y: -7 }
    const screen = boardToScreen(camera, board)
    expect(screenToBoard(camera, screen)).toEqual(board)
  })

  it('zooms around the anchor: the board point under the pointer stays under it', () => {
    const camera = { x: 50, y: 80, scale: 1 }
    const anchor = { x: 400, y: 300 }
    const before = screenToBoard(camera, anchor)
    const zoomed = zoomAt(camera, anchor, 1.7)
    expect(zoomed.scale).toBeCloseTo(1.7)
    const after = screenToBoard(zoomed, anchor)
    expect(after.x).toBeCloseTo(before.x, 9)
    expect(after.y).toBeCloseTo(before.y, 9)
    expect(zoomAt(camera, anchor, 1e6).scale).toBe(MAX_SCALE)
  })

  it('pans by screen pixels', () => {
    expect(panBy({ x: 1, y: 2, scale: 3 }, 10, -5)).toEqual({ x: 11, y: -3, scale: 3 })
  })

  it('shows what another peer sees: the followed rect is centred and fits', () => {
    const theirs = visibleRect({ x: -300, y: 200, scale: 2 }, 1200, 800)
    const mine = cameraShowing(theirs, 600, 800)
    const shown = visibleRect(mine, 600, 800)
    expect(shown.x + shown.width / 2).toBeCloseTo(theirs.x + theirs.width / 2, 9)
    expect(shown.y + shown.height / 2).toBeCloseTo(theirs.y + theirs.height / 2, 9)
    expect(shown.width).toBeGreaterThanOrEqual(theirs.width - 1e-9)
    expect(shown.height).toBeGreaterThanOrEqual(theirs.height - 1e-9)
  })
})
