/**
 * The Intercom 2.10 operations the sandbox serves: each a method, a path template from the
 * spec and a handler over the workspace. Bodies are decoded with effect/Schema; failures
 * are ApiErrors rendered as `error.list` by the app.
 */
import { SearchFields } from "@intercom-fx/core"
import { Effect, ParseResult, Schema } from "effect"
import { gzipSync } from "node:zlib"
import type { ContactData } from "./contacts.js"
import { apiError, badRequest, notFound, type ApiError } from "./errors.js"
import { cursorPages, decodeCursor, perPage, scan } from "./paging.js"
import { companyJson, contactJson, contactRef, noteJson, segmentJson } from "./render.js"
import { route, type Reply, type Route } from "./router.js"
import { compile, decodeSearchBody, type Predicate } from "./search.js"
import type { State } from "./state.js"
import type { ExportJob, Json, JsonObject, Workspace } from "./workspace.js"

export interface Ctx {
  readonly state: State
  readonly query: URLSearchParams
  readonly body: unknown
  readonly nowMs: number
}

const ok = (body: Json, status = 200): Effect.Effect<Reply> => Effect.succeed({ status, body })
const nowSec = (ctx: Ctx) => Math.floor(ctx.nowMs / 1000)

const decode = <A, I>(schema: Schema.Schema<A, I>, u: unknown): Effect.Effect<A, ApiError> =>
  Schema.decodeUnknown(schema, { onExcessProperty: "ignore" })(u).pipe(
    Effect.mapError((e) => {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
      const field = issue ? issue.path.join(".") : ""
      return badRequest(issue ? `${field || "body"}: ${issue.message}` : "Invalid request body", field || undefined)
    })
  )

const contactOr404 = (ws: Workspace, id: string) =>
  Effect.suspend(() => {
    const i = ws.contactIndex(id)
    return i < 0 ? Effect.fail(notFound("User Not Found")) : Effect.succeed(i)
  })
const companyOr404 = (ws: Workspace, id: string) =>
  Effect.suspend(() => {
    const c = ws.companyIndex(id)
    return c < 0 ? Effect.fail(apiError(404, "company_not_found", "Company Not Found")) : Effect.succeed(c)
  })
const tagOr404 = (ws: Workspace, id: string) =>
  ws.tags.has(id) ? Effect.succeed(id) : Effect.fail(apiError(404, "tag_not_found", "Tag not found"))

const mutated = (ctx: Ctx) => {
  ctx.state.version++
  ctx.state.countCache.clear()
}

// ---- request bodies ----

const Attrs = Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null) })
const ContactWrite = Schema.Struct({
  role: Schema.optional(Schema.Literal("user", "lead")),
  external_id: Schema.optional(Schema.NullOr(Schema.String)),
  email: Schema.optional(Schema.String),
  phone: Schema.optional(Schema.NullOr(Schema.String)),
  name: Schema.optional(Schema.NullOr(Schema.String)),
  avatar: Schema.optional(Schema.NullOr(Schema.String)),
  signed_up_at: Schema.optional(Schema.NullOr(Schema.Int)),
  last_seen_at: Schema.optional(Schema.NullOr(Schema.Int)),
  owner_id: Schema.optional(Schema.NullOr(Schema.Int)),
  unsubscribed_from_emails: Schema.optional(Schema.NullOr(Schema.Boolean)),
  custom_attributes: Schema.optional(Schema.NullOr(Attrs))
})
const IdBody = Schema.Struct({ id: Schema.Union(Schema.String, Schema.Number) })
const Merge = Schema.Struct({ from: Schema.String, into: Schema.String })
const CompanyWrite = Schema.Struct({
  name: Schema.optional(Schema.String), company_id: Schema.optional(Schema.String), plan: Schema.optional(Schema.String),
  size: Schema.optional(Schema.Int), website: Schema.optional(Schema.String), industry: Schema.optional(Schema.String),
  custom_attributes: Schema.optional(Attrs), remote_created_at: Schema.optional(Schema.Int), monthly_spend: Schema.optional(Schema.Number)
})
const Ref = Schema.Struct({ id: Schema.optional(Schema.String), company_id: Schema.optional(Schema.String), untag: Schema.optional(Schema.Boolean) })
const TagBody = Schema.Struct({
  name: Schema.String, id: Schema.optional(Schema.String),
  companies: Schema.optional(Schema.Array(Ref)), users: Schema.optional(Schema.Array(Ref))
})
const NoteBody = Schema.Struct({ body: Schema.String, admin_id: Schema.optional(Schema.Union(Schema.String, Schema.Number)), contact_id: Schema.optional(Schema.String) })
const ExportBody = Schema.Struct({ created_at_after: Schema.Int, created_at_before: Schema.Int })

