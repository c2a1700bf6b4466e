/**
 * Progress on stderr: a redrawn status line (items, rate, ETA, throttled waits, 429s and
 * retries so far) when stderr is a terminal, nothing when it is piped. `--progress lines`
 * prints one plain line per step instead (for logs and for tests that wait on progress).
 */
import { RateLimit } from "@intercom-fx/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as MetricState from "effect/MetricState"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import type { ProgressMode } from "./internal/options.js"

export { progress as option, type ProgressMode as Mode } from "./internal/options.js"

export interface Progress {
  /** Counts `n` more items done. */
  readonly advance: (n: number) => Effect.Effect<void>
  /** Counts `n` items an earlier run did (`--resume`): done, but not part of this run's rate. */
  readonly resumed: (n: number) => Effect.Effect<void>
  /** Sets the expected total, when the API tells it. */
  readonly total: (n: number) => Effect.Effect<void>
  /** Items done so far. */
  readonly done: Effect.Effect<number>
}

interface State {
  readonly done: number
  readonly resumed: number
  readonly total: Option.Option<number>
}

const writeErr = (text: string) => Effect.sync(() => void process.stderr.write(text))

const eta = (state: State, rate: number): string =>
  Option.match(state.total, {
    onNone: () => "",
    onSome: (total) => {
      if (rate <= 0 || state.done >= total) return ""
      const seconds = Math.ceil((total - state.done) / rate)
      return `, ETA ${seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`}`
    }
  })

/** The name core's `Retry.retriesTotal` counter is registered under. */
const retriesName = "intercom_fx_retries_total"

/**
 * Retries so far, over every error tag: core's `Retry.retriesTotal` is incremented through
 * `Metric.tagged(…, "error", tag)`, so its untagged `Metric.value` stays 0; the tagged
 * counters are summed from the metric registry.
 */
export const retries: Effect.Effect<number> = Effect.map(Metric.snapshot, (pairs) => {
  let total = 0
  for (const pair of pairs) {
    if (pair.metricKey.name === retriesName && MetricState.isCounterState(pair.metricState)) {
      total += Number(pair.metricState.count)
    }
  }
  return total
})

/** A progress reporter for `label` (e.g. "contacts"); stops drawing when its scope closes. */
export const make = (
  label: string,
  mode: ProgressMode
): Effect.Effect<Progress, never, Scope.Scope | RateLimit.RateLimit> =>
  Effect.gen(function*() {
    const rateLimit = yield* RateLimit.RateLimit
    const state = yield* Ref.make<State>({ done: 0, resumed: 0, total: Option.none() })
    const started = Date.now()
    const tty = mode === "auto" && process.stderr.isTTY === true

    const line = Effect.gen(function*() {
      const current = yield* Ref.get(state)
      const stats = yield* rateLimit.stats
      const retried = yield* retries
      const elapsed = Math.max(0.001, (Date.now() - started) / 1000)
      const rate = (current.done - current.resumed) / elapsed
      const of = Option.match(current.total, { onNone: () => "", onSome: (total) => `/${total}` })
      return `${label}: ${current.done}${of} items, ${rate.toFixed(0)}/s${eta(current, rate)}, throttled ${stats.throttled}, 429s ${stats.rateLimited}, retries ${retried}`
    })

    if (tty) {
      const draw = Effect.flatMap(line, (text) => writeErr(`\r\x1b[K${text}`))
      yield* Effect.forkScoped(Effect.forever(Effect.zipRight(draw, Effect.sleep(Duration.millis(250)))))
      yield* Effect.addFinalizer(() => writeErr("\r\x1b[K"))
    }

    return {
      advance: (n) =>
        Effect.flatMap(Ref.updateAndGet(state, (s) => ({ ...s, done: s.done + n })), () =>
          mode === "lines" ? Effect.flatMap(line, (text) => writeErr(`progress: ${text}\n`)) : Effect.void),
      resumed: (n) => Ref.update(state, (s) => ({ ...s, done: s.done + n, resumed: s.resumed + n })),
      total: (n) => Ref.update(state, (s) => ({ ...s, total: Option.some(n) })),
      done: Effect.map(Ref.get(state), (s) => s.done)
    }
  })
