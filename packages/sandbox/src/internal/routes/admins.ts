/**
 * Admins and teams: the current admin (`/me`), listing, away mode (which is logged), the
 * workspace's activity logs (cursor-paginated, filtered by creation time).
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { badRequest } from "../errors.js"
import { cursorPages, decodeCursor, perPage, scan } from "../paging.js"
import { activityLog } from "../workspace.js"
import { decode, findBy, indexOr404, mutated, nowSec, ok, r, replaceAt, type Ctx, type P } from "./common.js"

const AwayBody = Schema.Struct({ away_mode_enabled: Schema.Boolean, away_mode_reassign: Schema.Boolean })

const setAway = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* indexOr404(ws.admins, p.id ?? "", "admin_not_found", "Admin for admin_id not found")
    const b = yield* decode(AwayBody, ctx.body)
    const admin = replaceAt(ws.admins, k, { ...ws.admins[k], away_mode_enabled: b.away_mode_enabled, away_mode_reassign: b.away_mode_reassign })
    ws.activityLogs.push(activityLog(`log-${ws.nextId++}`, admin, "admin_away_mode_change", nowSec(ctx), {
      away_mode: b.away_mode_enabled, reassign_conversations: b.away_mode_reassign
    }))
    mutated(ctx)
    return yield* ok(admin)
  })

const unixParam = (raw: string | null, name: string) => {
  if (raw === null || raw === "") return Effect.succeed(undefined)
  const n = Number(raw)
  return Number.isInteger(n) ? Effect.succeed(n) : Effect.fail(badRequest(`${name} must be a UNIX timestamp`, name))
}

/** Oldest first, so entries logged during a walk land after the cursor and nothing shifts. */
const activityLogs = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const after = yield* unixParam(ctx.query.get("created_at_after"), "created_at_after")
    if (after === undefined) return yield* Effect.fail(badRequest("created_at_after is a required parameter", "created_at_after", "parameter_not_found"))
    const before = yield* unixParam(ctx.query.get("created_at_before"), "created_at_before")
    const per = yield* perPage(ctx.query.get("per_page"), 20)
    const cur = yield* decodeCursor(ctx.query.get("starting_after"))
    const logs = ws.activityLogs
    const keep = (k: number) => {
      const at = Number(logs[k]?.created_at)
      return at >= after && (before === undefined || at <= before)
    }
    let total = 0
    for (let k = 0; k < logs.length; k++) if (keep(k)) total++
    const page = scan(cur.i, logs.length, per, keep)
    const pages = cursorPages(cur.p, per, total, page.next)
    return yield* ok({
      type: "activity_log.list",
      pages: page.next === undefined ? { ...pages, next: null } : pages,
      activity_logs: page.items.map((k) => logs[k] ?? {})
    })
  })

export const adminRoutes = [
  // One app id per seed, as each real workspace has its own: journals record whose they are.
  r("GET", "/me", (ctx) => ok({ ...(ctx.state.ws.admins[0] ?? {}), app: { type: "app", id_code: `sandbox-app-${ctx.state.size.seed}`, name: "Intercom sandbox", created_at: 1546300800, secure: false, identity_verification: false, timezone: "UTC", region: "US" } })),
  r("GET", "/admins", (ctx) => ok({ type: "admin.list", admins: [...ctx.state.ws.admins] })),
  r("GET", "/admins/activity_logs", activityLogs),
  r("GET", "/admins/{id}", (ctx, p) => findBy(ctx.state.ws.admins, p.id ?? "", "admin_not_found", "Admin not found")),
  r("PUT", "/admins/{id}/away", setAway),
  r("GET", "/teams", (ctx) => ok({ type: "team.list", teams: [...ctx.state.ws.teams] })),
  r("GET", "/teams/{id}", (ctx, p) => findBy(ctx.state.ws.teams, p.id ?? "", "team_not_found", "Team not found"))
]
