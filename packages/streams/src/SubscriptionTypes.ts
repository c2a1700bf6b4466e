/**
 * Subscription types as a stream (`GET /subscription_types`, one unpaginated listing).
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"

export type SubscriptionType = Schemas.SubscriptionType

/** Every subscription type: one request, one chunk. */
export const stream = (): Stream.Stream<SubscriptionType, L.E, L.R> =>
  L.singleStream(L.call(Endpoints.SubscriptionTypes.list, {}), (response) => L.present(response.data))
