/**
 * The bulk runner: one write per item (tag, untag, archive, update, …) with a concurrency
 * limit, a per-item outcome and a summary.
 *
 * - Rate limits: every request goes through the client's shared `RateLimit` budget
 *   (driven by `X-RateLimit-Remaining`/`-Reset`), so many fibers share one budget and
 *   wait for the next window instead of storming into 429s; a 429 that still happens is
 *   retried by the client after the reset. The summary reports throttles and 429s.
 * - Outcomes: `Ok` (with the response), `Skipped` (the operation failed with `Bulk.Skip`,
 *   or a journal says the item was already done) or `Failed` with its typed error. One
 *   bad item does not stop the job unless `failFast`, which fails the stream with the
 *   first error (items in flight finish or are interrupted; none start after).
 * - Resume: `resumable` appends each finished item to a journal (id, outcome, error
 *   tag), on disk before the item counts as done (appends share fsyncs: see
 *   `Journal`); a rerun skips ids already `ok`/`skipped` and retries the
 *   failed ones. A job that ends (however: done, failed, interrupted) with no item
 *   recorded `ok`/`skipped`, by it or an earlier run, has nothing to resume and removes
 *   its journal; one that records any is kept.
 * - A cold client (no rate-limit headers seen yet) runs the first item alone before
 *   going concurrent, so the budget is known before many fibers start.
 *
 * @since 0.1.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import { IntercomError, RateLimit, Tracing } from "@intercom-fx/core"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Journal from "./Journal.js"
import type { SinkError } from "./Sink.js"

/** Fail an operation with this to mark the item skipped (e.g. nothing to change). */
export class Skip extends Schema.TaggedError<Skip>()("Skip", { reason: Schema.String }) {}

export type Outcome<A, B> =
  | { readonly _tag: "Ok"; readonly id: string; readonly item: A; readonly value: B }
  | {
    readonly _tag: "Skipped"
    readonly id: string
    readonly item: A
    readonly reason: string
    /** Set when a resumed job skipped the item because its journal already records it: what it recorded. */
    readonly journaled?: "ok" | "skipped"
  }
  | { readonly _tag: "Failed"; readonly id: string; readonly item: A; readonly error: IntercomError.IntercomError }

export interface Summary {
  readonly total: number
  readonly ok: number
  readonly skipped: number
  readonly failed: number
  /** Failures by error tag (`NotFound`, `UnprocessableEntity`, …). */
  readonly failures: Readonly<Record<string, number>>
  /** Requests that waited for the next rate-limit window (whole client, from `RateLimit.stats`). */
  readonly throttled: number
  /** 429 responses seen (whole client). */
  readonly rateLimited: number
}

export interface Options<A> {
  /** The identity of an item, for outcomes and the journal. */
  readonly id: (item: A) => string
  /** Items in flight at once (default 8). */
  readonly concurrency?: number
  /** Stop at the first failure (default false). */
  readonly failFast?: boolean
}

/** One journal line of a bulk job. */
export const JournalEntry = Schema.Struct({
  id: Schema.String,
  outcome: Schema.Literal("ok", "skipped", "failed"),
  error: Schema.optionalWith(Schema.String, { exact: true })
})
export type JournalEntry = typeof JournalEntry.Type

/** The first line of a journal opened with a `key`: which job it belongs to. */
export const JournalHeader = Schema.Struct({ bulk: Schema.String })

/** A line of a bulk job's journal: the job's header, or one item's outcome. */
const JournalLine = Schema.Union(JournalHeader, JournalEntry)

/** Fails with a `SinkError` when a file exists at `path` and is not a bulk job's journal (before removing it). */
export const checkJournal = (path: string): Effect.Effect<void, SinkError, FileSystem.FileSystem> => Journal.check(path, JournalLine)

/** The journal belongs to another job (its `key` differs). */
export class JournalMismatch extends Schema.TaggedError<JournalMismatch>()("JournalMismatch", {
  journal: Schema.String,
  expected: Schema.String,
  found: Schema.String
}) {
  override get message(): string {
    return `${this.journal} belongs to another bulk job (${JSON.stringify(this.found)}, not ${JSON.stringify(this.expected)})`
  }
}

/** The first failure of a `failFast` job. */
export class BulkFailed extends Schema.TaggedError<BulkFailed>()("BulkFailed", {
  id: Schema.String,
  error: IntercomError.IntercomError
}) {
  override get message(): string {
    return `bulk operation failed on ${this.id}: ${this.error.message}`
  }
}

