import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Option, Ref, TestClock } from "effect"
import * as RateLimit from "../src/RateLimit.js"

describe("RateLimit", () => {
  it("reads the three headers, or nothing when one is missing", () => {
    expect(RateLimit.fromHeaders({ "x-ratelimit-limit": "10", "x-ratelimit-remaining": "3", "x-ratelimit-reset": "20" }))
      .toEqual(Option.some({ limit: 10, remaining: 3, resetAt: 20_000 }))
    expect(Option.isNone(RateLimit.fromHeaders({ "x-ratelimit-limit": "10", "x-ratelimit-remaining": "3" }))).toBe(true)
    expect(Option.isNone(RateLimit.fromHeaders({ "x-ratelimit-limit": "x", "x-ratelimit-remaining": "3", "x-ratelimit-reset": "1" }))).toBe(true)
  })

  it.effect("lets requests through until the window is used up, then waits for the reset", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      // The server says: 3 per window, 3 left, window ends at t = 10 s.
      yield* budget.observe({ limit: 3, remaining: 3, resetAt: 10_000 })
      const sent = yield* Ref.make<Array<number>>([])
      const send = Effect.zipRight(budget.acquire, Effect.flatMap(TestClock.currentTimeMillis, (t) => Ref.update(sent, (all) => [...all, t])))
      const fiber = yield* Effect.fork(Effect.all(Array.from({ length: 5 }, () => send), { concurrency: 5 }))
      yield* TestClock.adjust("9 seconds")
      expect((yield* Ref.get(sent)).length).toBe(3)
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(fiber)
      const times = yield* Ref.get(sent)
      expect(times.length).toBe(5)
      expect(times.slice(3).every((t) => t >= 10_000)).toBe(true)
      expect((yield* budget.stats).throttled).toBeGreaterThanOrEqual(2)
    }))

  it.effect("counts a request still unanswered at the reset in the next window too (the server may count it there)", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      yield* budget.observe({ limit: 3, remaining: 3, resetAt: 10_000 })
      const answer = yield* Deferred.make<void>()
      const pending = yield* Effect.fork(budget.withSlot(Deferred.await(answer))) // t = 0, unanswered
      yield* TestClock.adjust("10100 millis") // the next window: the pending request may land in it
      yield* budget.acquire
      yield* budget.acquire
      const fourth = yield* Effect.fork(budget.acquire)
      yield* TestClock.adjust("5 seconds")
      expect(fourth.unsafePoll()).toBeNull()
      yield* Deferred.succeed(answer, undefined)
      yield* Fiber.join(pending)
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fourth)
      expect((yield* budget.stats).throttled).toBe(1)
    }))

  it.effect("gives that slot back when the answer says the window before counted the request", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      yield* budget.observe({ limit: 3, remaining: 3, resetAt: 10_000 })
      const answer = yield* Deferred.make<void>()
      const pending = yield* Effect.fork(budget.withSlot(Deferred.await(answer)))
      yield* TestClock.adjust("10100 millis")
      yield* budget.acquire // the next window: 1 + the pending one
      // The pending request's answer: the server counted it in the window that ended at 10 s.
      yield* budget.observe({ limit: 3, remaining: 1, resetAt: 10_000 })
      yield* Deferred.succeed(answer, undefined)
      yield* Fiber.join(pending)
      yield* budget.acquire
      yield* budget.acquire // all three slots of this window are ours, without waiting
      expect((yield* budget.stats).throttled).toBe(0)
    }))

  it.effect("a request that ends without an answer, or is interrupted while waiting for a slot, is not left in flight", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      yield* budget.observe({ limit: 2, remaining: 2, resetAt: 10_000 })
      yield* Effect.exit(budget.withSlot(Effect.fail("connection refused")))
      yield* budget.acquire // the window is used up
      const waiting = yield* Effect.fork(budget.withSlot(Effect.void))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(waiting)
      yield* TestClock.adjust("9100 millis") // the next window: nothing in flight to carry
      yield* budget.acquire
      yield* budget.acquire
      expect((yield* budget.stats).throttled).toBe(1) // only the interrupted one waited
    }))

  it.effect("a request reserved early in a window is not carried into the next", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      yield* budget.observe({ limit: 2, remaining: 2, resetAt: 10_000 })
      yield* budget.acquire
      yield* budget.acquire // t = 0: both slots of this window
      yield* TestClock.adjust("10 seconds")
      yield* budget.acquire
      yield* budget.acquire // t = 10 s: both slots of the next, without waiting
      expect((yield* budget.stats).throttled).toBe(0)
    }))

  it.effect("counts what other clients used (the server's remaining is lower than ours)", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      yield* budget.observe({ limit: 100, remaining: 100, resetAt: 10_000 })
      yield* budget.observe({ limit: 100, remaining: 0, resetAt: 10_000 })
      const fiber = yield* Effect.fork(budget.acquire)
      yield* TestClock.adjust("5 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("6 seconds")
      yield* Fiber.join(fiber)
    }))

  it.effect("after a 429 sends nothing until the window resets", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      yield* budget.exhausted(Option.some({ limit: 50, remaining: 10, resetAt: 4_000 }))
      const fiber = yield* Effect.fork(budget.acquire)
      yield* TestClock.adjust("3 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(fiber)
      expect((yield* budget.stats).rateLimited).toBe(1)
    }))

  it.effect("holds requests back until the first answer says what the limit is", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      const sent = yield* Ref.make(0)
      const send = Effect.zipRight(budget.acquire, Ref.update(sent, (n) => n + 1))
      const fiber = yield* Effect.fork(Effect.all(Array.from({ length: 5 }, () => send), { concurrency: 5 }))
      yield* TestClock.adjust("1 millis")
      expect(yield* Ref.get(sent)).toBe(1)
      // The probe's answer: 3 per window, 2 left.
      yield* budget.observe({ limit: 3, remaining: 2, resetAt: 10_000 })
      yield* TestClock.adjust("1 millis")
      expect(yield* Ref.get(sent)).toBe(3)
      yield* TestClock.adjust("11 seconds")
      yield* Fiber.join(fiber)
      expect(yield* Ref.get(sent)).toBe(5)
    }))

  it.effect("throttles nothing when the server sends no rate-limit headers", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      yield* budget.acquire
      yield* budget.settled
      yield* Effect.all(Array.from({ length: 1000 }, () => budget.acquire), { concurrency: 50 })
      expect((yield* budget.stats).throttled).toBe(0)
    }))
})