const userError = (fields: ReadonlyArray<string>, message: string) => badRequest(message, fields[0], "parameter_invalid")

const validateCustom = (ws: Workspace, attrs: Readonly<Record<string, unknown>> | null | undefined): ApiError | undefined => {
  for (const key of Object.keys(attrs ?? {})) {
    if (!ws.dataAttributes.some((a) => a.model === "contact" && a.custom === true && a.name === key)) {
      return badRequest(`Custom attribute '${key}' does not exist`, `custom_attributes.${key}`)
    }
  }
  return undefined
}

// ---- contacts ----

const listContacts = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const per = yield* perPage(ctx.query.get("per_page"), 50)
    const cur = yield* decodeCursor(ctx.query.get("starting_after"))
    const page = scan(cur.i, ws.contactCount, per, (i) => ws.contactListed(i))
    const total = ws.liveContacts - countArchived(ws)
    return yield* ok({
      type: "list", data: page.items.map((i) => contactJson(ws, i)), total_count: total,
      pages: cursorPages(cur.p, per, total, page.next)
    })
  })

const countArchived = (ws: Workspace) => {
  let n = 0
  for (const i of ws.contactArchived) if (ws.contactExists(i)) n++
  return n
}

const applyContactWrite = (base: ContactData, w: typeof ContactWrite.Type, now: number): ContactData => ({
  ...base,
  ...(w.role === undefined ? {} : { role: w.role }),
  ...(w.external_id === undefined ? {} : { external_id: w.external_id }),
  ...(w.email === undefined ? {} : { email: w.email.toLowerCase() }),
  ...(w.phone === undefined ? {} : { phone: w.phone }),
  ...(w.name === undefined ? {} : { name: w.name }),
  ...(w.avatar === undefined ? {} : { avatar: w.avatar }),
  ...(w.signed_up_at === undefined ? {} : { signed_up_at: w.signed_up_at }),
  ...(w.last_seen_at === undefined ? {} : { last_seen_at: w.last_seen_at }),
  ...(w.owner_id === undefined ? {} : { owner_id: w.owner_id }),
  ...(w.unsubscribed_from_emails === undefined || w.unsubscribed_from_emails === null ? {} : { unsubscribed_from_emails: w.unsubscribed_from_emails }),
  custom_attributes: { ...base.custom_attributes, ...(w.custom_attributes ?? {}) },
  updated_at: now
})

const createContact = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const w = yield* decode(ContactWrite, ctx.body)
    if (w.email === undefined && (w.external_id === undefined || w.external_id === null) && w.role === undefined) {
      return yield* Effect.fail(userError(["email"], "Missing required parameter: email, external_id or role"))
    }
    const bad = validateCustom(ws, w.custom_attributes)
    if (bad) return yield* Effect.fail(bad)
    if (w.email !== undefined) {
      const existing = ws.contactByEmail(w.email)
      if (existing >= 0) return yield* Effect.fail(apiError(409, "conflict", `A contact matching those details already exists with id=${ws.contactId(existing)}`))
    }
    if (w.external_id) {
      const existing = ws.contactByExternalId(w.external_id)
      if (existing >= 0) return yield* Effect.fail(apiError(409, "conflict", `A contact matching those details already exists with id=${ws.contactId(existing)}`))
    }
    const now = nowSec(ctx)
    const blank: ContactData = {
      external_id: null, role: "user", email: "", phone: null, name: null, avatar: null, owner_id: null,
      has_hard_bounced: false, marked_email_as_spam: false, unsubscribed_from_emails: false, created_at: now,
      updated_at: now, signed_up_at: null, last_seen_at: null, last_replied_at: null, last_contacted_at: null,
      last_email_opened_at: null, last_email_clicked_at: null, language_override: null, browser: null,
      browser_version: null, browser_language: null, os: null, custom_attributes: {},
      location: { type: "location", country: null, region: null, city: null }
    }
    const data = applyContactWrite(blank, w, now)
    const i = ws.createContact(data.role === "user" && data.signed_up_at === null ? { ...data, signed_up_at: now } : data, ctx.nowMs)
    mutated(ctx)
    return yield* ok(contactJson(ws, i))
  })

