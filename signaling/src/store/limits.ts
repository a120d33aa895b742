import { TokenBucket } from '../token-bucket.js'

const MINUTE_MS = 60_000
export const DAY_MS = 24 * 60 * MINUTE_MS

/**
 * A token bucket per client address holding a minute's worth of requests. A bucket idle for a
 * minute is full again, the same as a new one, so it is forgotten: the map holds only the
 * addresses seen in the last minute or two, however many come and go.
 */
export class AddressRateLimit {
  private readonly buckets = new Map<string, { bucket: TokenBucket; usedAt: number }>()
  private prunedAt = Date.now()

  constructor(private readonly perMinute: number) {}

  /** 0 when the request may go ahead, otherwise the seconds to wait (for Retry-After). */
  take(address: string): number {
    const now = Date.now()
    if (now - this.prunedAt >= MINUTE_MS) this.prune(now)
    let entry = this.buckets.get(address)
    if (entry === undefined) {
      entry = { bucket: new TokenBucket(this.perMinute / 60, this.perMinute), usedAt: now }
      this.buckets.set(address, entry)
    }
    entry.usedAt = now
    if (entry.bucket.take()) return 0
    return Math.max(1, Math.ceil(entry.bucket.msUntilToken() / 1000))
  }

  get size(): number {
    return this.buckets.size
  }

  private prune(now: number): void {
    this.prunedAt = now
    for (const [address, { usedAt }] of this.buckets) if (now - usedAt >= MINUTE_MS) this.buckets.delete(address)
  }
}

/** Boards an address may create per UTC day: shared through Redis by several instances, or local to one. */
export interface NewBoardQuota {
  /** Counts a new board; 0 when allowed, otherwise the seconds until the day's count resets. */
  take(address: string): Promise<number>
}

export function secondsToNextDay(now: number): number {
  return Math.max(1, Math.ceil((DAY_MS - (now % DAY_MS)) / 1000))
}

export function localNewBoardQuota(perDay: number, now: () => number = Date.now): NewBoardQuota {
  let day = Math.floor(now() / DAY_MS)
  // Only today's counts: the map is emptied when the day turns, so it never outgrows one day's creators.
  const counts = new Map<string, number>()
  return {
    async take(address) {
      const time = now()
      const today = Math.floor(time / DAY_MS)
      if (today !== day) {
        day = today
        counts.clear()
      }
      const count = (counts.get(address) ?? 0) + 1
      if (count > perDay) return secondsToNextDay(time)
      counts.set(address, count)
      return 0
    },
  }
}
