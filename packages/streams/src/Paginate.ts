/**
 * Pagination combinators: one per pagination style of Intercom's API, each turning "fetch
 * one page" into a `Stream` of items with one request per page and one chunk per page
 * (built on `Stream.paginateChunkEffect`, so a slow consumer slows the requests down).
 *
 * - `cursor`: `?per_page=&starting_after=`, next cursor in `pages.next.starting_after`
 *   (contacts, conversations, activity logs). The next page's request is sent while a
 *   page is parsed, one page ahead at most.
 * - `searchCursor`: the same cursor carried in the search body's `pagination` member.
 * - `pageNumber`: `?page=&per_page=`, stop at `pages.total_pages` (company lists, a
 *   company's contacts, a contact's notes, articles, collections, news).
 * - `link`: follow the `pages.next` URL (a contact's companies, data events). Only the
 *   path and query of the URL are used, against the client's own base URL, so the token
 *   is never sent to a host named in a response.
 * - `scroll`: `GET /companies/scroll` with its `scroll_param`; see `scroll` for how it
 *   survives restarts, "scroll already exists" and slow consumers.
 *
 * `pages` gives the page-level stream (items plus the cursor after them),
 * which resumable exports use to checkpoint.
 *
 * @since 0.1.0
 */
import { type IntercomClient as Client, IntercomError, Retry } from "@intercom-fx/core"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as ReadAhead from "./internal/readAhead.js"

/** One fetched page: its items and where the next page starts (none at the end). */
export interface Page<A, C> {
  readonly items: ReadonlyArray<A>
  readonly next: Option.Option<C>
  /** How many items the whole listing holds, when the response says (`total_count`): for progress and ETAs. */
  readonly total?: number | undefined
}

/** The listing's size a response states, if it states one. */
const totalOf = (response: { readonly total_count?: number | null | undefined }): { readonly total?: number } =>
  typeof response.total_count === "number" ? { total: response.total_count } : {}

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
  readonly total_count?: number | null | undefined
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
  /**
   * Fetches one page with these parameters. Passing `call` on to `IntercomClient` lets the
   * stream send the next page's request while this page is parsed (see `cursorPages`).
   */
  readonly fetch: (params: CursorParams, call?: Client.CallOptions) => Effect.Effect<Res, E, R>
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

const cursorParams = (perPage: number, cursor: Option.Option<string>): CursorParams =>
  Option.isSome(cursor) ? { per_page: perPage, starting_after: cursor.value } : { per_page: perPage }

const cursorPageOf = <Res extends CursorPages, A>(
  items: (response: Res) => ReadonlyArray<A>,
  response: Res,
  cursor: Option.Option<string>
): Page<A, string> => {
  const found = items(response)
  return { items: found, next: nextCursor(response, cursor, found.length), ...totalOf(response) }
}

/** The page function of a cursor listing (one request per call, nothing fetched ahead). */
export const cursorPage = <Res extends CursorPages, A, E, R>(options: CursorOptions<Res, A, E, R>) =>
(cursor: Option.Option<string>): Effect.Effect<Page<A, string>, E, R> =>
  Effect.map(options.fetch(cursorParams(options.perPage, cursor)), (response) => cursorPageOf(options.items, response, cursor))

/** Items of a `starting_after` listing (fetched as `cursorPages` fetches them). */
export const cursor = <Res extends CursorPages, A, E, R>(options: CursorOptions<Res, A, E, R>): Stream.Stream<A, E, R> =>
  items(cursorPages(options))

/**
 * Pages of a `starting_after` listing (for checkpointing exports). Each page's request is
 * sent while the page before it is parsed, when `fetch` passes its `call` on to the client
 * (see `internal/readAhead.ts`); at most one page is fetched ahead, and a stream ended early
 * (`Stream.take`) may have made one request more than it used.
 */
export const cursorPages = <Res extends CursorPages, A, E, R>(
  options: CursorOptions<Res, A, E, R>
): Stream.Stream<Page<A, string>, E, R> =>
  ReadAhead.cursorPages(
    (cursor, call) =>
      Effect.map(options.fetch(cursorParams(options.perPage, cursor), call), (response) => cursorPageOf(options.items, response, cursor)),
    Option.fromNullable(options.startingAfter)
  )

