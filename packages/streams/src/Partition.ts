/**
 * Faster exports: a partitioned search runs N cursor streams over disjoint day ranges
 * concurrently, and an incremental export fetches what changed since a watermark.
 *
 * Day granularity (see `Search`): timestamps compare by calendar day, `> d` means "from
 * the start of the day after d" and `< d` "before the start of d's day". A slice is
 * therefore a whole number of days `[dayStart_i, dayStart_{i+1})`, sent as
 * `field > (dayStart_i - 1 day) AND field < dayStart_{i+1}`. Slice boundaries are shared
 * (one slice's exclusive end is the next one's inclusive start), so every record falls in
 * exactly one slice and the merged output has each record exactly once, provided records
 * do not change their timestamp during the export (use `created_at` for that reason).
 *
 * @since 0.1.0
 */
import { type IntercomClient, type IntercomError, SearchFields } from "@intercom-fx/core"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as Paginate from "./Paginate.js"
import * as Search from "./Search.js"

const DAY = 86_400

/** One slice: whole days from `from` (inclusive) to `until` (exclusive), UNIX seconds at day starts. */
export interface Slice {
  readonly from: number
  readonly until: number
}

/**
 * Splits the days from the day of `from` up to (not including) the day of `until` into
 * at most `n` contiguous slices of whole days, as even as days allow.
 */
export const slices = (from: Search.DateInput, until: Search.DateInput, n: number): ReadonlyArray<Slice> => {
  const start = SearchFields.startOfDayUtc(Search.toUnixSeconds(from) ?? 0)
  const end = SearchFields.startOfDayUtc(Search.toUnixSeconds(until) ?? 0)
  const days = Math.max(0, Math.round((end - start) / DAY))
  const count = Math.max(1, Math.min(Math.floor(n), days))
  if (days === 0) return []
  const out: Array<Slice> = []
  for (let i = 0; i < count; i++) {
    const a = start + Math.floor((days * i) / count) * DAY
    const b = start + Math.floor((days * (i + 1)) / count) * DAY
    out.push({ from: a, until: b })
  }
  return out
}

/** A record as searches return it. */
export type Record = { readonly [key: string]: unknown }

export interface PartitionOptions<A extends Record, E> {
  /** The search to run per slice, e.g. `Contacts.search`. */
  readonly search: (query: Search.Query) => Stream.Stream<A, E, IntercomClient.IntercomClient>
  /** The timestamp field to split on (`created_at` is stable during an export). */
  readonly field: string
  readonly from: Search.DateInput
  readonly until: Search.DateInput
  /** Number of slices, also the concurrency (default 4). */
  readonly slices?: number
  /** Further conditions, ANDed with each slice's range. */
  readonly where?: Search.Query
}

/** The query of one slice (with the extra conditions, if any). */
export const sliceQuery = (field: string, slice: Slice, where?: Search.Query): Search.Query => {
  const range = Search.dayRange(field, slice.from, slice.until)
  return where === undefined ? range : Search.and(range, where)
}

/** Runs one search per slice concurrently and merges the results (in no particular order). */
export const partitioned = <A extends Record, E>(
  options: PartitionOptions<A, E>
): Stream.Stream<A, E, IntercomClient.IntercomClient> => {
  const parts = slices(options.from, options.until, options.slices ?? 4)
  return Stream.mergeAll(parts.map((slice) => options.search(sliceQuery(options.field, slice, options.where))), {
    concurrency: Math.max(1, parts.length)
  })
}

/** Where each slice of a partitioned search stands: its range, the cursor of its next page, whether it is done. */
const PartitionCursor = Schema.parseJson(Schema.Struct({
  field: Schema.String,
  slices: Schema.Array(Schema.Struct({
    from: Schema.Number,
    until: Schema.Number,
    next: Schema.NullOr(Schema.String),
    done: Schema.Boolean
  }))
}))
type PartitionCursor = typeof PartitionCursor.Type

/** A cursor given to `partitionedPages` that it did not write (or for another field). */
export class InvalidPartitionCursor extends Schema.TaggedError<InvalidPartitionCursor>()("InvalidPartitionCursor", {
  detail: Schema.String
}) {
  override get message(): string {
    return `not a partitioned-search cursor: ${this.detail}`
  }
}

