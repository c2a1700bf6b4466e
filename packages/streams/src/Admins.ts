/**
 * Admins as streams: every admin (`GET /admins`, unpaginated) and the admin activity
 * log (`GET /admins/activity_logs`, cursor pages within a time range).
 *
 * @since 0.1.0
 */
import { Endpoints, type Schemas } from "@intercom-fx/core"
import type * as Stream from "effect/Stream"
import * as L from "./internal/listing.js"
import * as Search from "./Search.js"

export type Admin = Schemas.Admin
export type ActivityLog = Schemas.ActivityLog

/** Every admin: one request, one chunk. */
export const stream = (): Stream.Stream<Admin, L.E, L.R> =>
  L.singleStream(L.call(Endpoints.Admins.list, {}), (response) => L.present(response.admins))

const listActivityLogs = Endpoints.Admins.listActivityLogs

export interface ActivityLogRange {
  /** From this time on (required by the API). */
  readonly after: Search.DateInput
  /** Before this time. */
  readonly before?: Search.DateInput
  /** Default 50. */
  readonly perPage?: number
}

/** Admin activity logs in a time range, following the cursor. */
export const activityLogs = (range: ActivityLogRange): Stream.Stream<ActivityLog, L.E, L.R> => {
  const after = String(Search.toUnixSeconds(range.after) ?? 0)
  const before = range.before === undefined ? undefined : Search.toUnixSeconds(range.before)
  return L.cursorStream(
    (params, call) =>
      L.call(listActivityLogs, {
        query: { ...params, created_at_after: after, ...(before === undefined ? {} : { created_at_before: String(before) }) }
      }, call),
    (response) => L.present(response.activity_logs),
    range.perPage ?? 50
  )
}
