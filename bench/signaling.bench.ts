/**
 * meshboard's signaling server beside y-webrtc's own (node_modules/y-webrtc/bin/server.js), measured
 * in one run, each in a fresh process per phase, the load coming from separate processes
 * (bench/signaling-load.ts):
 * - fan-out throughput: rooms of ten, one client per room keeping a few publishes in flight; every
 *   message any client receives counts. Also the server's CPU time per delivered message, which
 *   holds even when the load generators, sharing the machine, are the bottleneck.
 * - relay latency under a steady moderate load, publish to receipt, p50 and p99.
 * - memory per idle connection: resident set growth with 5,000 connections, each in a room.
 * Targets (issue 3): throughput at least y-webrtc's with all our limits on, at most 10 KB per idle connection.
 */
import { spawn, fork, execFile, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createConnection, createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { LoadCommand, LoadReport } from './signaling-load'
import type { BenchResult } from './bench-result'

const REPO = fileURLToPath(new URL('../', import.meta.url))
const LOAD_SCRIPT = fileURLToPath(new URL('./signaling-load.ts', import.meta.url))
const Y_WEBRTC_SERVER = join(REPO, 'node_modules', 'y-webrtc', 'bin', 'server.js')
const LOAD_PROCESSES = 2
const THROUGHPUT = { rooms: 20, perRoom: 10, window: 4, warmupMs: 2000, measureMs: 5000 }
const LATENCY = { rooms: 20, perRoom: 10, perSecond: 50, warmupMs: 1000, measureMs: 5000 }
/** Rounds alternate between the servers, and medians are reported: a noisy neighbour hits both alike. */
const ROUNDS = { throughput: 5, latency: 3 }
const IDLE = { connections: 5000, perRoom: 5 }
/** Long enough for the process to settle after starting or after the last connection. */
const IDLE_SETTLE_MS = 2000

interface ServerUnderTest {
  readonly name: string
  start(port: number): ChildProcess
}

/**
 * Preloaded into both servers alike: a collection on SIGUSR2, so that idle memory is read as what is
 * retained, not as garbage that happened to be uncollected at that moment.
 */
async function gcOnSignal(dir: string): Promise<string[]> {
  const shim = join(dir, 'gc-on-signal.mjs')
  await writeFile(shim, `process.on('SIGUSR2', () => globalThis.gc())\n`)
  return ['--expose-gc', '--import', shim]
}

/** Our server, compiled into a private directory, with every limit at its default except two (see below). */
async function meshboard(dir: string, flags: string[]): Promise<ServerUnderTest> {
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc')
  const tsconfig = join(REPO, 'signaling', 'tsconfig.json')
  await promisify(execFile)(process.execPath, [tsc, '-p', tsconfig, '--outDir', join(dir, 'server')])
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'))
  await mkdir(join(dir, 'app'))
  await writeFile(join(dir, 'app', 'index.html'), '<!doctype html>')
  return {
    name: 'meshboard',
    start: (port) =>
      spawn(process.execPath, [...flags, join(dir, 'server', 'main.js')], {
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          // Every bench client comes from 127.0.0.1, and the generators send as fast as the server
          // answers: these two limits would refuse the bench itself. They are still checked on every
          // connection and every frame; all other limits keep their defaults.
          MAX_CONNECTIONS_PER_IP: '100000',
          MAX_MESSAGES_PER_SECOND: '1000000',
          MAX_MESSAGE_BURST: '1000000',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
  }
}

/** y-webrtc's server as shipped, held to the loopback interface by a preloaded shim (it listens on all). */
async function yWebrtc(dir: string, flags: string[]): Promise<ServerUnderTest> {
  const shim = join(dir, 'loopback.mjs')
  await writeFile(
    shim,
    `import net from 'node:net'
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (port, ...rest) {
  return typeof port === 'object' ? listen.call(this, port, ...rest) : listen.call(this, port, '127.0.0.1', ...rest)
}
`,
  )
  return {
    name: 'y-webrtc',
    start: (port) =>
      spawn(process.execPath, [...flags, '--import', shim, Y_WEBRTC_SERVER], {
        env: { ...process.env, PORT: String(port) },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** Runs `phase` against a fresh process of the server, then stops it. */
async function withServer<T>(server: ServerUnderTest, phase: (url: string, pid: number) => Promise<T>): Promise<T> {
  const port = await freePort()
  const child = server.start(port)
  try {
    while (!(await accepts(port))) {
      if (child.exitCode !== null) throw new Error(`${server.name} exited with ${child.exitCode}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return await phase(`ws://127.0.0.1:${port}/signal`, child.pid!)
  } finally {
    child.kill('SIGKILL')
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit')
  }
}

/** The load processes, each owning a share of the rooms. */
class Load {
  private readonly workers: ChildProcess[]

  constructor(count: number) {
    this.workers = Array.from({ length: count }, () =>
      fork(LOAD_SCRIPT, [], {
        execArgv: ['--import', 'tsx'],
        cwd: REPO,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    )
  }

  /** Sends each worker its command and collects one report from each. */
  async all<R extends LoadReport>(command: (index: number) => LoadCommand): Promise<R[]> {
    return Promise.all(
      this.workers.map((worker, index) => {
        const reply = once(worker, 'message') as Promise<[R]>
        worker.send(command(index))
        return reply.then(([report]) => report)
      }),
    )
  }

  async connect(url: string, rooms: number, perRoom: number, prefix: string): Promise<void> {
    const share = Math.ceil(rooms / this.workers.length)
    await this.all((index) => {
      const count = Math.max(0, Math.min(share, rooms - index * share))
      return { type: 'connect', url, perRoom, rooms: Array.from({ length: count }, (_, i) => `${prefix}-${index}-${i}`) }
    })
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker) => {
        const exited = once(worker, 'exit')
        worker.send({ type: 'exit' } satisfies LoadCommand)
        await exited
      }),
    )
  }
}

/** CPU seconds (user + system) the process has used, from /proc. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** Resident memory after a full collection (see `gcOnSignal`). */
async function residentBytes(pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2')
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS))
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024
}

type Measured = Extract<LoadReport, { type: 'measured' }>

async function throughput(server: ServerUnderTest) {
  return withServer(server, async (url, pid) => {
    const load = new Load(LOAD_PROCESSES)
    try {
      await load.connect(url, THROUGHPUT.rooms, THROUGHPUT.perRoom, 'flood')
      const cpuBefore = await cpuSeconds(pid)
      const reports = await load.all<Measured>(() => ({ type: 'flood', ...THROUGHPUT }))
      const cpu = (await cpuSeconds(pid)) - cpuBefore
      const perSecond = reports.reduce((sum, r) => sum + r.deliveries / r.seconds, 0)
      const total = reports.reduce((sum, r) => sum + r.totalDeliveries, 0)
      return { perSecond, cpuMicrosPerDelivery: (cpu * 1e6) / total }
    } finally {
      await load.close()
    }
  })
}

async function latency(server: ServerUnderTest) {
  return withServer(server, async (url) => {
    const load = new Load(LOAD_PROCESSES)
    try {
      await load.connect(url, LATENCY.rooms, LATENCY.perRoom, 'paced')
      const reports = await load.all<Measured>(() => ({ type: 'paced', ...LATENCY }))
      const sorted = reports.flatMap((r) => r.latencies).sort((a, b) => a - b)
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
      return { p50: at(0.5), p99: at(0.99), samples: sorted.length }
    } finally {
      await load.close()
    }
  })
}

async function idleMemory(server: ServerUnderTest) {
  return withServer(server, async (url, pid) => {
    const load = new Load(LOAD_PROCESSES)
    try {
      const before = await residentBytes(pid)
      await load.connect(url, IDLE.connections / IDLE.perRoom, IDLE.perRoom, 'idle')
      const after = await residentBytes(pid)
      return { baselineBytes: before, bytesPerConnection: (after - before) / IDLE.connections }
    } finally {
      await load.close()
    }
  })
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const round = (value: number, digits: number) => Number(value.toFixed(digits))

/** `measure` on every server, `rounds` times, alternating; the results by server name. */
async function alternate<T>(
  servers: readonly ServerUnderTest[],
  rounds: number,
  measure: (server: ServerUnderTest) => Promise<T>,
) {
  const results = new Map<string, T[]>(servers.map((server) => [server.name, []]))
  for (let r = 0; r < rounds; r++) for (const server of servers) results.get(server.name)!.push(await measure(server))
  return (server: ServerUnderTest) => results.get(server.name)!
}

export async function run(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'meshboard-bench-signaling-'))
  try {
    const flags = await gcOnSignal(dir)
    const servers = [await meshboard(dir, flags), await yWebrtc(dir, flags)] as const
    const throughputs = await alternate(servers, ROUNDS.throughput, throughput)
    const latencies = await alternate(servers, ROUNDS.latency, latency)
    const idle = await alternate(servers, 1, idleMemory)
    const summary = (server: ServerUnderTest) => ({
      name: server.name,
      deliveriesPerSecond: median(throughputs(server).map((t) => t.perSecond)),
      cpuMicrosPerDelivery: median(throughputs(server).map((t) => t.cpuMicrosPerDelivery)),
      p50: median(latencies(server).map((l) => l.p50)),
      p99: median(latencies(server).map((l) => l.p99)),
      kilobytesPerIdleConnection: idle(server)[0]!.bytesPerConnection / 1024,
      rounds: { throughput: throughputs(server), latency: latencies(server), idle: idle(server) },
    })
    const [ours, theirs] = servers.map(summary) as [ReturnType<typeof summary>, ReturnType<typeof summary>]
    const row = (metric: string, value: (m: typeof ours) => number, digits: number, better: 'higher' | 'lower') => ({
      metric,
      meshboard: round(value(ours), digits),
      'y-webrtc': round(value(theirs), digits),
      'meshboard / y-webrtc': round(value(ours) / value(theirs), 2),
      better,
    })
    return {
      rows: [
        row('fan-out deliveries per second', (m) => m.deliveriesPerSecond, 0, 'higher'),
        row('server CPU per delivery (µs)', (m) => m.cpuMicrosPerDelivery, 2, 'lower'),
        row(`relay latency p50 (ms, ${LATENCY.rooms * LATENCY.perSecond} publishes/s)`, (m) => m.p50, 2, 'lower'),
        row('relay latency p99 (ms)', (m) => m.p99, 2, 'lower'),
        row(`memory per idle connection (KB, at ${IDLE.connections})`, (m) => m.kilobytesPerIdleConnection, 2, 'lower'),
      ],
      figures: { setup: { LOAD_PROCESSES, THROUGHPUT, LATENCY, IDLE, ROUNDS }, servers: [ours, theirs] },
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
