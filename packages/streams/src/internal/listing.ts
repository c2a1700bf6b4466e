/**
 * Listings over core's generated endpoints: one `client.execute` per page, so each
 * response is decoded once by the endpoint's (tolerant, property-keeping) schema, and
 * small adapters from a decoded page to the paginators of `Paginate`.
 *
 * Link-paginated listings (a contact's companies, data events) pass the query of the
 * `pages.next` URL back as the server wrote it: `paged` derives such an endpoint with the
 * same name, path and response schema and a free-form query.
 */
import { Endpoint, IntercomClient, type IntercomError, Schemas } from "@intercom-fx/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Paginate from "../Paginate.js"
import * as Search from "../Search.js"

export type R = IntercomClient.IntercomClient
export type E = IntercomError.IntercomError

/** Runs one endpoint with the client from the context. */
export const call = <N extends string, Q, B, S>(
  endpoint: Endpoint.Endpoint<N, Q, B, S>,
  input: Endpoint.Input<N, Q, B>,
  options?: IntercomClient.CallOptions
): Effect.Effect<S, E, R> => Effect.flatMap(IntercomClient.IntercomClient, (client) => client.execute(endpoint, input, options))

/** The records of a page; absent lists are empty and `null` entries are dropped. */
export const present = <A>(items: ReadonlyArray<A | null> | null | undefined): ReadonlyArray<A> =>
  items === null || items === undefined ? [] : items.filter((item): item is A => item !== null)

/** The same endpoint with a query schema that carries the pagination parameters the spec omits. */
export const paged = <N extends string, Q0, S, QA, QI>(
  base: Endpoint.Endpoint<N, Q0, void, S>,
  query: Schema.Schema<QA, QI>
): Endpoint.Endpoint<N, QA, void, S> => {
  const made = Endpoint.make({
    operationId: base.operationId,
    name: base.name,
    method: base.method,
    path: base.path,
    pathParams: base.pathParams,
    query,
    idempotent: base.idempotent,
    responseKind: base.responseKind
  })
  return { ...made, schemas: { ...made.schemas, success: base.schemas.success }, decodeSuccess: base.decodeSuccess }
}

/** Any string parameters: the query of a `pages.next` link, passed back as the server wrote it. */
export const LinkQuery = Schema.Record({ key: Schema.String, value: Schema.String })

/** The query parameters of a `pages.next` path-and-query, as a record. */
export const linkParams = (pathAndQuery: string): Readonly<Record<string, string>> =>
  Object.fromEntries(new URL(pathAndQuery, "http://relative.invalid").searchParams.entries())

/** A record's id as text (ids are strings in 2.10; a record without one is identified by its JSON). */
export const idOf = (item: { readonly id?: string | null | undefined }): string => item.id ?? JSON.stringify(item)

/** Items of a cursor listing. */
export const cursorStream = <Res extends Paginate.CursorPages, A>(
  fetch: (params: Paginate.CursorParams, call?: IntercomClient.CallOptions) => Effect.Effect<Res, E, R>,
  items: (response: Res) => ReadonlyArray<A>,
  perPage: number,
  startingAfter?: string
): Stream.Stream<A, E, R> => Paginate.cursor({ fetch, items, perPage, startingAfter })

/** Pages of a cursor listing, for checkpoints. */
export const cursorPageStream = <Res extends Paginate.CursorPages, A>(
  fetch: (params: Paginate.CursorParams, call?: IntercomClient.CallOptions) => Effect.Effect<Res, E, R>,
  items: (response: Res) => ReadonlyArray<A>,
  perPage: number,
  startingAfter?: string
): Stream.Stream<Paginate.Page<A, string>, E, R> => Paginate.cursorPages({ fetch, items, perPage, startingAfter })

/** Items of an unpaginated listing: one request, one chunk. */
export const singleStream = <S, A>(fetch: Effect.Effect<S, E, R>, items: (response: S) => ReadonlyArray<A>): Stream.Stream<A, E, R> =>
  Paginate.single(fetch, items)

/** The `query` member of a search request, as core's endpoint types it. */
export type SearchQueryBody = Schemas.SearchRequest["query"]

/**
 * Compiles a query for a resource into the request's `query` member: `Search.compile`'s
 * checks, then the spec's own shape (e.g. integers where it says integer).
 */
export const searchBody = (query: Search.Query, resource: Search.Resource): Either.Either<SearchQueryBody, Search.InvalidQuery> =>
  Either.flatMap(Search.compile(query, resource), (body) =>
    Either.mapLeft(Schema.decodeUnknownEither(Schemas.SearchRequest.fields.query)(body), (error) =>
      new Search.InvalidQuery({ resource, reason: "InvalidValue", path: [], detail: error.message.slice(0, 500) })))

/** Pages of a search: validates the query first (an invalid one fails before any request). */
export const searchPageStream = <Res extends Paginate.CursorPages, A>(
  resource: Search.Resource,
  query: Search.Query,
  fetch: (body: Schemas.SearchRequest, call?: IntercomClient.CallOptions) => Effect.Effect<Res, E, R>,
  items: (response: Res) => ReadonlyArray<A>,
  perPage: number,
  startingAfter?: string
): Stream.Stream<Paginate.Page<A, string>, E | Search.InvalidQuery, R> =>
  Either.match(searchBody(query, resource), {
    onLeft: (invalid) => Stream.fail(invalid),
    onRight: (body) => cursorPageStream((pagination, call) => fetch({ query: body, pagination }, call), items, perPage, startingAfter)
  })

/** Items of a listing whose pages link to the next: the first page, then each `pages.next` query against the same endpoint. */
export const linkStream = <Res extends Paginate.LinkPages, A>(
  fetch: (query: Option.Option<Readonly<Record<string, string>>>) => Effect.Effect<Res, E, R>,
  items: (response: Res) => ReadonlyArray<A>
): Stream.Stream<A, E, R> =>
  Paginate.link({
    first: fetch(Option.none()),
    next: (pathAndQuery) => fetch(Option.some(linkParams(pathAndQuery))),
    items
  })