/**
 * Items of a search: the cursor travels in the body's `pagination` member. `fetch`
 * receives the pagination to send; the caller puts it next to the `query`.
 */
export const searchCursor = <Res extends CursorPages, A, E, R>(options: CursorOptions<Res, A, E, R>): Stream.Stream<A, E, R> =>
  cursor(options)

/** Pages of a search (for checkpointing exports), fetched as `cursorPages` fetches them. */
export const searchCursorPages = cursorPages

// ---------------------------------------------------------------------------------------
// Page number

/** The part of a page-numbered response the paginator reads. */
export interface NumberedPages {
  readonly total_count?: number | null | undefined
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
    return { items: found, next: more ? Option.some(page + 1) : Option.none(), ...totalOf(response) }
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

/**
 * The scroll could not be proven complete: `passes` passes over it (each a new scroll from
 * the start) did not, together, read every page from the first to the end page without a
 * gap, because Intercom kept breaking the scroll or failing requests. The `emitted` items
 * were emitted once each, but others may be missing. Thrown instead of ending as if done.
 */
export class ScrollIncomplete extends Schema.TaggedError<ScrollIncomplete>()("ScrollIncomplete", {
  passes: Schema.Number,
  emitted: Schema.Number,
  /** Pages proven contiguous from the start of the scroll. */
  provenPages: Schema.Number,
  /** Why the last pass ended. */
  reason: Schema.String
}) {
  override get message(): string {
    return `scroll incomplete: ${this.passes} passes over the scroll could not read it from start to end without a gap (${this.emitted} items so far, the first ${this.provenPages} pages proven; last pass: ${this.reason}); Intercom kept failing mid-scroll: run the export again later`
  }
}

/** Failures of the paginators beyond `IntercomError`. */
export type PaginateError = ScrollExpired | ScrollIncomplete

/** The part of a scroll response the paginator reads. */
export interface ScrollResponse {
  readonly scroll_param?: string | null | undefined
}

export interface ScrollOptions<Res, A, R> {
  /** Fetches one scroll page; none for the first request. Called with retries disabled. */
  readonly fetch: (scrollParam: Option.Option<string>, options: Client.CallOptions) => Effect.Effect<Res, IntercomError.IntercomError, R>
  readonly items: (response: Res) => ReadonlyArray<A>
  /** The identity of an item, for emitting none twice across passes (and for page fingerprints). */
  readonly id: (item: A) => string
  /**
   * How many passes in a row may add nothing to the proof of completeness (no new certain
   * link between pages): one more fails with `ScrollIncomplete` (default 20). Generous on
   * purpose: when Intercom breaks 10 % of scroll requests, a pass over 20 pages gets
   * through only one time in eight, and every pass must start from the beginning.
   */
  readonly maxRestarts?: number
  /** Passes in all before giving up with `ScrollIncomplete` (default 100). */
  readonly maxPasses?: number
  /**
   * How to retry a request whose outcome is uncertain (a 5xx other than the documented
   * restart, a broken connection, a cut-short body) with the same `scroll_param`
   * (default: 200 ms doubling, 5 retries, 6.2 s in all: well inside the one-minute limit).
   */
  readonly retry?: Schedule.Schedule<unknown, IntercomError.IntercomError>
  /** Pages fetched ahead of the consumer (default 4). */
  readonly prefetch?: number
  /** How to wait while another scroll is open (default: every 5 s for up to 75 s). */
  readonly busyRetry?: Schedule.Schedule<unknown, IntercomError.IntercomError>
  /** Idle time after which a scroll param counts as expired (default 55 s, Intercom's limit is 60 s). */
  readonly idleLimit?: Duration.DurationInput
}

/** The documented "… Please restart the scroll operation." 500: this scroll is dead, only a new one can follow. */
export const isScrollRestart = (error: IntercomError.IntercomError): boolean =>
  error._tag === "ServerError" && error.errors.some((item) => /restart the scroll/i.test(item.message))

/**
 * What a failed scroll request means for the scroll:
 *
 * - `retry`: the request may or may not have advanced the scroll (a 5xx, a connection
 *   broken after the request was sent, a body cut short): ask again with the same param;
 *   a page may have been lost in between.
 * - `retryCertain`: the request provably never reached the server (connection refused):
 *   ask again, nothing was lost.
 * - `restart`: this scroll cannot be continued: the documented restart 500; a 404 for the
 *   param (expired, or ended by an end page whose response was lost); a timeout or a 504,
 *   after which the request may still be running on the server and could advance the
 *   scroll behind our back (so its param is not used again).
 * - `fatal`: anything else (auth, bad request, a body of the wrong shape): fail the stream.
 */
export type ScrollFailure = "retry" | "retryCertain" | "restart" | "fatal"

export const classifyScrollFailure = (error: IntercomError.IntercomError, continuing: boolean): ScrollFailure => {
  switch (error._tag) {
    case "ServerError":
      return isScrollRestart(error) || error.status === 504 ? "restart" : "retry"
    case "TransportError":
      return error.reachedServer ? "retry" : "retryCertain"
    case "TimeoutError":
      return "restart"
    case "NotFound":
      return continuing ? "restart" : "fatal"
    default:
      return "fatal"
  }
}

/** @deprecated A scroll now tells failures apart; see `classifyScrollFailure`. */
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

const defaultRetry: Schedule.Schedule<unknown, IntercomError.IntercomError> = Schedule.exponential("200 millis").pipe(
  Schedule.intersect(Schedule.recurs(5))
)

/** The fingerprint of one scroll page: count, first and last id, and a hash of every id (FNV-1a). */
export const scrollPageKey = (ids: ReadonlyArray<string>): string => {
  let hash = 0x811c9dc5
  for (const id of ids) {
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193)
    hash = Math.imul(hash ^ 0x1f, 0x01000193)
  }
  return `${ids.length}:${ids[0] ?? ""}:${ids[ids.length - 1] ?? ""}:${(hash >>> 0).toString(36)}`
}

