/**
 * Ticket types as a stream (`GET /ticket_types`, one unpaginated listing).
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"

export type TicketType = Schemas.TicketType

/** Every ticket type: one request, one chunk. */
export const stream = (): Stream.Stream<TicketType, L.E, L.R> =>
  L.singleStream(L.call(Endpoints.TicketTypes.list, {}), (response) => L.present(response.ticket_types))
