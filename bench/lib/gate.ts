/**
 * Keeps CPU-bound runs from overlapping the latency-bound runs they share a phase with.
 *
 * Benchmark 2's intercom-fx rounds (8 slices at once) keep both cores busy for 10 to 16 s.
 * Beside benchmark 1 they used to land on its intercom-fx rounds (both benchmarks
 * alternate in step) and slowed only that side: 47.7 and 48.6 s against 42.2 s in
 * `2026-11-23-3`. A measured run of benchmark 1 holds the gate `shared`; a CPU-bound run
 * takes it `exclusive`, which waits for the shared holders to finish their current run
 * and keeps new ones waiting until it is done, so neither side of benchmark 1 runs beside it.
 */
export interface Gate {
  readonly shared: <A>(run: () => Promise<A>) => Promise<A>
  readonly exclusive: <A>(run: () => Promise<A>) => Promise<A>
}

export const make = (): Gate => {
  let sharedHolders = 0
  let exclusiveHeld = false
  /** Exclusive requests waiting: new shared holders wait behind them. */
  let exclusiveWaiting = 0
  let waiters: Array<() => void> = []
  const changed = () => {
    const woken = waiters
    waiters = []
    for (const wake of woken) wake()
  }
  const until = async (ready: () => boolean) => {
    while (!ready()) await new Promise<void>((resolve) => waiters.push(resolve))
  }
  return {
    shared: async (run) => {
      await until(() => !exclusiveHeld && exclusiveWaiting === 0)
      sharedHolders++
      try {
        return await run()
      } finally {
        sharedHolders--
        changed()
      }
    },
    exclusive: async (run) => {
      exclusiveWaiting++
      await until(() => !exclusiveHeld && sharedHolders === 0)
      exclusiveWaiting--
      exclusiveHeld = true
      try {
        return await run()
      } finally {
        exclusiveHeld = false
        changed()
      }
    }
  }
}
