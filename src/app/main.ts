/**
 * The standalone app: `/` gets a fresh board and moves to its URL; a board URL opens that board.
 * The board id and key stay in the fragment, which never reaches the server.
 */
import '../index'
import { boardFragment, newBoardAddress, parseBoardFragment } from '../net/board-address'

const board = document.querySelector('mesh-board')!

function route(): void {
  if (location.hash.length <= 1) {
    // replace, not push: Back should not return to an address that would make yet another board.
    location.replace(boardFragment(newBoardAddress()))
    return
  }
  const address = parseBoardFragment(location.hash)
  if (!address) {
    showBrokenLink()
    return
  }
  document.querySelector('.broken-link')?.remove()
  board.hidden = false
  board.board = address.board
  board.key = address.key
}

/** A truncated or mistyped link must not silently open an empty board in place of the real one. */
function showBrokenLink(): void {
  board.hidden = true
  if (document.querySelector('.broken-link')) return
  const message = document.createElement('main')
  message.className = 'broken-link'
  message.innerHTML = `<h1>This board link is incomplete</h1>
    <p>A board link ends with <code>#board=…&amp;key=…</code>. Ask for the link again, or start a new board.</p>
    <p><a href="/">Start a new board</a></p>`
  document.body.append(message)
}

// The offline shell: with it a board URL opens with no network at all (built app only).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch((error: unknown) => console.warn('meshboard: offline mode unavailable:', error))
}

addEventListener('hashchange', route)
// "New board" in the share panel: a new history entry, so Back returns to the previous board.
board.addEventListener('mesh-board-change', (event) => history.pushState(null, '', boardFragment(event.detail)))
route()
// Keyboard shortcuts work at once; no focus ring until the keyboard is actually used.
board.focus({ focusVisible: false } as FocusOptions)
