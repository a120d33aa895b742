/** Lives in support/coturn.ts, shared with the benchmarks (bench/ imports nothing from test/). */
export * from '../../support/coturn'
