/**
 * Data events: submit (202, de-duplicated on contact, name and time), a contact's events
 * newest first with link pagination (`pages.next` is a URL carrying `before`), the
 * per-name summary (`summary=true`), and posted event summaries.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { badRequest, notFound } from "../errors.js"
import { perPage } from "../paging.js"
import type { DataEvent, JsonObject, Workspace } from "../workspace.js"
import { contactKeyOr404, decode, findContact, mutated, r, type Ctx } from "./common.js"

const EventBody = Schema.Struct({
  event_name: Schema.String.pipe(Schema.minLength(1)),
  created_at: Schema.Int,
  id: Schema.optional(Schema.String),
  user_id: Schema.optional(Schema.String),
  email: Schema.optional(Schema.String),
  metadata: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})
const SummariesBody = Schema.Struct({
  user_id: Schema.optional(Schema.String),
  event_summaries: Schema.optional(Schema.Struct({
    event_name: Schema.String, count: Schema.Int, first: Schema.optional(Schema.Int), last: Schema.optional(Schema.Int)
  }))
})

/** Metadata is flat and at most 10 keys are kept, in the order sent. */
const metadataOf = (m: Readonly<Record<string, unknown>> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(m ?? {}).slice(0, 10).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]))

const submit = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(EventBody, ctx.body)
    if (b.id === undefined && b.user_id === undefined && b.email === undefined) {
      return yield* Effect.fail(badRequest("id, user_id or email is required", "user_id", "parameter_not_found"))
    }
    const i = yield* contactKeyOr404(ws, b)
    const existing = ws.contactEvents(i)
    if (!existing.some((e) => e.event_name === b.event_name && e.created_at === b.created_at)) {
      const sameSecond = existing.filter((e) => Math.floor(e.key / 1000) === b.created_at).length
      const event: DataEvent = { event_name: b.event_name, created_at: b.created_at, key: b.created_at * 1000 + 500 + sameSecond, metadata: metadataOf(b.metadata) }
      ws.events.set(i, [...(ws.events.get(i) ?? []), event])
      mutated(ctx)
    }
    return { status: 202 }
  })

const eventJson = (ws: Workspace, i: number, e: DataEvent): JsonObject => {
  const d = ws.contactData(i)
  return {
    type: "event", event_name: e.event_name, created_at: e.created_at, intercom_user_id: ws.contactId(i), id: ws.contactId(i),
    ...(d.external_id === null ? {} : { user_id: d.external_id }), ...(d.email === "" ? {} : { email: d.email }),
    metadata: { ...e.metadata }
  }
}

const iso = (sec: number) => new Date(sec * 1000).toISOString().replace("Z", "+00:00")

const summaryJson = (ws: Workspace, i: number): JsonObject => {
  const byName = new Map<string, { count: number; first: number; last: number }>()
  for (const e of ws.contactEvents(i)) {
    const s = byName.get(e.event_name)
    byName.set(e.event_name, s === undefined
      ? { count: 1, first: e.created_at, last: e.created_at }
      : { count: s.count + 1, first: Math.min(s.first, e.created_at), last: Math.max(s.last, e.created_at) })
  }
  for (const [name, s] of ws.eventSummaries.get(i) ?? []) {
    const cur = byName.get(name)
    byName.set(name, cur === undefined ? { ...s } : { count: cur.count + s.count, first: Math.min(cur.first, s.first), last: Math.max(cur.last, s.last) })
  }
  const d = ws.contactData(i)
  return {
    type: "event.summary", email: d.email, intercom_user_id: ws.contactId(i), user_id: d.external_id,
    events: [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) => ({
      name, first: iso(s.first), last: iso(s.last), count: s.count, description: null
    }))
  }
}

const list = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const q = ctx.query
    if (q.get("type") !== "user") return yield* Effect.fail(badRequest("type must be user", "type", "parameter_invalid"))
    const key = { intercom_user_id: q.get("intercom_user_id") ?? undefined, user_id: q.get("user_id") ?? undefined, email: q.get("email") ?? undefined }
    if (key.intercom_user_id === undefined && key.user_id === undefined && key.email === undefined) {
      return yield* Effect.fail(badRequest("One of user_id, email or intercom_user_id is required", "user_id", "parameter_not_found"))
    }
    const i = findContact(ws, key)
    if (i < 0) return yield* Effect.fail(notFound("User Not Found"))
    if (q.get("summary") === "true") return { status: 200, body: summaryJson(ws, i) }
    const per = yield* perPage(q.get("per_page"), 50, 500)
    const beforeRaw = q.get("before")
    const before = beforeRaw === null ? Number.POSITIVE_INFINITY : Number(beforeRaw)
    if (!Number.isInteger(before) && before !== Number.POSITIVE_INFINITY) return yield* Effect.fail(badRequest("before must be an integer", "before"))
    const newestFirst = [...ws.contactEvents(i)].sort((a, b) => b.key - a.key).filter((e) => e.key < before)
    const page = newestFirst.slice(0, per)
    const last = page[page.length - 1]
    const params = new URLSearchParams()
    for (const name of ["type", "intercom_user_id", "user_id", "email"] as const) {
      const v = q.get(name)
      if (v !== null) params.set(name, v)
    }
    params.set("per_page", String(per))
    const next = newestFirst.length > per && last !== undefined ? (params.set("before", String(last.key)), `${ctx.origin}/events?${params.toString()}`) : null
    return {
      status: 200,
      body: { type: "event.list", events: page.map((e) => eventJson(ws, i, e)), pages: next === null ? {} : { next } }
    }
  })

const summaries = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(SummariesBody, ctx.body ?? {})
    if (b.user_id === undefined) return yield* Effect.fail(badRequest("user_id is required", "user_id", "parameter_not_found"))
    const i = yield* contactKeyOr404(ws, { user_id: b.user_id })
    const s = b.event_summaries
    if (s !== undefined) {
      const map = new Map(ws.eventSummaries.get(i) ?? [])
      const first = s.first ?? s.last ?? 0
      const last = s.last ?? s.first ?? 0
      const cur = map.get(s.event_name)
      map.set(s.event_name, cur === undefined ? { count: s.count, first, last } : { count: cur.count + s.count, first: Math.min(cur.first, first), last: Math.max(cur.last, last) })
      ws.eventSummaries.set(i, map)
      mutated(ctx)
    }
    return { status: 200 }
  })

export const eventRoutes = [
  r("POST", "/events", submit),
  r("GET", "/events", list),
  r("POST", "/events/summaries", summaries)
]
