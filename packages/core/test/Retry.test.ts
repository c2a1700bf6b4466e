import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Metric, Random, Ref, TestClock } from "effect"
import * as IntercomError from "../src/IntercomError.js"
import * as Retry from "../src/Retry.js"

const site = { operation: "contacts.get", method: "GET", path: "/contacts/1", errors: [] }
const serverError = new IntercomError.ServerError({ ...site, status: 500 })
const notFound = new IntercomError.NotFound({ ...site, status: 404 })
const refused = new IntercomError.TransportError({ ...site, reason: "ECONNREFUSED", reachedServer: false })
const reset = new IntercomError.TransportError({ ...site, reason: "ECONNRESET", reachedServer: true })
const timeout = new IntercomError.TimeoutError({ ...site, timeoutMs: 1000 })

/** Fails with `errors` in turn, counting attempts, under the given policy. */
const run = (errors: ReadonlyArray<IntercomError.IntercomError>, options: Partial<Retry.RetryOptions> & { idempotent: boolean }) =>
  Effect.gen(function*() {
    const attempts = yield* Ref.make(0)
    const attempt = Effect.flatMap(Ref.getAndUpdate(attempts, (n) => n + 1), (n) =>
      n < errors.length ? Effect.fail(errors[n]!) : Effect.succeed("ok"))
    const fiber = yield* Effect.fork(Effect.either(Effect.retry(attempt, Retry.policy({ ...Retry.defaults, ...options }))))
    yield* TestClock.adjust("10 minutes")
    const result = yield* Fiber.join(fiber)
    return { result, attempts: yield* Ref.get(attempts) }
  })

describe("Retry.isRetryable", () => {
  it("retries only what cannot cause a duplicate write", () => {
    const table: ReadonlyArray<readonly [IntercomError.IntercomError, boolean, boolean]> = [
      // error, idempotent?, non-idempotent?
      [serverError, true, false],
      [timeout, true, false],
      [reset, true, false],
      [refused, true, true],
      [new IntercomError.RateLimited({ ...site, status: 429 }), true, true],
      [notFound, false, false],
      [new IntercomError.BadRequest({ ...site, status: 400 }), false, false],
      [new IntercomError.Unauthorized({ ...site, status: 401 }), false, false]
    ]
    for (const [error, idempotent, nonIdempotent] of table) {
      expect([error._tag, Retry.isRetryable(error, true)]).toEqual([error._tag, idempotent])
      expect([error._tag, Retry.isRetryable(error, false)]).toEqual([error._tag, nonIdempotent])
    }
  })
})

describe("Retry.policy", () => {
  it.effect("stops at maxAttempts and returns the last error", () =>
    Effect.gen(function*() {
      const { attempts, result } = yield* run([serverError, serverError, serverError, serverError], { idempotent: true, maxAttempts: 3 })
      expect(attempts).toBe(3)
      expect(result._tag).toBe("Left")
    }))

  it.effect("counts each retry in the retriesTotal metric", () =>
    Effect.gen(function*() {
      const counter = Metric.tagged(Retry.retriesTotal, "error", "ServerError")
      const before = (yield* Metric.value(counter)).count
      yield* run([serverError, serverError], { idempotent: true, maxAttempts: 5 })
      expect((yield* Metric.value(counter)).count - before).toBe(2)
    }))

  it.effect("does not retry errors that are not retryable", () =>
    Effect.gen(function*() {
      const { attempts } = yield* run([notFound], { idempotent: true })
      expect(attempts).toBe(1)
      const post = yield* run([serverError], { idempotent: false })
      expect(post.attempts).toBe(1)
      const refusedPost = yield* run([refused], { idempotent: false })
      expect(refusedPost.attempts).toBe(2)
    }))

  it.effect("backs off exponentially, jittered and capped", () =>
    Effect.gen(function*() {
      const errors = Array.from({ length: 6 }, () => serverError)
      const attempts = yield* Ref.make<Array<number>>([])
      const attempt = Effect.flatMap(TestClock.currentTimeMillis, (now) =>
        Effect.flatMap(Ref.updateAndGet(attempts, (all) => [...all, now]), (all) =>
          all.length <= errors.length ? Effect.fail(errors[all.length - 1]!) : Effect.succeed("ok")))
      const fiber = yield* Effect.fork(Effect.retry(attempt, Retry.policy({ idempotent: true, maxAttempts: 10, baseDelay: "1 second", maxDelay: "5 seconds" }))
        .pipe(Effect.withRandom(Random.make("retry-test-seed"))))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      const times = yield* Ref.get(attempts)
      const waits = times.slice(1).map((t, i) => t - times[i]!)
      // 1 s, 2 s, 4 s each ±20 %, then capped at 5 s.
      const expected = [1000, 2000, 4000]
      expected.forEach((base, i) => {
        expect(waits[i]).toBeGreaterThanOrEqual(base * 0.8)
        expect(waits[i]).toBeLessThanOrEqual(base * 1.2)
      })
      for (const wait of waits.slice(3)) expect(wait).toBeLessThanOrEqual(5000)
      for (const wait of waits) expect(Number.isInteger(wait)).toBe(true)
      expect(waits.length).toBe(6)
    }))

  it.effect("waits for the rate-limit reset on 429", () =>
    Effect.gen(function*() {
      const now = yield* TestClock.currentTimeMillis
      const limited = new IntercomError.RateLimited({ ...site, status: 429, resetAt: now + 7_000 })
      const wait = yield* Retry.rateLimitWait(limited)
      const millis = Duration.toMillis(wait!)
      expect(millis).toBeGreaterThanOrEqual(7_000)
      expect(millis).toBeLessThan(7_250)
    }))
})
