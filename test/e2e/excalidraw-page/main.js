// The real @excalidraw/excalidraw (0.18.1), its scene functions on window for
// test/e2e/excalidraw.test.ts: scenes are made, saved and copied here as Excalidraw makes them.
import { convertToExcalidrawElements, exportToClipboard, restore, restoreElements, serializeAsJSON } from '@excalidraw/excalidraw'

window.excalidraw = { convertToExcalidrawElements, exportToClipboard, restore, restoreElements, serializeAsJSON }
window.excalidrawReady = true
