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
   * Of those, the ones reserved in the window's last `margin` milliseconds: they may reach
   * the server after its reset and count in the next window, so that window starts with them.
   */
  readonly carried: number
  /** How late after its reservation a request may still be counted by the server (see `arrivalMargin`). */
  readonly margin: number
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

/**
 * How late after its reservation a request may be counted by the server: event-loop delay,
 * the network, and the server's own queue (a request is counted when the server gets to
 * it). A request reserved this close to the end of a window is counted in that window and
 * in the next: counting it once let late arrivals overfill the next window into 429s
 * (benchmark 2b, 16 fibers against 100 requests per 10 s). A request cannot be counted
 * later than its answer comes back, so the margin is the slowest recent round trip (it
 * decays by 1 % per answer), and never less than `MIN_ARRIVAL_MARGIN_MS`. A fixed 250 ms
 * was overrun while the sandbox was slow to answer the first searches of a run.
 */
const MIN_ARRIVAL_MARGIN_MS = 250

/** The arrival margin after an answer that took `roundTripMs` from reservation to response. */
const arrivalMargin = (margin: number, roundTripMs: number | undefined): number =>
  Math.max(MIN_ARRIVAL_MARGIN_MS, roundTripMs ?? 0, margin * 0.99)

const reserve = (budget: Budget, now: number): readonly [Decision, Budget] => {
  if (Option.isNone(budget.last)) {
    switch (budget.probe) {
      case "none":
        return [{ _tag: "Go" }, { ...budget, probe: "inFlight" }]
      case "inFlight":
        return [{ _tag: "AwaitProbe" }, budget]
      case "answered":
        return [{ _tag: "Go" }, budget] // the server sends no rate-limit headers: nothing to go by
    }
  }
  const last = budget.last.value
  if (now >= last.resetAt) {
    // A new window began: move the window forward and start counting afresh.
    const windows = Math.floor((now - last.resetAt) / windowMillis) + 1
    const rolled = { ...last, remaining: last.limit, resetAt: last.resetAt + windows * windowMillis }
    const used = 1 + (windows === 1 ? budget.carried : 0)
    return [{ _tag: "Go" }, { ...budget, last: Option.some(rolled), used, carried: 0 }]
  }
  if (budget.used < last.limit) {
    const late = now >= last.resetAt - budget.margin
    return [{ _tag: "Go" }, { ...budget, used: budget.used + 1, carried: budget.carried + (late ? 1 : 0) }]
  }
  return [
    { _tag: "Wait", until: last.resetAt },
    { ...budget, stats: { ...budget.stats, throttled: budget.stats.throttled + 1 } }
  ]
}

const observeSnapshot = (counted: Budget, snapshot: Snapshot, roundTripMs: number | undefined): Budget => {
  const budget = { ...counted, margin: arrivalMargin(counted.margin, roundTripMs) }
  const serverUsed = Math.max(0, snapshot.limit - snapshot.remaining)
  if (Option.isNone(budget.last) || snapshot.resetAt > budget.last.value.resetAt) {
    // The next window: requests carried into it may not have reached the server yet.
    const next = Option.isSome(budget.last) && snapshot.resetAt === budget.last.value.resetAt + windowMillis
    return { ...budget, last: Option.some(snapshot), used: Math.max(serverUsed, next ? budget.carried : 0), carried: 0 }
  }
  if (snapshot.resetAt < budget.last.value.resetAt) return budget // a late answer from an older window
  // Same window: trust whichever count is higher (other processes may share the app's budget).
  return { ...budget, last: Option.some(snapshot), used: Math.max(budget.used, serverUsed) }
}

export interface RateLimitService {
  /** What the last response's headers said, if any did. */
  readonly current: Effect.Effect<Option.Option<Snapshot>>
  /** Reserves one request in the current window, waiting for the next window when it is used up. */
  readonly acquire: Effect.Effect<void>
  /**
   * Records a response's rate-limit headers, and how long it took from the reservation to
   * the answer (it bounds how late requests can be counted; see `arrivalMargin`).
   */
  readonly observe: (snapshot: Snapshot, roundTripMs?: number) => Effect.Effect<void>
  /** Records a 429: nothing more is sent in this window. */
  readonly exhausted: (snapshot: Option.Option<Snapshot>, roundTripMs?: number) => Effect.Effect<void>
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
    carried: 0,
    margin: MIN_ARRIVAL_MARGIN_MS,
    stats: { throttled: 0, rateLimited: 0 }
  })
  const probeAnswered = yield* Deferred.make<void>()
  const settled = Effect.zipRight(
    Ref.update(state, (budget) => (budget.probe === "answered" ? budget : { ...budget, probe: "answered" as const })),
    Deferred.succeed(probeAnswered, undefined)
  )

  const acquire: Effect.Effect<void> = Effect.gen(function*() {
    while (true) {
      const now = yield* Clock.currentTimeMillis
      const decision = yield* Ref.modify(state, (budget) => reserve(budget, now))
      if (decision._tag === "Go") return
      if (decision._tag === "AwaitProbe") {
        yield* Deferred.await(probeAnswered)
        continue
      }
      const spread = yield* Random.nextIntBetween(0, RESET_MARGIN_MS)
      yield* Effect.logDebug("rate limit: window used up, waiting for the next one").pipe(
        Effect.annotateLogs({ waitMs: decision.until - now })
      )
      yield* Effect.sleep(Duration.millis(decision.until - now + RESET_MARGIN_MS + spread))
    }
  })

  return {
    current: Effect.map(Ref.get(state), (budget) => budget.last),
    acquire,
    observe: (snapshot, roundTripMs) =>
      Effect.zipRight(Ref.update(state, (budget) => observeSnapshot(budget, snapshot, roundTripMs)), settled),
    exhausted: (snapshot, roundTripMs) =>
      Ref.update(state, (budget) => {
        const counted = { ...budget, stats: { ...budget.stats, rateLimited: budget.stats.rateLimited + 1 } }
        if (Option.isNone(snapshot)) return counted
        const observed = observeSnapshot(counted, snapshot.value, roundTripMs)
        return { ...observed, used: snapshot.value.limit }
      }).pipe(Effect.zipRight(settled)),
    settled,
    stats: Effect.map(Ref.get(state), (budget) => budget.stats)
  }
})

/** A fresh budget; provide one per app (all clients of one app should share it). */
export const layer: Layer.Layer<RateLimit> = Layer.effect(RateLimit, make)
