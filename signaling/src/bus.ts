/**
 * How publishes travel between instances of the server. Without a bus an instance is alone, which is
 * also what it falls back to while the bus is down: clients on the same instance keep finding each other.
 */
export interface Bus {
  /** This instance now has subscribers for the topic. */
  join(topic: string): void
  /** This instance no longer has subscribers for the topic. */
  leave(topic: string): void
  /** Hands a publish from one of this instance's clients to the other instances. */
  publish(topic: string, text: string): void
  stats(): BusStats
  close(): Promise<void>
}

export interface BusStats {
  /** Publishes reach the other instances and theirs reach this one. */
  readonly connected: boolean
  readonly published: number
  readonly received: number
  /** Publishes that could not be handed to the other instances (the bus was down). */
  readonly dropped: number
}

/** The instance's side of the bus. */
export interface BusHost {
  /** Delivers a publish from another instance to this instance's subscribers. */
  deliver(topic: string, text: string): void
  /** The topics this instance has subscribers for, to join again after a reconnect. */
  topics(): Iterable<string>
}

export type BusFactory = (host: BusHost) => Bus
