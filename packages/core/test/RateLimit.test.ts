import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, Ref, TestClock } from "effect"
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

  it.effect("counts a request reserved in a window's last 250 ms in the next window too (it may arrive after the reset)", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      yield* budget.observe({ limit: 3, remaining: 3, resetAt: 10_000 })
      yield* budget.acquire // t = 0: this window only
      yield* TestClock.adjust("9900 millis")
      yield* budget.acquire // t = 9.9 s: may land in the next window
      yield* TestClock.adjust("200 millis") // t = 10.1 s: the next window, one slot already taken
      yield* budget.acquire
      yield* budget.acquire
      const third = yield* Effect.fork(budget.acquire)
      yield* TestClock.adjust("5 seconds")
      expect(third.unsafePoll()).toBeNull()
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(third)
      expect((yield* budget.stats).throttled).toBe(1)
    }))

  it.effect("widens that margin to the slowest recent round trip, since the server may count a request that late", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      // An answer that took 800 ms from the send: the server may count a request that late.
      yield* budget.observe({ limit: 3, remaining: 3, resetAt: 10_000 }, 800)
      yield* budget.acquire // t = 0: this window only
      yield* TestClock.adjust("9300 millis")
      yield* budget.acquire // t = 9.3 s: 700 ms before the reset, within the margin
      yield* TestClock.adjust("800 millis") // t = 10.1 s: the next window, one slot already taken
      yield* budget.acquire
      yield* budget.acquire
      const third = yield* Effect.fork(budget.acquire)
      yield* TestClock.adjust("5 seconds")
      expect(third.unsafePoll()).toBeNull()
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(third)
    }))

  it.effect("lets the margin shrink back as answers get faster", () =>
    Effect.gen(function*() {
      const budget = yield* RateLimit.make
      yield* budget.observe({ limit: 3, remaining: 3, resetAt: 10_000 }, 800)
      // 300 quick answers: 800 ms × 0.99^300 is under the 250 ms floor.
      for (let i = 0; i < 300; i++) yield* budget.observe({ limit: 3, remaining: 3, resetAt: 10_000 }, 20)
      yield* TestClock.adjust("9300 millis")
      yield* budget.acquire // t = 9.3 s: outside the margin again, this window only
      yield* TestClock.adjust("800 millis")
      yield* budget.acquire
      yield* budget.acquire
      yield* budget.acquire // t = 10.1 s: all three slots of the next window, without waiting
      expect((yield* budget.stats).throttled).toBe(0)
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
