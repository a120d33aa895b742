/**
 * The real meshboard server (`dist/server/main.js`, built by `npm run build`) as a child process on
 * 127.0.0.1 (or in a test's network namespace), for e2e tests and benchmarks. Only the process
 * started here is ever signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url))
const SERVER_MAIN = fileURLToPath(new URL('../dist/server/main.js', import.meta.url))
// The server logs JSON lines; the one announcing the address carries it in its message.
const LISTENING = /meshboard listening on (http:\/\/[\d.]+:(\d+)\/)/
/** A healthy server starts in well under a second; past this it is hung. */
const START_DEADLINE_MS = 15_000
/** Past this a SIGTERM'd server is stuck and gets SIGKILL. */
const STOP_GRACE_MS = 4_000

export interface ServerHandle {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string
  readonly port: number
  readonly pid: number
  /** Everything the server printed so far (stdout and stderr, interleaved). */
  output(): string
  /** Settles when the process has exited, with how. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** SIGTERM, wait for the exit; SIGKILL if it does not exit in a few seconds. Idempotent. */
  stop(): Promise<void>
  /** SIGKILL at once, as a crash would: nothing is flushed or closed. Waits for the exit. */
  kill(): Promise<void>
  /** The server's DATA_DIR. */
  readonly dataDir: string
}

export interface ServerOptions {
  /** 0 (the default): any free port. Pass a stopped server's port to restart it there. */
  readonly port?: number
  readonly env?: Readonly<Record<string, string>>
  /**
   * The board store's DATA_DIR; pass a stopped server's to restart it on the same boards. Without
   * one, a fresh temporary directory, removed when the server stops: no test writes ./data.
   */
  readonly dataDir?: string
  /** The address to listen on: 127.0.0.1 unless inside a test's network namespace (netns.ts). */
  readonly host?: string
  /** Runs the server through this command, e.g. `['ip', 'netns', 'exec', name]`. */
  readonly prefix?: readonly string[]
}

/** Servers of this process still running: killed if the test worker exits without stopping them. */
const running = new Set<ChildProcess>()
let exitHookInstalled = false
function killLeftovers(): void {
  for (const child of running) child.kill('SIGKILL')
}

export async function startServer({ port = 0, env = {}, dataDir, host = '127.0.0.1', prefix = [] }: ServerOptions = {}): Promise<ServerHandle> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run \`npm run build\` first`)
  if (!exitHookInstalled) {
    exitHookInstalled = true
    process.once('exit', killLeftovers)
  }
  const ownDataDir = dataDir === undefined ? await mkdtemp(join(tmpdir(), 'meshboard-data-')) : undefined
  const dataDirUsed = dataDir ?? ownDataDir!
  const [command, ...args] = [...prefix, process.execPath, SERVER_MAIN]
  const child = spawn(command!, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: dataDirUsed, ...env, PORT: String(port), HOST: host },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let log = ''
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child)
      const removed = ownDataDir === undefined ? Promise.resolve() : rm(ownDataDir, { recursive: true, force: true })
      void removed.then(() => resolve({ code, signal }))
    })
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  const lines = createInterface({ input: child.stdout! })

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
    await exited
    clearTimeout(timer)
  }

  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }

  const address = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the server did not report listening within ${START_DEADLINE_MS} ms:\n${log}`))
    }, START_DEADLINE_MS)
    lines.on('line', (line) => {
      log += `${line}\n`
      const match = LISTENING.exec(line)
      if (match) {
        clearTimeout(timer)
        resolve({ url: match[1]!, port: Number(match[2]) })
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`the server exited (${signal ?? `code ${code}`}) before listening:\n${log}`))
    })
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
  if (port !== 0 && address.port !== port) {
    await stop()
    throw new Error(`asked for port ${port}, the server listens on ${address.port}`)
  }
  return { ...address, pid: child.pid!, output: () => log, exited, stop, kill, dataDir: dataDirUsed }
}
