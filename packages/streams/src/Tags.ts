/**
 * Tags as a stream (`GET /tags`, one unpaginated listing).
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"

export type Tag = Schemas.Tag

/** Every tag of the workspace: one request, one chunk. */
export const stream = (): Stream.Stream<Tag, L.E, L.R> =>
  L.singleStream(L.call(Endpoints.Tags.list, {}), (response) => L.present(response.data))
