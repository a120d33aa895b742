/**
 * Private networks for the NAT tests (DESIGN.md §13), built with network namespaces on the test
 * machine only: a public segment ("wan", a bridge) holding the meshboard server and coturn, and
 * two LANs, each behind a NAT namespace that MASQUERADEs like a home router. Nothing outside the
 * namespaces is touched; every name carries this process's id, and `destroy()` removes them all.
 *
 *   lan1 10.1.0.2 ── 10.1.0.1 nat1 198.18.0.11 ─┐
 *                                                ├─ br0 198.18.0.1 wan (server, coturn)
 *   lan2 10.2.0.2 ── 10.2.0.1 nat2 198.18.0.12 ─┘
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { CHROMIUM } from './browser'

const run = promisify(execFile)
const IP = '/usr/sbin/ip'
const IPTABLES = '/usr/sbin/iptables'

/** 198.18.0.0/15 is set aside for network tests: nothing real answers there. */
export const WAN_IP = '198.18.0.1'

export interface Lan {
  /** The namespace a browser of this LAN runs in. */
  readonly ns: string
  readonly ip: string
  readonly gateway: string
  /** The NAT's first address on the public segment, what the server sees this LAN as (until `uplinkUp`). */
  readonly publicIp: string
}

export interface NatNetwork {
  readonly wan: string
  readonly lans: readonly [Lan, Lan]
  /** `['ip', 'netns', 'exec', ns]`: the prefix that runs a command inside `ns`. */
  exec(ns: string): string[]
  /** A Chromium for `launchPeer` that runs inside `lan` and treats `origin` (http) as secure. */
  chromium(lan: Lan, origin: string): Promise<{ executablePath: string; args: string[] }>
  /** Takes the LAN's link down, as when Wi-Fi drops. */
  linkDown(lan: Lan): Promise<void>
  /** Brings it back with its address and default route, as when Wi-Fi reconnects. */
  linkUp(lan: Lan): Promise<void>
  /**
   * The LAN's router loses its uplink. Every mapping it had (UDP and TCP alike) dies: Linux drops
   * a MASQUERADE interface's connection tracking when it goes down. The LAN itself sees nothing.
   */
  uplinkDown(lan: Lan): Promise<void>
  /**
   * The uplink comes back with another public address, as when the ISP hands out a new one: the
   * address the server and coturn knew this LAN by answers no more. Resolves with the new address.
   */
  uplinkUp(lan: Lan): Promise<string>
  /** Removes every namespace (and the wrapper scripts). Idempotent. */
  destroy(): Promise<void>
}

/** Why the NAT tests cannot run here, or null when they can. */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'network namespaces need root'
  for (const tool of [IP, IPTABLES, '/usr/bin/turnserver', CHROMIUM]) if (!existsSync(tool)) return `${tool} is missing (see .ci/run)`
  return null
}

