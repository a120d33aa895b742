/**
 * y-webrtc also syncs tabs of one browser through a BroadcastChannel, and each of its rooms reads
 * its own messages there: lib0's `publish()` hands every message to the page's own subscribers as
 * well as to other tabs, and the room's subscriber never asks where a message came from. A room
 * broadcasts the whole document and its state vector when it connects, so it then decrypts and
 * applies its own document again, answers its own state vector with a second whole-document
 * broadcast and applies that too; and every update it re-broadcasts (a joiner's whole board
 * included) comes back to be decrypted and applied once more. On a 10,000-stroke board that was
 * about 0.4 s of main thread on every open and 0.1 s per big update, for nothing.
 *
 * Messages from other tabs reach subscribers with the origin 'broadcastchannel' (lib0 sets it),
 * the page's own with none: only the first are let through. y-webrtc allows one room per name in a
 * page, so no room in this page ever needs another's messages.
 */
import { Room } from 'y-webrtc'

/** The origin lib0's broadcastchannel gives messages that came from another tab. */
const FROM_OTHER_TAB = 'broadcastchannel'

type Subscriber = (data: ArrayBuffer, origin?: unknown) => unknown

const filtered = new WeakSet<Room>()
const connect = Room.prototype.connect

/** Installed once, for every room of this module's y-webrtc (rooms subscribe in connect()). */
Room.prototype.connect = function connectIgnoringOwnMessages(this: Room): void {
  if (!filtered.has(this)) {
    filtered.add(this)
    const subscriber = this._bcSubscriber as Subscriber
    // The same function is subscribed on connect and unsubscribed on disconnect, so it is replaced once.
    this._bcSubscriber = ((data: ArrayBuffer, origin?: unknown) =>
      origin === FROM_OTHER_TAB ? subscriber(data, origin) : undefined) as Room['_bcSubscriber']
  }
  connect.call(this)
}
