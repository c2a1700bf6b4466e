/**
 * The rate-limit budget shared by every request of one client: it keeps what
 * `X-RateLimit-Limit` / `-Remaining` / `-Reset` last said and, before each request,
 * reserves a slot in the current window or waits for the next one. Many fibers share
 * one budget, so concurrent bulk work slows down instead of storming into 429s.
 *
 * Intercom spreads its per-minute limit over 10-second windows; `Reset` is the UNIX
 * second the current window ends.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Ref from "effect/Ref"

/** What the last response's headers said. */
export interface Snapshot {
  /** Requests allowed per window. */
  readonly limit: number
  /** Requests left in the window when the response was sent. */
  readonly remaining: number
  /** When the window ends, epoch milliseconds. */
  readonly resetAt: number
}

/** Reads the three headers; `None` when any is missing or malformed (e.g. unauthenticated responses). */
export const fromHeaders = (headers: Readonly<Record<string, string | undefined>>): Option.Option<Snapshot> => {
  const limit = Number(headers["x-ratelimit-limit"])
  const remaining = Number(headers["x-ratelimit-remaining"])
  const reset = Number(headers["x-ratelimit-reset"])
  const present = [headers["x-ratelimit-limit"], headers["x-ratelimit-remaining"], headers["x-ratelimit-reset"]]
    .every((value) => value !== undefined && value.trim() !== "")
  return present && Number.isFinite(limit) && Number.isFinite(remaining) && Number.isFinite(reset)
    ? Option.some({ limit, remaining, resetAt: reset * 1000 })
    : Option.none()
}

/** Counters for progress displays and benchmarks. */
export interface Stats {
  /** Times a request waited for the next window. */
  readonly throttled: number
  /** 429 responses seen. */
  readonly rateLimited: number
}

interface Budget {
  readonly last: Option.Option<Snapshot>
  /**
   * Before any headers were seen the limit is unknown: one request goes first (the probe)
   * and the rest wait for its answer instead of firing blind.
   */
  readonly probe: "none" | "inFlight" | "answered"
  /** Slots this client has used in the window ending at `last.resetAt`, as far as it knows. */
  readonly used: number
  /**
   * Requests sent through `withSlot` and not answered yet. The server counts a request
   * somewhere between its send and its answer, so a new window starts with these counted.
   */
  readonly inFlight: number
  /**
   * Of the current window's `used`, those in flight when it began: each answer that says
   * the window before counted it gives its slot back.
   */
  readonly carried: number
  readonly stats: Stats
}

type Decision =
  | { readonly _tag: "Go" }
  | { readonly _tag: "Wait"; readonly until: number }
  | { readonly _tag: "AwaitProbe" }

/** The length of Intercom's rate-limit window. */
export const windowMillis = 10_000

// A little past the reset, spread per fiber, so waiters don't all land on the same millisecond.
const RESET_MARGIN_MS = 25

const reserve = (budget: Budget, now: number, tracked: boolean): readonly [Decision, Budget] => {
  const sent = tracked ? budget.inFlight + 1 : budget.inFlight
  if (Option.isNone(budget.last)) {
    switch (budget.probe) {
      case "none":
        return [{ _tag: "Go" }, { ...budget, probe: "inFlight", inFlight: sent }]
      case "inFlight":
        return [{ _tag: "AwaitProbe" }, budget]
      case "answered":
        return [{ _tag: "Go" }, { ...budget, inFlight: sent }] // the server sends no rate-limit headers: nothing to go by
    }
  }
  const last = budget.last.value
  if (now >= last.resetAt) {
    // A new window began: move the window forward and start counting afresh.
    const windows = Math.floor((now - last.resetAt) / windowMillis) + 1
    const rolled = { ...last, remaining: last.limit, resetAt: last.resetAt + windows * windowMillis }
    // Requests still unanswered may yet be counted in the new window.
    return [{ _tag: "Go" }, { ...budget, last: Option.some(rolled), used: 1 + budget.inFlight, carried: budget.inFlight, inFlight: sent }]
  }
  if (budget.used < last.limit) {
    return [{ _tag: "Go" }, { ...budget, used: budget.used + 1, inFlight: sent }]
  }
  return [
    { _tag: "Wait", until: last.resetAt },
    { ...budget, stats: { ...budget.stats, throttled: budget.stats.throttled + 1 } }
  ]
}

