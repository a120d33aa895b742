/**
 * Size of what a page downloads to show a board: the gzip size of the library build (everything
 * `<mesh-board>` needs, dependencies included), beside the published entry points of Excalidraw
 * and tldraw as reference figures. Target: at most 150 KB gzip.
 *
 * The references are fetched from the npm registry with `npm pack`. For them the figure is the
 * entry module plus every module of the same package it imports statically — their npm
 * dependencies (React, @tldraw/editor, …) come on top, so the comparison flatters them.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { BenchResult } from './bench-result'

const TARGET_KB = 150
const REFERENCES = [
  { name: '@excalidraw/excalidraw', version: '0.18.1' },
  { name: 'tldraw', version: '5.1.1' },
] as const

const root = fileURLToPath(new URL('..', import.meta.url))
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10
const gzipSize = (data: Buffer) => gzipSync(data, { level: 9 }).length

function meshboard(): { raw: number; gzip: number } {
  const library = join(root, 'dist/lib/meshboard.js')
  if (!existsSync(library)) execFileSync('npm', ['run', 'build:lib'], { cwd: root, stdio: 'inherit' })
  const code = readFileSync(library)
  return { raw: code.length, gzip: gzipSize(code) }
}

/** The entry file and the package's own modules it imports statically, transitively. */
function entryClosure(packageDir: string): { files: number; raw: number; gzip: number } {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
  const exported = manifest.exports?.['.']
  const entry = (typeof exported === 'string' ? exported : (exported?.import ?? exported?.default)) ?? manifest.module ?? manifest.main
  const seen = new Set<string>()
  const pending = [resolve(packageDir, entry)]
  let raw = 0
  let gzip = 0
  while (pending.length > 0) {
    const file = pending.pop()!
    if (seen.has(file) || !existsSync(file)) continue
    seen.add(file)
    const code = readFileSync(file)
    raw += code.length
    gzip += gzipSize(code)
    for (const [, specifier] of code.toString('utf8').matchAll(/(?:import|export)[^'"`;]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      if (specifier) pending.push(resolve(dirname(file), specifier))
    }
  }
  return { files: seen.size, raw, gzip }
}

function reference(name: string, version: string): { files: number; raw: number; gzip: number } | string {
  const dir = mkdtempSync(join(tmpdir(), 'meshboard-bundle-'))
  try {
    const tarball = execFileSync('npm', ['pack', `${name}@${version}`, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').at(-1)!
    execFileSync('tar', ['xzf', tarball], { cwd: dir })
    return entryClosure(join(dir, 'package'))
  } catch (error) {
    return `unavailable (${(error as Error).message.split('\n')[0]})`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function run(): Promise<BenchResult> {
  const ours = meshboard()
  const rows: Record<string, string | number>[] = [
    {
      package: 'meshboard (dist/lib/meshboard.js, all dependencies included)',
      'raw KB': kb(ours.raw),
      'gzip KB': kb(ours.gzip),
      note: ours.gzip / 1024 <= TARGET_KB ? `target ≤${TARGET_KB} KB: met` : `target ≤${TARGET_KB} KB: MISSED`,
    },
  ]
  const figures: Record<string, unknown> = { meshboard: ours }
  for (const { name, version } of REFERENCES) {
    const size = reference(name, version)
    figures[name] = size
    rows.push(
      typeof size === 'string'
        ? { package: `${name}@${version}`, 'raw KB': '-', 'gzip KB': '-', note: size }
        : { package: `${name}@${version} (entry + own modules, without its dependencies)`, 'raw KB': kb(size.raw), 'gzip KB': kb(size.gzip), note: `${size.files} files; ×${(size.gzip / ours.gzip).toFixed(1)} meshboard` },
    )
  }
  return { rows, figures }
}
