/**
 * Where each exportable resource's records come from, as an `Export.Source` over the
 * streams package's resource streams (so each page is decoded once by the spec's schema):
 * cursor listings and searches resume from their cursor, a partitioned search from each
 * slice's cursor, and the rest (companies scroll, page-numbered and one-page listings)
 * restart and skip the ids already written.
 */
import type { IntercomClient, IntercomError } from "@intercom-fx/core"
import {
  Admins,
  Articles,
  Companies,
  Contacts,
  Conversations,
  DataAttributes,
  Export,
  Paginate,
  Partition,
  Search,
  Segments,
  Tags,
  Teams,
  Tickets
} from "@intercom-fx/streams"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { Exportable } from "./internal/options.js"
import { numberAt } from "./internal/json.js"

export { type Exportable, exportable, searchable, type Taggable, taggable, undated } from "./internal/options.js"

export type SourceError =
  | IntercomError.IntercomError
  | Search.InvalidQuery
  | Paginate.ScrollExpired
  | Paginate.ScrollIncomplete
  | Partition.InvalidPartitionCursor

export type Source = Export.Source<unknown, SourceError, IntercomClient.IntercomClient>

/** Partitions of `--parallel` cover created_at from here (before Intercom existed) to tomorrow. */
const PARTITION_START = "2010-01-01"

/** A query that matches every ticket (the tickets API has search but no listing). */
const everyTicket: Search.Query = Search.where("created_at", ">", 0)

export interface SourceOptions {
  /** The search (with `--since` folded in), for searchable resources. */
  readonly where: Option.Option<Search.Query>
  /** `--parallel`: concurrent searches over disjoint created_at day ranges. */
  readonly parallel: number
  /** The contact whose notes to list. */
  readonly contact: Option.Option<string>
}

/** A record's id as text, for sources that restart and skip what was written. */
const idOf = (record: unknown): string => {
  const id: unknown = typeof record === "object" && record !== null ? Reflect.get(record, "id") : undefined
  return typeof id === "string" || typeof id === "number" ? String(id) : JSON.stringify(record)
}

const restart = <A>(items: Stream.Stream<A, SourceError, IntercomClient.IntercomClient>): Source =>
  Export.scroll<unknown, SourceError, IntercomClient.IntercomClient>(items, idOf)

type SearchPages = (
  query: Search.Query,
  options: { readonly startingAfter?: string | undefined }
) => Stream.Stream<Paginate.Page<unknown, string>, SourceError, IntercomClient.IntercomClient>

const searched = (searchPages: SearchPages, where: Search.Query, parallel: number): Source =>
  Export.cursor<unknown, SourceError, IntercomClient.IntercomClient>((startingAfter) =>
    parallel > 1
      ? Partition.partitionedPages({
        search: (query, after) => searchPages(query, { startingAfter: after }),
        field: "created_at",
        from: PARTITION_START,
        until: Math.floor(Date.now() / 1000) + 2 * 86_400,
        slices: parallel,
        where,
        startingAfter
      })
      : searchPages(where, { startingAfter })
  )

/** How to read a resource; a usage message when the options don't fit it. */
export const source = (resource: Exportable, options: SourceOptions): Either.Either<Source, string> => {
  const search = (pages: SearchPages, listing: Option.Option<Source>, all: Search.Query): Source =>
    Option.match(options.where, {
      onNone: () => (options.parallel > 1 || Option.isNone(listing) ? searched(pages, all, options.parallel) : listing.value),
      onSome: (where) => searched(pages, where, options.parallel)
    })
  switch (resource) {
    case "contacts":
      return Either.right(search(
        Contacts.searchPages,
        Option.some(Export.cursor<unknown, SourceError, IntercomClient.IntercomClient>((startingAfter) => Contacts.pages({ startingAfter }))),
        Search.where("created_at", ">", 0)
      ))
    case "conversations":
      return Either.right(search(
        Conversations.searchPages,
        Option.some(Export.cursor<unknown, SourceError, IntercomClient.IntercomClient>((startingAfter) => Conversations.pages({ startingAfter }))),
        Search.where("created_at", ">", 0)
      ))
    case "tickets":
      return Either.right(search(Tickets.searchPages, Option.none(), everyTicket))
    case "companies":
      return Either.right(restart(Companies.scroll()))
    case "articles":
      return Either.right(restart(Articles.stream()))
    case "notes":
      return Option.match(options.contact, {
        onNone: () => Either.left("exporting notes needs --contact ID (notes are listed per contact)"),
        onSome: (id) => Either.right(restart(Contacts.notes(id)))
      })
    case "tags":
      return Either.right(restart(Tags.stream()))
    case "segments":
      return Either.right(restart(Segments.stream()))
    case "admins":
      return Either.right(restart(Admins.stream()))
    case "teams":
      return Either.right(restart(Teams.stream()))
    case "data-attributes":
      return Either.right(restart(DataAttributes.stream()))
  }
}

/** The source with only the records `keep` accepts. */
export const filter = (self: Source, keep: (record: unknown) => boolean): Source =>
  self._tag === "Cursor"
    // The listing's total no longer counts what is kept, so it is dropped.
    ? { _tag: "Cursor", pages: (from) => Stream.map(self.pages(from), (page) => ({ items: page.items.filter(keep), next: page.next })) }
    : { ...self, items: Stream.filter(self.items, keep) }

/**
 * Every record of a source, from the start (for stdout, which does not resume). `onTotal`
 * hears the listing's size whenever a page states it (plain callback: an effect per page
 * would keep pages reachable long enough to be promoted; see `Sink.toStdout`).
 */
export const records = (
  self: Source,
  onTotal: (total: number) => void = () => {}
): Stream.Stream<unknown, SourceError, IntercomClient.IntercomClient> =>
  self._tag === "Cursor"
    ? Paginate.items(Stream.map(self.pages(Option.none()), (page) => {
      if (page.total !== undefined) onTotal(page.total)
      return page
    }))
    : self.items

/** The field that says when a record last changed, for `--since` on resources without search. */
export const changedAt = (record: unknown): number | undefined =>
  numberAt(record, "updated_at") ?? numberAt(record, "created_at")
