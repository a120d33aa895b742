import { defineConfig, type Plugin } from 'vitest/config'
import { compression } from 'vite-plugin-compression2'
import { fileURLToPath } from 'node:url'
import type { Server } from 'node:http'
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { loadConfig } from './signaling/src/config.ts'
import { attachSignaling } from './signaling/src/signaling-server.ts'
import { createIceServersRoute } from './signaling/src/ice-servers.ts'
import { createLogger } from './signaling/src/log.ts'
import { openStore } from './signaling/src/store/open-store.ts'
import { createStoreRoutes, isStorePath } from './signaling/src/store/store-routes.ts'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * What identifies this build's code: a hash of every source file. A board's kept view (tiles and
 * index, src/render/kept-view.ts) is only reused by the build that drew it, since another may draw
 * or bound shapes differently.
 */
const buildId = (): string => {
  const hash = createHash('sha256')
  const files = readdirSync(here('./src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
  for (const file of files) hash.update(relative(here('./src'), file)).update(readFileSync(file))
  return hash.digest('hex').slice(0, 16)
}
const define = { __MESHBOARD_BUILD__: JSON.stringify(buildId()) }

/**
 * `npm run dev`: the signaling server, the board store and the ICE servers (with TURN credentials
 * when TURN_URLS and TURN_SECRET are set) share Vite's dev server, so the app's same-origin
 * /signal, /store/ and /ice-servers work. Only with an HTTP server of its own (not under vitest),
 * so that tests never open the store in ./data.
 */
const signalingInDevServer = (): Plugin => ({
  name: 'meshboard-signaling',
  configureServer(server) {
    const httpServer = server.httpServer as Server | null
    if (!httpServer) return
    const config = loadConfig(process.env)
    attachSignaling(httpServer, config)
    const { store, newBoards } = openStore(config)
    const routes = createStoreRoutes({ ...config, store, newBoards, logger: createLogger(config.logLevel) })
    const iceServers = createIceServersRoute(config)
    server.middlewares.use((request, response, next) => {
      const pathname = new URL(request.url ?? '/', 'http://localhost').pathname
      if (isStorePath(pathname)) void routes.handle(request, response)
      else if (pathname === '/ice-servers') iceServers(request, response)
      else next()
    })
    httpServer.once('close', () => void store?.close())
  },
})

/**
 * The offline shell's service worker (src/app/sw.ts) is built beside the app as `/sw.js`, and
 * learns the list of files to cache: the whole build, known only once it is written.
 */
const serviceWorker = (): Plugin => ({
  name: 'meshboard-service-worker',
  apply: 'build',
  generateBundle(_options, bundle) {
    const worker = bundle['sw.js']
    if (!worker || worker.type !== 'chunk') throw new Error('service worker chunk sw.js is missing')
    const publicFiles = readdirSync(here('./src/app/public'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
    const built = Object.keys(bundle).filter((file) => file !== 'sw.js' && !file.endsWith('.map'))
    const precache = [
      '/index.html',
      ...built.map((file) => `/${file}`),
      ...publicFiles.map((file) => `/${relative(here('./src/app/public'), file)}`),
    ].sort()
    const version = createHash('sha256')
      .update(JSON.stringify(precache))
      .update(publicFiles.map((file) => readFileSync(file)).join(''))
      .digest('hex')
      .slice(0, 16)
    worker.code = `self.__MESHBOARD_PRECACHE__=${JSON.stringify(precache)};self.__MESHBOARD_VERSION__=${JSON.stringify(version)};${worker.code}`
  },
})

/**
 * lib0's dom.js (which Yjs and y-webrtc reach through lib0's logging) builds four DOM node schemas
 * when it loads, with calls the bundler must keep, and they pull in lib0's whole schema module.
 * Nothing here uses them: marked pure, they are left out (2 KB gzip of the library).
 */
const lib0DomSchemasPure = (): Plugin => ({
  name: 'meshboard-lib0-dom-schemas-pure',
  transform(code, id) {
    if (!/[\\/]lib0[\\/]dom\.js$/.test(id)) return null
    return { code: code.replaceAll('= $.$custom(', '= /* @__PURE__ */ $.$custom('), map: null }
  },
})

/**
 * A message's `desc` (msg(text, { id, desc })) is for translators, read from the source by
 * support/messages.ts; @lit/localize never reads it at run time, so builds leave it out (about
 * 4 KB gzip of translators' notes). Only in modules that use @lit/localize, where every `desc:`
 * is a message's (a plain string literal, as the catalog test requires).
 */
const messageNotesOut = (): Plugin => ({
  name: 'meshboard-message-notes-out',
  apply: 'build',
  transform(code, id) {
    if (!id.includes('/src/') || !code.includes('@lit/localize')) return null
    return { code: code.replace(/,\s*desc:\s*(?:'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")/g, ''), map: null }
  },
})

/**
 * Every text file of a build also as `.br` and `.gz` beside it, compressed once at build time at the
 * highest levels: the server sends one of them as it is to a browser that takes it
 * (signaling/src/static-files.ts), which cuts the app's JavaScript from about 621 KB to 160 KB on
 * the wire with no work per request. Source maps and the files the precache list names are
 * unchanged; the compressed copies are written after that list is made, so they are not in it.
 */
const precompressed = () =>
  compression({
    include: /\.(html|css|js|mjs|json|svg|webmanifest|txt|wasm)$/,
    threshold: 1024,
    algorithms: ['brotliCompress', 'gzip'],
    logLevel: 'silent',
  })

/**
 * `vite build --mode lib`: the embeddable library for `<script>` tags, one ES module that registers
 * `<mesh-board>` when imported, with everything it needs bundled in (a page adds one script tag,
 * nothing else; the languages other than English are files beside it).
 */
const libraryBuild = defineConfig({
  define,
  plugins: [lib0DomSchemasPure(), messageNotesOut(), precompressed()],
  build: {
    lib: { entry: here('./src/index.ts'), formats: ['es'], fileName: () => 'meshboard.js' },
    rollupOptions: {
      // Library mode keeps the white space of ES output by default; this file is what pages download.
      // The languages are files of their own beside it (meshboard-ko.js…), loaded when one is
      // shown; what they share with the library (@lit/localize's str) it exports to them, rather
      // than a third file every page would fetch.
      output: { minify: true, chunkFileNames: 'meshboard-[name].js' },
      preserveEntrySignatures: 'allow-extension',
    },
    outDir: here('./dist/lib'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
})

/** What the ES module build leaves to the host app's bundler: the library's dependencies and Yjs, its peer. */
const HOST_PACKAGES = /^(yjs|y-webrtc|y-protocols|lib0|lit|lit-html|lit-element|@lit\/reactive-element|konva|fractional-indexing|rbush|perfect-freehand)(\/|$)/

/**
 * `vite build --mode module`: the library for apps with a bundler (the package's main export), which
 * imports its dependencies instead of holding them, so that the app's bundler keeps one copy of each:
 * `doc` is then the app's own Yjs document, and lit, Konva and the rest are not downloaded twice.
 * @lit/localize stays inside: it allows one configuration per page, which an app may want for itself.
 */
const moduleBuild = defineConfig({
  define,
  plugins: [lib0DomSchemasPure(), messageNotesOut()],
  build: {
    lib: { entry: here('./src/index.ts'), formats: ['es'], fileName: () => 'index.js' },
    rollupOptions: {
      external: (id) => HOST_PACKAGES.test(id),
      output: { chunkFileNames: '[name].js' },
      preserveEntrySignatures: 'allow-extension',
    },
    outDir: here('./dist/module'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
})

const appBuild = defineConfig({
  root: here('./src/app'),
  define,
  plugins: [signalingInDevServer(), serviceWorker(), lib0DomSchemasPure(), messageNotesOut(), precompressed()],
  publicDir: here('./src/app/public'),
  build: {
    outDir: here('./dist/app'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: { index: here('./src/app/index.html'), sw: here('./src/app/sw.ts') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
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
          // One file at a time beside the e2e files: the unit files that run real WebRTC (@roamhq/wrtc)
          // and coturn starve each other on two cores when run side by side, and then time out.
          fileParallelism: false,
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

export default defineConfig(({ mode }) => (mode === 'lib' ? libraryBuild : mode === 'module' ? moduleBuild : appBuild))
