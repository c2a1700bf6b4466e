/**
 * Fetching one page of a listing through `IntercomClient.request` and decoding its
 * envelope once: the items (kept whole, unknown fields included, so sinks serialise what
 * Intercom sent) and the pagination members the paginators read.
 */
import { IntercomClient, IntercomError } from "@intercom-fx/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Paginate from "../Paginate.js"
import * as Search from "../Search.js"

/** A record as Intercom sent it. */
export type Item = { readonly [key: string]: unknown }

const ItemSchema = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const Items = Schema.Array(ItemSchema)

const PagesSchema = Schema.Struct({
  page: Schema.optional(Schema.NullOr(Schema.Number)),
  total_pages: Schema.optional(Schema.NullOr(Schema.Number)),
  next: Schema.optional(Schema.Union(
    Schema.Null,
    Schema.String,
    Schema.Struct({ starting_after: Schema.optional(Schema.NullOr(Schema.String)) })
  ))
})

const Envelope = Schema.Struct({
  pages: Schema.optional(Schema.Unknown),
  scroll_param: Schema.optional(Schema.NullOr(Schema.String))
})

/** One decoded page of any listing. */
export interface ListPage {
  readonly items: ReadonlyArray<Item>
  readonly cursor: string | undefined
  readonly link: string | undefined
  readonly page: number | undefined
  readonly totalPages: number | undefined
  readonly scrollParam: string | undefined
}

const decodeError = (operation: string, method: string, path: string, issue: string) =>
  new IntercomError.ResponseDecodeError({
    operation, method, path: path.split("?")[0] ?? path, status: 200, errors: [], jsonPath: "$", issue: issue.slice(0, 500)
  })

/** Decodes a listing body whose items live under `key`. */
export const decodePage = (operation: string, method: string, path: string, key: string) =>
(body: unknown): Effect.Effect<ListPage, IntercomError.ResponseDecodeError> =>
  Effect.gen(function*() {
    const fail = (issue: string) => decodeError(operation, method, path, issue)
    const record = yield* Schema.decodeUnknown(ItemSchema)(body).pipe(Effect.mapError((e) => fail(e.message)))
    const envelope = yield* Schema.decodeUnknown(Envelope)(record).pipe(Effect.mapError((e) => fail(e.message)))
    const items = yield* Schema.decodeUnknown(Items)(record[key] ?? []).pipe(Effect.mapError((e) => fail(`${key}: ${e.message}`)))
    // `pages` is `{}` or null on some listings; only read what has the documented shape.
    const pages = Schema.decodeUnknownOption(PagesSchema)(envelope.pages)
    const p = pages._tag === "Some" ? pages.value : undefined
    const next = p?.next
    return {
      items,
      cursor: typeof next === "object" && next !== null ? next.starting_after ?? undefined : undefined,
      link: typeof next === "string" ? next : undefined,
      page: p?.page ?? undefined,
      totalPages: p?.total_pages ?? undefined,
      scrollParam: envelope.scroll_param ?? undefined
    }
  })

/** Appends query parameters (skipping undefined) to a path. */
export const withQuery = (path: string, params: Readonly<Record<string, string | number | boolean | undefined>>): string => {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value))
  const text = search.toString()
  return text === "" ? path : `${path}${path.includes("?") ? "&" : "?"}${text}`
}

export interface Request {
  readonly operation: string
  readonly method: "GET" | "POST"
  readonly path: string
  readonly body?: unknown
  /** Member holding the items (`data`, `admins`, `teams`, …). */
  readonly key: string
}

/** Sends one listing request and decodes its page. */
export const fetchPage = (
  request: Request,
  options?: IntercomClient.CallOptions
): Effect.Effect<ListPage, IntercomError.IntercomError, IntercomClient.IntercomClient> =>
  Effect.flatMap(IntercomClient.IntercomClient, (client) =>
    client.request(
      { method: request.method, path: request.path, body: request.body, idempotent: true },
      options
    ).pipe(
      Effect.flatMap(decodePage(request.operation, request.method, request.path, request.key)),
      Effect.withSpan(`intercom.${request.operation}.page`, { attributes: { "intercom.operation": request.operation } })
    ))

