/**
 * Companies: create-or-update, find, page lists (capped at 10,000), scroll, contacts and segments.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { apiError, badRequest, notFound } from "../errors.js"
import { perPage } from "../paging.js"
import { companyJson, contactJson } from "../render.js"
import type { State } from "../state.js"
import type { Workspace } from "../workspace.js"
import { companyOr404, decode, mutated, nowSec, ok, r, type Ctx } from "./common.js"


const CompanyWrite = Schema.Struct({
  name: Schema.optional(Schema.String), company_id: Schema.optional(Schema.String), plan: Schema.optional(Schema.String),
  size: Schema.optional(Schema.Int), website: Schema.optional(Schema.String), industry: Schema.optional(Schema.String),
  // The spec types company custom attributes as strings (request and response alike).
  custom_attributes: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })), remote_created_at: Schema.optional(Schema.Int), monthly_spend: Schema.optional(Schema.Number)
})

// ---- companies ----

const companyWrite = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const w = yield* decode(CompanyWrite, ctx.body)
    if (w.company_id === undefined) return yield* Effect.fail(badRequest("company_id is required", "company_id"))
    const now = nowSec(ctx)
    let c = ws.companyByRemoteId(w.company_id)
    if (c < 0) {
      c = ws.companyCount++
      ws.invalidateCounts()
      ws.companyEdits.set(c, {
        name: w.name ?? "", company_id: w.company_id, plan: w.plan ?? null, size: w.size ?? 0, website: w.website ?? null,
        industry: w.industry ?? null, monthly_spend: w.monthly_spend ?? 0, session_count: 0,
        remote_created_at: w.remote_created_at ?? now, created_at: now, updated_at: now, last_request_at: now,
        custom_attributes: w.custom_attributes ?? {}
      })
    } else {
      ws.companyEdits.set(c, updateCompanyData(ws, c, w, now))
    }
    mutated(ctx)
    return yield* ok(companyJson(ws, c))
  })

const updateCompanyData = (ws: Workspace, c: number, w: typeof CompanyWrite.Type, now: number) => {
  const d = ws.companyData(c)
  return {
    ...d,
    ...(w.name === undefined ? {} : { name: w.name }), ...(w.plan === undefined ? {} : { plan: w.plan }),
    ...(w.size === undefined ? {} : { size: w.size }), ...(w.website === undefined ? {} : { website: w.website }),
    ...(w.industry === undefined ? {} : { industry: w.industry }),
    ...(w.monthly_spend === undefined ? {} : { monthly_spend: w.monthly_spend }),
    ...(w.remote_created_at === undefined ? {} : { remote_created_at: w.remote_created_at }),
    custom_attributes: { ...d.custom_attributes, ...(w.custom_attributes ?? {}) },
    updated_at: now
  }
}

/** Page-number lists over companies: sorted by last_request_at, only companies with users. */
const companyPageList = (ctx: Ctx, filter: (c: number) => boolean, defPer: number) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const per = yield* perPage(ctx.query.get("per_page"), defPer, 60)
    const pageRaw = ctx.query.get("page")
    const page = pageRaw === null ? 1 : Number(pageRaw)
    if (!Number.isInteger(page) || page < 1) return yield* Effect.fail(badRequest("page must be a positive integer", "page"))
    const desc = (ctx.query.get("order") ?? "desc") !== "asc"
    const all: Array<number> = []
    for (let c = 0; c < ws.companyCount; c++) if (ws.companyExists(c) && ws.userCount(c) > 0 && filter(c)) all.push(c)
    all.sort((a, b) => {
      const d = ws.companyData(a).last_request_at - ws.companyData(b).last_request_at
      return (desc ? -d : d) || a - b
    })
    // "there is a limit of 10,000 Companies that can be returned" through page lists.
    const from = (page - 1) * per
    const slice = from >= 10_000 ? [] : all.slice(from, Math.min(from + per, 10_000))
    const totalPages = Math.ceil(all.length / per)
    return yield* ok({
      type: "list", data: slice.map((c) => companyJson(ws, c)),
      pages: { type: "pages", ...(page >= totalPages ? { next: null } : {}), page, per_page: per, total_pages: totalPages },
      total_count: all.length
    })
  })

