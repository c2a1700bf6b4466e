/**
 * Pagination combinators: one per pagination style of Intercom's API, each turning "fetch
 * one page" into a `Stream` of items with one request per page and one chunk per page
 * (built on `Stream.paginateChunkEffect`, so a slow consumer slows the requests down).
 *
 * - `cursor`: `?per_page=&starting_after=`, next cursor in `pages.next.starting_after`
 *   (contacts, conversations, activity logs).
 * - `searchCursor`: the same cursor carried in the search body's `pagination` member.
 * - `pageNumber`: `?page=&per_page=`, stop at `pages.total_pages` (company lists, a
 *   company's contacts, a contact's notes, articles, collections, news).
 * - `link`: follow the `pages.next` URL (a contact's companies, data events). Only the
 *   path and query of the URL are used, against the client's own base URL, so the token
 *   is never sent to a host named in a response.
 * - `scroll`: `GET /companies/scroll` with its `scroll_param`; see `scroll` for how it
 *   survives restarts, "scroll already exists" and slow consumers.
 *
 * `pages`/`pagesFrom` give the page-level stream (items plus the cursor after them),
 * which resumable exports use to checkpoint.
 *
 * @since 0.1.0
 */
import { type IntercomClient as Client, IntercomError, Retry } from "@intercom-fx/core"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"

/** One fetched page: its items and where the next page starts (none at the end). */
export interface Page<A, C> {
  readonly items: ReadonlyArray<A>
  readonly next: Option.Option<C>
}

/**
 * The page-level stream: fetches the page at `start` (none: the first page), then each
 * following page until one has no `next`. Emits pages, one request per pull.
 */
export const pages = <A, C, E, R>(
  fetch: (cursor: Option.Option<C>) => Effect.Effect<Page<A, C>, E, R>,
  start: Option.Option<C> = Option.none()
): Stream.Stream<Page<A, C>, E, R> =>
  Stream.paginateEffect(start, (cursor) =>
    Effect.map(fetch(cursor), (page) => [page, Option.map(page.next, Option.some)] as const))

/** Flattens a page stream into items, one chunk per page. */
export const items = <A, C, E, R>(self: Stream.Stream<Page<A, C>, E, R>): Stream.Stream<A, E, R> =>
  Stream.mapConcatChunk(self, (page) => Chunk.fromIterable(page.items))

/** The item stream of a fetch function: one request and one chunk per page. */
export const paginate = <A, C, E, R>(
  fetch: (cursor: Option.Option<C>) => Effect.Effect<Page<A, C>, E, R>,
  start: Option.Option<C> = Option.none()
): Stream.Stream<A, E, R> =>
  Stream.paginateChunkEffect(start, (cursor) =>
    Effect.map(fetch(cursor), (page) => [Chunk.fromIterable(page.items), Option.map(page.next, Option.some)] as const))

// ---------------------------------------------------------------------------------------
// Cursor (starting_after)

/**
 * The part of a cursor-paginated response the paginator reads. `next` is an object with
 * the cursor, or (as some listings send it) a URL whose query carries `starting_after`.
 */
export interface CursorPages {
  readonly pages?: {
    readonly next?: { readonly starting_after?: string | null | undefined } | string | null | undefined
  } | null | undefined
}

const startingAfterOf = (next: NonNullable<NonNullable<CursorPages["pages"]>["next"]>): string | null | undefined => {
  if (typeof next !== "string") return next.starting_after
  try {
    return new URL(next, "https://api.intercom.io").searchParams.get("starting_after")
  } catch {
    return undefined
  }
}

/** Query parameters of one cursor page. */
export type CursorParams = {
  readonly per_page: number
  readonly starting_after?: string
}

export interface CursorOptions<Res, A, E, R> {
  /** Fetches one page with these parameters. */
  readonly fetch: (params: CursorParams) => Effect.Effect<Res, E, R>
  /** The page's items. */
  readonly items: (response: Res) => ReadonlyArray<A>
  readonly perPage: number
  /** Resume after this cursor instead of starting at the first page. */
  readonly startingAfter?: string | undefined
}

const nextCursor = (response: CursorPages, current: Option.Option<string>, count: number): Option.Option<string> => {
  const link = response.pages?.next
  const next = link === undefined || link === null ? undefined : startingAfterOf(link)
  if (next === undefined || next === null || next === "" || count === 0) return Option.none()
  // A server that hands back the cursor it was given would loop forever; stop instead.
  if (Option.isSome(current) && current.value === next) return Option.none()
  return Option.some(next)
}

