/**
 * The resources `intercom-fx` can export and tag, and how each is listed: plain cursor
 * listing, search (cursor in the body), the companies scroll, page numbers, or one page.
 * Each listing becomes a fetch-one-page function over the raw client, with the cursor as
 * text so a journal can store it.
 */
import { IntercomClient, type IntercomError } from "@intercom-fx/core"
import type { Search } from "@intercom-fx/streams"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { arrayAt, numberAt, stringAt } from "./internal/json.js"

export const exportable = [
  "contacts",
  "companies",
  "conversations",
  "tickets",
  "tags",
  "segments",
  "admins",
  "teams",
  "articles",
  "notes",
  "data-attributes"
] as const
export type Exportable = typeof exportable[number]

export const taggable = ["contacts", "companies", "conversations", "tickets"] as const
export type Taggable = typeof taggable[number]

/** Resources with a search endpoint (and so `--query`). */
export const searchable = (resource: string): resource is Search.Resource =>
  resource === "contacts" || resource === "conversations" || resource === "tickets"

/** One page of raw records and the cursor of the next page (none at the end). */
export interface Page {
  readonly items: ReadonlyArray<unknown>
  readonly next: Option.Option<string>
  /** How many records the whole listing has, when the API says. */
  readonly total: Option.Option<number>
}

export type FetchPage = (cursor: Option.Option<string>) => Effect.Effect<Page, IntercomError.IntercomError, IntercomClient.IntercomClient>

const request = (method: "GET" | "POST", path: string, body?: unknown) =>
  Effect.flatMap(IntercomClient.IntercomClient, (client) =>
    client.request(body === undefined ? { method, path } : { method, path, body, idempotent: true }))

const startingAfter = (response: unknown, items: number): Option.Option<string> =>
  items === 0 ? Option.none() : Option.fromNullable(stringAt(response, "pages.next.starting_after"))

const cursorListing = (path: string, key: string, perPage: number): FetchPage => (cursor) => {
  const query = new URLSearchParams({ per_page: String(perPage) })
  if (Option.isSome(cursor)) query.set("starting_after", cursor.value)
  return Effect.map(request("GET", `${path}?${query}`), (response) => {
    const items = arrayAt(response, key)
    return { items, next: startingAfter(response, items.length), total: Option.fromNullable(numberAt(response, "total_count")) }
  })
}

const searchListing = (path: string, key: string, query: Search.QueryBody, perPage: number): FetchPage => (cursor) =>
  Effect.map(
    request("POST", path, {
      query,
      pagination: Option.isSome(cursor) ? { per_page: perPage, starting_after: cursor.value } : { per_page: perPage }
    }),
    (response) => {
      const items = arrayAt(response, key)
      return { items, next: startingAfter(response, items.length), total: Option.fromNullable(numberAt(response, "total_count")) }
    }
  )

const pageNumberListing = (path: string, key: string, perPage: number): FetchPage => (cursor) => {
  const page = Option.getOrElse(Option.map(cursor, Number), () => 1)
  return Effect.map(request("GET", `${path}?page=${page}&per_page=${perPage}`), (response) => {
    const items = arrayAt(response, key)
    const total = numberAt(response, "pages.total_pages") ?? 1
    return { items, next: items.length > 0 && page < total ? Option.some(String(page + 1)) : Option.none(), total: Option.none() }
  })
}

/** The companies scroll: the cursor is the `scroll_param`; an empty page ends it. */
const scrollListing: FetchPage = (cursor) =>
  Effect.map(
    request("GET", Option.isSome(cursor) ? `/companies/scroll?scroll_param=${encodeURIComponent(cursor.value)}` : "/companies/scroll"),
    (response) => {
      const items = arrayAt(response, "data")
      return { items, next: items.length === 0 ? Option.none() : Option.fromNullable(stringAt(response, "scroll_param")), total: Option.none() }
    }
  )

const onePage = (path: string, key: string): FetchPage => () =>
  Effect.map(request("GET", path), (response) => ({ items: arrayAt(response, key), next: Option.none(), total: Option.none() }))

/** A query that matches every ticket (the tickets API has search but no listing). */
const everyTicket: Search.QueryBody = { field: "created_at", operator: ">", value: 0 }

export interface ListingOptions {
  /** A compiled search query (searchable resources only). */
  readonly query: Option.Option<Search.QueryBody>
  /** The contact whose notes to list. */
  readonly contact: Option.Option<string>
}

/** How to list a resource; fails with a usage message when the options don't fit it. */
export const listing = (resource: Exportable, options: ListingOptions): Either.Either<FetchPage, string> => {
  switch (resource) {
    case "contacts":
      return ok(Option.match(options.query, {
        onNone: () => cursorListing("/contacts", "data", 150),
        onSome: (query) => searchListing("/contacts/search", "data", query, 150)
      }))
    case "conversations":
      return ok(Option.match(options.query, {
        onNone: () => cursorListing("/conversations", "conversations", 150),
        onSome: (query) => searchListing("/conversations/search", "conversations", query, 150)
      }))
    case "tickets":
      return ok(searchListing("/tickets/search", "tickets", Option.getOrElse(options.query, () => everyTicket), 150))
    case "companies":
      return ok(scrollListing)
    case "articles":
      return ok(pageNumberListing("/articles", "data", 50))
    case "notes":
      return Option.match(options.contact, {
        onNone: () => fail("exporting notes needs --contact ID (notes are listed per contact)"),
        onSome: (id) => ok(onePage(`/contacts/${encodeURIComponent(id)}/notes`, "data"))
      })
    case "tags":
      return ok(onePage("/tags", "data"))
    case "segments":
      return ok(onePage("/segments", "segments"))
    case "admins":
      return ok(onePage("/admins", "admins"))
    case "teams":
      return ok(onePage("/teams", "teams"))
    case "data-attributes":
      return ok(onePage("/data_attributes", "data"))
  }
}

const ok = (value: FetchPage): Either.Either<FetchPage, string> => Either.right(value)
const fail = (error: string): Either.Either<FetchPage, string> => Either.left(error)

/** The field that says when a record last changed, for `--since` on resources without search. */
export const changedAt = (record: unknown): number | undefined =>
  numberAt(record, "updated_at") ?? numberAt(record, "created_at")

/** The path of one record, for `tag --ids` look-ups. */
export const recordPath = (resource: Taggable, id: string): string => `/${resource}/${encodeURIComponent(id)}`
