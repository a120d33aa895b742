import { defineConfig, type Plugin } from 'vitest/config'
import { fileURLToPath } from 'node:url'
import type { Server } from 'node:http'
import { loadConfig } from './signaling/src/config.ts'
import { attachSignaling } from './signaling/src/signaling-server.ts'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** `npm run dev`: the signaling server shares Vite's dev server, so the app's same-origin /signal works. */
const signalingInDevServer = (): Plugin => ({
  name: 'meshboard-signaling',
  configureServer(server) {
    if (server.httpServer) attachSignaling(server.httpServer as Server, loadConfig(process.env))
  },
})

export default defineConfig({
  root: here('./src/app'),
  plugins: [signalingInDevServer()],
  publicDir: here('./src/app/public'),
  build: {
    outDir: here('./dist/app'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  test: {
    root: here('.'),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Each e2e file starts its own server and several Chromium processes: on a
          // two-core machine running them one at a time is both faster and steadier.
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