const updateContact = (ctx: Ctx, p: Readonly<Record<string, string>>) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const i = yield* contactOr404(ws, p.id ?? "")
    const w = yield* decode(ContactWrite, ctx.body)
    const bad = validateCustom(ws, w.custom_attributes)
    if (bad) return yield* Effect.fail(bad)
    if (w.email !== undefined) {
      const other = ws.contactByEmail(w.email)
      if (other >= 0 && other !== i) return yield* Effect.fail(apiError(409, "conflict", `A contact matching those details already exists with id=${ws.contactId(other)}`))
    }
    ws.putContact(i, applyContactWrite(ws.contactData(i), w, Math.max(nowSec(ctx), ws.contactData(i).created_at)))
    mutated(ctx)
    return yield* ok(contactJson(ws, i))
  })

const searchContacts = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const body = yield* decodeSearchBody(ctx.body)
    const pred = yield* compile("contacts", body.query, (field) => contactAttrType(ws, field))
    const per = yield* perPage(body.pagination?.per_page, SearchFields.defaultPerPage.contacts)
    const cur = yield* decodeCursor(body.pagination?.starting_after)
    const lagMs = ctx.state.config.searchIndexLagSeconds * 1000
    const keep = (i: number): boolean => {
      if (!ws.contactListed(i)) return false
      if (lagMs > 0) {
        const created = ws.contactCreatedAtMs.get(i)
        if (created !== undefined && ctx.nowMs - created < lagMs) return false
      }
      return pred((field) => contactField(ws, i, field))
    }
    const key = `contacts:${JSON.stringify(body.query)}:${lagMs > 0 ? ctx.nowMs : 0}`
    const total = countMatches(ctx.state, key, ws.contactCount, keep)
    const page = scan(cur.i, ws.contactCount, per, keep)
    return yield* ok({
      type: "list", data: page.items.map((i) => contactJson(ws, i)), total_count: total,
      pages: cursorPages(cur.p, per, total, page.next)
    })
  })

const countMatches = (state: State, key: string, end: number, keep: (i: number) => boolean): number => {
  const cached = state.countCache.get(key)
  if (cached !== undefined) return cached
  let n = 0
  for (let i = 0; i < end; i++) if (keep(i)) n++
  if (state.countCache.size > 200) state.countCache.clear()
  state.countCache.set(key, n)
  return n
}

/** Custom attribute types come from the workspace's data attributes, as in Intercom. */
const contactAttrType = (ws: Workspace, field: string): SearchFields.FieldType | undefined => {
  if (!field.startsWith("custom_attributes.")) return undefined
  const attr = ws.dataAttributes.find((a) => a.model === "contact" && a.full_name === field)
  const t = attr?.data_type
  return t === "string" || t === "integer" || t === "float" || t === "boolean" || t === "date" ? t : undefined
}

const contactField = (ws: Workspace, i: number, field: string): unknown => {
  switch (field) {
    case "id": return ws.contactId(i)
    case "tag_id": return ws.contactTagLinks(i).map((t) => t.tagId)
    case "segment_id": return ws.contactSegments(i).map((s) => s.id)
    default: return ws.contactValue(i, field)
  }
}

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

// ---- tags ----

const tagsPost = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(TagBody, ctx.body)
    let id = b.id
    if (id !== undefined) {
      yield* tagOr404(ws, id)
      ws.tags.set(id, { id, name: b.name })
    } else {
      id = [...ws.tags.values()].find((t) => t.name === b.name)?.id
      if (id === undefined) {
        id = String(ws.nextId++)
        ws.tags.set(id, { id, name: b.name })
      }
    }
    const tagId = id
    for (const ref of b.companies ?? []) {
      const c = ref.id !== undefined ? ws.companyIndex(ref.id) : ws.companyByRemoteId(ref.company_id ?? "")
      if (c < 0) return yield* Effect.fail(apiError(404, "company_not_found", "Company Not Found"))
      const set = new Set(ws.companyTagIds(c))
      if (ref.untag === true) set.delete(tagId)
      else set.add(tagId)
      ws.companyTags.set(c, set)
    }
    for (const ref of b.users ?? []) {
      const i = ws.contactIndex(ref.id ?? "")
      if (i < 0) return yield* Effect.fail(notFound("User Not Found"))
      const links = ws.contactTagLinks(i).filter((l) => l.tagId !== tagId)
      ws.contactTags.set(i, ref.untag === true ? links : [...links, { tagId, appliedAt: nowSec(ctx) }])
    }
    mutated(ctx)
    return yield* ok(ws.tagJson(tagId))
  })

const attachTag = (ctx: Ctx, contactId: string) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const i = yield* contactOr404(ws, contactId)
    const b = yield* decode(IdBody, ctx.body)
    const tagId = yield* tagOr404(ws, String(b.id))
    const links = ws.contactTagLinks(i).filter((l) => l.tagId !== tagId)
    ws.contactTags.set(i, [...links, { tagId, appliedAt: nowSec(ctx) }])
    mutated(ctx)
    return yield* ok(ws.tagJson(tagId))
  })

