/**
 * Contacts as streams: every contact (`GET /contacts`, cursor), a search
 * (`POST /contacts/search`, body cursor), and a contact's companies, notes, tags,
 * segments and subscriptions. Records are decoded once and kept whole.
 *
 * @since 0.1.0
 */
import type { IntercomClient, IntercomError } from "@intercom-fx/core"
import * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Paginate from "./Paginate.js"
import type * as Search from "./Search.js"

export type Contact = L.Item

/** The largest `per_page` `GET /contacts` and `POST /contacts/search` allow. */
export const maxPerPage = 150

export interface ListOptions {
  /** Default: the largest allowed (150). */
  readonly perPage?: number
  /** Resume after this cursor. */
  readonly startingAfter?: string
}

type R = IntercomClient.IntercomClient

const listRequest = (params: Paginate.CursorParams): L.Request => ({
  operation: "contacts.list",
  method: "GET",
  path: L.withQuery("/contacts", params),
  key: "data"
})

/** Every contact, one page per chunk. */
export const stream = (options: ListOptions = {}): Stream.Stream<Contact, IntercomError.IntercomError, R> =>
  L.cursorStream(listRequest, options.perPage ?? maxPerPage, options.startingAfter)

/** Every contact, page by page with the cursor after each page (for checkpoints). */
export const pages = (options: ListOptions = {}): Stream.Stream<Paginate.Page<Contact, string>, IntercomError.IntercomError, R> =>
  L.cursorPageStream(listRequest, options.perPage ?? maxPerPage, options.startingAfter)

/** Contacts matching a query (see `Search`, `QueryText`). */
export const search = (query: Search.Query, options: ListOptions = {}): Stream.Stream<Contact, IntercomError.IntercomError | Search.InvalidQuery, R> =>
  Paginate.items(searchPages(query, options))

/** Pages of a contact search, for checkpoints. */
export const searchPages = (
  query: Search.Query,
  options: ListOptions = {}
): Stream.Stream<Paginate.Page<Contact, string>, IntercomError.IntercomError | Search.InvalidQuery, R> =>
  L.searchPageStream("contacts", "data", query, options.perPage ?? maxPerPage, options.startingAfter)

const path = (template: string, id: string) => template.replace("{id}", encodeURIComponent(id))

/** The companies a contact belongs to (`pages.next` links). */
export const companies = (contactId: string): Stream.Stream<L.Item, IntercomError.IntercomError, R> =>
  L.linkStream({ operation: "contacts.listCompanies", method: "GET", path: path("/contacts/{id}/companies", contactId), key: "companies" })

/** A contact's notes (cursor pages). */
export const notes = (contactId: string): Stream.Stream<L.Item, IntercomError.IntercomError, R> =>
  L.cursorStream((params) => ({
    operation: "contacts.listNotes", method: "GET", path: L.withQuery(path("/contacts/{id}/notes", contactId), params), key: "data"
  }), 50)

/** A contact's tags. */
export const tags = (contactId: string): Stream.Stream<L.Item, IntercomError.IntercomError, R> =>
  L.singleStream({ operation: "contacts.listTags", method: "GET", path: path("/contacts/{id}/tags", contactId), key: "data" })

/** The segments a contact is in. */
export const segments = (contactId: string): Stream.Stream<L.Item, IntercomError.IntercomError, R> =>
  L.singleStream({ operation: "contacts.listSegments", method: "GET", path: path("/contacts/{id}/segments", contactId), key: "data" })

/** A contact's subscriptions. */
export const subscriptions = (contactId: string): Stream.Stream<L.Item, IntercomError.IntercomError, R> =>
  L.singleStream({ operation: "contacts.listSubscriptions", method: "GET", path: path("/contacts/{id}/subscriptions", contactId), key: "data" })
