/**
 * Contacts and what hangs off them: list, create, update, search, archive, merge, tags,
 * companies, notes and subscriptions.
 */
import * as SearchFields from "@intercom-fx/core/SearchFields"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { ContactData } from "../contacts.js"
import { apiError, badRequest, notFound, type ApiError } from "../errors.js"
import { cursorPages, decodeCursor, perPage, scan } from "../paging.js"
import { companyJson, contactJson, contactRef, noteJson, segmentJson } from "../render.js"
import { compile, decodeSearchBody } from "../search.js"
import type { Workspace } from "../workspace.js"
import { companyOr404, contactOr404, countMatches, decode, IdBody, mutated, nowSec, ok, r, tagOr404, type Ctx } from "./common.js"


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
const Merge = Schema.Struct({ from: Schema.String, into: Schema.String })
const NoteBody = Schema.Struct({ body: Schema.String, admin_id: Schema.optional(Schema.Union(Schema.String, Schema.Number)), contact_id: Schema.optional(Schema.String) })

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

/** A contact with nothing set but its timestamps. */
export const blankContact = (now: number): ContactData => ({
  external_id: null, role: "user", email: "", phone: null, name: null, avatar: null, owner_id: null,
  has_hard_bounced: false, marked_email_as_spam: false, unsubscribed_from_emails: false, created_at: now,
  updated_at: now, signed_up_at: null, last_seen_at: null, last_replied_at: null, last_contacted_at: null,
  last_email_opened_at: null, last_email_clicked_at: null, language_override: null, browser: null,
  browser_version: null, browser_language: null, os: null, custom_attributes: {},
  location: { type: "location", country: null, region: null, city: null }
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
    const blank = blankContact(now)
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

export const contactRoutes = [
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
]
