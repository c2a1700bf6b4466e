/**
 * Companies as streams: the list (`POST /companies/list`, page numbers, at most 10,000
 * companies), `GET /companies` with its filters (tag, segment, name, company_id), the
 * scroll (`GET /companies/scroll`, every company; see `Paginate.scroll` for failures,
 * restarts and slow consumers), and a company's contacts and segments. Pages are decoded once by
 * core's generated schema (unknown properties kept).
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Paginate from "./Paginate.js"

export type Company = Schemas.Company

/** The largest `per_page` of the page-numbered company lists. */
export const maxPerPage = 60

type E = L.E
type R = L.R

export interface ListOptions {
  /** Default: the largest allowed (60). */
  readonly perPage?: number
  /** `desc` (default, most recently requested first) or `asc`. */
  readonly order?: "asc" | "desc"
  /** Start at this page (1-based; for resuming). */
  readonly startPage?: number | undefined
}

const listOptions = (options: ListOptions): Paginate.PageNumberOptions<Schemas.CompanyList, Company, E, R> => ({
  fetch: (params) =>
    L.call(Endpoints.Companies.list, { query: options.order === undefined ? params : { ...params, order: options.order } }),
  items: (response) => L.present(response.data),
  perPage: options.perPage ?? maxPerPage,
  ...(options.startPage === undefined ? {} : { startPage: options.startPage })
})

/** Companies with users, by `last_request_at` (`POST /companies/list`). Stops at 10,000: use `scroll` for more. */
export const stream = (options: ListOptions = {}): Stream.Stream<Company, E, R> => Paginate.pageNumber(listOptions(options))

/** The same, page by page with the next page number (for checkpoints). */
export const pages = (options: ListOptions = {}): Stream.Stream<Paginate.Page<Company, number>, E, R> =>
  Paginate.pageNumberPages(listOptions(options))

/** The filters of `GET /companies`. */
export interface Filter {
  readonly tag_id?: string
  readonly segment_id?: string
  readonly name?: string
  readonly company_id?: string
  readonly perPage?: number
}

/** Companies matching `GET /companies` filters, page by page. */
export const filter = (options: Filter): Stream.Stream<Company, E, R> => {
  const { perPage, ...filters } = options
  return Paginate.pageNumber({
    fetch: (params) => L.call(Endpoints.Companies.find, { query: { ...filters, ...params } }),
    items: (response) => L.present(response.data),
    perPage: perPage ?? maxPerPage
  })
}

export type ScrollOptions = Omit<Paginate.ScrollOptions<Schemas.CompanyScroll, Company, R>, "fetch" | "items" | "id">

/**
 * Every company through the scroll API, each once, ending only when every page from the
 * first to the end page is proven read. Asks again with the same `scroll_param` after a
 * failure that may not have advanced the scroll, starts new passes after the documented
 * restart 500 (emitting only companies not seen yet), waits while another scroll is open
 * and prefetches ahead of the consumer. Fails with `Paginate.ScrollIncomplete` when
 * Intercom keeps breaking the scroll, and with `Paginate.ScrollExpired` if the consumer
 * is so slow the scroll would expire. One chunk per scroll page. See `Paginate.scroll`.
 */
export const scroll = (
  options: ScrollOptions = {}
): Stream.Stream<Company, E | Paginate.ScrollExpired | Paginate.ScrollIncomplete, R> =>
  Paginate.scroll<Schemas.CompanyScroll, Company, R>({
    ...options,
    fetch: (param, call) =>
      L.call(Endpoints.Companies.scroll, { query: Option.match(param, { onNone: () => ({}), onSome: (scroll_param) => ({ scroll_param }) }) }, call),
    items: (response) => L.present(response.data),
    id: L.idOf
  })

const listContacts = Endpoints.Companies.listContacts

/** The contacts of a company. */
export const contacts = (companyId: string, options: { readonly perPage?: number } = {}): Stream.Stream<Schemas.Contact, E, R> =>
  Paginate.pageNumber({
    fetch: (query) => L.call(listContacts, { path: { id: companyId }, query }),
    items: (response) => L.present(response.data),
    perPage: options.perPage ?? 50
  })

/** The segments of a company. */
export const segments = (companyId: string): Stream.Stream<Schemas.Segment, E, R> =>
  L.singleStream(L.call(Endpoints.Companies.listSegments, { path: { id: companyId } }), (r) => L.present(r.data))
