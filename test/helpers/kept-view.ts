/** Lives in support/kept-view.ts, shared with the benchmarks (bench/ imports nothing from test/). */
export * from '../../support/kept-view'
