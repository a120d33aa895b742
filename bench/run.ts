/**
 * `npm run bench` runs every benchmark; `npm run bench -- NAME [NAME...]` runs some.
 * Each benchmark prints a table and writes bench/results/NAME.json with the machine it ran on.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { CHROMIUM } from '../support/browser'
import type { BenchResult } from './bench-result'

const BENCHMARKS: Record<string, () => Promise<{ run: () => Promise<BenchResult> }>> = {
  'stroke-bytes': () => import('./stroke-bytes.bench'),
  bundle: () => import('./bundle.bench'),
  signaling: () => import('./signaling.bench'),
  latency: () => import('./latency.bench'),
  frames: () => import('./frames.bench'),
  join: () => import('./join.bench'),
  load: () => import('./load.bench'),
  memory: () => import('./memory.bench'),
  mesh: () => import('./mesh.bench'),
  store: () => import('./store.bench'),
  lighthouse: () => import('./lighthouse.bench'),
}

function machine() {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    chromium: chromiumVersion(),
  }
}

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return 'not installed'
  }
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2)
  const unknown = requested.filter((name) => !(name in BENCHMARKS))
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.join(', ')}. Available: ${Object.keys(BENCHMARKS).join(', ')}`)
    process.exit(2)
  }
  const outDir = fileURLToPath(new URL('./results/', import.meta.url))
  mkdirSync(outDir, { recursive: true })
  const host = machine()
  console.log(`machine: ${host.cpus} cores (${host.cpuModel}), ${host.memoryGiB} GiB, Node ${host.node}, ${host.chromium}`)
  for (const name of requested.length > 0 ? requested : Object.keys(BENCHMARKS)) {
    console.log(`\n## ${name}`)
    const result = await (await BENCHMARKS[name]!()).run()
    console.table(result.rows)
    const file = `${outDir}${name}.json`
    writeFileSync(file, JSON.stringify({ name, date: new Date().toISOString(), machine: host, ...result }, null, 2))
    console.log(`written ${file}`)
  }
}

await main()