export async function createNatNetwork(): Promise<NatNetwork> {
  const tag = `mb${process.pid}`
  const wan = `${tag}-wan`
  const lans: [Lan, Lan] = [1, 2].map((i) => ({ ns: `${tag}-lan${i}`, ip: `10.${i}.0.2`, gateway: `10.${i}.0.1`, publicIp: `198.18.0.1${i}` })) as [Lan, Lan]
  const nats = [`${tag}-nat1`, `${tag}-nat2`]
  const namespaces = [wan, ...nats, ...lans.map((lan) => lan.ns)]
  const scripts = await mkdtemp(join(tmpdir(), 'meshboard-netns-'))
  const ip = (...args: string[]) => run(IP, args)
  const inside = (ns: string, command: string, ...args: string[]) => run(IP, ['netns', 'exec', ns, command, ...args])

  let destroyed: Promise<void> | null = null
  const destroy = () =>
    (destroyed ??= (async () => {
      // Deleting a namespace deletes its interfaces and their veth peers with it.
      await Promise.allSettled(namespaces.map((ns) => ip('netns', 'del', ns)))
      await rm(scripts, { recursive: true, force: true })
    })())

  try {
    for (const ns of namespaces) {
      await ip('netns', 'add', ns)
      await inside(ns, IP, 'link', 'set', 'lo', 'up')
    }
    await inside(wan, IP, 'link', 'add', 'br0', 'type', 'bridge')
    await inside(wan, IP, 'addr', 'add', `${WAN_IP}/24`, 'dev', 'br0')
    await inside(wan, IP, 'link', 'set', 'br0', 'up')
    for (const [index, lan] of lans.entries()) {
      const nat = nats[index]!
      // nat ⇄ wan: the NAT's public side on the bridge.
      await ip('link', 'add', 'wan0', 'netns', nat, 'type', 'veth', 'peer', 'name', `up${index}`, 'netns', wan)
      await inside(wan, IP, 'link', 'set', `up${index}`, 'master', 'br0', 'up')
      await inside(nat, IP, 'addr', 'add', `${lan.publicIp}/24`, 'dev', 'wan0')
      await inside(nat, IP, 'link', 'set', 'wan0', 'up')
      // lan ⇄ nat: the home network.
      await ip('link', 'add', 'eth0', 'netns', lan.ns, 'type', 'veth', 'peer', 'name', 'lan0', 'netns', nat)
      await inside(nat, IP, 'addr', 'add', `${lan.gateway}/24`, 'dev', 'lan0')
      await inside(nat, IP, 'link', 'set', 'lan0', 'up')
      await inside(lan.ns, IP, 'addr', 'add', `${lan.ip}/24`, 'dev', 'eth0')
      await inside(lan.ns, IP, 'link', 'set', 'eth0', 'up')
      await inside(lan.ns, IP, 'route', 'add', 'default', 'via', lan.gateway)
      await inside(nat, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1')
      await inside(nat, IPTABLES, '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE')
      // A home router: replies come in, nothing else does.
      await inside(nat, IPTABLES, '-A', 'FORWARD', '-i', 'wan0', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT')
      await inside(nat, IPTABLES, '-A', 'FORWARD', '-i', 'wan0', '-j', 'DROP')
    }
  } catch (error) {
    await destroy()
    throw error
  }

  // How many times each NAT got a new public address: 198.18.0.1i, then .2i, .3i …
  const renumbered = [0, 0]
  const natOf = (lan: Lan) => nats[lans.indexOf(lan)]!

  return {
    wan,
    lans,
    exec: (ns) => [IP, 'netns', 'exec', ns],
    async chromium(lan, origin) {
      const executablePath = join(scripts, `chromium-${lan.ns}`)
      // exec: Playwright's process is Chromium itself, so closing the browser ends it.
      await writeFile(executablePath, `#!/bin/sh\nexec ${IP} netns exec ${lan.ns} ${CHROMIUM} "$@"\n`)
      await chmod(executablePath, 0o755)
      return { executablePath, args: [`--unsafely-treat-insecure-origin-as-secure=${origin}`] }
    },
    async linkDown(lan) {
      await inside(lan.ns, IP, 'link', 'set', 'eth0', 'down')
    },
    async linkUp(lan) {
      await inside(lan.ns, IP, 'link', 'set', 'eth0', 'up')
      // Down took the default route with it; DHCP would put it back.
      await inside(lan.ns, IP, 'route', 'replace', 'default', 'via', lan.gateway)
    },
    async uplinkDown(lan) {
      await inside(natOf(lan), IP, 'link', 'set', 'wan0', 'down')
    },
    async uplinkUp(lan) {
      const index = lans.indexOf(lan)
      const address = `198.18.0.${10 * (++renumbered[index]! + 1) + index + 1}`
      await inside(natOf(lan), IP, 'addr', 'flush', 'dev', 'wan0')
      await inside(natOf(lan), IP, 'addr', 'add', `${address}/24`, 'dev', 'wan0')
      await inside(natOf(lan), IP, 'link', 'set', 'wan0', 'up')
      return address
    },
    destroy,
  }
}