/**
 * The proof that a scroll was read completely, built across passes. Pages are known by
 * their fingerprint (`scrollPageKey`); a *certain link* `A → B` says page B was the answer
 * to the request made right after page A arrived, with no failure in between that could
 * have advanced the scroll (`START → first page`, `last page → END` on the empty end
 * page). The scroll is complete when certain links lead from `START` to `END`: every
 * page on that chain has been received, and nothing lies between two linked pages.
 *
 * If a page gets a second, different successor, the order changed between passes: the
 * links of earlier passes are dropped and the proof restarts from this pass's links.
 * Memory: one short string pair per page.
 */
export class ScrollChain {
  static readonly START = "^"
  static readonly END = "$"
  private readonly after = new Map<string, string>()
  private thisPass: Array<readonly [string, string]> = []
  /** How often the order was seen to change (links dropped). */
  conflicts = 0

  /** A new pass begins (its links are the ones kept if the order changes). */
  newPass(): void {
    this.thisPass = []
  }

  /** Records a certain link; whether it was new. */
  link(from: string, to: string): boolean {
    const known = this.after.get(from)
    this.thisPass.push([from, to])
    if (known === to) return false
    if (known !== undefined) {
      this.conflicts++
      this.after.clear()
      for (const [a, b] of this.thisPass) this.after.set(a, b)
    }
    this.after.set(from, to)
    return true
  }

  /** The pages proven contiguous from the start, and whether the chain reaches the end. */
  walk(): { readonly pages: number; readonly complete: boolean } {
    const visited = new Set<string>()
    let at = ScrollChain.START
    for (;;) {
      const next = this.after.get(at)
      if (next === undefined || visited.has(next)) return { pages: visited.size, complete: false }
      if (next === ScrollChain.END) return { pages: visited.size, complete: true }
      visited.add(next)
      at = next
    }
  }

  get complete(): boolean {
    return this.walk().complete
  }

  /** Certain links known. */
  get size(): number {
    return this.after.size
  }
}

type ScrollState =
  | { readonly _tag: "Start"; readonly pass: number; readonly stalled: number }
  | {
    readonly _tag: "Continue"
    readonly pass: number
    readonly stalled: number
    readonly param: string
    /** The fingerprint of the last page of this pass. */
    readonly prev: string
    readonly lastAt: number
    /** Whether this pass added a certain link. */
    readonly progressed: boolean
  }