const getCompanies = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const companyId = ctx.query.get("company_id")
    const name = ctx.query.get("name")
    if (companyId !== null || name !== null) {
      const c = companyId !== null ? ws.companyByRemoteId(companyId) : ws.companyByName(name ?? "")
      if (c < 0) return yield* Effect.fail(apiError(404, "company_not_found", "Company Not Found"))
      return yield* ok(companyJson(ws, c))
    }
    const tagId = ctx.query.get("tag_id")
    const segmentId = ctx.query.get("segment_id")
    return yield* companyPageList(ctx, (c) =>
      (tagId === null || ws.companyTagIds(c).includes(tagId)) && (segmentId === null || false), 15)
  })

const SCROLL_PAGE = 100
const SCROLL_TTL_MS = 60_000

const scrollCompanies = (ctx: Ctx) =>
  Effect.gen(function*() {
    const state = ctx.state
    const ws = state.ws
    const param = ctx.query.get("scroll_param")
    const open = state.scroll && ctx.nowMs - state.scroll.lastUsedMs < SCROLL_TTL_MS ? state.scroll : undefined
    if (param === null || param === "") {
      if (open) return yield* Effect.fail(badRequest("scroll already exists for this workspace", undefined, "scroll_exists"))
      state.scroll = { param: scrollParam(state), position: 0, lastUsedMs: ctx.nowMs }
    } else if (!open || open.param !== param) {
      return yield* Effect.fail(apiError(404, "not_found", "scroll parameter not found or expired"))
    }
    const scroll = state.scroll
    if (!scroll) return yield* Effect.fail(notFound())
    const items: Array<number> = []
    let c = scroll.position
    for (; c < ws.companyCount && items.length < SCROLL_PAGE; c++) if (ws.companyExists(c)) items.push(c)
    scroll.position = c
    scroll.lastUsedMs = ctx.nowMs
    // The end of a scroll is an empty page, after which the param is dead.
    if (items.length === 0) state.scroll = undefined
    // The end page carries no scroll_param: the official SDK stops on its absence.
    return yield* ok({
      type: "list", data: items.map((k) => companyJson(ws, k)), pages: null, total_count: null,
      ...(items.length === 0 ? {} : { scroll_param: scroll.param })
    })
  })

const scrollParam = (state: State) => {
  state.scrollCounter++
  const h = (state.size.seed * 31 + state.scrollCounter * 2654435761) >>> 0
  return `${h.toString(16).padStart(8, "0")}-${state.scrollCounter.toString(16).padStart(4, "0")}-4b23-b51e-83d17c1abb34`
}

export const companyRoutes = [
  r("POST", "/companies", companyWrite),
  r("GET", "/companies", getCompanies),
  r("POST", "/companies/list", (ctx) => companyPageList(ctx, () => true, 15)),
  r("GET", "/companies/scroll", scrollCompanies),
  r("GET", "/companies/{id}", (ctx, p) => Effect.flatMap(companyOr404(ctx.state.ws, p.id ?? ""), (c) => ok(companyJson(ctx.state.ws, c)))),
  r("PUT", "/companies/{id}", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const c = yield* companyOr404(ws, p.id ?? "")
    const w = yield* decode(CompanyWrite, ctx.body ?? {})
    ws.companyEdits.set(c, updateCompanyData(ws, c, w, nowSec(ctx)))
    mutated(ctx)
    return yield* ok(companyJson(ws, c))
  })),
  r("DELETE", "/companies/{id}", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const c = yield* companyOr404(ws, p.id ?? "")
    ws.companyDeleted.add(c)
    ws.invalidateCounts()
    mutated(ctx)
    return yield* ok({ id: ws.companyId(c), object: "company", deleted: true })
  })),
  r("GET", "/companies/{id}/contacts", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const c = yield* companyOr404(ws, p.id ?? "")
    const per = yield* perPage(ctx.query.get("per_page"), 50)
    const pageRaw = Number(ctx.query.get("page") ?? "1")
    const page = Number.isInteger(pageRaw) && pageRaw > 0 ? pageRaw : 1
    const members = ws.companyMembers(c)
    return yield* ok({
      type: "list", data: members.slice((page - 1) * per, page * per).map((i) => contactJson(ws, i)), total_count: members.length,
      pages: { type: "pages", page, per_page: per, total_pages: Math.ceil(members.length / per) }
    })
  })),
  r("GET", "/companies/{id}/segments", (ctx, p) => Effect.flatMap(companyOr404(ctx.state.ws, p.id ?? ""), () => ok({ type: "list", data: [] }))),
]
