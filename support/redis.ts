/**
 * A private redis-server (Debian's package, installed by .ci/run) on a free loopback port, for tests
 * of several signaling instances and the store benchmark. Nothing is persisted; only the process
 * started here is signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createConnection, createServer, type AddressInfo } from 'node:net'

const REDIS_SERVER = '/usr/bin/redis-server'
const HOST = '127.0.0.1'
/** Redis answers within milliseconds of starting; past this it is not going to. */
const START_DEADLINE_MS = 10_000
const POLL_MS = 25

export interface RedisHandle {
  /** `redis://127.0.0.1:PORT` */
  readonly url: string
  readonly port: number
  /** SIGKILL: the abrupt death of the server, connections cut without a goodbye. */
  kill(): Promise<void>
  /** Starts a fresh, empty server on the same port (after `kill`). */
  restart(): Promise<void>
  /** Stops the server if it runs. Idempotent. */
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()
let exitHookInstalled = false

export async function startRedis(): Promise<RedisHandle> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(`${REDIS_SERVER} is missing: \`apt-get install -y redis-server\` (.ci/run does it)`)
  }
  if (!exitHookInstalled) {
    exitHookInstalled = true
    process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')))
  }
  const port = await freePort()
  let child = await launch(port)

  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGKILL')
    await exited
  }

  return {
    url: `redis://${HOST}:${port}`,
    port,
    kill,
    async restart() {
      await kill()
      child = await launch(port)
    },
    stop: kill,
  }
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  running.add(child)
  child.once('exit', () => running.delete(child))
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const deadline = Date.now() + START_DEADLINE_MS
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`redis-server did not start on port ${port}: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  return child
}

/** Whether a Redis on the port answers PING, in the inline protocol. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port })
    let reply = ''
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk: string) => {
      reply += chunk
      if (reply.includes('\r\n')) {
        socket.destroy()
        resolve(reply.startsWith('+PONG'))
      }
    })
    socket.on('error', () => resolve(false))
  })
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, HOST)
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
