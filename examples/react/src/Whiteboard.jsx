// A React wrapper around <mesh-board> (React 19). React passes unknown props of custom elements as
// properties, with one exception: `key` is React's own, so the board key is set through a ref.
import 'meshboard'
import { useEffect, useRef } from 'react'

export function Whiteboard({ board, boardKey, signaling, theme = 'light', readOnly = false, onChange, onPeers }) {
  const ref = useRef(null)

  useEffect(() => {
    ref.current.key = boardKey
  }, [boardKey])

  useEffect(() => {
    const element = ref.current
    const change = (event) => onChange?.(event.detail)
    const peers = (event) => onPeers?.(event.detail.peerCount)
    element.addEventListener('mesh-change', change)
    element.addEventListener('mesh-peers', peers)
    return () => {
      element.removeEventListener('mesh-change', change)
      element.removeEventListener('mesh-peers', peers)
    }
  }, [onChange, onPeers])

  return (
    <mesh-board
      ref={ref}
      board={board}
      signaling={signaling}
      theme={theme}
      readonly={readOnly || undefined}
      aria-label="Team whiteboard"
      style={{ display: 'block', height: 'calc(100vh - 110px)' }}
    />
  )
}