/** The page function of a cursor listing. */
export const cursorPage = <Res extends CursorPages, A, E, R>(options: CursorOptions<Res, A, E, R>) =>
(cursor: Option.Option<string>): Effect.Effect<Page<A, string>, E, R> =>
  Effect.map(
    options.fetch(Option.isSome(cursor) ? { per_page: options.perPage, starting_after: cursor.value } : { per_page: options.perPage }),
    (response) => {
      const found = options.items(response)
      return { items: found, next: nextCursor(response, cursor, found.length) }
    }
  )

/** Items of a `starting_after` listing. */
export const cursor = <Res extends CursorPages, A, E, R>(options: CursorOptions<Res, A, E, R>): Stream.Stream<A, E, R> =>
  paginate(cursorPage(options), Option.fromNullable(options.startingAfter))

/** Pages of a `starting_after` listing (for checkpointing exports). */
export const cursorPages = <Res extends CursorPages, A, E, R>(
  options: CursorOptions<Res, A, E, R>
): Stream.Stream<Page<A, string>, E, R> => pages(cursorPage(options), Option.fromNullable(options.startingAfter))

/**
 * Items of a search: the cursor travels in the body's `pagination` member. `fetch`
 * receives the pagination to send; the caller puts it next to the `query`.
 */
export const searchCursor = <Res extends CursorPages, A, E, R>(options: CursorOptions<Res, A, E, R>): Stream.Stream<A, E, R> =>
  cursor(options)

/** Pages of a search (for checkpointing exports). */
export const searchCursorPages = cursorPages

// ---------------------------------------------------------------------------------------
// Page number

/** The part of a page-numbered response the paginator reads. */
export interface NumberedPages {
  readonly pages?: {
    readonly page?: number | null | undefined
    readonly total_pages?: number | null | undefined
  } | null | undefined
}

export type PageNumberParams = {
  readonly page: number
  readonly per_page: number
}

export interface PageNumberOptions<Res, A, E, R> {
  readonly fetch: (params: PageNumberParams) => Effect.Effect<Res, E, R>
  readonly items: (response: Res) => ReadonlyArray<A>
  readonly perPage: number
  /** First page to fetch (1-based, default 1). */
  readonly startPage?: number
}

/** The page function of a page-numbered listing. */
export const pageNumberPage = <Res extends NumberedPages, A, E, R>(options: PageNumberOptions<Res, A, E, R>) =>
(cursor: Option.Option<number>): Effect.Effect<Page<A, number>, E, R> => {
  const page = Option.getOrElse(cursor, () => options.startPage ?? 1)
  return Effect.map(options.fetch({ page, per_page: options.perPage }), (response) => {
    const found = options.items(response)
    const total = response.pages?.total_pages ?? undefined
    const more = found.length > 0 && (total === undefined ? found.length >= options.perPage : page < total)
    return { items: found, next: more ? Option.some(page + 1) : Option.none() }
  })
}

/** Pages of a `page=`/`per_page=` listing with the next page number (for checkpointing exports). */
export const pageNumberPages = <Res extends NumberedPages, A, E, R>(
  options: PageNumberOptions<Res, A, E, R>
): Stream.Stream<Page<A, number>, E, R> => pages(pageNumberPage(options))

/** Items of a `page=`/`per_page=` listing; stops after `pages.total_pages` or an empty page. */
export const pageNumber = <Res extends NumberedPages, A, E, R>(options: PageNumberOptions<Res, A, E, R>): Stream.Stream<A, E, R> =>
  paginate(pageNumberPage(options))

// ---------------------------------------------------------------------------------------
// Link (pages.next URL)

/** The part of a link-paginated response the paginator reads. */
export interface LinkPages {
  readonly pages?: { readonly next?: string | null | undefined } | null | undefined
}

export interface LinkOptions<Res, A, E, R> {
  /** The first page. */
  readonly first: Effect.Effect<Res, E, R>
  /** A following page, given the path and query of the `pages.next` URL (e.g. `/events?page=2`). */
  readonly next: (pathAndQuery: string) => Effect.Effect<Res, E, R>
  readonly items: (response: Res) => ReadonlyArray<A>
}

/** The path and query of a `pages.next` link; `None` when it is absent or not a URL. */
export const linkPath = (link: string | null | undefined): Option.Option<string> => {
  if (link === undefined || link === null || link.trim() === "") return Option.none()
  try {
    const url = new URL(link, "http://relative.invalid")
    return Option.some(`${url.pathname}${url.search}`)
  } catch {
    return Option.none()
  }
}

