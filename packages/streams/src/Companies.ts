/**
 * Companies as streams: the list (`POST /companies/list`, page numbers, at most 10,000
 * companies), `GET /companies` with its filters (tag, segment, name, company_id), the
 * scroll (`GET /companies/scroll`, every company; see `Paginate.scroll` for restarts and
 * slow consumers), and a company's contacts and segments.
 *
 * @since 0.1.0
 */
import type { IntercomClient, IntercomError } from "@intercom-fx/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Paginate from "./Paginate.js"

export type Company = L.Item

/** The largest `per_page` of the page-numbered company lists. */
export const maxPerPage = 60

type R = IntercomClient.IntercomClient

export interface ListOptions {
  /** Default: the largest allowed (60). */
  readonly perPage?: number
  /** `desc` (default, most recently requested first) or `asc`. */
  readonly order?: "asc" | "desc"
}

/** Companies with users, by `last_request_at` (`POST /companies/list`). Stops at 10,000: use `scroll` for more. */
export const stream = (options: ListOptions = {}): Stream.Stream<Company, IntercomError.IntercomError, R> =>
  L.pageNumberStream((params) => ({
    operation: "companies.list",
    method: "POST",
    path: L.withQuery("/companies/list", { ...params, order: options.order }),
    key: "data"
  }), options.perPage ?? maxPerPage)

/** The filters of `GET /companies`. */
export interface Filter {
  readonly tag_id?: string
  readonly segment_id?: string
  readonly name?: string
  readonly company_id?: string
  readonly perPage?: number
}

/** Companies matching `GET /companies` filters, page by page. */
export const filter = (options: Filter): Stream.Stream<Company, IntercomError.IntercomError, R> =>
  L.pageNumberStream((params) => ({
    operation: "companies.retrieve",
    method: "GET",
    path: L.withQuery("/companies", {
      tag_id: options.tag_id, segment_id: options.segment_id, name: options.name, company_id: options.company_id, ...params
    }),
    key: "data"
  }), options.perPage ?? maxPerPage)

export type ScrollOptions = Omit<Paginate.ScrollOptions<L.ListPage, Company, R>, "fetch" | "items" | "id">

/**
 * Every company through the scroll API. Restarts a broken scroll without emitting an id
 * twice, waits while another scroll is open, prefetches ahead of the consumer and fails
 * with `Paginate.ScrollExpired` if the consumer is so slow the scroll would expire.
 */
export const scroll = (options: ScrollOptions = {}): Stream.Stream<Company, IntercomError.IntercomError | Paginate.ScrollExpired, R> =>
  Paginate.scroll<L.ListPage & Paginate.ScrollResponse, Company, R>({
    ...options,
    fetch: (param, call) =>
      Effect.map(
        L.fetchPage({
          operation: "companies.scroll",
          method: "GET",
          path: L.withQuery("/companies/scroll", { scroll_param: Option.getOrUndefined(param) }),
          key: "data"
        }, call),
        (page) => ({ ...page, scroll_param: page.scrollParam })
      ),
    items: (page) => page.items,
    id: L.idOf
  })

const path = (template: string, id: string) => template.replace("{id}", encodeURIComponent(id))

/** The contacts of a company. */
export const contacts = (companyId: string, options: { readonly perPage?: number } = {}): Stream.Stream<L.Item, IntercomError.IntercomError, R> =>
  L.pageNumberStream((params) => ({
    operation: "companies.listContacts",
    method: "GET",
    path: L.withQuery(path("/companies/{id}/contacts", companyId), params),
    key: "data"
  }), options.perPage ?? 50)

/** The segments of a company. */
export const segments = (companyId: string): Stream.Stream<L.Item, IntercomError.IntercomError, R> =>
  L.singleStream({ operation: "companies.listSegments", method: "GET", path: path("/companies/{id}/segments", companyId), key: "data" })
