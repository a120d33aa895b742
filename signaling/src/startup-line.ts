/**
 * The one line `npm start` writes for a person at the terminal (on stderr: stdout carries only the
 * JSON log lines, for machines): the address to open, and what to set before people elsewhere can
 * use it. Everything else is in the logs and docs/operating.md.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'

export interface StartupFacts {
  /** The address listened on (HOST). */
  readonly host: string
  readonly port: number
  /** Whether TURN_URLS is set. */
  readonly turn: boolean
  /** The board store: off, sqlite or redis. */
  readonly store: string
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
const ANY = new Set(['0.0.0.0', '::'])

/** `interfaces`: the machine's network interfaces (os.networkInterfaces(); given in tests). */
export function startupLine(facts: StartupFacts, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string {
  const address = ANY.has(facts.host) ? (ownAddress(interfaces) ?? 'localhost') : facts.host
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${facts.port}/`
  const store = facts.store === 'off' ? 'boards are not kept on this server (STORE=off)' : `boards kept encrypted (${facts.store})`
  const reach = LOOPBACK.has(facts.host)
    ? 'for other machines set HOST=0.0.0.0 behind an https proxy'
    : 'browsers elsewhere need it behind an https proxy'
  const nat = facts.turn ? 'TURN on' : 'for people behind home routers set TURN_URLS and TURN_SECRET'
  return `meshboard is running: open ${url} · ${store} · ${reach}; ${nat} (docs/operating.md)`
}

/** The machine's first IPv4 address that is not loopback: what another device on its network opens. */
function ownAddress(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | undefined {
  for (const list of Object.values(interfaces)) {
    for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address
  }
  return undefined
}
