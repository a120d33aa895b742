/**
 * Turns the open board's state into `<mesh-board>`'s events: each fires when what it reports
 * changed, never for the same value twice (a session reports "something changed" often).
 */
import type { BoardSession } from '../editor/board-session'
import type { ConnectionStatus } from '../net/board-connection'
import type { ServerStoreStatus } from '../store/server-store'
import { emit, type MeshErrorDetail, type MeshPeersDetail, type MeshStatusDetail, type MeshStoreDetail } from './mesh-events'

export class SessionEvents {
  private status: ConnectionStatus | null = null
  private peerCount = -1
  private storeStatus: ServerStoreStatus | null = null
  private storeError: string | null = null
  private storageError: string | null = null

  constructor(private readonly target: EventTarget) {}

  /** A new board: its storage problem, if any, is reported afresh. */
  reset(): void {
    this.storageError = null
  }

  /**
   * Fires the events whose values changed. Returns the storage problem when it changed (null: it
   * went away), undefined when it did not.
   */
  update(session: BoardSession): string | null | undefined {
    const storageError = session.storeError
    const storageChanged = storageError !== this.storageError
    if (storageChanged) {
      this.storageError = storageError
      if (storageError) emit<MeshErrorDetail>(this.target, 'mesh-error', { code: 'storage', message: storageError })
    }
    const status = session.status
    if (status !== this.status) {
      this.status = status
      emit<MeshStatusDetail>(this.target, 'mesh-status', { status })
    }
    const storeStatus = session.serverStatus
    const storeError = session.serverError
    if (storeStatus !== this.storeStatus || storeError !== this.storeError) {
      this.storeStatus = storeStatus
      this.storeError = storeError
      emit<MeshStoreDetail>(this.target, 'mesh-store', { storeStatus, error: storeError })
    }
    const peerCount = session.peerCount
    if (peerCount !== this.peerCount) {
      this.peerCount = peerCount
      emit<MeshPeersDetail>(this.target, 'mesh-peers', { peerCount })
    }
    return storageChanged ? storageError : undefined
  }
}