const entryOf = <A, B>(outcome: Outcome<A, B>): JournalEntry =>
  outcome._tag === "Ok"
    ? { id: outcome.id, outcome: "ok" }
    : outcome._tag === "Skipped"
    ? { id: outcome.id, outcome: "skipped" }
    : { id: outcome.id, outcome: "failed", error: outcome.error._tag }

const attemptWith = <A, B, R2>(
  operation: (item: A) => Effect.Effect<B, IntercomError.IntercomError | Skip, R2>,
  id: (item: A) => string,
  /** Runs the operation itself (e.g. `restore` of an uninterruptible mask, so only the operation can be interrupted). */
  wrap: <X, Y, Z>(effect: Effect.Effect<X, Y, Z>) => Effect.Effect<X, Y, Z> = (effect) => effect
) =>
(item: A): Effect.Effect<Outcome<A, B>, never, R2> => {
  const key = id(item)
  return wrap(operation(item)).pipe(
    Effect.map((value): Outcome<A, B> => ({ _tag: "Ok", id: key, item, value })),
    Effect.catchAll((error): Effect.Effect<Outcome<A, B>> =>
      Effect.succeed(
        error._tag === "Skip" ? { _tag: "Skipped", id: key, item, reason: error.reason } : { _tag: "Failed", id: key, item, error }
      )),
    // Its outcome holds the item (a query's targets carry their records) and the value: an
    // ended span that kept it would keep them from young-generation GCs (see Tracing).
    Tracing.withSpanKeepingNoValue("intercom.bulk.item", { attributes: { "intercom.bulk.id": key } })
  )
}

const failFastWith = (failFast: boolean | undefined) => <A, B>(outcome: Outcome<A, B>): Effect.Effect<Outcome<A, B>, BulkFailed> =>
  failFast && outcome._tag === "Failed"
    ? Effect.fail(new BulkFailed({ id: outcome.id, error: outcome.error }))
    : Effect.succeed(outcome)

/**
 * Runs `step` over the items with the concurrency limit. While the shared rate-limit
 * budget has not yet seen a response with rate-limit headers (a cold client), the first
 * item runs alone, so the other fibers start with a known budget instead of all firing
 * blind into a 429.
 */
const runSteps = <A, E, R, O, E2, R2>(
  items: Stream.Stream<A, E, R>,
  step: (item: A) => Effect.Effect<O, E2, R2>,
  concurrency: number
): Stream.Stream<O, E | E2, R | R2> =>
  Stream.unwrap(Effect.gen(function*() {
    const limiter = yield* Effect.serviceOption(RateLimit.RateLimit)
    const known = Option.isSome(limiter) && Option.isSome(yield* limiter.value.current)
    if (known || concurrency <= 1) return Stream.mapEffect(items, step, { concurrency, unordered: true })
    const warm = yield* Deferred.make<void>()
    let first = true
    const gated = (item: A): Effect.Effect<O, E2, R2> => {
      if (first) {
        first = false
        return Effect.ensuring(step(item), Deferred.succeed(warm, undefined))
      }
      return Effect.zipRight(Deferred.await(warm), step(item))
    }
    return Stream.mapEffect(items, gated, { concurrency, unordered: true })
  }))

/**
 * Runs `operation` for every item, `concurrency` at a time (default 8), emitting each
 * item's outcome as it finishes (order of completion).
 */
export const run = <A, E, R, B, R2>(
  items: Stream.Stream<A, E, R>,
  operation: (item: A) => Effect.Effect<B, IntercomError.IntercomError | Skip, R2>,
  options: Options<A>
): Stream.Stream<Outcome<A, B>, E | BulkFailed, R | R2> =>
  runSteps(items, attemptWith(operation, options.id), options.concurrency ?? 8).pipe(
    Stream.mapEffect(failFastWith(options.failFast))
  )

