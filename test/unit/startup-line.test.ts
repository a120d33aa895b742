import type { NetworkInterfaceInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { startupLine } from '../../signaling/src/startup-line'

const LAN: NodeJS.Dict<NetworkInterfaceInfo[]> = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', cidr: '127.0.0.1/8' } as const],
  eth0: [{ address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '02:00:00:00:00:01', cidr: '192.168.1.20/24' } as const],
}

describe('the startup line', () => {
  it('names the address to open on this machine and what the internet needs', () => {
    expect(startupLine({ host: '127.0.0.1', port: 8787, turn: false, store: 'sqlite' }, LAN)).toBe(
      'meshboard is running: open http://127.0.0.1:8787/ · boards kept encrypted (sqlite) · for other machines set HOST=0.0.0.0 behind an https proxy; for people behind home routers set TURN_URLS and TURN_SECRET (docs/operating.md)',
    )
  })

  it('names the machine’s own address when listening on every interface, and says TURN is on', () => {
    expect(startupLine({ host: '0.0.0.0', port: 80, turn: true, store: 'redis' }, LAN)).toBe(
      'meshboard is running: open http://192.168.1.20:80/ · boards kept encrypted (redis) · browsers elsewhere need it behind an https proxy; TURN on (docs/operating.md)',
    )
  })

  it('brackets an IPv6 address and says when no board is kept', () => {
    expect(startupLine({ host: '::1', port: 8787, turn: false, store: 'off' }, {})).toContain('open http://[::1]:8787/ · boards are not kept on this server (STORE=off)')
    expect(startupLine({ host: '::', port: 8787, turn: false, store: 'off' }, {})).toContain('open http://localhost:8787/')
  })
})
