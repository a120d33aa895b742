/**
 * The standalone app: `/` gets a fresh board and moves to its URL; a board URL opens that board.
 * The board id and key stay in the fragment, which never reaches the server.
 */
import { LOCALE_STATUS_EVENT, msg, str } from '@lit/localize'
import '../index'
import { chooseLanguage, pickedLanguage, showLanguage } from '../i18n/localization'
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
  writeBrokenLink(message)
  document.body.append(message)
}

/** How a board link ends, shown as code in the broken link's message. */
const LINK_END = '#board=…&key=…'

/** The broken link's message, in the interface's language: written again when another language is in. */
function writeBrokenLink(message: Element): void {
  const heading = document.createElement('h1')
  heading.textContent = msg('This board link is incomplete', { id: 'app.broken-link.title' })
  const hint = msg(str`A board link ends with ${LINK_END}. Ask for the link again, or start a new board.`, {
    id: 'app.broken-link.hint',
    desc: 'the placeholder is how a board link ends (#board=…&key=…), shown as code',
  })
  const [before = '', after = ''] = hint.split(LINK_END)
  const paragraph = document.createElement('p')
  paragraph.append(before, Object.assign(document.createElement('code'), { textContent: LINK_END }), after)
  const start = Object.assign(document.createElement('a'), { href: '/', textContent: msg('Start a new board', { id: 'app.broken-link.start', desc: 'a link' }) })
  const action = document.createElement('p')
  action.append(start)
  message.replaceChildren(heading, paragraph, action)
}

// The page's language is the interface's (for screen readers' voices, hyphenation, fonts).
addEventListener(LOCALE_STATUS_EVENT, (event) => {
  if (event.detail.status !== 'ready') return
  document.documentElement.lang = event.detail.readyLocale
  const message = document.querySelector('.broken-link')
  if (message) writeBrokenLink(message)
})
// The board chooses its language when it opens; a broken link, which opens none, in the same one.
void showLanguage(chooseLanguage(pickedLanguage(), null))

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
