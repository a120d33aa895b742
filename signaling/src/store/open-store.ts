import type { Config } from '../config.js'
import type { BoardStore } from './board-store.js'
import { localNewBoardQuota, type NewBoardQuota } from './limits.js'
import { RedisStore } from './redis-store.js'
import { openSqliteStore } from './sqlite-store.js'

export interface OpenedStore {
  /** Undefined with STORE=off. */
  store: BoardStore | undefined
  newBoards: NewBoardQuota
}

/**
 * Redis when REDIS_URL is set, since then several instances serve one deployment and must see the
 * same boards; otherwise SQLite under DATA_DIR. Throws if the SQLite file cannot be opened.
 */
export function openStore(config: Config): OpenedStore {
  const newBoardsPerDay = config.storeNewBoardsPerDay
  if (!config.storeEnabled) return { store: undefined, newBoards: localNewBoardQuota(newBoardsPerDay) }
  const limits = {
    maxBoardBytes: config.storeMaxBoardBytes,
    maxLogRecords: config.storeMaxLogRecords,
    maxLogBytes: config.storeMaxLogBytes,
    ttlDays: config.storeTtlDays,
  }
  if (config.redisUrl !== undefined) {
    const store = new RedisStore({ ...limits, url: config.redisUrl, keyPrefix: config.redisStorePrefix })
    return { store, newBoards: store.newBoardQuota(newBoardsPerDay) }
  }
  return { store: openSqliteStore(config.dataDir, limits), newBoards: localNewBoardQuota(newBoardsPerDay) }
}
