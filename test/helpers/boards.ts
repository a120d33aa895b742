/** Lives in support/boards.ts, shared with the benchmarks (bench/ imports nothing from test/). */
export * from '../../support/boards'
