/**
 * lib0's WebsocketClient (y-webrtc's signaling connection) sends on whatever socket it holds, and
 * while it reconnects that socket is still connecting: `send` throws. y-webrtc publishes after an
 * asynchronous encryption, so a signal set off while the old socket was up (an ICE candidate, an
 * ICE restart's offer, ice-recovery.ts) can land on the new one, and the throw is an uncaught
 * error in the page. Such a message is dropped instead, as the closed socket would have dropped
 * it: what matters is sent again (restarts are offered again, y-webrtc announces on connect). The
 * client's socket is read, and its send replaced, through src/wire's hooks.
 */
import { interceptSignalingSends, signalingSocketOf, type SignalingClient } from '../wire/wire-internals'

/** y-webrtc shares one client per signaling URL between boards: each is wrapped once. */
const wrapped = new WeakSet<SignalingClient>()

export function dropSendsWhileConnecting(client: SignalingClient): void {
  if (wrapped.has(client)) return
  wrapped.add(client)
  interceptSignalingSends(client, (message, send) => {
    if (signalingSocketOf(client)?.readyState !== WebSocket.CONNECTING) send(message)
  })
}
