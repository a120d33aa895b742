/** What every benchmark's `run()` returns to bench/run.ts, which prints it and writes it to bench/results/. */
export interface BenchResult {
  /** One row per measured thing; printed as a table. */
  readonly rows: Record<string, string | number>[]
  /** Free-form figures worth keeping in the JSON. */
  readonly figures?: Record<string, unknown>
}