export interface PartitionPagesOptions<A, E, R> extends Omit<PartitionOptions<never, never>, "search"> {
  /** One slice's pages from a cursor, e.g. `(query, startingAfter) => Contacts.searchPages(query, { startingAfter })`. */
  readonly search: (query: Search.Query, startingAfter: string | undefined) => Stream.Stream<Paginate.Page<A, string>, E, R>
  /** Continue from the cursor of an earlier page (the slices are taken from it, not recomputed). */
  readonly startingAfter?: string | undefined
}

/**
 * A partitioned search page by page, resumable: the slices run concurrently and their
 * pages are merged; each page's `next` is one cursor (text) holding every slice's own
 * cursor as of that page, so `Export.cursor((after) => Partition.partitionedPages({ ..., startingAfter: after }))`
 * resumes each slice where it stopped. The last page has no `next`.
 */
export const partitionedPages = <A, E, R>(
  options: PartitionPagesOptions<A, E, R>
): Stream.Stream<Paginate.Page<A, string>, E | InvalidPartitionCursor, R> =>
  Stream.unwrap(Effect.gen(function*() {
    const initial: PartitionCursor = options.startingAfter === undefined
      ? {
        field: options.field,
        slices: slices(options.from, options.until, options.slices ?? 4).map((slice) => ({ ...slice, next: null, done: false }))
      }
      : yield* Either.mapLeft(
        Schema.decodeEither(PartitionCursor)(options.startingAfter),
        (error) => new InvalidPartitionCursor({ detail: error.message.slice(0, 200) })
      )
    if (initial.field !== options.field) {
      return yield* new InvalidPartitionCursor({ detail: `it splits ${initial.field}, not ${options.field}` })
    }
    const running = initial.slices.flatMap((slice, index) => (slice.done ? [] : [{ slice, index }]))
    const merged = Stream.mergeAll(
      running.map(({ index, slice }) =>
        Stream.map(
          options.search(sliceQuery(options.field, slice, options.where), slice.next ?? undefined),
          (page) => ({ index, page })
        )
      ),
      { concurrency: Math.max(1, running.length), bufferSize: 2 }
    )
    const encode = Schema.encodeSync(PartitionCursor)
    // Each slice's search states its own total_count; the whole is known once every slice
    // has answered (never when resuming past a finished slice, whose total the cursor lacks).
    const totals: Array<number | undefined> = initial.slices.map(() => undefined)
    return Stream.mapAccum(merged, initial, (state, { index, page }): readonly [PartitionCursor, Paginate.Page<A, string>] => {
      const next: PartitionCursor = {
        field: state.field,
        slices: state.slices.map((slice, i) =>
          i === index ? { ...slice, next: Option.getOrNull(page.next), done: Option.isNone(page.next) } : slice)
      }
      if (page.total !== undefined) totals[index] = page.total
      const total = totals.every((n) => n !== undefined) ? totals.reduce<number>((sum, n) => sum + (n ?? 0), 0) : undefined
      return [next, {
        items: page.items,
        next: next.slices.every((slice) => slice.done) ? Option.none() : Option.some(encode(next)),
        ...(total === undefined ? {} : { total })
      }]
    })
  }))

/**
 * Records updated at or after `since` (UNIX seconds), and the next watermark.
 *
 * The server query is day-granular (`updated_at > the day before since`), so the stream
 * is filtered to `updated_at >= since` on our side. The next watermark is the time this
 * run started, minus `lagSeconds` for the search index's delay; records changed in that
 * overlap may be delivered again next time (at-least-once: dedupe by id and updated_at).
 */
export const since = <A extends Record, E>(options: {
  readonly search: (query: Search.Query) => Stream.Stream<A, E, IntercomClient.IntercomClient>
  readonly since: Search.DateInput
  readonly field?: string
  readonly lagSeconds?: number
  readonly where?: Search.Query
}): Effect.Effect<{ readonly stream: Stream.Stream<A, E, IntercomClient.IntercomClient>; readonly nextWatermark: number }> =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const field = options.field ?? "updated_at"
    const watermark = Search.toUnixSeconds(options.since) ?? 0
    const range = Search.onOrAfter(field, watermark)
    const query = options.where === undefined ? range : Search.and(range, options.where)
    const stream = Stream.filter(options.search(query), (record) => {
      const value = record[field]
      return typeof value !== "number" || value >= watermark
    })
    return { stream, nextWatermark: Math.floor(now / 1000) - (options.lagSeconds ?? 0) }
  })

/** An `IntercomError` or an invalid query: what a partitioned contact search can fail with. */
export type PartitionError = IntercomError.IntercomError | Search.InvalidQuery
