/**
 * A user's data events as a stream (`GET /events?type=user`, newest first, following
 * the `pages.next` link).
 *
 * The spec describes this operation's response as the event summary and its query
 * without `per_page` or the link's own parameters, so this module describes it itself:
 * the same operation and path, a query of string parameters and the event-list schema.
 *
 * @since 0.1.0
 */
import { Endpoint, Schemas } from "@intercom-fx/core"
import * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"

export type DataEvent = Schemas.DataEvent

/** Who the events belong to: exactly one of these. */
export type User = { readonly user_id: string } | { readonly email: string } | { readonly intercom_user_id: string }

const list = Endpoint.make({
  operationId: "lisDataEvents",
  name: "dataEvents.list",
  method: "GET",
  path: "/events",
  query: L.LinkQuery,
  success: Schemas.DataEventList
})

const userParams = (user: User): Readonly<Record<string, string>> =>
  "user_id" in user ? { user_id: user.user_id } : "email" in user ? { email: user.email } : { intercom_user_id: user.intercom_user_id }

/** A user's data events, newest first. */
export const stream = (user: User, options: { readonly perPage?: number } = {}): Stream.Stream<DataEvent, L.E, L.R> => {
  const first = { type: "user", ...userParams(user), ...(options.perPage === undefined ? {} : { per_page: String(options.perPage) }) }
  return L.linkStream(
    (next) => L.call(list, { query: Option.getOrElse(next, () => first) }),
    (response) => L.present(response.events)
  )
}