const objectTag = (pickList: (ws: Workspace) => Array<JsonObject>, what: string, attach: boolean) =>
  (ctx: Ctx, p: Readonly<Record<string, string>>) =>
    Effect.gen(function*() {
      const ws = ctx.state.ws
      const list = () => pickList(ws)
      const objectId = p.conversation_id ?? p.ticket_id ?? ""
      const idx = list().findIndex((o) => o.id === objectId)
      const obj = list()[idx]
      if (!obj) return yield* Effect.fail(apiError(404, what === "ticket" ? "ticket_not_found" : "not_found", `${what} not found`))
      const tagId = attach ? String((yield* decode(IdBody, ctx.body)).id) : p.id ?? ""
      yield* tagOr404(ws, tagId)
      const current = tagIdsOf(obj).filter((t) => t !== tagId)
      const next = attach ? [...current, tagId] : current
      list()[idx] = { ...obj, tags: { type: "tag.list", tags: next.map((t) => ws.tagJson(t, nowSec(ctx))) }, updated_at: nowSec(ctx) }
      mutated(ctx)
      return yield* ok(ws.tagJson(tagId))
    })

const tagIdsOf = (o: JsonObject): Array<string> => {
  const list = readObjPath(o, "tags.tags")
  if (!Array.isArray(list)) return []
  return list.flatMap((t: unknown) => {
    const id = readObjPath(t as Json, "id")
    return typeof id === "string" ? [id] : []
  })
}

// ---- conversations & tickets ----

const readObjPath = (o: Json, field: string): unknown => {
  let cur: unknown = o
  for (const part of field.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined
    cur = Object.getOwnPropertyDescriptor(cur, part)?.value
  }
  return cur
}

const conversationField = (o: JsonObject, field: string): unknown => {
  switch (field) {
    case "tag_ids": return tagIdsOf(o)
    case "contact_ids": {
      const cs = readObjPath(o, "contacts.contacts")
      return Array.isArray(cs) ? cs.map((c) => readObjPath(c, "id")) : []
    }
    case "teammate_ids": {
      const ts = readObjPath(o, "teammates.teammates")
      return Array.isArray(ts) ? ts.map((t) => readObjPath(t, "id")) : []
    }
    case "source.body": {
      // "the search will be performed against every element of the value separately"
      const body = readObjPath(o, "source.body")
      return typeof body === "string" ? body.replace(/<[^>]*>/g, " ").split(/\s+/).filter((w) => w !== "") : body
    }
    default: return readObjPath(o, field)
  }
}

const ticketField = (o: JsonObject, field: string): unknown => {
  switch (field) {
    case "title": return readObjPath(o, "ticket_attributes._default_title_")
    case "description": return readObjPath(o, "ticket_attributes._default_description_")
    case "state": return readObjPath(o, "ticket_state")
    case "ticket_type_id": return readObjPath(o, "ticket_type.id")
    case "contact_ids": return conversationField(o, "contact_ids")
    default:
      if (field.startsWith("ticket_attribute.")) return readObjPath(o, `ticket_attributes.${field.slice(17)}`)
      return readObjPath(o, field)
  }
}

const listObjects = (items: ReadonlyArray<JsonObject>, key: "conversations" | "tickets", per: number, startRaw: string | null | undefined, pred: Predicate | undefined, get: (o: JsonObject, f: string) => unknown) =>
  Effect.gen(function*() {
    const cur = yield* decodeCursor(startRaw)
    const keep = (k: number) => pred === undefined || pred((f) => get(items[k] ?? {}, f))
    let total = 0
    for (let k = 0; k < items.length; k++) if (keep(k)) total++
    const page = scan(cur.i, items.length, per, keep)
    return yield* ok({
      type: key === "conversations" ? "conversation.list" : "ticket.list",
      [key]: page.items.map((k) => items[k] ?? {}), total_count: total, pages: cursorPages(cur.p, per, total, page.next)
    })
  })

const searchObjects = (resource: "conversations" | "tickets") => (ctx: Ctx) =>
  Effect.gen(function*() {
    const body = yield* decodeSearchBody(ctx.body)
    const pred = yield* compile(resource, body.query)
    const per = yield* perPage(body.pagination?.per_page, SearchFields.defaultPerPage[resource])
    const ws = ctx.state.ws
    return yield* listObjects(resource === "conversations" ? ws.conversations : ws.tickets, resource, per, body.pagination?.starting_after, pred, resource === "conversations" ? conversationField : ticketField)
  })

