/**
 * The events `<mesh-board>` fires (its public surface, documented on the element) and the one
 * helper every component fires events with: typed detail, bubbling out of shadow roots
 * (DESIGN.md §11). The board's own panels talk to it with events named `meshui-*` (the toolbar's
 * `meshui-toolbar`, the style panel's `meshui-style`…): they bubble out of the board like the
 * public `mesh-*` ones, and the prefix keeps a page listening on it from taking one for its own.
 */
import type { ConnectionStatus } from '../net/board-connection'
import type { ServerStoreStatus } from '../store/server-store'

export interface MeshReadyDetail {
  readonly board: string
}
export interface MeshChangeDetail {
  /** True when this user made the change, false when it came from a peer or from storage. */
  readonly local: boolean
}
export interface MeshPeersDetail {
  readonly peerCount: number
}
export interface MeshStatusDetail {
  readonly status: ConnectionStatus
}
export interface MeshBoardChangeDetail {
  readonly board: string
  readonly key: string
}
export interface MeshStoreDetail {
  readonly storeStatus: ServerStoreStatus
  /** Why the server's copy is behind, when `storeStatus` is 'error'. */
  readonly error: string | null
}
export interface MeshErrorDetail {
  readonly code: 'storage' | 'store' | 'peer' | 'insecure-context' | 'connection' | 'voice' | 'file'
  readonly message: string
}

/** Fires a CustomEvent that bubbles out of shadow roots with a typed detail. */
export function emit<T>(target: EventTarget, type: string, detail: T): void {
  target.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }))
}
