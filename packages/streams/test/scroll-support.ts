/**
 * Support for the scroll tests: a sandbox and client for runs under the TestClock, and a
 * driver that moves the TestClock only while the code under test waits on it.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { IntercomClient, IntercomConfig, RateLimit } from "@intercom-fx/core"
import type { Sandbox } from "@intercom-fx/sandbox"
import { Chunk, Effect, Exit, Fiber, type Layer, Option, TestClock } from "effect"
import { sandboxLayer } from "./helpers.js"

/**
 * A sandbox and a client for TestClock runs: the sandbox is built inside the test, so its
 * clock (scroll expiry, rate windows) is the TestClock too. The client's timeout is far
 * beyond `runOnTestClock`'s horizon, so an in-flight request never times out by a clock
 * jump.
 */
export const sandboxOnTestClock = (
  options: Sandbox.SandboxOptions
): Layer.Layer<
  IntercomClient.IntercomClient | RateLimit.RateLimit | Sandbox.Sandbox | HttpClient.HttpClient,
  Sandbox.SandboxError | IntercomConfig.InvalidConfig
> => sandboxLayer(options, { timeout: "1 hour" })

/** One turn of Node's event loop (lets real socket I/O progress; not a timed wait). */
const ioTurn = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/**
 * Runs `effect` under the TestClock, jumping the clock to the next pending sleep whenever
 * there is one due within `horizonMillis` (back-offs, 429 waits, "scroll already exists"
 * waits, the sandbox's one-minute scroll expiry), and otherwise letting real I/O proceed.
 * Time so only passes while the code waits on it: every wait is instant and the outcome
 * does not depend on how fast the machine is. Returns the effect's exit and the test time
 * it took.
 */
export const runOnTestClock = <A, E, R>(effect: Effect.Effect<A, E, R>, horizonMillis = 5 * 60_000) =>
  Effect.gen(function*() {
    const started = yield* TestClock.currentTimeMillis
    const fiber = yield* Effect.fork(effect)
    for (;;) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) {
        const now = yield* TestClock.currentTimeMillis
        return { exit: done.value, elapsedMillis: now - started }
      }
      const now = yield* TestClock.currentTimeMillis
      const due = Chunk.reduce(yield* TestClock.sleeps(), Number.POSITIVE_INFINITY, (min, at) => Math.min(min, at))
      if (due - now <= horizonMillis) yield* TestClock.setTime(Math.max(now, due))
      yield* ioTurn
    }
  })

/** The value of a successful exit, or a test failure naming the cause. */
export const orThrow = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw new Error(`expected success, got ${String(exit.cause)}`)
}
