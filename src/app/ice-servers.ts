/**
 * The ICE servers the operator configured (the server's /config.json), fetched the moment the app
 * starts: main.ts imports this module first, so the request runs while the rest of the app is
 * evaluated instead of after it. None (and no wait) when the server cannot be reached.
 */
async function load(): Promise<RTCIceServer[]> {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' })
    const config = (await response.json()) as { iceServers?: unknown }
    return Array.isArray(config.iceServers) ? (config.iceServers as RTCIceServer[]) : []
  } catch {
    return []
  }
}

export const iceServers: Promise<RTCIceServer[]> = load()
