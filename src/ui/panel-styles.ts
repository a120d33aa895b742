/** Shared look of the floating panels (toolbar, people, share, status) and of their icon buttons. */
import { css } from 'lit'

export const panelStyles = css`
  /* Less motion when the system asks for it: speaking rings and level meters change at once. */
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
    }
  }
  .panel {
    background: var(--mesh-panel-background, #ffffff);
    color: var(--mesh-panel-color, #1e1e1e);
    border-radius: 12px;
    box-shadow: 0 1px 3px rgb(0 0 0 / 12%), 0 6px 20px rgb(0 0 0 / 8%);
    font: var(--mesh-font, 13px/1.3 system-ui, sans-serif);
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  /* Fingers: every button at least 44 px each way (WCAG 2.5.5, Apple's and Google's guidance), a
     floor no panel's own button size goes under (hence important). */
  @media (pointer: coarse) {
    button {
      min-width: 44px !important;
      min-height: 44px !important;
    }
  }
  button:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--mesh-accent, #4263eb);
    outline-offset: 1px;
  }
  .text-button {
    height: 34px;
    padding: 0 12px;
    border: 0;
    border-radius: 8px;
    background: var(--mesh-hover, rgb(0 0 0 / 6%));
    font-weight: 600;
  }
  .primary {
    background: var(--mesh-accent, #3b5bdb);
    color: var(--mesh-on-accent, #ffffff);
  }
  .popover {
    position: absolute;
    top: calc(100% + 8px);
    right: 0;
    width: 300px;
    padding: 14px;
    display: grid;
    gap: 10px;
    z-index: 1;
  }
  .hint {
    margin: 0;
    color: var(--mesh-muted, #495057);
    font-size: 12px;
  }
`

/** Square icon buttons (toolbar, view controls, style panel): each panel sets their size. */
export const iconButtonStyles = css`
  button {
    display: grid;
    place-items: center;
    padding: 0;
    border: 0;
    border-radius: 8px;
    background: transparent;
  }
  button:hover {
    background: var(--mesh-hover, rgb(0 0 0 / 6%));
  }
  button[aria-pressed='true'] {
    background: var(--mesh-accent-soft, #e7ecff);
    color: var(--mesh-accent, #3b5bdb);
  }
`

/** A modal dialog over the board (help, history): the dimmed backdrop, the panel's padding, its title row. */
export const dialogStyles = css`
  :host {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    background: rgb(0 0 0 / 25%);
  }
  section {
    padding: 18px 20px;
    box-sizing: border-box;
  }
  header {
    display: flex;
    justify-content: space-between;
    align-items: center;
  }
  h2 {
    margin: 0;
    font-size: 16px;
  }
`
