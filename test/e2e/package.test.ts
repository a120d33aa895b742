/**
 * The npm package as people install it: `npm pack`'s tarball, installed into the two example apps
 * (examples/vanilla, a Vite app in TypeScript, and examples/react, Vite + React 19), which are built
 * with Vite and drawn in from two browsers over the real server. The tarball is unpacked into each
 * app's node_modules as npm would; its dependencies come from this repository's node_modules (the
 * apps are built inside it, under test-results/), as a hoisted install places them, since tests
 * reach no registry. Checked too: every package the ES module build imports is one the package
 * names, the vanilla app's TypeScript finds meshboard's types, and the app and the board share one
 * Yjs (the app reads `board.doc` with its own).
 */
import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Ajv from 'ajv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/server'
import type { Peer } from '../helpers/browser'
import { useE2E } from '../helpers/e2e'
import { serveDirectory, type StaticSite } from '../helpers/static-site'

const run = promisify(execFile)
const e2e = useE2E()
const CONSUMERS = join(REPO_ROOT, 'test-results', 'consumers')
const VITE = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js')
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc')

let tarball = ''
let packDir = ''
const sites: StaticSite[] = []

beforeAll(async () => {
  packDir = await mkdtemp(join(tmpdir(), 'meshboard-pack-'))
  const { stdout } = await run('npm', ['pack', '--pack-destination', packDir, '--silent'], { cwd: REPO_ROOT })
  tarball = join(packDir, stdout.trim().split('\n').at(-1)!)
}, 120_000)

afterAll(async () => {
  await Promise.all(sites.splice(0).map((site) => site.close()))
  await rm(packDir, { recursive: true, force: true })
})

/** A copy of examples/`name` with the tarball installed, under test-results/consumers. */
async function installedApp(name: string): Promise<string> {
  const app = join(CONSUMERS, name)
  await rm(app, { recursive: true, force: true })
  await cp(join(REPO_ROOT, 'examples', name), app, { recursive: true })
  const installed = join(app, 'node_modules', 'meshboard')
  await mkdir(installed, { recursive: true })
  await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'])
  return app
}

/** Builds an app, serves it and draws in it from two browsers: each sees the other's stroke. Returns the first. */
async function drawTogether(app: string): Promise<Peer> {
  // A production build, as the app's own `npm run build` is (vitest's NODE_ENV=test would pick lit's development build).
  await run(process.execPath, [VITE, 'build', '--logLevel', 'warn'], { cwd: app, env: { ...process.env, NODE_ENV: 'production' } })
  const server = await e2e.server()
  const site = await serveDirectory(join(app, 'dist'))
  sites.push(site)
  const url = `${site.url}?signaling=${encodeURIComponent(`ws://127.0.0.1:${server.port}/signal`)}`
  const [a, b] = await Promise.all([e2e.peer('A'), e2e.peer('B')])
  const boardUrl = await a.createBoard(url)
  await b.open(boardUrl)
  await Promise.all([a.waitForPeerCount(1), b.waitForPeerCount(1)])
  // With the real mouse (the board sits below the app's header, so not Peer.drawStroke, which
  // expects it at the page's top left corner).
  await a.page.mouse.move(300, 300)
  await a.page.mouse.down()
  for (const [x, y] of [[380, 340], [460, 320], [540, 300]] as const) await a.page.mouse.move(x, y)
  await a.page.mouse.up()
  await expect.poll(async () => (await a.exportJSON()).shapes.map((shape) => shape.type)).toEqual(['stroke'])
  const [stroke] = (await a.exportJSON()).shapes
  await expect.poll(async () => (await b.exportJSON()).shapes).toEqual([stroke])
  for (const peer of [a, b]) expect(peer.log.filter((line) => line.includes('Yjs was already imported'))).toEqual([])
  return a
}

describe('the npm package', () => {
  it('names every package its ES module build imports, and ships both builds, the types and the manifest', async () => {
    const app = await installedApp('vanilla')
    const installed = join(app, 'node_modules', 'meshboard')
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as { dependencies: object; peerDependencies: object }
    const named = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]
    const imported = new Set<string>()
    for (const file of await readdir(join(installed, 'dist', 'module'))) {
      if (!file.endsWith('.js')) continue
      const code = await readFile(join(installed, 'dist', 'module', file), 'utf8')
      for (const [, specifier] of code.matchAll(/(?:from|import)\s*["']([^"'./][^"']*)["']/g)) {
        imported.add(specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!)
      }
    }
    expect([...imported].filter((name) => !named.includes(name))).toEqual([])
    expect(imported).toContain('yjs')
    const files = (await readdir(join(installed, 'dist'), { recursive: true })).map(String)
    expect(files).toEqual(expect.arrayContaining(['lib/meshboard.js', 'lib/meshboard-ko.js', 'module/index.js', 'module/ko.js', 'lib/types/index.d.ts', 'lib/custom-elements.json']))
    const elements = JSON.parse(await readFile(join(installed, 'dist', 'lib', 'custom-elements.json'), 'utf8'))
    // The manifest is valid against the Custom Elements Manifest schema (custom-elements-manifest 1.0.0), as editors read it.
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(await readFile(join(REPO_ROOT, 'node_modules', 'custom-elements-manifest', 'schema.json'), 'utf8')))
    expect(validate(elements), JSON.stringify(validate.errors)).toBe(true)
    expect(elements.modules.flatMap((module: { declarations: { tagName?: string }[] }) => module.declarations.map((declaration) => declaration.tagName))).toContain('mesh-board')
    // The app's TypeScript resolves `import type { MeshBoard } from 'meshboard'` to the package's declarations.
    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: app })
  })

  it('builds into a Vite app, shares its Yjs, and draws together', async () => {
    const app = await installedApp('vanilla')
    const a = await drawTogether(app)
    // The app read the board's document with its own Yjs: `board.doc instanceof Y.Doc`.
    expect(await a.page.evaluate(() => document.body.dataset.sharedYjs)).toBe('true')
  })

  it('builds into a Vite + React 19 app and draws together', async () => {
    const app = await installedApp('react')
    await drawTogether(app)
  })
})
