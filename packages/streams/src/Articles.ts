/**
 * Articles as a stream (`GET /articles`, page numbers).
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Paginate from "./Paginate.js"

export type Article = Schemas.ArticleListItem

const list = Endpoints.Articles.list

/** Every article (default 50 per page). */
export const stream = (options: { readonly perPage?: number } = {}): Stream.Stream<Article, L.E, L.R> =>
  Paginate.pageNumber({
    fetch: (query) => L.call(list, { query }),
    items: (response) => L.present(response.data),
    perPage: options.perPage ?? 50
  })
