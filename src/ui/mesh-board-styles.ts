/** Layout and themes of `<mesh-board>`. Every colour is a custom property a host page can set. */
import { css } from 'lit'

const darkTheme = css`
  --mesh-background: #18181b;
  --mesh-panel-background: #27272a;
  --mesh-panel-color: #e9ecef;
  --mesh-hover: rgb(255 255 255 / 8%);
  --mesh-accent: #91a7ff;
  --mesh-accent-soft: rgb(145 167 255 / 18%);
  --mesh-on-accent: #111827;
  --mesh-muted: #adb5bd;
  --mesh-danger: #ff8787;
  --mesh-grid: rgb(255 255 255 / 18%);
  color-scheme: dark;
`

export const meshBoardStyles = css`
  :host {
    display: block;
    position: relative;
    overflow: hidden;
    min-height: 200px;
    background: var(--mesh-background, #fbfbfa);
    color: var(--mesh-panel-color, #1e1e1e);
    font: var(--mesh-font, 13px/1.3 system-ui, sans-serif);
    outline: none;
    contain: strict;
  }
  :host([theme='dark']) {
    ${darkTheme}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${darkTheme}
    }
  }
  :host(:focus-visible) {
    box-shadow: inset 0 0 0 2px var(--mesh-accent, #4263eb);
  }
  .canvas {
    position: absolute;
    inset: 0;
    touch-action: none;
    outline: none;
  }
  .grid-layer {
    position: absolute;
    inset: 0;
    pointer-events: none;
  }
  .grid-layer.grid {
    background-image: radial-gradient(circle, var(--mesh-grid, rgb(0 0 0 / 22%)) 1px, transparent 1.5px);
    background-size: var(--grid-size) var(--grid-size);
    background-position: var(--grid-x) var(--grid-y);
  }
  /*
   * Panels sit in two bars over the canvas. Each bar lays its panels out in a row that never
   * overlaps: when the board is narrow the toolbar gives way first (it scrolls), then the status
   * text (it truncates). The bars themselves let pointer events through to the canvas.
   */
  .bar {
    position: absolute;
    left: 12px;
    right: 12px;
    display: flex;
    gap: 8px;
    pointer-events: none;
  }
  .bar > * {
    pointer-events: auto;
  }
  .top {
    top: 12px;
    align-items: flex-start;
  }
  /* The bottom bar, and on a narrow board the toolbar under it: a column from the bottom edge. */
  .bottom-stack {
    position: absolute;
    left: 12px;
    right: 12px;
    bottom: 12px;
    display: flex;
    flex-direction: column;
    gap: 8px;
    pointer-events: none;
  }
  .bottom-stack > * {
    pointer-events: auto;
  }
  .bottom {
    position: static;
    align-items: flex-end;
    justify-content: space-between;
  }
  .bottom-stack > .bar {
    pointer-events: none;
  }
  /*
   * A narrow board (a phone, a small embed): the toolbar runs along the bottom; above it the status
   * and voice share a row, the view controls take the next. The top bar keeps the menu, the style
   * button, the people and Share.
   */
  .compact.bottom {
    flex-wrap: wrap;
    align-items: center;
    row-gap: 8px;
  }
  .compact.bottom mesh-status {
    flex: 1 1 0;
    min-width: 0;
  }
  /* Where the status, view controls and voice would not share a row: the view controls wrap under. */
  .stacked.bottom mesh-status {
    flex-basis: calc(100% - 64px);
  }
  .stacked.bottom mesh-view-controls {
    order: 1;
    margin-inline: auto;
  }
  .bottom-stack mesh-toolbar {
    align-self: stretch;
  }
  /* .start and .end grow alike, which centres the toolbar for as long as there is room. */
  .top .start,
  .top .end {
    flex: 1 1 0;
  }
  .top .start {
    display: flex;
    pointer-events: none;
  }
  .top .start > * {
    pointer-events: auto;
  }
  .top .start {
    gap: 8px;
  }
  .style-toggle {
    display: grid;
    place-items: center;
    width: 46px;
    height: 46px;
    padding: 0;
    border: 0;
    border-radius: 12px;
    background: var(--mesh-panel-background, #ffffff);
    box-shadow: 0 1px 3px rgb(0 0 0 / 12%), 0 6px 20px rgb(0 0 0 / 8%);
    cursor: pointer;
  }
  .style-toggle span {
    width: 20px;
    height: 20px;
    border-radius: 50%;
    background: var(--swatch);
    box-shadow: inset 0 0 0 1px rgb(0 0 0 / 15%);
  }
  .style-toggle[aria-pressed='true'] {
    box-shadow: inset 0 0 0 2px var(--mesh-accent, #3b5bdb), 0 1px 3px rgb(0 0 0 / 12%);
  }
  .style-toggle:focus-visible {
    outline: 2px solid var(--mesh-accent, #3b5bdb);
    outline-offset: 1px;
  }
  mesh-style-panel {
    position: absolute;
    left: 12px;
    top: 76px;
    max-height: calc(100% - 84px - var(--mesh-bottom-space, 72px));
    overflow: auto;
    border-radius: 12px;
    background: var(--mesh-panel-background, #ffffff);
    color: var(--mesh-panel-color, #1e1e1e);
    box-shadow: 0 1px 3px rgb(0 0 0 / 12%), 0 6px 20px rgb(0 0 0 / 8%);
  }
  .editor-layer {
    position: absolute;
    inset: 0;
    overflow: hidden;
    pointer-events: none;
  }
  .text-editor {
    position: absolute;
    left: 0;
    top: 0;
    transform-origin: 0 0;
    margin: 0;
    padding: 0;
    border: 0;
    outline: none;
    resize: none;
    overflow: hidden;
    pointer-events: auto;
    overflow-wrap: break-word;
    caret-color: var(--mesh-accent, #3b5bdb);
  }
  .notice {
    position: absolute;
    left: 50%;
    bottom: calc(var(--mesh-bottom-space, 60px) + 12px);
    transform: translateX(-50%);
    display: flex;
    align-items: center;
    gap: 12px;
    max-width: min(520px, calc(100% - 24px));
    padding: 10px 10px 10px 14px;
    border-radius: 10px;
    background: #2b2d31;
    color: #ffffff;
    box-shadow: 0 6px 20px rgb(0 0 0 / 20%);
  }
  /* Heard, not seen: screen readers read it, nothing shows. */
  .announcer {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .progress {
    position: absolute;
    left: 50%;
    top: 64px;
    transform: translateX(-50%);
    padding: 8px 14px;
    border-radius: 999px;
    background: var(--mesh-panel-background);
    color: var(--mesh-panel-color);
    box-shadow: 0 2px 10px rgb(0 0 0 / 14%);
    pointer-events: none;
    font-variant-numeric: tabular-nums;
  }
  .notice button {
    flex: none;
    border: 0;
    border-radius: 6px;
    padding: 4px 8px;
    background: rgb(255 255 255 / 14%);
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  .top .end {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    pointer-events: none;
  }
  .top .end > * {
    pointer-events: auto;
  }
  mesh-toolbar {
    flex: 0 1 auto;
    min-width: 0;
  }
  mesh-status {
    flex: 0 1 auto;
    min-width: 0;
  }
  mesh-voice,
  mesh-view-controls {
    flex: none;
  }
  mesh-view-controls {
    background: var(--mesh-panel-background, #ffffff);
    color: var(--mesh-panel-color, #1e1e1e);
    box-shadow: 0 1px 3px rgb(0 0 0 / 12%), 0 6px 20px rgb(0 0 0 / 8%);
  }
  .following {
    position: absolute;
    inset: 0;
    pointer-events: none;
    box-shadow: inset 0 0 0 3px var(--color);
  }
  .following span {
    position: absolute;
    left: 50%;
    top: 64px;
    transform: translateX(-50%);
    padding: 4px 10px;
    border-radius: 999px;
    background: var(--color);
    color: #ffffff;
    font-weight: 600;
    font-size: 12px;
  }
`