/**
 * Like `run`, checkpointed in a journal file: each finished item is appended (id,
 * outcome, error tag) and on disk (fsync'd, one fsync per batch of appends) before
 * it is emitted; a rerun skips ids already `ok`/`skipped` (emitting
 * them as `Skipped` with reason "already done (journal)" and `journaled` saying what the
 * journal recorded) and retries failed ones. An item whose operation completed is
 * journaled even when the job is interrupted at that moment. With a `key`, the journal's
 * first line names the job and a journal of another job fails with `JournalMismatch`
 * (and is left as it is).
 *
 * When the stream ends (done, failed or interrupted) and the journal records no item as
 * `ok` or `skipped` (from this run or an earlier one), there is nothing a rerun could skip,
 * so the journal is removed: a job whose first request fails (a rejected token, an
 * unreachable host) leaves no journal holding only its header or failures. The journal
 * is still created before the first item, so an unwritable path fails before any write,
 * and a `kill -9` leaves a journal the next run accepts.
 */
export const resumable = <A, E, R, B, R2>(
  items: Stream.Stream<A, E, R>,
  operation: (item: A) => Effect.Effect<B, IntercomError.IntercomError | Skip, R2>,
  options: Options<A> & { readonly journal: string; readonly key?: string }
): Stream.Stream<Outcome<A, B>, E | BulkFailed | SinkError | JournalMismatch, R | R2 | FileSystem.FileSystem> =>
  Stream.unwrapScoped(
    Effect.gen(function*() {
      /** The journal is this job's (checked or started here), so it may be removed. */
      let ours = false
      /** Some item is recorded `ok`/`skipped`: a rerun would skip it, so the journal is kept. */
      let recorded = false
      // Added before the journal is opened, so it runs after the journal's file is closed.
      yield* Effect.addFinalizer(() => ours && !recorded ? Effect.ignore(Journal.remove(options.journal)) : Effect.void)
      const journal = yield* Journal.open(options.journal, JournalLine)
      const header = journal.entries.find((entry) => "bulk" in entry)
      if (options.key !== undefined) {
        if (header === undefined) yield* journal.append([{ bulk: options.key }])
        else if (header.bulk !== options.key) {
          return yield* new JournalMismatch({ journal: options.journal, expected: options.key, found: header.bulk })
        }
      }
      const done = new Map<string, "ok" | "skipped">()
      for (const entry of journal.entries) {
        if ("id" in entry && entry.outcome !== "failed") done.set(entry.id, entry.outcome)
      }
      ours = true
      recorded = done.size > 0
      const step = (item: A): Effect.Effect<Outcome<A, B>, SinkError, R2> => {
        const id = options.id(item)
        const journaled = done.get(id)
        if (journaled !== undefined) return Effect.succeed({ _tag: "Skipped", id, item, reason: "already done (journal)", journaled })
        // Only the operation itself can be interrupted: once it has completed, its outcome is journaled.
        return Effect.uninterruptibleMask((restore) =>
          Effect.tap(attemptWith(operation, options.id, restore)(item), (outcome) =>
            Effect.zipRight(
              journal.append([entryOf(outcome)]),
              Effect.sync(() => {
                if (outcome._tag !== "Failed") recorded = true
              })
            )))
      }
      return runSteps(items, step, options.concurrency ?? 8).pipe(Stream.mapEffect(failFastWith(options.failFast)))
    })
  )

/** Counts outcomes and reads the client's rate-limit counters (when a `RateLimit` is provided). */
export const summarize = <A, B, E, R>(outcomes: Stream.Stream<Outcome<A, B>, E, R>): Effect.Effect<Summary, E, R> =>
  Effect.gen(function*() {
    const counts = yield* Stream.runFold(outcomes, { total: 0, ok: 0, skipped: 0, failed: 0, failures: {} as Record<string, number> }, (acc, outcome) => {
      acc.total++
      if (outcome._tag === "Ok") acc.ok++
      else if (outcome._tag === "Skipped") acc.skipped++
      else {
        acc.failed++
        acc.failures[outcome.error._tag] = (acc.failures[outcome.error._tag] ?? 0) + 1
      }
      return acc
    })
    const limiter = yield* Effect.serviceOption(RateLimit.RateLimit)
    const stats = Option.isSome(limiter) ? yield* limiter.value.stats : { throttled: 0, rateLimited: 0 }
    return { ...counts, throttled: stats.throttled, rateLimited: stats.rateLimited }
  })

/** Runs a job to completion and returns its summary. */
export const runSummary = <A, E, R, B, R2>(
  items: Stream.Stream<A, E, R>,
  operation: (item: A) => Effect.Effect<B, IntercomError.IntercomError | Skip, R2>,
  options: Options<A>
): Effect.Effect<Summary, E | BulkFailed, R | R2> => summarize(run(items, operation, options))
