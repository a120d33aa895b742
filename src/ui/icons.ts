/** Toolbar icons: 24px line icons drawn with currentColor, so they follow the theme. */
import { svg, type SVGTemplateResult } from 'lit'

const icon = (body: SVGTemplateResult) =>
  svg`<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${body}</svg>`

export const penIcon = icon(svg`<path d="M4 20l1.2-4.2L15.6 5.4a2 2 0 0 1 2.8 0l.2.2a2 2 0 0 1 0 2.8L8.2 18.8 4 20z"/><path d="M13.8 7.2l3 3"/>`)
export const handIcon = icon(
  svg`<path d="M8 13V5.5a1.5 1.5 0 0 1 3 0V12"/><path d="M11 11.5v-8a1.5 1.5 0 0 1 3 0V12"/><path d="M14 11.5V6a1.5 1.5 0 0 1 3 0v6"/><path d="M17 12V9a1.5 1.5 0 0 1 3 0v5.5A6.5 6.5 0 0 1 13.5 21h-1.2a6 6 0 0 1-4.6-2.2L4.4 14.6a1.6 1.6 0 0 1 2.4-2.1L8 13.8"/>`,
)
export const undoIcon = icon(svg`<path d="M9 14L4 9l5-5"/><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11"/>`)
export const redoIcon = icon(svg`<path d="M15 14l5-5-5-5"/><path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13"/>`)
export const laserIcon = icon(
  svg`<path d="M4 20l7-7"/><circle cx="14.5" cy="9.5" r="2.5" fill="currentColor"/><path d="M14.5 3v2M14.5 14v2M8 9.5h2M19 9.5h2M10 5l1.3 1.3M17.7 12.7L19 14M19 5l-1.3 1.3"/>`,
)
export const micIcon = icon(svg`<rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7"/>`)
export const micOffIcon = icon(
  svg`<path d="M15 9.5V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.6 2.5"/><path d="M5.5 11a6.5 6.5 0 0 0 10.7 5M18.5 11a6.4 6.4 0 0 1-.6 2.7M12 17.5V21M8.5 21h7M4 4l16 16"/>`,
)
export const phoneOffIcon = icon(
  svg`<path d="M4.5 14.5c4.3-3.6 10.7-3.6 15 0l-1.6 2.6a1 1 0 0 1-1.2.4l-2.6-1a1 1 0 0 1-.6-.9v-1.7a10 10 0 0 0-3 0v1.7a1 1 0 0 1-.6.9l-2.6 1a1 1 0 0 1-1.2-.4z"/>`,
)
export const speakerIcon = icon(svg`<path d="M4 9.5h3.5L12 5.5v13l-4.5-4H4z"/><path d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11"/>`)
export const speakerOffIcon = icon(svg`<path d="M4 9.5h3.5L12 5.5v13l-4.5-4H4z"/><path d="M16 9.5l5 5M21 9.5l-5 5"/>`)
export const highlighterIcon = icon(svg`<path d="M9 15l-3 3v2h5l2-2"/><path d="M8.5 15.5L16 4.5a2 2 0 0 1 2.8-.5l.7.5a2 2 0 0 1 .5 2.8L12.5 18.5z"/><path d="M13 20h8"/>`)
export const eraserIcon = icon(svg`<path d="M7 20h13"/><path d="M4.7 14.3L13.6 5.4a2 2 0 0 1 2.8 0l3.2 3.2a2 2 0 0 1 0 2.8L11 20H8.4l-3.7-3a2 2 0 0 1 0-2.7z"/><path d="M9 10l6 6"/>`)
export const rectangleIcon = icon(svg`<rect x="4" y="6" width="16" height="12" rx="2"/>`)
export const ellipseIcon = icon(svg`<ellipse cx="12" cy="12" rx="8.5" ry="6.5"/>`)
export const lineIcon = icon(svg`<path d="M5 19L19 5"/>`)
export const arrowIcon = icon(svg`<path d="M5 19L19 5"/><path d="M10 5h9v9"/>`)
export const minusIcon = icon(svg`<path d="M6 12h12"/>`)
export const plusIcon = icon(svg`<path d="M6 12h12M12 6v12"/>`)
export const fitIcon = icon(svg`<path d="M4 9V5h4M20 9V5h-4M4 15v4h4M20 15v4h-4"/><rect x="8.5" y="8.5" width="7" height="7" rx="1"/>`)
export const gridIcon = icon(
  svg`<circle cx="6" cy="6" r="1" fill="currentColor"/><circle cx="12" cy="6" r="1" fill="currentColor"/><circle cx="18" cy="6" r="1" fill="currentColor"/><circle cx="6" cy="12" r="1" fill="currentColor"/><circle cx="12" cy="12" r="1" fill="currentColor"/><circle cx="18" cy="12" r="1" fill="currentColor"/><circle cx="6" cy="18" r="1" fill="currentColor"/><circle cx="12" cy="18" r="1" fill="currentColor"/><circle cx="18" cy="18" r="1" fill="currentColor"/>`,
)
export const moonIcon = icon(svg`<path d="M19.5 14.5A8 8 0 0 1 9.5 4.5a8 8 0 1 0 10 10z"/>`)
export const sunIcon = icon(svg`<circle cx="12" cy="12" r="4"/><path d="M12 2.5v2M12 19.5v2M2.5 12h2M19.5 12h2M5.3 5.3l1.4 1.4M17.3 17.3l1.4 1.4M5.3 18.7l1.4-1.4M17.3 6.7l1.4-1.4"/>`)
export const helpIcon = icon(svg`<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6"/><circle cx="12" cy="17" r=".6" fill="currentColor"/>`)
export const selectIcon = icon(svg`<path d="M6 3.5l12.5 9-5.6 1.1 3.3 6.2-2.4 1.3-3.3-6.2L6 19z"/>`)
export const textIcon = icon(svg`<path d="M5 6.5V5h14v1.5M12 5v14M9 19h6"/>`)
export const stickyIcon = icon(svg`<path d="M5 4h14v10l-5 6H5z"/><path d="M19 14h-5v6"/>`)
export const imageIcon = icon(svg`<rect x="3.5" y="4.5" width="17" height="15" rx="2"/><circle cx="9" cy="10" r="1.8"/><path d="M20.5 16l-5-5L6 19.5"/>`)
export const frontIcon = icon(svg`<rect x="8" y="8" width="11" height="11" rx="1.5" fill="currentColor" fill-opacity="0.3"/><path d="M5 15V6a1 1 0 0 1 1-1h9"/>`)
export const backIcon = icon(svg`<rect x="5" y="5" width="11" height="11" rx="1.5" fill="currentColor" fill-opacity="0.3"/><path d="M19 9v9a1 1 0 0 1-1 1H9"/>`)
export const forwardIcon = icon(svg`<path d="M12 19V6M7 11l5-5 5 5"/>`)
export const backwardIcon = icon(svg`<path d="M12 5v13M7 13l5 5 5-5"/>`)
export const duplicateIcon = icon(svg`<rect x="8" y="8" width="12" height="12" rx="2"/><path d="M16 8V5.5A1.5 1.5 0 0 0 14.5 4h-9A1.5 1.5 0 0 0 4 5.5v9A1.5 1.5 0 0 0 5.5 16H8"/>`)
export const trashIcon = icon(svg`<path d="M4.5 7h15M9.5 7V4.5h5V7M6.5 7l1 13h9l1-13M10 11v5.5M14 11v5.5"/>`)
export const fileIcon = icon(svg`<path d="M4 6.5h16M4 12h16M4 17.5h16"/>`)
/** A peer reached through the server's relay: a cloud the data passes through. */
export const relayIcon = icon(svg`<path d="M7 18.5a4.5 4.5 0 0 1-.5-9 6 6 0 0 1 11.5 1.5 3.8 3.8 0 0 1-.5 7.5z"/>`)
/** A broken link: someone is on the board but cannot be reached. */
export const unreachableIcon = icon(svg`<path d="M9 15l6-6M10 6l1-1a4 4 0 0 1 6 6l-1 1M14 18l-1 1a4 4 0 0 1-6-6l1-1"/>`)
