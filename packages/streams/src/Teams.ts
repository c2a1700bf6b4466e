/**
 * Teams as a stream (`GET /teams`, one unpaginated listing).
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"

export type Team = Schemas.Team

/** Every team: one request, one chunk. */
export const stream = (): Stream.Stream<Team, L.E, L.R> =>
  L.singleStream(L.call(Endpoints.Teams.list, {}), (response) => L.present(response.teams))
