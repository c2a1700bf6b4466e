/**
 * Conversations as streams: every conversation (`GET /conversations`, cursor) and a
 * search (`POST /conversations/search`, body cursor).
 *
 * @since 0.1.0
 */
import type { IntercomClient, IntercomError } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Paginate from "./Paginate.js"
import type * as Search from "./Search.js"

export type Conversation = L.Item

/** The largest `per_page` allowed. */
export const maxPerPage = 150

export interface ListOptions {
  readonly perPage?: number
  readonly startingAfter?: string
}

type R = IntercomClient.IntercomClient

/** Every conversation. */
export const stream = (options: ListOptions = {}): Stream.Stream<Conversation, IntercomError.IntercomError, R> =>
  L.cursorStream((params) => ({
    operation: "conversations.list", method: "GET", path: L.withQuery("/conversations", params), key: "conversations"
  }), options.perPage ?? maxPerPage, options.startingAfter)

/** Pages of a conversation search, for checkpoints. */
export const searchPages = (
  query: Search.Query,
  options: ListOptions = {}
): Stream.Stream<Paginate.Page<Conversation, string>, IntercomError.IntercomError | Search.InvalidQuery, R> =>
  L.searchPageStream("conversations", "conversations", query, options.perPage ?? maxPerPage, options.startingAfter)

/** Conversations matching a query. */
export const search = (query: Search.Query, options: ListOptions = {}): Stream.Stream<Conversation, IntercomError.IntercomError | Search.InvalidQuery, R> =>
  Paginate.items(searchPages(query, options))
