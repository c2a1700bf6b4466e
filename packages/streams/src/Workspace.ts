/**
 * The smaller listings of a workspace as streams, one function each: tags, segments,
 * admins and their activity log, teams, articles, help centers and collections, news
 * items, newsfeeds and their items, data attributes, a user's data events, subscription
 * types and ticket types. Unpaginated listings are one request and one chunk.
 *
 * @since 0.1.0
 */
import type { IntercomClient, IntercomError } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Search from "./Search.js"

export type Item = L.Item
type S = Stream.Stream<L.Item, IntercomError.IntercomError, IntercomClient.IntercomClient>

const one = (operation: string, path: string, key: string): S => L.singleStream({ operation, method: "GET", path, key })
const cursor = (operation: string, path: string, key: string, perPage: number): S =>
  L.cursorStream((params) => ({ operation, method: "GET", path: L.withQuery(path, params), key }), perPage)

/** Every tag. */
export const tags = (): S => one("tags.list", "/tags", "data")

/** Every segment (`include_count` adds member counts). */
export const segments = (options: { readonly includeCount?: boolean } = {}): S =>
  one("segments.list", L.withQuery("/segments", { include_count: options.includeCount }), "segments")

/** Every admin. */
export const admins = (): S => one("admins.list", "/admins", "admins")

/** Admin activity logs in a time range (`created_at_after` is required by the API). */
export const activityLogs = (range: { readonly after: Search.DateInput; readonly before?: Search.DateInput }): S =>
  cursor("admins.listActivityLogs", L.withQuery("/admins/activity_logs", {
    created_at_after: Search.toUnixSeconds(range.after),
    created_at_before: range.before === undefined ? undefined : Search.toUnixSeconds(range.before)
  }), "activity_logs", 50)

/** Every team. */
export const teams = (): S => one("teams.list", "/teams", "teams")

/** Every article. */
export const articles = (): S => cursor("articles.list", "/articles", "data", 50)

/** Every help center. */
export const helpCenters = (): S => one("helpCenters.list", "/help_center/help_centers", "data")

/** Every help-center collection. */
export const collections = (): S => cursor("collections.list", "/help_center/collections", "data", 50)

/** Every news item. */
export const newsItems = (): S => cursor("news.listItems", "/news/news_items", "data", 50)

/** Every newsfeed. */
export const newsfeeds = (): S => cursor("news.listNewsfeeds", "/news/newsfeeds", "data", 50)

/** The live items of a newsfeed. */
export const newsfeedItems = (newsfeedId: string): S =>
  cursor("news.listNewsfeedItems", `/news/newsfeeds/${encodeURIComponent(newsfeedId)}/items`, "data", 50)

/** Data attributes, optionally of one model (`contact`, `company`, `conversation`). */
export const dataAttributes = (options: { readonly model?: string; readonly includeArchived?: boolean } = {}): S =>
  one("dataAttributes.list", L.withQuery("/data_attributes", { model: options.model, include_archived: options.includeArchived }), "data")

/** A user's data events (one of `user_id`, `email`, `intercom_user_id`), following `pages.next`. */
export const dataEvents = (
  user: { readonly user_id: string } | { readonly email: string } | { readonly intercom_user_id: string },
  options: { readonly perPage?: number } = {}
): S =>
  L.linkStream({
    operation: "events.list",
    method: "GET",
    path: L.withQuery("/events", { type: "user", ...user, per_page: options.perPage }),
    key: "events"
  })

/** Every subscription type. */
export const subscriptionTypes = (): S => one("subscriptionTypes.list", "/subscription_types", "data")

/** Every ticket type. */
export const ticketTypes = (): S => one("ticketTypes.list", "/ticket_types", "ticket_types")
