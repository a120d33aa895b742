/**
 * Debian's coturn (`/usr/bin/turnserver`) as a child process checking meshboard's time-limited
 * credentials (`use-auth-secret`, DESIGN.md §13), for tests, optionally inside a network namespace
 * (`ip netns exec`). Only the process started here is ever signalled.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'

export const TURNSERVER = '/usr/bin/turnserver'
export const TURN_CLIENT = '/usr/bin/turnutils_uclient'
export const TURN_REALM = 'meshboard.test'
const START_DEADLINE_MS = 15_000

export interface CoturnOptions {
  readonly listenIp: string
  readonly port: number
  readonly secret: string
  /** Runs it through this command, e.g. `['ip', 'netns', 'exec', name]`. */
  readonly prefix?: readonly string[]
  /** Loopback peers are refused in production (docs/operating.md); a test on 127.0.0.1 needs them. */
  readonly allowLoopbackPeers?: boolean
}

export interface CoturnHandle {
  readonly pid: number
  /** Everything it logged so far. */
  output(): string
  stop(): Promise<void>
}

export function hasCoturn(): boolean {
  return existsSync(TURNSERVER) && existsSync(TURN_CLIENT)
}

export async function startCoturn({ listenIp, port, secret, prefix = [], allowLoopbackPeers = false }: CoturnOptions): Promise<CoturnHandle> {
  const args = [
    '-n', // no configuration file: everything is here
    `--listening-ip=${listenIp}`,
    `--relay-ip=${listenIp}`,
    `--listening-port=${port}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    `--realm=${TURN_REALM}`,
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--log-file=stdout',
    '--pidfile=/dev/null',
    '--verbose',
    ...(allowLoopbackPeers ? ['--allow-loopback-peers'] : []),
  ]
  const [command, ...rest] = [...prefix, TURNSERVER, ...args]
  const child = spawn(command!, [...rest], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coturn did not start within ${START_DEADLINE_MS} ms:\n${log}`)), START_DEADLINE_MS)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log += `${line}\n`
      if (line.includes('UDP listener opened on')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`coturn exited (${signal ?? `code ${code}`}) before listening:\n${log}`))
    })
  }).catch(async (error: unknown) => {
    await stop()
    throw error
  })
  return { pid: child.pid!, output: () => log, stop }
}
