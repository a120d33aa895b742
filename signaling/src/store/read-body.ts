import type { IncomingMessage } from 'node:http'

/** After answering 413, this much more of the refused body is read and dropped before the connection is cut. */
const DRAIN_BYTES = 1024 * 1024

/**
 * The request body, or 'too-big' as soon as more than `cap` bytes have arrived (or are announced by
 * Content-Length): nothing past the cap is buffered. The rest is drained for a while, so that the
 * client, which is usually still sending, gets to read the 413 rather than a connection reset; a
 * client that goes on and on is cut off.
 */
export function readBody(request: IncomingMessage, cap: number): Promise<Buffer | 'too-big'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let received = 0
    let refused = false
    const refuse = () => {
      refused = true
      chunks.length = 0
      received = 0
      resolve('too-big')
    }
    request.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (refused) {
        if (received > DRAIN_BYTES) request.socket.destroy()
      } else if (received > cap) {
        refuse()
      } else {
        chunks.push(chunk)
      }
    })
    request.once('end', () => {
      if (!refused) resolve(Buffer.concat(chunks, received))
    })
    request.once('error', reject)
    const announced = Number(request.headers['content-length'])
    if (announced > cap) refuse()
  })
}
