/**
 * Segments as a stream (`GET /segments`, one unpaginated listing).
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"

export type Segment = Schemas.Segment

/** Every segment; `includeCount` adds member counts. */
export const stream = (options: { readonly includeCount?: boolean } = {}): Stream.Stream<Segment, L.E, L.R> =>
  L.singleStream(
    L.call(Endpoints.Segments.list, { query: options.includeCount === undefined ? {} : { include_count: options.includeCount } }),
    (response) => L.present(response.segments)
  )
