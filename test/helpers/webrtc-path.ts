/** Lives in support/webrtc-path.ts, shared with the benchmarks (bench/ imports nothing from test/). */
export * from '../../support/webrtc-path'