const asCursorPages = (page: ListPage): Paginate.CursorPages => ({ pages: { next: { starting_after: page.cursor } } })

/** The cursor paginator over a listing (query parameters or search body, by `request`). */
export const cursorOptions = (
  request: (params: Paginate.CursorParams) => Request,
  perPage: number,
  startingAfter: string | undefined
): Paginate.CursorOptions<ListPage & Paginate.CursorPages, Item, IntercomError.IntercomError, IntercomClient.IntercomClient> => ({
  fetch: (params) => Effect.map(fetchPage(request(params)), (page) => ({ ...page, ...asCursorPages(page) })),
  items: (page) => page.items,
  perPage,
  startingAfter
})

/** Items of a cursor listing. */
export const cursorStream = (
  request: (params: Paginate.CursorParams) => Request,
  perPage: number,
  startingAfter?: string
): Stream.Stream<Item, IntercomError.IntercomError, IntercomClient.IntercomClient> =>
  Paginate.cursor(cursorOptions(request, perPage, startingAfter))

/** Pages of a cursor listing, for checkpointing. */
export const cursorPageStream = (
  request: (params: Paginate.CursorParams) => Request,
  perPage: number,
  startingAfter?: string
): Stream.Stream<Paginate.Page<Item, string>, IntercomError.IntercomError, IntercomClient.IntercomClient> =>
  Paginate.cursorPages(cursorOptions(request, perPage, startingAfter))

/** Items of a page-numbered listing. */
export const pageNumberStream = (
  request: (params: Paginate.PageNumberParams) => Request,
  perPage: number
): Stream.Stream<Item, IntercomError.IntercomError, IntercomClient.IntercomClient> =>
  Paginate.pageNumber({
    fetch: (params) =>
      Effect.map(fetchPage(request(params)), (page) => ({ ...page, pages: { page: page.page, total_pages: page.totalPages } })),
    items: (page) => page.items,
    perPage
  })

/** Items of a listing whose pages link to the next. */
export const linkStream = (
  first: Request
): Stream.Stream<Item, IntercomError.IntercomError, IntercomClient.IntercomClient> => {
  const withLink = (page: ListPage) => ({ ...page, pages: { next: page.link } })
  return Paginate.link({
    first: Effect.map(fetchPage(first), withLink),
    next: (pathAndQuery) => Effect.map(fetchPage({ ...first, path: pathAndQuery, method: "GET", body: undefined }), withLink),
    items: (page) => page.items
  })
}

/** Items of an unpaginated listing. */
export const singleStream = (
  request: Request
): Stream.Stream<Item, IntercomError.IntercomError, IntercomClient.IntercomClient> =>
  Paginate.single(fetchPage(request), (page) => page.items)

/** A record's id as text (ids are strings in 2.10; a few listings use numbers). */
export const idOf = (item: Item): string => {
  const id = item["id"]
  return typeof id === "string" ? id : typeof id === "number" ? String(id) : JSON.stringify(item)
}

/** Validates a query, then streams the pages of a search; an invalid query fails before any request. */
export const searchPageStream = (
  resource: Search.Resource,
  key: string,
  query: Search.Query,
  perPage: number,
  startingAfter?: string
): Stream.Stream<Paginate.Page<Item, string>, IntercomError.IntercomError | Search.InvalidQuery, IntercomClient.IntercomClient> => {
  const compiled = Search.compile(query, resource)
  if (Either.isLeft(compiled)) return Stream.fail(compiled.left)
  const body = compiled.right
  return cursorPageStream((pagination) => ({
    operation: `${resource}.search`,
    method: "POST",
    path: `/${resource}/search`,
    body: { query: body, pagination },
    key
  }), perPage, startingAfter)
}
