/**
 * Everything that exists once per open board: the document, its undo history, local storage and
 * the peer connection. The element creates one per (board, key) and destroys it when either
 * changes or the element leaves the page.
 */
import * as Y from 'yjs'
import { Awareness, removeAwarenessStates } from 'y-protocols/awareness'
import { History } from '../model/history'
import { signalingTopic, type BoardAddress } from '../net/board-address'
import { BoardConnection, type ConnectionStatus } from '../net/board-connection'
import { VoiceMesh } from '../net/voice-mesh'
import { isStoredOnDevice, LocalStore, type StoreState } from '../store/local-store'

export interface SessionOptions {
  /** null: a scratch board that lives only in this tab. */
  readonly address: BoardAddress | null
  readonly signalingUrl: string
  readonly iceServers: readonly RTCIceServer[]
  readonly persist: boolean
  /** Something observable changed: status, peers or storage state. */
  readonly onChange: () => void
  readonly onError: (error: unknown) => void
  /** A peer's audio arrived. */
  readonly onStream: (peerId: string, stream: MediaStream) => void
  /** The board is loaded from this device (or there is nothing to load) and joining its peers. */
  readonly onReady: () => void
}

export class BoardSession {
  readonly doc = new Y.Doc()
  readonly history = new History(this.doc)
  readonly awareness = new Awareness(this.doc)
  readonly voice = new VoiceMesh(() => this.connection?.connectedPeers() ?? [])
  private store: LocalStore | null = null
  private storedFound!: (store: LocalStore | null) => void
  /**
   * The store, once known to hold the board from an earlier visit; null when there is nothing to
   * load (never stored here, or not kept on this device).
   */
  private readonly whenStored = new Promise<LocalStore | null>((resolve) => (this.storedFound = resolve))
  private connection: BoardConnection | null = null
  private destroyed = false
  private readonly abort = new AbortController()

  constructor(private readonly options: SessionOptions) {
    void this.start().catch((error) => options.onError(error))
    // Leaving says goodbye at once, so others do not see a frozen cursor for 30 seconds.
    addEventListener('pagehide', () => removeAwarenessStates(this.awareness, [this.doc.clientID], 'page hidden'), {
      signal: this.abort.signal,
    })
  }

  get status(): ConnectionStatus {
    return this.connection?.status ?? (this.options.address ? 'connecting' : 'offline')
  }

  get peerCount(): number {
    return this.connection?.peerCount ?? 0
  }

  /** Bytes of the board arriving from a peer that have come so far (0 when nothing big is arriving). */
  get receivingBytes(): number {
    return this.connection?.receivingBytes ?? 0
  }

  /** Whether a peer is sending the board in pieces and has not sent all of them yet. */
  get boardArriving(): boolean {
    return this.connection?.boardArriving ?? false
  }

  get storeState(): StoreState | 'off' {
    return this.store?.state ?? 'off'
  }

  get storeError(): string | null {
    return this.store?.error ?? null
  }

  /** The view kept with the board on this device (render/kept-view.ts), as soon as it is read; undefined if none. */
  async readKeptView(): Promise<unknown> {
    return (await this.whenStored)?.keptView
  }

  /** Resolves once the board stored on this device is in the document (at once if none is stored). */
  async whenStoreLoaded(): Promise<void> {
    await (await this.whenStored)?.whenLoaded
  }

  keepView(view: unknown): Promise<void> {
    return this.store?.keepView(view) ?? Promise.resolve()
  }

  /** Writes pending local changes to storage now. */
  flush(): void {
    this.store?.flush()
  }

  destroy(): void {
    this.destroyed = true
    this.abort.abort()
    removeAwarenessStates(this.awareness, [this.doc.clientID], 'destroy')
    this.voice.destroy()
    this.connection?.destroy()
    this.store?.destroy()
    this.history.destroy()
    this.awareness.destroy()
    this.doc.destroy()
  }

  private async start(): Promise<void> {
    const { address } = this.options
    if (!address || !this.options.persist) this.storedFound(null)
    if (!address) return this.options.onReady()
    const topic = await signalingTopic(address)
    if (this.destroyed) return this.storedFound(null)
    if (this.options.persist) {
      const name = `meshboard-${topic}`
      // Asked before the store opens its database, which creates it (IndexedDB answers requests in order).
      const stored = isStoredOnDevice(name)
      this.store = new LocalStore(name, this.doc, this.options.onChange)
      this.storedFound((await stored) ? this.store : null)
      // Connect with the local board loaded, so the first exchange with peers already carries it
      // (otherwise peers would send us what we have, and we them). A board this device never
      // stored has nothing to load: a first-time joiner connects at once, and what arrives before
      // the store is open is written when it opens (y-indexeddb stores the document it finds).
      if (await stored) await this.store.whenLoaded
      if (this.destroyed) return
    }
    this.options.onReady()
    this.connection = new BoardConnection({
      doc: this.doc,
      awareness: this.awareness,
      topic,
      key: address.key,
      signalingUrl: this.options.signalingUrl,
      iceServers: this.options.iceServers,
      onChange: this.options.onChange,
      onStream: this.options.onStream,
    })
    this.options.onChange()
  }
}
