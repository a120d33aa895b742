import { useState } from 'react'
import { Whiteboard } from './Whiteboard.jsx'

/** The board of this page's address (#board=…&key=…), or a new one put there. */
function boardAddress() {
  const params = new URLSearchParams(location.hash.slice(1))
  if (!params.get('board') || !params.get('key')) {
    const bytes = crypto.getRandomValues(new Uint8Array(16))
    params.set('board', crypto.randomUUID().slice(0, 12))
    params.set('key', btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))
    history.replaceState(null, '', `#${params}`)
  }
  return { board: params.get('board'), key: params.get('key') }
}

export function App() {
  const [address] = useState(boardAddress)
  const [peers, setPeers] = useState(0)
  // The meshboard server to meet peers through: ?signaling=wss://…/signal, else this origin's /signal.
  const signaling = new URLSearchParams(location.search).get('signaling') ?? undefined
  return (
    <>
      <header>
        <h1>My React app, with a whiteboard</h1>
        <p role="status">{peers === 0 ? 'Nobody else here yet' : peers === 1 ? '1 other person here' : `${peers} other people here`}</p>
      </header>
      <main>
        <Whiteboard board={address.board} boardKey={address.key} signaling={signaling} onPeers={setPeers} />
      </main>
    </>
  )
}