/**
 * Items of `GET /companies/scroll`, each emitted once, ending only when the whole scroll
 * is proven read, surviving what the API documents:
 *
 * - A request whose outcome is uncertain (a 5xx other than the documented restart, a
 *   connection broken after sending, a body cut short) is asked again with the same
 *   `scroll_param` (`retry`, by default 5 times within 6.2 s, well inside the one-minute
 *   idle limit). This keeps the server's scroll alive, but the lost response may have
 *   carried a page, so the pages before and after the failure are not known to be
 *   adjacent.
 * - The documented HTTP 500 "… Please restart the scroll operation.", a 404 for the param
 *   (e.g. the lost response was the empty end page, which kills the param), a timeout or
 *   a 504 (the request may still be running), or retries used up: the pass ends and a new
 *   scroll starts from the beginning. Items already emitted are not emitted again (the set
 *   of emitted ids is kept in memory for the life of the stream).
 * - Completeness is proven with a `ScrollChain` of certain page-to-page links gathered
 *   over all passes; the stream ends as soon as certain links lead from the first page to
 *   the empty end page (possibly mid-pass: the server's scroll is then left to expire
 *   within a minute). A pass that adds no certain link is a stall; after more than
 *   `maxRestarts` stalls in a row, or `maxPasses` passes in all, the stream fails with
 *   `ScrollIncomplete`, never ends as if done.
 * - "scroll already exists" (another scroll of the app is open, e.g. one whose first
 *   response was lost) is retried on `busyRetry`, by default every 5 s for up to 75 s (an
 *   abandoned scroll expires after a minute), then fails with the API's error.
 * - 429s wait for the window to reset and retry the same page (the server did not
 *   advance the scroll; the link stays certain).
 * - Slow consumers: pages are prefetched ahead by a background fiber into a buffer of
 *   `prefetch` pages, so a consumer that is briefly slow does not stall the scroll. If
 *   the buffer stays full so long that the scroll param would expire (`idleLimit`), the
 *   stream fails with `ScrollExpired` rather than sending a dead param or ending early.
 *
 * Assumptions: the scroll's order is stable across passes (Intercom's is: companies in a
 * fixed order, 100 per page), and a failed request is not still being processed after
 * its failure is seen (true of responses and broken connections; timeouts and 504s are
 * not trusted and end the pass). If the order is not stable, page fingerprints do not
 * line up, the chain does not close and the stream fails with `ScrollIncomplete` rather
 * than losing items; companies created or deleted during the export may or may not be
 * included, as with any listing.
 */
