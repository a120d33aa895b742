/** Layout and themes of `<mesh-board>`. Every colour is a custom property a host page can set. */
import { css } from 'lit'

const darkTheme = css`
  --mesh-background: #18181b;
  --mesh-panel-background: #27272a;
  --mesh-panel-color: #e9ecef;
  --mesh-hover: rgb(255 255 255 / 8%);
  --mesh-accent: #91a7ff;
  --mesh-accent-soft: rgb(145 167 255 / 18%);
  --mesh-muted: #adb5bd;
  --mesh-danger: #ff8787;
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
    /* The panels adapt to the board's own size, not the page's: it may be embedded small. */
    container: board / size;
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
  mesh-toolbar {
    position: absolute;
    top: 12px;
    left: 50%;
    transform: translateX(-50%);
  }
  mesh-status {
    position: absolute;
    left: 12px;
    bottom: 12px;
  }
  mesh-voice {
    position: absolute;
    right: 12px;
    bottom: 12px;
  }
  .top-right {
    position: absolute;
    top: 12px;
    right: 12px;
    display: flex;
    gap: 8px;
    align-items: flex-start;
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
    bottom: 12px;
    transform: translateX(-50%);
    padding: 4px 10px;
    border-radius: 999px;
    background: var(--color);
    color: #ffffff;
    font-weight: 600;
    font-size: 12px;
  }
  /* Narrow boards: the toolbar moves to the bottom so it never sits under the people panel. */
  @container board (max-width: 860px) {
    mesh-toolbar {
      top: auto;
      bottom: 60px;
    }
  }
`
