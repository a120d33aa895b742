import { pino, type DestinationStream, type Logger } from 'pino'
import type { LogLevel } from './config.js'

export type { Logger }

/**
 * JSON lines, on stdout unless told otherwise. What the server logs never includes payloads or topic
 * names (a topic identifies a board); client addresses appear at debug level only.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  // No hostname: in a container it is a random id, and the collector labels lines with the host anyway.
  const options = { level, base: { pid: process.pid } }
  return destination === undefined ? pino(options) : pino(options, destination)
}
