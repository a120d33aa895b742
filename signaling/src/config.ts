import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface IceServer {
  urls: string | string[]
  username?: string
  credential?: string
}

export interface Config {
  port: number
  host: string
  maxFrameBytes: number
  maxTopicsPerConnection: number
  maxTopicLength: number
  iceServers: IceServer[]
  staticDir: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

type Env = Readonly<Record<string, string | undefined>>

export function loadConfig(env: Env): Config {
  return {
    port: readInteger(env, 'PORT', 8787, 0, 65535),
    host: readString(env, 'HOST', '127.0.0.1'),
    // The floor catches a value given in KiB by mistake: y-webrtc's SDP offers alone take a few KiB.
    // The ceiling is where ws's maxPayload (a 32-bit int) would wrap around.
    maxFrameBytes: readInteger(env, 'MAX_FRAME_BYTES', 64 * 1024, 1024, 2 ** 31 - 1),
    maxTopicsPerConnection: readInteger(env, 'MAX_TOPICS_PER_CONNECTION', 64, 1, Number.MAX_SAFE_INTEGER),
    maxTopicLength: readInteger(env, 'MAX_TOPIC_LENGTH', 128, 1, Number.MAX_SAFE_INTEGER),
    iceServers: readIceServers(env),
    // Relative to the compiled file: dist/server/config.js serves dist/app.
    staticDir: resolve(readString(env, 'STATIC_DIR', fileURLToPath(new URL('../app', import.meta.url)))),
  }
}

// An empty variable counts as unset, as `PORT=` in a compose file or shell usually means "default".
function readRaw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

function readString(env: Env, name: string, fallback: string): string {
  return readRaw(env, name) ?? fallback
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = readRaw(env, name)
  if (raw === undefined) return fallback
  // Number() alone would accept '1e3', '0x10' and ' ', none of which anyone means as a size.
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  }
  return value
}

function readIceServers(env: Env): IceServer[] {
  const raw = readRaw(env, 'ICE_SERVERS')
  if (raw === undefined) return []
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch (error) {
    throw new ConfigError(`ICE_SERVERS is not valid JSON (${(error as Error).message})`)
  }
  if (!Array.isArray(value) || !value.every(isIceServer)) {
    throw new ConfigError(
      'ICE_SERVERS must be a JSON array of RTCIceServer objects, e.g. [{"urls":"stun:stun.example.org:3478"}]',
    )
  }
  return value
}

function isIceServer(value: unknown): value is IceServer {
  if (typeof value !== 'object' || value === null) return false
  const { urls, username, credential } = value as Record<string, unknown>
  const urlsOk =
    (typeof urls === 'string' && urls !== '') ||
    (Array.isArray(urls) && urls.length > 0 && urls.every((url) => typeof url === 'string' && url !== ''))
  return urlsOk && isOptionalString(username) && isOptionalString(credential)
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string'
}
