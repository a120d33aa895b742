/**
 * How y-webrtc talks to other tabs of this browser (its BroadcastChannel), made to cost nothing
 * while no other tab has the board open, which is nearly always.
 *
 * Own messages: each of y-webrtc's rooms reads its own BroadcastChannel messages. lib0's
 * `publish()` hands every message to the page's own subscribers as well as to other tabs, and the
 * room's subscriber never asks where a message came from, so a room decrypted and applied its own
 * whole document again on every open, and every update it sent (a joiner's whole board included)
 * came back to be decrypted and applied once more. Messages from other tabs reach subscribers with
 * the origin 'broadcastchannel' (lib0 sets it), the page's own with none: only the first pass.
 *
 * Alone: on connecting, a room broadcasts its whole document to other tabs, and afterwards every
 * change (every update received from a peer included: a joiner's whole board) is encrypted and
 * posted to them. With no other tab that was a quarter of a second on every open of a 10,000-stroke
 * board and as much again when a joiner received one, for nobody. So a room connects saying
 * nothing of its document and posts no changes until another tab speaks; then it announces
 * itself in full (state vector and whole document, as y-webrtc would have) and posts changes
 * from then on. Nothing is missed: a tab that opens later asks for the document on connecting
 * (y-webrtc answers that in any case), and what it has of its own arrives with the full
 * announcement it triggers here.
 *
 * y-webrtc allows one room per name in a page, so no room in this page ever needs another's messages.
 *
 * Screened: changes from other tabs pass the update screen before y-webrtc reads them (refusalOf).
 *
 * The hooks into y-webrtc's room (its connect, its subscriber to other tabs, its sealing) are
 * wire-internals.ts's; this module decides when to use them.
 */
import type * as Y from 'yjs'
import { WHOLE_BOARD_LIMITS, screenUpdate } from '../model/update-screen'
import { updateIn } from './peer-screen'
import {
  isFromOtherTab,
  openTabMessage,
  overrideConnect,
  replaceTabSubscriber,
  type Room,
  type RoomConnect,
  type WebrtcProvider,
  type YWebrtc,
} from '../wire/wire-internals'

/** Rooms already set up, and whether they have heard from another tab. */
const heardAnotherTab = new WeakMap<Room, boolean>()

/**
 * The room of `provider` (made a moment ago by `yWebrtc`, whose room does not exist yet) connects
 * quietly until another tab speaks; its document is `doc`.
 */
export function quietUntilAnotherTab(yWebrtc: YWebrtc, provider: WebrtcProvider, doc: Y.Doc): void {
  overrideConnect(yWebrtc.Room, provider, (connection) => connectQuietlyUntilAnotherTab(connection, doc))
}

function connectQuietlyUntilAnotherTab(connection: RoomConnect, doc: Y.Doc): void {
  const { room } = connection
  if (!heardAnotherTab.has(room)) {
    heardAnotherTab.set(room, false)
    // In order: each message is screened (asynchronously: it is encrypted) before y-webrtc reads it.
    let screened: Promise<unknown> = Promise.resolve()
    replaceTabSubscriber(room, (subscriber) => (data, origin) => {
      if (!isFromOtherTab(origin)) return undefined
      if (!heardAnotherTab.get(room)) {
        heardAnotherTab.set(room, true)
        // Subscribed, so connected: connected alone, it now says what it did not, and posts changes.
        if (!connection.postingToTabs) connection.connect()
      }
      screened = screened.then(async () => {
        const refused = await refusalOf(room, doc, data)
        if (refused) console.warn(`meshboard: a change from another tab of this browser was refused: ${refused}`)
        else await subscriber(data, origin)
      })
      return screened
    })
  }
  if (heardAnotherTab.get(room)) connection.connect()
  else connection.connectWithoutTabs()
}

/**
 * Why a message from another tab must not be read, or null. Another tab of this browser is this
 * user, but a page script or an extension can post there too: its changes pass the same update
 * screen as a peer's (model/update-screen.ts). Unreadable messages are y-webrtc's to drop.
 */
async function refusalOf(room: Room, doc: Y.Doc, data: ArrayBuffer): Promise<string | null> {
  const message = await openTabMessage(room, data)
  const update = message && updateIn(message)
  return update && screenUpdate(doc, update, WHOLE_BOARD_LIMITS)
}
