/** Lives in support/redis.ts, shared with the benchmarks (bench/ imports nothing from test/). */
export * from '../../support/redis'