export const scroll = <Res extends ScrollResponse, A, R>(
  options: ScrollOptions<Res, A, R>
): Stream.Stream<A, IntercomError.IntercomError | ScrollExpired | ScrollIncomplete, R> =>
  Stream.suspend(() => {
    const seen = new Set<string>()
    const chain = new ScrollChain()
    const maxStalls = options.maxRestarts ?? 20
    const maxPasses = options.maxPasses ?? 100
    const idleLimit = Duration.toMillis(Duration.decode(options.idleLimit ?? "55 seconds"))
    const busyRetry = options.busyRetry ?? defaultBusyRetry
    const retry = options.retry ?? defaultRetry
    const call: Client.CallOptions = { maxAttempts: 1 }

    /** One request; a 429 waits for the window and asks again with the same param. */
    const request = (param: Option.Option<string>): Effect.Effect<Res, IntercomError.IntercomError, R> =>
      options.fetch(param, call).pipe(
        Effect.catchTag("RateLimited", (error) =>
          Effect.flatMap(Retry.rateLimitWait(error), (wait) =>
            Effect.zipRight(Effect.sleep(wait ?? Duration.seconds(1)), request(param))))
      )

    /**
     * One page, asked again with the same param after uncertain failures. `certain`: no
     * failure before the answer could have advanced the scroll. Left: the pass is over.
     */
    const page = (param: Option.Option<string>) =>
      Effect.suspend(() => {
        const continuing = Option.isSome(param)
        let certain = true
        const once = request(param).pipe(
          Effect.tapError((error) =>
            Effect.sync(() => {
              // A first page is the start of a new scroll whatever failed before it.
              if (continuing && classifyScrollFailure(error, continuing) === "retry") certain = false
            })
          )
        )
        const retried = Effect.retry(once, {
          schedule: retry,
          while: (error) => {
            const kind = classifyScrollFailure(error, continuing)
            return kind === "retry" || kind === "retryCertain"
          }
        })
        const asked = continuing ? retried : Effect.retry(retried, { schedule: busyRetry, while: isScrollBusy })
        return asked.pipe(
          Effect.map((response) => Either.right({ response, certain })),
          Effect.catchAll((error) =>
            classifyScrollFailure(error, continuing) === "fatal"
              ? Effect.fail(error)
              : Effect.succeed(Either.left(error))
          )
        )
      })

    const emitted = () => seen.size

    /** The pass is over without proof: start another, or give up. */
    const passOver = (
      state: ScrollState,
      progressed: boolean,
      reason: string
    ): Effect.Effect<readonly [ReadonlyArray<A>, Option.Option<ScrollState>], ScrollIncomplete> =>
      Effect.gen(function*() {
        const stalled = progressed ? 0 : state.stalled + 1
        const proven = chain.walk().pages
        if (stalled > maxStalls || state.pass >= maxPasses) {
          return yield* Effect.fail(new ScrollIncomplete({ passes: state.pass, emitted: emitted(), provenPages: proven, reason }))
        }
        yield* Effect.logWarning("scroll pass ended before the end was proven; starting a new pass from the beginning").pipe(
          Effect.annotateLogs({ pass: state.pass, stalled, emitted: emitted(), provenPages: proven, reason })
        )
        chain.newPass()
        return [[], Option.some<ScrollState>({ _tag: "Start", pass: state.pass + 1, stalled })] as const
      })

    const step = (
      state: ScrollState
    ): Effect.Effect<readonly [ReadonlyArray<A>, Option.Option<ScrollState>], IntercomError.IntercomError | ScrollExpired | ScrollIncomplete, R> =>
      Effect.gen(function*() {
        if (state._tag === "Continue") {
          const now = yield* Clock.currentTimeMillis
          if (now - state.lastAt > idleLimit) {
            return yield* Effect.fail(new ScrollExpired({ idleMillis: now - state.lastAt, emitted: emitted() }))
          }
        }
        const continuing = state._tag === "Continue"
        const progressedBefore = continuing && state.progressed
        const answer = yield* page(continuing ? Option.some(state.param) : Option.none())
        if (answer._tag === "Left") {
          return yield* passOver(state, progressedBefore, oneLine(answer.left.message))
        }
        const { certain, response } = answer.right
        const found = options.items(response)
        const ids = found.map(options.id)
        const fresh = found.filter((_, i) => {
          const id = ids[i] ?? ""
          if (seen.has(id)) return false
          seen.add(id)
          return true
        })
        const key = found.length === 0 ? ScrollChain.END : scrollPageKey(ids)
        const prev = continuing ? state.prev : ScrollChain.START
        const progressed = (certain && chain.link(prev, key)) || progressedBefore
        if (chain.complete) return [fresh, Option.none()] as const
        const param = response.scroll_param || (continuing ? state.param : "")
        if (key === ScrollChain.END || param === "") {
          const reason = key === ScrollChain.END
            ? "reached the end page after a failure that may have lost a page"
            : "a first page without a scroll_param"
          const over = yield* passOver(state, progressed, reason)
          return [fresh, over[1]] as const
        }
        const lastAt = yield* Clock.currentTimeMillis
        return [fresh, Option.some<ScrollState>({ _tag: "Continue", pass: state.pass, stalled: state.stalled, param, prev: key, lastAt, progressed })] as const
      })

    const scrollPages = Stream.paginateEffect<
      ScrollState,
      ReadonlyArray<A>,
      IntercomError.IntercomError | ScrollExpired | ScrollIncomplete,
      R
    >({ _tag: "Start", pass: 1, stalled: 0 }, step)
    return scrollPages.pipe(
      Stream.buffer({ capacity: options.prefetch ?? 4 }),
      Stream.mapConcatChunk((found) => Chunk.fromIterable(found))
    )
  })

const oneLine = (text: string): string => text.replace(/\s+/g, " ").slice(0, 300)

/** Reads an `IntercomError` out of an unknown failure of a raw request body decode. */
export const decodeWith = <A, I>(schema: Schema.Schema<A, I>, site: { readonly operation: string; readonly method: string; readonly path: string }) =>
(body: unknown): Effect.Effect<A, IntercomError.ResponseDecodeError> =>
  Schema.decodeUnknown(schema)(body).pipe(
    Effect.mapError((error) =>
      new IntercomError.ResponseDecodeError({ ...site, status: 200, errors: [], jsonPath: "$", issue: error.message.slice(0, 500) })
    )
  )
