/**
 * The README's pictures: screenshots of browser pages shown as browser windows side by side on a
 * soft background, rendered by a page of one of the test's browsers and written under SCREENSHOT_DIR.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { REPO_ROOT } from './server'

export interface Shot {
  /** Caption above the window. */
  readonly label: string
  /** What the address bar shows. */
  readonly address: string
  readonly png: Buffer
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
}

function composition(shots: readonly Shot[], viewport: { width: number; height: number }): string {
  const windows = shots
    .map(
      ({ label, address, png }) => `
      <figure>
        <figcaption>${escapeHtml(label)}</figcaption>
        <div class="window">
          <div class="bar"><i></i><i></i><i></i><span>${escapeHtml(address)}</span></div>
          <img src="data:image/png;base64,${png.toString('base64')}" width="${viewport.width}" height="${viewport.height}" alt="">
        </div>
      </figure>`,
    )
    .join('')
  return `<!doctype html><html><head><style>
    html, body { margin: 0; }
    body { background: linear-gradient(135deg, #e7ecff 0%, #f3f0ff 50%, #fff4e6 100%); font: 15px/1.4 system-ui, sans-serif; color: #1e1e1e; }
    main { display: inline-flex; gap: 36px; padding: 28px 36px 34px; }
    figure { margin: 0; }
    figcaption { font-weight: 600; font-size: 17px; margin: 0 0 10px 4px; letter-spacing: 0.01em; }
    .window { border-radius: 12px; overflow: hidden; background: #fff; box-shadow: 0 2px 6px rgb(0 0 0 / 10%), 0 18px 40px rgb(30 30 60 / 18%); }
    .bar { display: flex; align-items: center; gap: 7px; height: 34px; padding: 0 12px; background: #f1f3f5; border-bottom: 1px solid #dee2e6; }
    .bar i { width: 11px; height: 11px; border-radius: 50%; background: #ced4da; }
    .bar i:nth-child(1) { background: #ff6b6b; } .bar i:nth-child(2) { background: #fcc419; } .bar i:nth-child(3) { background: #51cf66; }
    .bar span { flex: 1; margin-left: 10px; padding: 4px 12px; border-radius: 999px; background: #fff; color: #495057; font-size: 12px;
      white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    img { display: block; }
  </style></head><body><main>${windows}</main></body></html>`
}

/** What the address bar of a board's picture shows: without the port and the random board id, the picture is the same on every run (no churn in git). */
export function shownAddress(boardUrl: string): string {
  return `${new URL(boardUrl).hostname}/#board=…&key=…`
}

/** Screenshots of several browsers on one board, taken at the same moment, captioned. */
export async function browserShots(boardUrl: string, windows: readonly (readonly [{ readonly page: Page }, string])[]): Promise<Shot[]> {
  const pngs = await Promise.all(windows.map(([peer]) => peer.page.screenshot()))
  return windows.map(([, label], index) => ({ label, address: shownAddress(boardUrl), png: pngs[index]! }))
}

/**
 * Where pictures go: test-results/screenshots (ignored by git), so `npm test` leaves the tree as
 * it found it; `npm run screenshots` sets MESHBOARD_UPDATE_SCREENSHOTS to refresh the README's.
 */
export const SCREENSHOT_DIR =
  process.env.MESHBOARD_UPDATE_SCREENSHOTS === '1' ? join(REPO_ROOT, 'docs', 'screenshots') : join(REPO_ROOT, 'test-results', 'screenshots')

/** Writes a picture under SCREENSHOT_DIR. */
export async function writeScreenshotFile(name: string, png: Buffer): Promise<void> {
  const directory = SCREENSHOT_DIR
  await mkdir(directory, { recursive: true })
  await writeFile(join(directory, name), png)
}

/** Renders `shots` (each `viewport`-sized) as windows in `context` and writes SCREENSHOT_DIR/`name`; returns the PNG. */
export async function writeReadmeScreenshot(
  context: BrowserContext,
  name: string,
  shots: readonly Shot[],
  viewport: { width: number; height: number },
): Promise<Buffer> {
  const canvas = await context.newPage()
  await canvas.setViewportSize({ width: shots.length * (viewport.width + 36) + 36, height: viewport.height + 140 })
  await canvas.setContent(composition(shots, viewport))
  const png = await canvas.locator('main').screenshot({ animations: 'disabled' })
  await writeScreenshotFile(name, png)
  await canvas.close()
  return png
}
