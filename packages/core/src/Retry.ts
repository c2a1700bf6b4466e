/**
 * When and how long to wait before trying a failed call again, as `Schedule`s.
 *
 * - 429: wait until `X-RateLimit-Reset` (or `Retry-After`) plus a little jitter.
 * - 408, 5xx, transport failures and timeouts: exponential back-off with jitter and a cap,
 *   but only for requests that are safe to repeat (idempotent), since the server may
 *   already have processed them.
 * - A non-idempotent POST is retried only on 429 or when it provably never reached the
 *   server (connection refused, unknown host).
 *
 * Waits use the `Clock`, so `TestClock` can prove them.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import type { IntercomError, RateLimited } from "./IntercomError.js"

export interface RetryOptions {
  /** Attempts including the first; 1 disables retries. */
  readonly maxAttempts: number
  /** First back-off wait; doubles per attempt. */
  readonly baseDelay: Duration.DurationInput
  /** Cap on one back-off wait. */
  readonly maxDelay: Duration.DurationInput
}

export const defaults: RetryOptions = { maxAttempts: 5, baseDelay: "500 millis", maxDelay: "30 seconds" }

/** Whether another attempt may help and cannot do a write twice. */
export const isRetryable = (error: IntercomError, idempotent: boolean): boolean => {
  switch (error._tag) {
    case "RateLimited":
      return true
    case "TransportError":
      return idempotent || !error.reachedServer
    case "ServerError":
    case "TimeoutError":
      return idempotent
    default:
      return false
  }
}

/** Counts retries (tagged with the error that caused each), e.g. for progress displays and exporters. */
export const retriesTotal = Metric.counter("intercom_fx_retries_total", {
  description: "Requests to Intercom repeated after a retryable failure"
})

// Up to a quarter of a second past the reset, so waiting fibers don't return in lockstep.
const RESET_JITTER_MS = 250

/** How long a 429 asks us to wait: until the window resets, else `Retry-After`, else nothing known. */
export const rateLimitWait = (error: RateLimited): Effect.Effect<Duration.Duration | undefined> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const jitter = yield* Random.nextIntBetween(0, RESET_JITTER_MS)
    if (error.resetAt !== undefined) return Duration.millis(Math.max(0, error.resetAt - now) + jitter)
    if (error.retryAfter !== undefined) return Duration.millis(error.retryAfter * 1000 + jitter)
    return undefined
  })

/** Exponential back-off from `baseDelay`, jittered (±20 %), each wait capped at `maxDelay`, in whole milliseconds. */
export const backoff = (options: Pick<RetryOptions, "baseDelay" | "maxDelay">): Schedule.Schedule<Duration.Duration> => {
  const cap = Duration.toMillis(options.maxDelay)
  return Schedule.exponential(options.baseDelay).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.millis(Math.min(Math.round(Duration.toMillis(delay)), cap)))
  )
}

/**
 * The retry policy for one call: retries what `isRetryable` allows, at most
 * `maxAttempts - 1` times, waiting for the rate-limit reset on 429s and backing off
 * otherwise. Each retry is logged with the error that caused it.
 */
export const policy = (
  options: RetryOptions & { readonly idempotent: boolean }
): Schedule.Schedule<IntercomError, IntercomError> =>
  Schedule.identity<IntercomError>().pipe(
    Schedule.whileInput((error: IntercomError) => isRetryable(error, options.idempotent)),
    Schedule.zipLeft(Schedule.recurs(Math.max(0, options.maxAttempts - 1))),
    Schedule.zipLeft(backoff(options)),
    Schedule.modifyDelayEffect((error, delay) =>
      Effect.gen(function*() {
        const wait = (error._tag === "RateLimited" ? yield* rateLimitWait(error) : undefined) ?? delay
        yield* Effect.logWarning(`retrying ${error.operation} in ${Duration.format(wait)}: ${error.message}`)
        yield* Metric.increment(Metric.tagged(retriesTotal, "error", error._tag))
        return wait
      })
    )
  )
