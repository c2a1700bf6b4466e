/**
 * Which workspace the token opens (`GET /me`'s `app.id_code`). It goes into a journal's
 * job key, so `--resume` against another workspace (another token, another base URL) is
 * refused instead of appending one workspace's records to another's file, or skipping
 * items because of another workspace's journal.
 *
 * @internal
 */
import { Endpoints, IntercomClient, type IntercomError, type Schemas } from "@intercom-fx/core"
import * as Effect from "effect/Effect"

/** The workspace of a `GET /me` answer (for a command that needs the answer for more, e.g. the admin id). */
export const workspaceOf = (me: Schemas.AdminWithApp): string => me.app?.id_code ?? "unknown"

export const workspaceId: Effect.Effect<string, IntercomError.IntercomError, IntercomClient.IntercomClient> = Effect.flatMap(
  IntercomClient.IntercomClient,
  (client) => Effect.map(client.execute(Endpoints.Admins.identify, {}), workspaceOf)
)
