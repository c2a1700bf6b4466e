/**
 * Tickets as streams: a search (`POST /tickets/search`, body cursor).
 *
 * @since 0.1.0
 */
import type { IntercomClient, IntercomError } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Paginate from "./Paginate.js"
import type * as Search from "./Search.js"

export type Ticket = L.Item

/** The largest `per_page` allowed. */
export const maxPerPage = 150

export interface ListOptions {
  readonly perPage?: number
  readonly startingAfter?: string
}

type R = IntercomClient.IntercomClient

/** Pages of a ticket search, for checkpoints. */
export const searchPages = (
  query: Search.Query,
  options: ListOptions = {}
): Stream.Stream<Paginate.Page<Ticket, string>, IntercomError.IntercomError | Search.InvalidQuery, R> =>
  L.searchPageStream("tickets", "tickets", query, options.perPage ?? maxPerPage, options.startingAfter)

/** Tickets matching a query. */
export const search = (query: Search.Query, options: ListOptions = {}): Stream.Stream<Ticket, IntercomError.IntercomError | Search.InvalidQuery, R> =>
  Paginate.items(searchPages(query, options))
