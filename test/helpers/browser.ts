/** Lives in support/browser.ts, shared with the benchmarks (bench/ imports nothing from test/). */
export * from '../../support/browser'
