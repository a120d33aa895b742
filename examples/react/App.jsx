import { useState } from 'react'
import { Whiteboard } from './Whiteboard.jsx'

export function App() {
  const [peers, setPeers] = useState(0)
  return (
    <>
      <p>{peers === 0 ? 'Nobody else here yet' : `${peers} other people here`}</p>
      <Whiteboard board="react-demo" boardKey="q5m8JYzM1qH2mR0vGf9Xkw" onPeers={setPeers} />
    </>
  )
}