const findBy = (items: ReadonlyArray<JsonObject>, id: string, code: string, message: string) => {
  const o = items.find((x) => x.id === id)
  return o ? ok(o) : Effect.fail(apiError(404, code, message))
}

// ---- data export ----

const exportJson = (job: ExportJob): JsonObject => ({
  job_identifier: job.id,
  // The schema spells it `job_identfier`; the documented examples `job_identifier`. Send both.
  job_identfier: job.id,
  status: job.status,
  download_expires_at: job.expiresAt === null ? "" : String(job.expiresAt),
  download_url: job.status === "completed" ? `/download/content/data/${job.id}` : ""
})

const createExport = (ctx: Ctx) =>
  Effect.gen(function*() {
    const b = yield* decode(ExportBody, ctx.body)
    const ws = ctx.state.ws
    const id = `job${(ws.nextId++).toString(36)}`
    const rows = ws.conversations.filter((c) => typeof c.created_at === "number" && c.created_at >= b.created_at_after && c.created_at <= b.created_at_before).length
    const job: ExportJob = { id, status: "pending", after: b.created_at_after, before: b.created_at_before, rows, expiresAt: null }
    ws.exports.set(id, job)
    return yield* ok(exportJson(job))
  })

/** Each status poll advances a job one step: pending -> in_progress -> completed (or no_data). */
const exportStatus = (ctx: Ctx, id: string) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const job = ws.exports.get(id)
    if (!job) return yield* Effect.fail(notFound("Export job not found"))
    const status = job.status === "pending" ? "in_progress" : job.status === "in_progress" ? (job.rows === 0 ? "no_data" : "completed") : job.status
    const next: ExportJob = { ...job, status, expiresAt: status === "completed" ? nowSec(ctx) + 86_400 : job.expiresAt }
    ws.exports.set(id, next)
    return yield* ok(exportJson(next))
  })

const downloadExport = (ctx: Ctx, id: string) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const job = ws.exports.get(id)
    if (!job || job.status !== "completed") return yield* Effect.fail(notFound("Export not ready or not found"))
    const lines = ["conversation_id,created_at,contact_id,state"]
    for (const c of ws.conversations) {
      const t = Number(c.created_at)
      if (t >= job.after && t <= job.before) {
        const contact = conversationField(c, "contact_ids")
        lines.push([String(c.id), String(t), Array.isArray(contact) ? String(contact[0] ?? "") : "", String(c.state)].join(","))
      }
    }
    return { status: 200, raw: { contentType: "application/octet-stream", bytes: gzipSync(lines.join("\n") + "\n") } } satisfies Reply
  })

// ---- the table ----

type P = Readonly<Record<string, string>>
const r = (m: string, t: string, h: (ctx: Ctx, p: P) => Effect.Effect<Reply, ApiError>): Route<Ctx> => route(m, t, h)

