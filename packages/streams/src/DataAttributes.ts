/**
 * Data attributes as a stream (`GET /data_attributes`, one unpaginated listing).
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"

export type DataAttribute = Schemas.DataAttribute

export interface Options {
  /** Only this model's attributes. */
  readonly model?: "contact" | "company" | "conversation"
  readonly includeArchived?: boolean
}

/** Data attributes, optionally of one model: one request, one chunk. */
export const stream = (options: Options = {}): Stream.Stream<DataAttribute, L.E, L.R> =>
  L.singleStream(
    L.call(Endpoints.DataAttributes.list, {
      query: {
        ...(options.model === undefined ? {} : { model: options.model }),
        ...(options.includeArchived === undefined ? {} : { include_archived: options.includeArchived })
      }
    }),
    (response) => L.present(response.data)
  )
