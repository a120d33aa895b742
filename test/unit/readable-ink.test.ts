import { describe, expect, it } from 'vitest'
import { USER_COLORS } from '../../src/ui/identity'
import { contrastRatio, readableInk } from '../../src/ui/readable-ink'

describe('readable ink on a person’s colour', () => {
  it('reads at 4.5:1 or more on every colour people get, and on any colour a peer may send', () => {
    const colors = [...USER_COLORS, '#000000', '#ffffff', '#ffff00', '#808080', '#5c7cfa', '#777777', '#0000ff']
    for (const color of colors) {
      const { fill, text } = readableInk(color)
      expect(contrastRatio(fill, text), `${color}: ${text} on ${fill}`).toBeGreaterThanOrEqual(4.5)
    }
  })

  it('keeps the colour itself where white or dark text reads on it, and darkens it only as far as white needs', () => {
    expect(readableInk('#1971c2')).toEqual({ fill: '#1971c2', text: '#ffffff' })
    expect(readableInk('#5c7cfa')).toEqual({ fill: '#5c7cfa', text: '#1e1e1e' })
    // Teal: neither reads at 4.5:1 on it.
    expect(contrastRatio('#0c8599', '#ffffff')).toBeLessThan(4.5)
    expect(contrastRatio('#0c8599', '#1e1e1e')).toBeLessThan(4.5)
    // Darkened by a tenth, as far as white needs, not to black.
    expect(readableInk('#0c8599')).toEqual({ fill: '#0a7789', text: '#ffffff' })
  })

  it('knows the contrast of black and white', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#abcdef', '#abcdef')).toBe(1)
    expect(contrastRatio('red', '#ffffff')).toBeNaN()
  })
})
