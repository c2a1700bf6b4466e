/**
 * Deadlines for many short operations without a fiber per operation.
 *
 * `Effect.timeoutFail` races each operation against a sleeping fiber: two forks, an
 * interruption and a merge of fiber refs every time, which was the largest part of the
 * client's own CPU per request. Here one fiber per client sleeps until the earliest
 * deadline and runs `onExpire` for each operation still registered past its own (the
 * client's aborts the HTTP request). Watching and releasing are a set insert and delete.
 * While requests flow with one timeout the fiber wakes about once per timeout period;
 * with nothing registered it parks on a deferred, so no timer keeps the process alive.
 *
 * Time is read from Effect's `Clock`, so `TestClock` drives it in tests.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberId from "effect/FiberId"
import type * as Scope from "effect/Scope"

export interface Deadline {
  /** Whether the deadline passed while the operation was watched (`onExpire` has run or is running). */
  readonly expired: boolean
  /** Stops watching: `onExpire` will not run after this. */
  readonly release: () => void
}

export interface Watchdog {
  /** Watches an operation that starts now: `onExpire` runs once `timeout` has passed, unless released before. */
  readonly watch: (timeout: Duration.Duration, onExpire: Effect.Effect<void>) => Effect.Effect<Deadline>
}

class Entry implements Deadline {
  expired = false
  constructor(
    readonly at: number,
    readonly onExpire: Effect.Effect<void>,
    private readonly entries: Set<Entry>
  ) {}
  release(): void {
    this.entries.delete(this)
  }
}

/** A watchdog whose fiber lives in the current scope. */
export const make: Effect.Effect<Watchdog, never, Scope.Scope> = Effect.gen(function*() {
  const entries = new Set<Entry>()
  // When the fiber wakes next (infinity: parked); a deadline before it must wake it early.
  let wakeAt = Number.POSITIVE_INFINITY
  let wake = yield* Deferred.make<void>()

  /** Takes the expired entries out and plans the next wake-up, with no yield in between. */
  const sweep = (now: number): { readonly due: ReadonlyArray<Entry>; readonly sleep: Effect.Effect<void> } => {
    const due: Array<Entry> = []
    let earliest = Number.POSITIVE_INFINITY
    for (const entry of entries) {
      if (entry.at <= now) due.push(entry)
      else if (entry.at < earliest) earliest = entry.at
    }
    for (const entry of due) {
      entries.delete(entry)
      entry.expired = true
    }
    wakeAt = earliest
    wake = Deferred.unsafeMake<void>(FiberId.none)
    const woken = Deferred.await(wake)
    return { due, sleep: earliest === Number.POSITIVE_INFINITY ? woken : Effect.raceFirst(Effect.sleep(earliest - now), woken) }
  }

  yield* Effect.forkScoped(Effect.forever(Effect.gen(function*() {
    const { due, sleep } = sweep(yield* Clock.currentTimeMillis)
    for (const entry of due) yield* entry.onExpire
    yield* sleep
  })))

  return {
    watch: (timeout, onExpire) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const entry = new Entry(now + Duration.toMillis(timeout), onExpire, entries)
        entries.add(entry)
        return entry.at < wakeAt ? Effect.as(Deferred.succeed(wake, undefined), entry) : Effect.succeed(entry)
      })
  }
})
