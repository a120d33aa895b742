/** This build's identity, a hash of its source (vite.config.ts `define`). */
declare const __MESHBOARD_BUILD__: string
