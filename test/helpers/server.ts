/** Lives in support/server.ts, shared with the benchmarks (bench/ imports nothing from test/). */
export * from '../../support/server'