/** Items of a listing whose pages link to the next one. */
export const link = <Res extends LinkPages, A, E, R>(options: LinkOptions<Res, A, E, R>): Stream.Stream<A, E, R> =>
  paginate((cursor: Option.Option<string>) =>
    Effect.map(Option.isSome(cursor) ? options.next(cursor.value) : options.first, (response) => {
      const found = options.items(response)
      const next = linkPath(response.pages?.next)
      const loops = Option.isSome(next) && Option.isSome(cursor) && next.value === cursor.value
      return { items: found, next: found.length === 0 || loops ? Option.none<string>() : next }
    }))

/** A single unpaginated listing (tags, teams, admins, …) as a stream: one request, one chunk. */
export const single = <Res, A, E, R>(fetch: Effect.Effect<Res, E, R>, select: (response: Res) => ReadonlyArray<A>): Stream.Stream<A, E, R> =>
  Stream.fromIterableEffect(Effect.map(fetch, select))

// ---------------------------------------------------------------------------------------
// Scroll

/**
 * The scroll was not continued within Intercom's one-minute limit because the consumer
 * did not take pages fast enough (more than `idleMillis` passed since the last page while
 * the prefetch buffer was full). Thrown instead of silently ending early.
 */
export class ScrollExpired extends Schema.TaggedError<ScrollExpired>()("ScrollExpired", {
  idleMillis: Schema.Number,
  emitted: Schema.Number
}) {
  override get message(): string {
    return `scroll expired: the consumer left the scroll idle for ${this.idleMillis} ms (Intercom's limit is 60 s) after ${this.emitted} items; consume faster or increase prefetch`
  }
}

/** Failures of the paginators beyond `IntercomError`. */
export type PaginateError = ScrollExpired

/** The part of a scroll response the paginator reads. */
export interface ScrollResponse {
  readonly scroll_param?: string | null | undefined
}

export interface ScrollOptions<Res, A, R> {
  /** Fetches one scroll page; none for the first request. Called with retries disabled. */
  readonly fetch: (scrollParam: Option.Option<string>, options: Client.CallOptions) => Effect.Effect<Res, IntercomError.IntercomError, R>
  readonly items: (response: Res) => ReadonlyArray<A>
  /** The identity of an item, for emitting none twice across restarts. */
  readonly id: (item: A) => string
  /** Consecutive restarts after a broken scroll that bring no new items before giving up (default 5). */
  readonly maxRestarts?: number
  /** Pages fetched ahead of the consumer (default 4). */
  readonly prefetch?: number
  /** How to wait while another scroll is open (default: every 5 s for up to 75 s). */
  readonly busyRetry?: Schedule.Schedule<unknown, IntercomError.IntercomError>
  /** Idle time after which a scroll param counts as expired (default 55 s, Intercom's limit is 60 s). */
  readonly idleLimit?: Duration.DurationInput
}

/** The documented "restart the scroll" failure, or any other failure after which the scroll cannot be trusted. */
export const isScrollBroken = (error: IntercomError.IntercomError): boolean =>
  error._tag === "ServerError" || error._tag === "TransportError" || error._tag === "TimeoutError"

/**
 * "scroll already exists": another scroll of this app is open. A 400 whose body could not
 * be read (cut short on the way) is taken for it too: it is the one 400 a scroll start gets.
 */
export const isScrollBusy = (error: IntercomError.IntercomError): boolean =>
  error._tag !== "RateLimited" && error._tag !== "ServerError" && (
    error.errors.some((item) => /scroll/i.test(`${item.code} ${item.message}`) && /exist|already|open/i.test(`${item.code} ${item.message}`)) ||
    (error._tag === "BadRequest" && error.errors.every((item) => item.code === "http_400"))
  )

const defaultBusyRetry: Schedule.Schedule<unknown, IntercomError.IntercomError> = Schedule.spaced("5 seconds").pipe(
  Schedule.upTo("75 seconds")
)

type ScrollState =
  | { readonly _tag: "Start"; readonly restarts: number }
  | { readonly _tag: "Continue"; readonly param: string; readonly restarts: number; readonly lastAt: number }

/**
 * Items of `GET /companies/scroll`, surviving what the API documents:
 *
 * - A broken scroll (the documented HTTP 500 "… Please restart the scroll operation.",
 *   and also transport failures and timeouts, after which the page position is unknown)
 *   restarts from the beginning (giving up after `maxRestarts` restarts in a row that
 *   bring no new items); items whose id was already
 *   emitted are dropped, so no id is emitted twice. The set of emitted ids is kept in
 *   memory for the life of the stream.
 * - "scroll already exists" (another scroll of the app is open) is retried on
 *   `busyRetry`, by default every 5 s for up to 75 s (an abandoned scroll expires after
 *   a minute), then fails with the API's error.
 * - 429s wait for the window to reset and retry the same page (the server did not
 *   advance the scroll).
 * - Slow consumers: pages are prefetched ahead by a background fiber into a buffer of
 *   `prefetch` pages, so a consumer that is briefly slow does not stall the scroll. If
 *   the buffer stays full so long that the scroll param would expire (`idleLimit`), the
 *   stream fails with `ScrollExpired` rather than sending a dead param or ending early.
 */
