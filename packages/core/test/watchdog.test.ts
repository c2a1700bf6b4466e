import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, TestClock } from "effect"
import * as Watchdog from "../src/internal/watchdog.js"

/** A watchdog and a log of which watched operations expired, in order. */
const setup = Effect.gen(function*() {
  const watchdog = yield* Watchdog.make
  const fired: Array<string> = []
  const watch = (name: string, seconds: number) =>
    watchdog.watch(Duration.seconds(seconds), Effect.sync(() => void fired.push(name)))
  return { watch, fired }
})

describe("Watchdog", () => {
  it.scoped("runs onExpire when the deadline passes, not before, and marks the deadline expired", () =>
    Effect.gen(function*() {
      const { fired, watch } = yield* setup
      const a = yield* watch("a", 5)
      yield* TestClock.adjust("4999 millis")
      expect([fired, a.expired]).toEqual([[], false])
      yield* TestClock.adjust("1 millis")
      expect([fired, a.expired]).toEqual([["a"], true])
    }))

  it.scoped("never fires for a released operation", () =>
    Effect.gen(function*() {
      const { fired, watch } = yield* setup
      const a = yield* watch("a", 5)
      const b = yield* watch("b", 5)
      a.release()
      yield* TestClock.adjust("10 seconds")
      expect([fired, a.expired, b.expired]).toEqual([["b"], false, true])
    }))

  it.scoped("wakes early for a deadline before the one it sleeps towards", () =>
    Effect.gen(function*() {
      const { fired, watch } = yield* setup
      yield* watch("long", 60)
      yield* TestClock.adjust("1 second")
      yield* watch("short", 5)
      yield* TestClock.adjust("5 seconds")
      expect(fired).toEqual(["short"])
      yield* TestClock.adjust("54 seconds")
      expect(fired).toEqual(["short", "long"])
    }))

  it.scoped("after everything was released and it parked, a new deadline still fires", () =>
    Effect.gen(function*() {
      const { fired, watch } = yield* setup
      const first = yield* watch("first", 5)
      first.release()
      yield* TestClock.adjust("1 minute") // wakes at 5 s, finds nothing, parks
      yield* watch("later", 5)
      yield* TestClock.adjust("5 seconds")
      expect(fired).toEqual(["later"])
    }))

  it.scoped("fires every operation whose deadline passed in one sweep, in any number", () =>
    Effect.gen(function*() {
      const { fired, watch } = yield* setup
      for (let i = 0; i < 100; i++) yield* watch(`op${i}`, i % 2 === 0 ? 5 : 50)
      yield* TestClock.adjust("5 seconds")
      expect(fired.length).toBe(50)
      yield* TestClock.adjust("45 seconds")
      expect(fired.length).toBe(100)
    }))
})
