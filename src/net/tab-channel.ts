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
 */
import * as decoding from 'lib0/decoding'
import { Room } from 'y-webrtc'
import * as Y from 'yjs'
import { screenUpdate } from '../model/update-screen'
import { updateIn } from './peer-screen'
import { asBufferSource } from './sealed'

/** The origin lib0's broadcastchannel gives messages that came from another tab. */
const FROM_OTHER_TAB = 'broadcastchannel'

type Subscriber = (data: ArrayBuffer, origin?: unknown) => unknown

/** Rooms already patched, and whether they have heard from another tab. */
const heardAnotherTab = new WeakMap<Room, boolean>()
const connect = Room.prototype.connect

/** Installed once, for every room of this module's y-webrtc (rooms subscribe in connect()). */
Room.prototype.connect = function connectQuietlyUntilAnotherTab(this: Room): void {
  if (!heardAnotherTab.has(this)) {
    heardAnotherTab.set(this, false)
    const subscriber = this._bcSubscriber as Subscriber
    // The same function is subscribed on connect and unsubscribed on disconnect, so it is replaced once.
    // In order: each message is screened (asynchronously: it is encrypted) before y-webrtc reads it.
    let screened: Promise<unknown> = Promise.resolve()
    this._bcSubscriber = ((data: ArrayBuffer, origin?: unknown) => {
      if (origin !== FROM_OTHER_TAB) return undefined
      if (!heardAnotherTab.get(this)) {
        heardAnotherTab.set(this, true)
        // Subscribed, so connected: connected alone, it now says what it did not, and posts changes.
        if (!this.bcconnected) connect.call(this)
      }
      screened = screened.then(async () => {
        const refused = await refusalOf(this, data)
        if (refused) console.warn(`meshboard: a change from another tab of this browser was refused: ${refused}`)
        else await subscriber(data, origin)
      })
      return screened
    }) as Room['_bcSubscriber']
  }
  if (heardAnotherTab.get(this)) connect.call(this)
  else connectAlone(this)
}

/**
 * Why a message from another tab must not be read, or null. Another tab of this browser is this
 * user, but a page script or an extension can post there too: its changes pass the same update
 * screen as a peer's (model/update-screen.ts). Messages are sealed as y-webrtc's crypto.js does:
 * 'AES-GCM', IV, ciphertext (plain when the board has no key); unreadable ones are y-webrtc's to drop.
 */
async function refusalOf(room: Room, data: ArrayBuffer): Promise<string | null> {
  let message = new Uint8Array(data)
  const key = room.key as CryptoKey | null
  if (key) {
    try {
      const decoder = decoding.createDecoder(message)
      if (decoding.readVarString(decoder) !== 'AES-GCM') return null
      const iv = decoding.readVarUint8Array(decoder)
      const cipher = decoding.readVarUint8Array(decoder)
      message = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: asBufferSource(iv) }, key, asBufferSource(cipher)))
    } catch {
      return null
    }
  }
  const update = updateIn(message)
  return update && screenUpdate(room.doc, update)
}

/**
 * y-webrtc's connect, with an empty stand-in for the document while it announces itself to other
 * tabs (connect reads `room.doc` only synchronously), and no changes posted to them afterwards.
 * Signaling, peers and presence go on as usual.
 */
function connectAlone(room: Room): void {
  const doc = room.doc
  const standIn = new Y.Doc()
  // Presence is announced under the document's client id.
  standIn.clientID = doc.clientID
  room.doc = standIn
  try {
    connect.call(room)
  } finally {
    room.doc = doc
    standIn.off('update', room._docUpdateHandler)
    standIn.destroy()
  }
  doc.on('update', room._docUpdateHandler)
  // y-webrtc posts changes to other tabs only while this is set (connect set it).
  room.bcconnected = false
}
