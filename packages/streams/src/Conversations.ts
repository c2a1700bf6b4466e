/**
 * Conversations as streams: every conversation (`GET /conversations`, cursor) and a
 * search (`POST /conversations/search`, body cursor). Pages are decoded once by core's
 * generated schema (unknown properties kept).
 *
 * @since 0.1.0
 */
import { Endpoints, type IntercomClient, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Paginate from "./Paginate.js"
import type * as Search from "./Search.js"

/** A conversation as listings and searches return it. */
export type Conversation = Schemas.ConversationListItem

/** The largest `per_page` allowed. */
export const maxPerPage = 150

export interface ListOptions {
  readonly perPage?: number
  readonly startingAfter?: string | undefined
}

type E = L.E
type R = L.R

const list = (params: Paginate.CursorParams, call?: IntercomClient.CallOptions) => L.call(Endpoints.Conversations.list, { query: params }, call)
const data = (response: Schemas.ConversationList) => L.present(response.conversations)

/** Every conversation. */
export const stream = (options: ListOptions = {}): Stream.Stream<Conversation, E, R> =>
  L.cursorStream(list, data, options.perPage ?? maxPerPage, options.startingAfter)

/** Every conversation, page by page with the cursor after each page (for checkpoints). */
export const pages = (options: ListOptions = {}): Stream.Stream<Paginate.Page<Conversation, string>, E, R> =>
  L.cursorPageStream(list, data, options.perPage ?? maxPerPage, options.startingAfter)

/** Pages of a conversation search, for checkpoints. */
export const searchPages = (
  query: Search.Query,
  options: ListOptions = {}
): Stream.Stream<Paginate.Page<Conversation, string>, E | Search.InvalidQuery, R> =>
  L.searchPageStream(
    "conversations",
    query,
    (body, call) => L.call(Endpoints.Conversations.search, { body }, call),
    data,
    options.perPage ?? maxPerPage,
    options.startingAfter
  )

/** Conversations matching a query. */
export const search = (query: Search.Query, options: ListOptions = {}): Stream.Stream<Conversation, E | Search.InvalidQuery, R> =>
  Paginate.items(searchPages(query, options))
