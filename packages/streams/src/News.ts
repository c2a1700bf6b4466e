/**
 * News as streams: news items, newsfeeds and a newsfeed's live items (page numbers).
 * The spec types all three with one response schema whose records are a news item or a
 * newsfeed; each stream keeps that union.
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Paginate from "./Paginate.js"

/** A record of a news listing, as the spec types it. */
export type NewsRecord = Schemas.NewsItem | Schemas.Newsfeed

type Options = { readonly perPage?: number }

const listItems = Endpoints.News.listItems
const listNewsfeeds = Endpoints.News.listNewsfeeds
const listLiveItems = Endpoints.News.listLiveItems

const records = (response: Schemas.PaginatedResponse): ReadonlyArray<NewsRecord> => L.present(response.data)

/** Every news item. */
export const items = (options: Options = {}): Stream.Stream<NewsRecord, L.E, L.R> =>
  Paginate.pageNumber({ fetch: (query) => L.call(listItems, { query }), items: records, perPage: options.perPage ?? 50 })

/** Every newsfeed. */
export const newsfeeds = (options: Options = {}): Stream.Stream<NewsRecord, L.E, L.R> =>
  Paginate.pageNumber({ fetch: (query) => L.call(listNewsfeeds, { query }), items: records, perPage: options.perPage ?? 50 })

/** The live items of a newsfeed. */
export const newsfeedItems = (newsfeedId: string, options: Options = {}): Stream.Stream<NewsRecord, L.E, L.R> =>
  Paginate.pageNumber({
    fetch: (query) => L.call(listLiveItems, { path: { id: newsfeedId }, query }),
    items: records,
    perPage: options.perPage ?? 50
  })
