// A Vite app that embeds <mesh-board> and uses the board's Yjs document with its own Yjs: the
// package leaves yjs (and lit, Konva…) to this app's bundler, so there is one copy of each and
// `board.doc` is a Y.Doc of this app's Yjs.
import 'meshboard'
import type { MeshBoard, MeshChangeDetail } from 'meshboard'
import * as Y from 'yjs'

const board = document.querySelector<MeshBoard>('mesh-board')!
const size = document.querySelector<HTMLOutputElement>('#size')!

// The board to open: #board=…&key=… in this page's address, or a new one (and its address).
const params = new URLSearchParams(location.hash.slice(1))
if (!params.get('board') || !params.get('key')) {
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  params.set('board', crypto.randomUUID().slice(0, 12))
  params.set('key', key)
  history.replaceState(null, '', `#${params}`)
}
// The meshboard server to meet peers through: ?signaling=wss://…/signal, else this origin's /signal.
const signaling = new URLSearchParams(location.search).get('signaling')
if (signaling) board.signaling = signaling
board.board = params.get('board')!
board.key = params.get('key')!

// The app's own use of the document: how big the board is, as a Yjs update.
board.addEventListener('mesh-change', (event: CustomEvent<MeshChangeDetail>) => {
  const doc = board.doc
  if (!doc) return
  size.value = `${Y.encodeStateAsUpdate(doc).byteLength} bytes${event.detail.local ? '' : ' (a change from someone else)'}`
  document.body.dataset.sharedYjs = String(doc instanceof Y.Doc)
})
