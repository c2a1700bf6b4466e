/**
 * Contacts as streams: every contact (`GET /contacts`, cursor), a search
 * (`POST /contacts/search`, body cursor), and a contact's companies, notes, tags,
 * segments and subscriptions. Each page is decoded once by core's generated schema,
 * which keeps the properties it does not name, so an export loses no field.
 *
 * @since 0.1.0
 */
import { Endpoints, type IntercomClient, type Schemas } from "@intercom-fx/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Paginate from "./Paginate.js"
import type * as Search from "./Search.js"

export type Contact = Schemas.Contact

/** The largest `per_page` `GET /contacts` and `POST /contacts/search` allow. */
export const maxPerPage = 150

export interface ListOptions {
  /** Default: the largest allowed (150). */
  readonly perPage?: number
  /** Resume after this cursor. */
  readonly startingAfter?: string | undefined
}

type E = L.E
type R = L.R

const list = (params: Paginate.CursorParams, call?: IntercomClient.CallOptions) => L.call(Endpoints.Contacts.list, { query: params }, call)
const data = (response: Schemas.ContactList) => L.present(response.data)

/** Every contact, one page per chunk. */
export const stream = (options: ListOptions = {}): Stream.Stream<Contact, E, R> =>
  L.cursorStream(list, data, options.perPage ?? maxPerPage, options.startingAfter)

/** Every contact, page by page with the cursor after each page (for checkpoints). */
export const pages = (options: ListOptions = {}): Stream.Stream<Paginate.Page<Contact, string>, E, R> =>
  L.cursorPageStream(list, data, options.perPage ?? maxPerPage, options.startingAfter)

/** Pages of a contact search, for checkpoints. */
export const searchPages = (
  query: Search.Query,
  options: ListOptions = {}
): Stream.Stream<Paginate.Page<Contact, string>, E | Search.InvalidQuery, R> =>
  L.searchPageStream(
    "contacts",
    query,
    (body, call) => L.call(Endpoints.Contacts.search, { body }, call),
    data,
    options.perPage ?? maxPerPage,
    options.startingAfter
  )

/** Contacts matching a query (see `Search`, `QueryText`). */
export const search = (query: Search.Query, options: ListOptions = {}): Stream.Stream<Contact, E | Search.InvalidQuery, R> =>
  Paginate.items(searchPages(query, options))

const listCompanies = L.paged(Endpoints.Contacts.listCompanies, L.LinkQuery)

/** The companies a contact belongs to (following `pages.next` links). */
export const companies = (contactId: string): Stream.Stream<Schemas.Company, E, R> =>
  L.linkStream(
    (query) => L.call(listCompanies, { path: { id: contactId }, query: Option.getOrElse(query, () => ({})) }),
    (response) => L.present(response.companies)
  )

const listNotes = Endpoints.Contacts.listNotes

/** A contact's notes (page numbers). */
export const notes = (contactId: string, options: { readonly perPage?: number } = {}): Stream.Stream<Schemas.Note, E, R> =>
  Paginate.pageNumber({
    fetch: (query) => L.call(listNotes, { path: { id: contactId }, query }),
    items: (response) => L.present(response.data),
    perPage: options.perPage ?? 50
  })

/** A contact's tags. */
export const tags = (contactId: string): Stream.Stream<Schemas.Tag, E, R> =>
  L.singleStream(L.call(Endpoints.Contacts.listTags, { path: { contact_id: contactId } }), (r) => L.present(r.data))

/** The segments a contact is in. */
export const segments = (contactId: string): Stream.Stream<Schemas.Segment, E, R> =>
  L.singleStream(L.call(Endpoints.Contacts.listSegments, { path: { contact_id: contactId } }), (r) => L.present(r.data))

/** A contact's subscriptions. */
export const subscriptions = (contactId: string): Stream.Stream<Schemas.SubscriptionType, E, R> =>
  L.singleStream(L.call(Endpoints.Contacts.listSubscriptions, { path: { contact_id: contactId } }), (r) => L.present(r.data))

/** One contact by id. */
export const get = (contactId: string): Effect.Effect<Contact, E, R> => L.call(Endpoints.Contacts.get, { path: { id: contactId } })
