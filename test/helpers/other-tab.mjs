/**
 * Another tab of the same browser, for wire-contract.test.ts: a worker thread with its own module
 * graph and a plain y-webrtc provider (no signaling) on the board's room, so it talks to the tab
 * under test only through Node's BroadcastChannel, as a second tab of a browser does.
 *
 * workerData: { topic, key }. Messages in: { type: 'apply', update } (a Yjs update to apply to its
 * document, which y-webrtc then posts to the other tabs). Messages out: { type: 'ready' } once its
 * room exists, and { type: 'shapes', ids } with the ids in its 'shapes' map after every change.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { WebrtcProvider } from 'y-webrtc'
import * as Y from 'yjs'

const { topic, key } = workerData
const doc = new Y.Doc()
const provider = new WebrtcProvider(topic, doc, { signaling: [], password: key })
doc.on('update', () => parentPort.postMessage({ type: 'shapes', ids: [...doc.getMap('shapes').keys()] }))
parentPort.on('message', (message) => {
  if (message.type === 'apply') Y.applyUpdate(doc, message.update, 'test')
})
void Promise.resolve(provider.key).then(() => parentPort.postMessage({ type: 'ready' }))
