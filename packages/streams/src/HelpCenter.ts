/**
 * Help centers and their collections as streams (`GET /help_center/help_centers`,
 * unpaginated; `GET /help_center/collections`, page numbers).
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Paginate from "./Paginate.js"

export type HelpCenter = Schemas.HelpCenter
export type Collection = Schemas.Collection

/** Every help center: one request, one chunk. */
export const centers = (): Stream.Stream<HelpCenter, L.E, L.R> =>
  L.singleStream(L.call(Endpoints.HelpCenter.list, {}), (response) => L.present(response.data))

const listCollections = Endpoints.HelpCenter.listCollections

/** Every help-center collection (default 50 per page). */
export const collections = (options: { readonly perPage?: number } = {}): Stream.Stream<Collection, L.E, L.R> =>
  Paginate.pageNumber({
    fetch: (query) => L.call(listCollections, { query }),
    items: (response) => L.present(response.data),
    perPage: options.perPage ?? 50
  })
