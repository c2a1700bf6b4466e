/**
 * Tickets as streams: a search (`POST /tickets/search`, body cursor). Pages are decoded
 * once by core's generated schema (unknown properties kept).
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Paginate from "./Paginate.js"
import type * as Search from "./Search.js"

export type Ticket = Schemas.Ticket

/** The largest `per_page` allowed. */
export const maxPerPage = 150

export interface ListOptions {
  readonly perPage?: number
  readonly startingAfter?: string | undefined
}

/** Pages of a ticket search, for checkpoints. */
export const searchPages = (
  query: Search.Query,
  options: ListOptions = {}
): Stream.Stream<Paginate.Page<Ticket, string>, L.E | Search.InvalidQuery, L.R> =>
  L.searchPageStream(
    "tickets",
    query,
    (body, call) => L.call(Endpoints.Tickets.search, { body }, call),
    (response: Schemas.TicketList) => L.present(response.tickets),
    options.perPage ?? maxPerPage,
    options.startingAfter
  )

/** Tickets matching a query. */
export const search = (query: Search.Query, options: ListOptions = {}): Stream.Stream<Ticket, L.E | Search.InvalidQuery, L.R> =>
  Paginate.items(searchPages(query, options))