export const scroll = <Res extends ScrollResponse, A, R>(
  options: ScrollOptions<Res, A, R>
): Stream.Stream<A, IntercomError.IntercomError | ScrollExpired, R> =>
  Stream.suspend(() => {
    const seen = new Set<string>()
    const maxRestarts = options.maxRestarts ?? 5
    const idleLimit = Duration.toMillis(Duration.decode(options.idleLimit ?? "55 seconds"))
    const busyRetry = options.busyRetry ?? defaultBusyRetry
    const call: Client.CallOptions = { maxAttempts: 1 }

    /** One request; a 429 waits for the window and asks again with the same param. */
    const request = (param: Option.Option<string>): Effect.Effect<Res, IntercomError.IntercomError, R> =>
      options.fetch(param, call).pipe(
        Effect.catchTag("RateLimited", (error) =>
          Effect.flatMap(Retry.rateLimitWait(error), (wait) =>
            Effect.zipRight(Effect.sleep(wait ?? Duration.seconds(1)), request(param))))
      )

    const first: Effect.Effect<Res, IntercomError.IntercomError, R> = request(Option.none()).pipe(
      Effect.retry({ schedule: busyRetry, while: isScrollBusy })
    )

    const step = (
      state: ScrollState
    ): Effect.Effect<readonly [ReadonlyArray<A>, Option.Option<ScrollState>], IntercomError.IntercomError | ScrollExpired, R> =>
      Effect.gen(function*() {
        if (state._tag === "Continue") {
          const now = yield* Clock.currentTimeMillis
          if (now - state.lastAt > idleLimit) {
            return yield* Effect.fail(new ScrollExpired({ idleMillis: now - state.lastAt, emitted: seen.size }))
          }
        }
        const attempt = yield* Effect.either(state._tag === "Start" ? first : request(Option.some(state.param)))
        if (attempt._tag === "Left") {
          const error = attempt.left
          if (isScrollBroken(error) && state.restarts < maxRestarts) {
            yield* Effect.logWarning("scroll broken; restarting from the beginning").pipe(
              Effect.annotateLogs({ restarts: state.restarts + 1, emitted: seen.size, error: error.message })
            )
            return [[], Option.some<ScrollState>({ _tag: "Start", restarts: state.restarts + 1 })] as const
          }
          return yield* Effect.fail(error)
        }
        const response = attempt.right
        const found = options.items(response)
        const fresh = found.filter((item) => {
          const id = options.id(item)
          if (seen.has(id)) return false
          seen.add(id)
          return true
        })
        const param = response.scroll_param
        if (found.length === 0 || param === undefined || param === null || param === "") {
          return [fresh, Option.none()] as const
        }
        const lastAt = yield* Clock.currentTimeMillis
        // Only restarts that bring nothing new count against `maxRestarts`: a pass that got
        // further than every earlier one is progress, however often the scroll broke before.
        const restarts = fresh.length > 0 ? 0 : state.restarts
        return [fresh, Option.some<ScrollState>({ _tag: "Continue", param, restarts, lastAt })] as const
      })

    const scrollPages = Stream.paginateEffect<ScrollState, ReadonlyArray<A>, IntercomError.IntercomError | ScrollExpired, R>(
      { _tag: "Start", restarts: 0 },
      step
    )
    return scrollPages.pipe(
      Stream.buffer({ capacity: options.prefetch ?? 4 }),
      Stream.mapConcatChunk((found) => Chunk.fromIterable(found))
    )
  })

/** Reads an `IntercomError` out of an unknown failure of a raw request body decode. */
export const decodeWith = <A, I>(schema: Schema.Schema<A, I>, site: { readonly operation: string; readonly method: string; readonly path: string }) =>
(body: unknown): Effect.Effect<A, IntercomError.ResponseDecodeError> =>
  Schema.decodeUnknown(schema)(body).pipe(
    Effect.mapError((error) =>
      new IntercomError.ResponseDecodeError({ ...site, status: 200, errors: [], jsonPath: "$", issue: error.message.slice(0, 500) })
    )
  )
