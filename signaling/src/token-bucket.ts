/**
 * A per-connection message budget: `burst` frames at once, refilled at `ratePerSecond`. Two numbers
 * per connection and no timer: the refill is computed from the clock when a frame arrives.
 */
export class TokenBucket {
  private tokens: number
  private refilledAt: number

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst
    this.refilledAt = Date.now()
  }

  /** Spends one token if there is one. */
  take(): boolean {
    this.refill()
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }

  /** How long until a token is there to take: what a client refused for its rate is told to wait. */
  msUntilToken(): number {
    this.refill()
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / this.ratePerSecond
  }

  private refill(): void {
    const now = Date.now()
    // A clock stepping backwards (NTP) must not drain the bucket.
    const elapsed = Math.max(0, now - this.refilledAt)
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000)
    this.refilledAt = now
  }
}
