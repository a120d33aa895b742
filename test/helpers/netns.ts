/** Lives in support/netns.ts, shared with the benchmarks (bench/ imports nothing from test/). */
export * from '../../support/netns'