const observeSnapshot = (budget: Budget, snapshot: Snapshot): Budget => {
  const serverUsed = Math.max(0, snapshot.limit - snapshot.remaining)
  if (Option.isNone(budget.last) || snapshot.resetAt > budget.last.value.resetAt) {
    // A newer window: besides what the server has counted in it, each other request still
    // unanswered may land in it (this answer's request is still in flight until it lands).
    const others = Math.max(0, budget.inFlight - 1)
    return { ...budget, last: Option.some(snapshot), used: serverUsed + others, carried: others }
  }
  if (snapshot.resetAt < budget.last.value.resetAt) {
    // A late answer: if it was carried into this window, the window before counted it instead.
    const giveBack = budget.carried > 0 && snapshot.resetAt === budget.last.value.resetAt - windowMillis
    return giveBack ? { ...budget, used: Math.max(0, budget.used - 1), carried: budget.carried - 1 } : budget
  }
  // Same window: trust whichever count is higher (other processes may share the app's budget).
  return { ...budget, last: Option.some(snapshot), used: Math.max(budget.used, serverUsed) }
}

export interface RateLimitService {
  /** What the last response's headers said, if any did. */
  readonly current: Effect.Effect<Option.Option<Snapshot>>
  /**
   * Reserves one request in the current window, waiting for the next window when it is used
   * up. Prefer `withSlot`: a request reserved here is not known to be in flight, so a window
   * that ends before its answer does not account for it.
   */
  readonly acquire: Effect.Effect<void>
  /**
   * Runs a request in a reserved slot (waiting for one as `acquire` does) and keeps it
   * counted as in flight until it ends, answered or not.
   */
  readonly withSlot: <A, E, R>(request: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Records a response's rate-limit headers. */
  readonly observe: (snapshot: Snapshot) => Effect.Effect<void>
  /** Records a 429: nothing more is sent in this window. */
  readonly exhausted: (snapshot: Option.Option<Snapshot>) => Effect.Effect<void>
  /** Records that an attempt ended, answered or not, so requests held back by the probe may go. */
  readonly settled: Effect.Effect<void>
  readonly stats: Effect.Effect<Stats>
}

export class RateLimit extends Context.Tag("@intercom-fx/core/RateLimit")<RateLimit, RateLimitService>() {}

export const make: Effect.Effect<RateLimitService> = Effect.gen(function*() {
  const state = yield* Ref.make<Budget>({
    last: Option.none(),
    probe: "none",
    used: 0,
    inFlight: 0,
    carried: 0,
    stats: { throttled: 0, rateLimited: 0 }
  })
  const probeAnswered = yield* Deferred.make<void>()
  const settled = Effect.zipRight(
    Ref.update(state, (budget) => (budget.probe === "answered" ? budget : { ...budget, probe: "answered" as const })),
    Deferred.succeed(probeAnswered, undefined)
  )

  /** Waits (interruptibly, through `wait`) until a slot is free, then takes it. */
  const reserveSlot = (tracked: boolean, wait: <A>(effect: Effect.Effect<A>) => Effect.Effect<A>): Effect.Effect<void> =>
    Effect.gen(function*() {
      while (true) {
        const now = yield* Clock.currentTimeMillis
        const decision = yield* Ref.modify(state, (budget) => reserve(budget, now, tracked))
        if (decision._tag === "Go") return
        if (decision._tag === "AwaitProbe") {
          yield* wait(Deferred.await(probeAnswered))
          continue
        }
        const spread = yield* Random.nextIntBetween(0, RESET_MARGIN_MS)
        yield* Effect.logDebug("rate limit: window used up, waiting for the next one").pipe(
          Effect.annotateLogs({ waitMs: decision.until - now })
        )
        yield* wait(Effect.sleep(Duration.millis(decision.until - now + RESET_MARGIN_MS + spread)))
      }
    })

  const landed = Ref.update(state, (budget) => ({ ...budget, inFlight: Math.max(0, budget.inFlight - 1) }))

  // Between taking the slot and the finalizer that gives it back, nothing may interrupt;
  // waiting for a slot and the request itself stay interruptible.
  const withSlot = <A, E, R>(request: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.zipRight(reserveSlot(true, restore), Effect.ensuring(restore(request), landed))
    )

  return {
    current: Effect.map(Ref.get(state), (budget) => budget.last),
    acquire: reserveSlot(false, identity),
    withSlot,
    observe: (snapshot) => Effect.zipRight(Ref.update(state, (budget) => observeSnapshot(budget, snapshot)), settled),
    exhausted: (snapshot) =>
      Ref.update(state, (budget) => {
        const counted = { ...budget, stats: { ...budget.stats, rateLimited: budget.stats.rateLimited + 1 } }
        if (Option.isNone(snapshot)) return counted
        const observed = observeSnapshot(counted, snapshot.value)
        return { ...observed, used: snapshot.value.limit }
      }).pipe(Effect.zipRight(settled)),
    settled,
    stats: Effect.map(Ref.get(state), (budget) => budget.stats)
  }
})

/** A fresh budget; provide one per app (all clients of one app should share it). */
export const layer: Layer.Layer<RateLimit> = Layer.effect(RateLimit, make)
