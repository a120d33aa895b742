import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { signalingTopic } from '../../src/net/board-address'
import { seal, unseal, UnreadableSealError } from '../../src/net/sealed'
import { deriveStoreKeys } from '../../src/net/store-keys'
import { ENTRY_RECORD, ENTRY_SNAPSHOT, MalformedStoreResponseError, parseEntries, storeUrlFor } from '../../src/store/store-wire'
import { lackingFrom } from '../../src/store/copy-contents'

const address = { board: 'team-retro', key: 'GLzeCqQBIepZla4WQVW9Nw' }

describe('store keys', () => {
  it('are the same for the same board on every device', async () => {
    const [a, b] = await Promise.all([deriveStoreKeys(address), deriveStoreKeys({ ...address })])
    expect(a.storeId).toBe(b.storeId)
    expect(a.writeSecret).toBe(b.writeSecret)
    expect(a.relayTopic).toBe(b.relayTopic)
    const sealed = await seal(a.recordKey, 'update', a.storeId, new Uint8Array([1, 2, 3]))
    expect([...(await unseal(b.recordKey, 'update', b.storeId, sealed))]).toEqual([1, 2, 3])
  })

  it('have the shapes the server expects, and reveal neither the id, the key nor the topic', async () => {
    const keys = await deriveStoreKeys(address)
    expect(keys.storeId).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(keys.writeSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(keys.relayTopic).toMatch(/^[0-9a-f]{64}$/)
    const topic = await signalingTopic(address)
    const names = [keys.storeId, keys.writeSecret, keys.relayTopic, topic]
    expect(new Set(names).size).toBe(4)
    for (const name of names.slice(0, 3)) {
      expect(name).not.toContain(address.board)
      expect(name).not.toContain(address.key)
    }
  })

  it('differ for another key or another board id', async () => {
    const base = await deriveStoreKeys(address)
    const otherKey = await deriveStoreKeys({ ...address, key: 'HLzeCqQBIepZla4WQVW9Nw' })
    const otherBoard = await deriveStoreKeys({ ...address, board: 'team-retro2' })
    expect(otherKey.storeId).not.toBe(base.storeId)
    expect(otherBoard.storeId).not.toBe(base.storeId)
    expect(otherBoard.writeSecret).not.toBe(base.writeSecret)
  })
})

describe('sealed records', () => {
  it('round-trip, with a fresh IV each time', async () => {
    const { recordKey, storeId } = await deriveStoreKeys(address)
    const plain = new TextEncoder().encode('a stroke')
    const [first, second] = await Promise.all([seal(recordKey, 'update', storeId, plain), seal(recordKey, 'update', storeId, plain)])
    expect(first).not.toEqual(second)
    expect(new TextDecoder().decode(await unseal(recordKey, 'update', storeId, first))).toBe('a stroke')
    expect(new TextDecoder().decode(first)).not.toContain('a stroke')
  })

  it('refuse bytes altered, of another board, of another purpose or of another key', async () => {
    const keys = await deriveStoreKeys(address)
    const other = await deriveStoreKeys({ ...address, key: 'HLzeCqQBIepZla4WQVW9Nw' })
    const sealed = await seal(keys.recordKey, 'update', keys.storeId, new Uint8Array(100).fill(7))
    const altered = sealed.slice()
    altered[40] = altered[40]! ^ 1
    await expect(unseal(keys.recordKey, 'update', keys.storeId, altered)).rejects.toThrow(UnreadableSealError)
    await expect(unseal(keys.recordKey, 'update', other.storeId, sealed)).rejects.toThrow(UnreadableSealError)
    await expect(unseal(keys.recordKey, 'snapshot', keys.storeId, sealed)).rejects.toThrow(UnreadableSealError)
    await expect(unseal(other.recordKey, 'update', keys.storeId, sealed)).rejects.toThrow(UnreadableSealError)
    await expect(unseal(keys.recordKey, 'update', keys.storeId, sealed.subarray(0, 20))).rejects.toThrow(UnreadableSealError)
  })
})

describe('the read format', () => {
  const entry = (kind: number, seq: number, bytes: number[]) => [kind, 0, 0, seq >> 8, seq & 255, 0, 0, 0, bytes.length, ...bytes]

  it('parses a snapshot and records back to back', () => {
    const body = new Uint8Array([...entry(ENTRY_SNAPSHOT, 7, [1, 2]), ...entry(ENTRY_RECORD, 8, [3]), ...entry(ENTRY_RECORD, 300, [])])
    expect(parseEntries(body).map(({ kind, seq, bytes }) => [kind, seq, [...bytes]])).toEqual([
      [ENTRY_SNAPSHOT, 7, [1, 2]],
      [ENTRY_RECORD, 8, [3]],
      [ENTRY_RECORD, 300, []],
    ])
    expect(parseEntries(new Uint8Array())).toEqual([])
  })

  it('refuses a body cut short or of an unknown kind', () => {
    expect(() => parseEntries(new Uint8Array(entry(ENTRY_RECORD, 1, [1, 2, 3]).slice(0, 11)))).toThrow(MalformedStoreResponseError)
    expect(() => parseEntries(new Uint8Array([2, 0, 0]))).toThrow(MalformedStoreResponseError)
    expect(() => parseEntries(new Uint8Array(entry(9, 1, [1])))).toThrow(MalformedStoreResponseError)
  })

  it('finds the store beside the signaling URL', () => {
    expect(storeUrlFor('wss://board.example.org/signal')).toBe('https://board.example.org/store/')
    expect(storeUrlFor('ws://127.0.0.1:8787/signal')).toBe('http://127.0.0.1:8787/store/')
    expect(storeUrlFor('wss://example.org/meshboard/signal?x=1')).toBe('https://example.org/meshboard/store/')
  })
})

describe('what the server lacks', () => {
  function board(): { doc: Y.Doc; updates: Uint8Array[] } {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    const shapes = doc.getMap<Y.Map<unknown>>('shapes')
    for (let i = 0; i < 5; i++) shapes.set(`s${i}`, new Y.Map([['x', i]]))
    return { doc, updates }
  }

  it('is nothing when the server has every record of the board', () => {
    const { doc, updates } = board()
    expect(lackingFrom(doc, updates)).toBeNull()
    expect(lackingFrom(doc, [Y.mergeUpdates(updates)])).toBeNull()
  })

  it('is the new shapes when the device has some the server lacks, and they fill the gap', () => {
    const { doc, updates } = board()
    const held = updates.length
    doc.getMap<Y.Map<unknown>>('shapes').set('offline', new Y.Map([['x', 9]]))
    const lacking = lackingFrom(doc, updates.slice(0, held))
    expect(lacking).not.toBeNull()
    const server = new Y.Doc()
    for (const update of updates.slice(0, held)) Y.applyUpdate(server, update)
    Y.applyUpdate(server, lacking!)
    expect(server.getMap('shapes').toJSON()).toEqual(doc.getMap('shapes').toJSON())
  })

  it('sees a deletion the server lacks', () => {
    const { doc, updates } = board()
    const held = updates.slice()
    doc.getMap('shapes').delete('s2')
    const lacking = lackingFrom(doc, held)
    expect(lacking).not.toBeNull()
    const server = new Y.Doc()
    for (const update of held) Y.applyUpdate(server, update)
    Y.applyUpdate(server, lacking!)
    expect(server.getMap('shapes').has('s2')).toBe(false)
    // Once the server has the deletion too, nothing is lacking.
    expect(lackingFrom(doc, [...held, lacking!])).toBeNull()
  })

  it('is the whole board for an empty server (a board from before the store)', () => {
    const { doc } = board()
    const lacking = lackingFrom(doc, [])
    const server = new Y.Doc()
    Y.applyUpdate(server, lacking!)
    expect(server.getMap('shapes').toJSON()).toEqual(doc.getMap('shapes').toJSON())
  })
})