export const routes: ReadonlyArray<Route<Ctx>> = [
  // contacts
  r("GET", "/contacts", listContacts),
  r("POST", "/contacts", createContact),
  r("POST", "/contacts/search", searchContacts),
  r("GET", "/contacts/{id}", (ctx, p) => Effect.flatMap(contactOr404(ctx.state.ws, p.id ?? ""), (i) => ok(contactJson(ctx.state.ws, i)))),
  r("PUT", "/contacts/{id}", updateContact),
  r("DELETE", "/contacts/{id}", (ctx, p) => Effect.flatMap(contactOr404(ctx.state.ws, p.id ?? ""), (i) => {
    const ref = contactRef(ctx.state.ws, i)
    ctx.state.ws.deleteContact(i)
    ctx.state.ws.contactArchived.delete(i)
    mutated(ctx)
    return ok({ ...ref, deleted: true })
  })),
  r("POST", "/contacts/{id}/archive", (ctx, p) => Effect.flatMap(contactOr404(ctx.state.ws, p.id ?? ""), (i) => {
    ctx.state.ws.contactArchived.add(i)
    mutated(ctx)
    return ok({ ...contactRef(ctx.state.ws, i), archived: true })
  })),
  r("POST", "/contacts/{id}/unarchive", (ctx, p) => Effect.flatMap(contactOr404(ctx.state.ws, p.id ?? ""), (i) => {
    ctx.state.ws.contactArchived.delete(i)
    mutated(ctx)
    return ok({ ...contactRef(ctx.state.ws, i), archived: false })
  })),
  r("POST", "/contacts/merge", (ctx) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(Merge, ctx.body)
    const from = yield* contactOr404(ws, b.from)
    const into = yield* contactOr404(ws, b.into)
    if (ws.contactRole(from) !== "lead") return yield* Effect.fail(badRequest("from must be a lead", "from"))
    if (ws.contactRole(into) !== "user") return yield* Effect.fail(badRequest("into must be a user", "into"))
    const tags = [...ws.contactTagLinks(into), ...ws.contactTagLinks(from).filter((l) => !ws.contactTagLinks(into).some((t) => t.tagId === l.tagId))]
    ws.contactTags.set(into, tags)
    ws.putContact(into, { ...ws.contactData(into), updated_at: nowSec(ctx) })
    ws.deleteContact(from)
    mutated(ctx)
    return yield* ok(contactJson(ws, into))
  })),
  r("GET", "/contacts/{contact_id}/tags", (ctx, p) => Effect.flatMap(contactOr404(ctx.state.ws, p.contact_id ?? ""), (i) =>
    ok({ type: "list", data: ctx.state.ws.contactTagLinks(i).map((l) => ctx.state.ws.tagJson(l.tagId)) }))),
  r("POST", "/contacts/{contact_id}/tags", (ctx, p) => attachTag(ctx, p.contact_id ?? "")),
  r("DELETE", "/contacts/{contact_id}/tags/{id}", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const i = yield* contactOr404(ws, p.contact_id ?? "")
    const tagId = yield* tagOr404(ws, p.id ?? "")
    ws.contactTags.set(i, ws.contactTagLinks(i).filter((l) => l.tagId !== tagId))
    mutated(ctx)
    return yield* ok(ws.tagJson(tagId))
  })),
  r("GET", "/contacts/{id}/companies", (ctx, p) => Effect.flatMap(contactOr404(ctx.state.ws, p.id ?? ""), (i) => {
    const cs = ctx.state.ws.contactCompanyIndexes(i)
    return ok({ type: "list", companies: cs.map((c) => companyJson(ctx.state.ws, c)), total_count: cs.length, pages: { type: "pages", page: 1, per_page: 50, total_pages: cs.length === 0 ? 0 : 1 } })
  })),
  r("POST", "/contacts/{id}/companies", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const i = yield* contactOr404(ws, p.id ?? "")
    const b = yield* decode(IdBody, ctx.body)
    const c = yield* companyOr404(ws, String(b.id))
    const cs = ws.contactCompanyIndexes(i)
    if (!cs.includes(c)) ws.setContactCompanies(i, [...cs, c])
    mutated(ctx)
    return yield* ok(companyJson(ws, c))
  })),
  r("DELETE", "/contacts/{contact_id}/companies/{id}", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const i = yield* contactOr404(ws, p.contact_id ?? "")
    const c = yield* companyOr404(ws, p.id ?? "")
    ws.setContactCompanies(i, ws.contactCompanyIndexes(i).filter((k) => k !== c))
    mutated(ctx)
    return yield* ok(companyJson(ws, c))
  })),
  r("GET", "/contacts/{id}/notes", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const i = yield* contactOr404(ws, p.id ?? "")
    const notes = ws.contactNotes(i)
    return yield* ok({ type: "list", data: notes.map((n) => noteJson(ws, n)), total_count: notes.length, pages: { type: "pages", page: 1, per_page: 50, total_pages: notes.length === 0 ? 0 : 1 } })
  })),
  r("POST", "/contacts/{id}/notes", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const i = yield* contactOr404(ws, p.id ?? "")
    const b = yield* decode(NoteBody, ctx.body)
    const adminId = b.admin_id === undefined ? ws.adminIds[0] ?? 0 : Number(b.admin_id)
    if (!ws.adminIds.includes(adminId)) return yield* Effect.fail(apiError(404, "admin_not_found", "Admin not found"))
    const note = { id: String(3 * ws.size.contacts + ws.nextId++), contactIndex: i, createdAt: nowSec(ctx), adminId, body: b.body }
    ws.notes.set(i, [...(ws.notes.get(i) ?? []), note])
    mutated(ctx)
    return yield* ok(noteJson(ws, note))
  })),
  r("GET", "/notes/{id}", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const n = Number(p.id)
    const seededOwner = Number.isInteger(n) && n >= 1 && n <= 3 * ws.size.contacts ? Math.floor((n - 1) / 3) : -1
    const candidates = seededOwner >= 0 && ws.contactExists(seededOwner) ? ws.contactNotes(seededOwner) : [...ws.notes.values()].flat()
    const note = candidates.find((x) => x.id === p.id)
    return note ? yield* ok(noteJson(ws, note)) : yield* Effect.fail(notFound("Note not found"))
  })),
  r("GET", "/contacts/{contact_id}/segments", (ctx, p) => Effect.flatMap(contactOr404(ctx.state.ws, p.contact_id ?? ""), (i) =>
    ok({ type: "list", data: ctx.state.ws.contactSegments(i).map((s) => segmentJson(s)) }))),
  r("GET", "/contacts/{contact_id}/subscriptions", (ctx, p) => Effect.flatMap(contactOr404(ctx.state.ws, p.contact_id ?? ""), (i) => {
    const ids = ctx.state.ws.contactSubscriptions.get(i) ?? new Set()
    return ok({ type: "list", data: ctx.state.ws.subscriptionTypes.filter((s) => ids.has(String(s.id))) })
  })),
  r("POST", "/contacts/{contact_id}/subscriptions", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const i = yield* contactOr404(ws, p.contact_id ?? "")
    const b = yield* decode(Schema.Struct({ id: Schema.String, consent_type: Schema.Literal("opt_in", "opt_out") }), ctx.body)
    const sub = ws.subscriptionTypes.find((s) => s.id === b.id)
    if (!sub) return yield* Effect.fail(notFound("Subscription type not found"))
    ws.contactSubscriptions.set(i, new Set([...(ws.contactSubscriptions.get(i) ?? []), b.id]))
    mutated(ctx)
    return yield* ok(sub)
  })),
  r("DELETE", "/contacts/{contact_id}/subscriptions/{id}", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const i = yield* contactOr404(ws, p.contact_id ?? "")
    const sub = ws.subscriptionTypes.find((s) => s.id === p.id)
    if (!sub) return yield* Effect.fail(notFound("Subscription type not found"))
    ws.contactSubscriptions.get(i)?.delete(p.id ?? "")
    mutated(ctx)
    return yield* ok(sub)
  })),
  // companies
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
  // tags
  r("GET", "/tags", (ctx) => ok({ type: "list", data: [...ctx.state.ws.tags.keys()].map((id) => ctx.state.ws.tagJson(id)) })),
  r("POST", "/tags", tagsPost),
  r("GET", "/tags/{id}", (ctx, p) => Effect.flatMap(tagOr404(ctx.state.ws, p.id ?? ""), (id) => ok(ctx.state.ws.tagJson(id)))),
  r("DELETE", "/tags/{id}", (ctx, p) => Effect.flatMap(tagOr404(ctx.state.ws, p.id ?? ""), (id) => {
    ctx.state.ws.tags.delete(id)
    mutated(ctx)
    return Effect.succeed({ status: 200 })
  })),
  // segments
  r("GET", "/segments", (ctx) => {
    const ws = ctx.state.ws
    const withCount = ctx.query.get("include_count") === "true"
    return ok({
      type: "segment.list",
      segments: ws.segments.map((s) => segmentJson(s, withCount ? countMatches(ctx.state, `segment:${s.id}`, ws.contactCount, (i) => ws.contactListed(i) && s.test(ws, i)) : undefined)),
      pages: {}
    })
  }),
  r("GET", "/segments/{id}", (ctx, p) => {
    const s = ctx.state.ws.segments.find((x) => x.id === p.id)
    return s ? ok(segmentJson(s)) : Effect.fail(notFound("Segment Not Found"))
  }),
  // conversations
  r("GET", "/conversations", (ctx) => Effect.flatMap(perPage(ctx.query.get("per_page"), 20), (per) =>
    listObjects(ctx.state.ws.conversations, "conversations", per, ctx.query.get("starting_after"), undefined, conversationField))),
  r("POST", "/conversations/search", searchObjects("conversations")),
  r("GET", "/conversations/{id}", (ctx, p) => findBy(ctx.state.ws.conversations, p.id ?? "", "not_found", "Resource Not Found")),
  r("POST", "/conversations/{conversation_id}/tags", objectTag((ws) => ws.conversations, "conversation", true)),
  r("DELETE", "/conversations/{conversation_id}/tags/{id}", objectTag((ws) => ws.conversations, "conversation", false)),
  // tickets
  r("POST", "/tickets/search", searchObjects("tickets")),
  r("POST", "/tickets/{ticket_id}/tags", objectTag((ws) => ws.tickets, "ticket", true)),
  r("DELETE", "/tickets/{ticket_id}/tags/{id}", objectTag((ws) => ws.tickets, "ticket", false)),
  r("GET", "/tickets/{id}", (ctx, p) => findBy(ctx.state.ws.tickets, p.id ?? "", "ticket_not_found", "Ticket not found")),
  r("GET", "/ticket_types", (ctx) => ok({ type: "ticket_type.list", ticket_types: [...ctx.state.ws.ticketTypes] })),
  r("GET", "/ticket_types/{id}", (ctx, p) => findBy(ctx.state.ws.ticketTypes, p.id ?? "", "not_found", "Ticket type not found")),
  // admins & teams
  r("GET", "/me", (ctx) => ok({ ...(ctx.state.ws.admins[0] ?? {}), app: { type: "app", id_code: "sandbox-app", name: "Intercom sandbox", created_at: 1546300800, secure: false, identity_verification: false, timezone: "UTC", region: "US" } })),
  r("GET", "/admins", (ctx) => ok({ type: "admin.list", admins: [...ctx.state.ws.admins] })),
  r("GET", "/admins/{id}", (ctx, p) => findBy(ctx.state.ws.admins, p.id ?? "", "admin_not_found", "Admin not found")),
  r("GET", "/teams", (ctx) => ok({ type: "team.list", teams: [...ctx.state.ws.teams] })),
  r("GET", "/teams/{id}", (ctx, p) => findBy(ctx.state.ws.teams, p.id ?? "", "team_not_found", "Team not found")),
  // data attributes & subscription types
  r("GET", "/data_attributes", (ctx) => {
    const model = ctx.query.get("model")
    return ok({ type: "list", data: ctx.state.ws.dataAttributes.filter((a) => model === null || a.model === model) })
  }),
  r("GET", "/subscription_types", (ctx) => ok({ type: "list", data: [...ctx.state.ws.subscriptionTypes] })),
  // data export
  r("POST", "/export/content/data", createExport),
  r("GET", "/export/content/data/{job_identifier}", (ctx, p) => exportStatus(ctx, p.job_identifier ?? "")),
  r("POST", "/export/cancel/{job_identifier}", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const job = ws.exports.get(p.job_identifier ?? "")
    if (!job) return yield* Effect.fail(notFound("Export job not found"))
    const canceled: ExportJob = { ...job, status: "canceled" }
    ws.exports.set(p.job_identifier ?? "", canceled)
    return yield* ok(exportJson(canceled))
  })),
  r("GET", "/download/content/data/{job_identifier}", (ctx, p) => downloadExport(ctx, p.job_identifier ?? "")),
  // help center, articles, news (read-only)
  r("GET", "/articles", (ctx) => ok({ type: "list", pages: { type: "pages", page: 1, per_page: 50, total_pages: 1 }, total_count: ctx.state.ws.articles.length, data: [...ctx.state.ws.articles] })),
  r("GET", "/articles/{id}", (ctx, p) => findBy(ctx.state.ws.articles, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/help_center/help_centers", (ctx) => ok({ type: "list", data: [...ctx.state.ws.helpCenters] })),
  r("GET", "/help_center/help_centers/{id}", (ctx, p) => findBy(ctx.state.ws.helpCenters, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/help_center/collections", (ctx) => ok({ type: "list", data: [...ctx.state.ws.collections], total_count: ctx.state.ws.collections.length, pages: { type: "pages", page: 1, per_page: 50, total_pages: 1 } })),
  r("GET", "/help_center/collections/{id}", (ctx, p) => findBy(ctx.state.ws.collections, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/news/news_items", (ctx) => ok({ type: "list", data: [...ctx.state.ws.newsItems], total_count: ctx.state.ws.newsItems.length, pages: { type: "pages", page: 1, per_page: 10, total_pages: 1 } })),
  r("GET", "/news/news_items/{id}", (ctx, p) => findBy(ctx.state.ws.newsItems, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/news/newsfeeds", (ctx) => ok({ type: "list", data: [...ctx.state.ws.newsfeeds], total_count: ctx.state.ws.newsfeeds.length, pages: { type: "pages", page: 1, per_page: 10, total_pages: 1 } })),
  r("GET", "/news/newsfeeds/{id}", (ctx, p) => findBy(ctx.state.ws.newsfeeds, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/news/newsfeeds/{id}/items", (ctx, p) => {
    const items = ctx.state.ws.newsItems.filter((n) => JSON.stringify(n.newsfeed_assignments).includes(`"newsfeed_id":${p.id}`))
    return ok({ type: "list", data: items, total_count: items.length, pages: { type: "pages", page: 1, per_page: 10, total_pages: 1 } })
  }),
  r("GET", "/visitors", (ctx) => {
    const v = ctx.state.ws.visitors.find((x) => x.user_id === ctx.query.get("user_id"))
    return v ? ok(v) : Effect.fail(notFound("Visitor Not Found"))
  })
]
