/**
 * Tickets, ticket types and their attributes: search, retrieval, create, update, reply.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { apiError, badRequest, notFound } from "../errors.js"
import { APP_ID, type Json, type JsonObject } from "../workspace.js"
import {
  adminOr404, contactKeyOr404, decode, findBy, indexOr404, mutated, nowSec, ok, r, replaceAt, type Ctx, type P
} from "./common.js"
import { adminAuthor, asArray, asObject, contactAuthor, newTicket, searchObjects, ticketStateLabel } from "./inbox.js"
import { objectTag } from "./tags.js"

const AttrValue = Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null, Schema.Array(Schema.Unknown))
const ContactRef = Schema.Struct({ id: Schema.optional(Schema.String), external_id: Schema.optional(Schema.String), email: Schema.optional(Schema.String) })
const CreateBody = Schema.Struct({
  ticket_type_id: Schema.String,
  contacts: Schema.Array(ContactRef),
  company_id: Schema.optional(Schema.String),
  ticket_attributes: Schema.optional(Schema.Record({ key: Schema.String, value: AttrValue }))
})
const UpdateBody = Schema.Struct({
  ticket_attributes: Schema.optional(Schema.Record({ key: Schema.String, value: AttrValue })),
  state: Schema.optional(Schema.Literal("in_progress", "waiting_on_customer", "resolved")),
  open: Schema.optional(Schema.Boolean),
  is_shared: Schema.optional(Schema.Boolean),
  snoozed_until: Schema.optional(Schema.Int),
  assignment: Schema.optional(Schema.Struct({ admin_id: Schema.optional(Schema.String), assignee_id: Schema.optional(Schema.String) }))
})
const ReplyBody = Schema.Union(
  Schema.Struct({
    message_type: Schema.Literal("comment"), type: Schema.Literal("user"), body: Schema.String,
    intercom_user_id: Schema.optional(Schema.String), user_id: Schema.optional(Schema.String), email: Schema.optional(Schema.String)
  }),
  Schema.Struct({
    message_type: Schema.Literal("comment", "note", "quick_reply"), type: Schema.Literal("admin"), body: Schema.optional(Schema.String),
    admin_id: Schema.String, reply_options: Schema.optional(Schema.Array(Schema.Struct({ text: Schema.String, uuid: Schema.String })))
  })
)
const TypeBody = Schema.Struct({
  name: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  category: Schema.optional(Schema.Literal("Customer", "Back-office", "Tracker")),
  icon: Schema.optional(Schema.String),
  archived: Schema.optional(Schema.Boolean),
  is_internal: Schema.optional(Schema.Boolean)
})
const AttrFlags = {
  description: Schema.optional(Schema.String),
  required_to_create: Schema.optional(Schema.Boolean),
  required_to_create_for_contacts: Schema.optional(Schema.Boolean),
  visible_on_create: Schema.optional(Schema.Boolean),
  visible_to_contacts: Schema.optional(Schema.Boolean),
  multiline: Schema.optional(Schema.Boolean),
  list_items: Schema.optional(Schema.String),
  allow_multiple_values: Schema.optional(Schema.Boolean)
}
const AttrCreate = Schema.Struct({
  name: Schema.String,
  data_type: Schema.Literal("string", "list", "integer", "decimal", "boolean", "datetime", "files"),
  ...AttrFlags
})
const AttrUpdate = Schema.Struct({ name: Schema.optional(Schema.String), archived: Schema.optional(Schema.Boolean), ...AttrFlags })

const ticketOr404 = (ctx: Ctx, id: string) => indexOr404(ctx.state.ws.tickets, id, "ticket_not_found", "Ticket not found")
const typeOr404 = (ctx: Ctx, id: string) => indexOr404(ctx.state.ws.ticketTypes, id, "not_found", "Ticket type not found")

const createTicket = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(CreateBody, ctx.body)
    const k = yield* typeOr404(ctx, b.ticket_type_id)
    const type = ws.ticketTypes[k] ?? {}
    if (type.archived === true) return yield* Effect.fail(badRequest("The ticket type is archived", "ticket_type_id"))
    const [ref, ...more] = b.contacts
    if (ref === undefined || more.length > 0) return yield* Effect.fail(badRequest("Exactly one contact is allowed", "contacts"))
    const i = yield* contactKeyOr404(ws, ref)
    if (b.company_id !== undefined && ws.companyIndex(b.company_id) < 0) return yield* Effect.fail(apiError(404, "company_not_found", "Company Not Found"))
    const missing = requiredMissing(type, b.ticket_attributes ?? {})
    if (missing) return yield* Effect.fail(badRequest(`${missing} is required`, `ticket_attributes.${missing}`))
    const ticket = newTicket(ws, type, i, toJson(b.ticket_attributes ?? {}), nowSec(ctx))
    ws.tickets.push(ticket)
    mutated(ctx)
    return yield* ok(ticket)
  })

const attributesOf = (type: JsonObject): ReadonlyArray<JsonObject> => asArray(asObject(type.ticket_type_attributes).data).map(asObject)

const requiredMissing = (type: JsonObject, given: Readonly<Record<string, unknown>>): string | undefined => {
  for (const a of attributesOf(type)) {
    if (a.required_to_create === true && a.archived !== true && typeof a.name === "string" && given[a.name] === undefined) return a.name
  }
  return undefined
}

const updateTicket = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* ticketOr404(ctx, p.id ?? "")
    const b = yield* decode(UpdateBody, ctx.body ?? {})
    const cur = ws.tickets[k] ?? {}
    const changes: JsonObject = {}
    if (b.assignment !== undefined) {
      if (b.assignment.admin_id !== undefined && ws.adminJson(b.assignment.admin_id) === undefined) {
        return yield* Effect.fail(apiError(404, "assignee_not_found", "Assignee not found"))
      }
      const to = b.assignment.assignee_id
      if (to !== undefined && to !== "0") {
        if (ws.adminJson(to) !== undefined) changes.admin_assignee_id = to
        else if (ws.teams.some((t) => t.id === to)) changes.team_assignee_id = to
        else return yield* Effect.fail(apiError(404, "assignee_not_found", "Assignee not found"))
      } else if (to === "0") changes.admin_assignee_id = "0"
    }
    const now = nowSec(ctx)
    const parts = [...asArray(asObject(cur.ticket_parts).ticket_parts)]
    if (b.state !== undefined && b.state !== cur.ticket_state) {
      parts.push({
        type: "ticket_part", id: String(ws.nextId++), part_type: "ticket_state_updated_by_admin", previous_ticket_state: cur.ticket_state ?? null,
        ticket_state: b.state, created_at: now, updated_at: now, author: adminAuthor(ws.admins[0] ?? {}), attachments: [], redacted: false
      })
      Object.assign(changes, { ticket_state: b.state, ticket_state_internal_label: ticketStateLabel(b.state), ticket_state_external_label: ticketStateLabel(b.state) })
    }
    const next = replaceAt(ws.tickets, k, {
      ...cur,
      ...changes,
      ...(b.ticket_attributes === undefined ? {} : { ticket_attributes: { ...asObject(cur.ticket_attributes), ...toJson(b.ticket_attributes) } }),
      ...(b.open === undefined ? {} : { open: b.open }),
      ...(b.state === "resolved" && b.open === undefined ? { open: false } : {}),
      ...(b.is_shared === undefined ? {} : { is_shared: b.is_shared }),
      ...(b.snoozed_until === undefined ? {} : { snoozed_until: b.snoozed_until }),
      ticket_parts: { type: "ticket_part.list", ticket_parts: parts, total_count: parts.length },
      updated_at: now
    })
    mutated(ctx)
    return yield* ok(next)
  })

/** Attribute values as JSON; anything that is not JSON becomes null. */
const toJsonValue = (u: unknown): Json => {
  if (u === null || typeof u === "string" || typeof u === "boolean") return u
  if (typeof u === "number") return Number.isFinite(u) ? u : null
  if (Array.isArray(u)) return u.map(toJsonValue)
  if (typeof u === "object") return toJson(Object.fromEntries(Object.entries(u)))
  return null
}
const toJson = (attrs: Readonly<Record<string, unknown>>): JsonObject =>
  Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, toJsonValue(v)]))

const replyTicket = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* indexOr404(ws.tickets, p.id ?? "")
    const b = yield* decode(ReplyBody, ctx.body)
    const cur = ws.tickets[k] ?? {}
    const now = nowSec(ctx)
    let author: JsonObject
    if (b.type === "user") {
      const i = yield* contactKeyOr404(ws, b)
      const onTicket = asArray(asObject(cur.contacts).contacts).some((c) => asObject(c).id === ws.contactId(i))
      if (!onTicket) return yield* Effect.fail(apiError(403, "action_forbidden", "The contact is not on this ticket"))
      author = { ...contactAuthor(ws, i), type: "user" }
    } else {
      author = adminAuthor(yield* adminOr404(ws, b.admin_id))
      if (b.message_type === "quick_reply" && (b.reply_options ?? []).length === 0) return yield* Effect.fail(badRequest("reply_options are required for a quick reply", "reply_options"))
      if (b.message_type !== "quick_reply" && b.body === undefined) return yield* Effect.fail(badRequest("Body is required", "body"))
    }
    const part: JsonObject = {
      type: "ticket_part", id: String(ws.nextId++), part_type: b.message_type,
      ...(b.body === undefined ? {} : { body: `<p>${b.body}</p>` }),
      created_at: now, updated_at: now, author, attachments: [], redacted: false
    }
    const parts = [...asArray(asObject(cur.ticket_parts).ticket_parts), part]
    replaceAt(ws.tickets, k, { ...cur, updated_at: now, ticket_parts: { type: "ticket_part.list", ticket_parts: parts, total_count: parts.length } })
    mutated(ctx)
    return yield* ok(part)
  })

const defaultAttribute = (typeId: string, id: string, name: string, description: string, order: number, now: number): JsonObject => ({
  type: "ticket_type_attribute", id, workspace_id: APP_ID, name, description, data_type: "string",
  input_options: { multiline: name === "_default_description_" }, order, required_to_create: false,
  required_to_create_for_contacts: false, visible_on_create: true, visible_to_contacts: true, default: true,
  ticket_type_id: Number(typeId), archived: false, created_at: now, updated_at: now
})

const createType = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(TypeBody, ctx.body)
    if (b.name === undefined || b.name.trim() === "") return yield* Effect.fail(badRequest("Name is required", "name", "parameter_not_found"))
    if (ws.ticketTypes.some((t) => t.name === b.name)) return yield* Effect.fail(badRequest(`A ticket type named '${b.name}' already exists`, "name"))
    const now = nowSec(ctx)
    const id = String(ws.nextId++)
    const type: JsonObject = {
      type: "ticket_type", id, name: b.name, description: b.description ?? "", icon: b.icon ?? "🎟️", workspace_id: APP_ID,
      archived: false, created_at: now, updated_at: now, is_internal: b.is_internal ?? false, category: b.category ?? "Customer",
      ticket_type_attributes: {
        type: "list",
        data: [
          defaultAttribute(id, String(ws.nextId++), "_default_title_", "ticket title", 0, now),
          defaultAttribute(id, String(ws.nextId++), "_default_description_", "ticket description", 1, now)
        ]
      }
    }
    ws.ticketTypes.push(type)
    mutated(ctx)
    return yield* ok(type)
  })

const updateType = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* typeOr404(ctx, p.id ?? "")
    const b = yield* decode(TypeBody, ctx.body ?? {})
    const next: JsonObject = {
      ...ws.ticketTypes[k],
      ...(b.name === undefined ? {} : { name: b.name }),
      ...(b.description === undefined ? {} : { description: b.description }),
      ...(b.category === undefined ? {} : { category: b.category }),
      ...(b.icon === undefined ? {} : { icon: b.icon }),
      ...(b.archived === undefined ? {} : { archived: b.archived }),
      ...(b.is_internal === undefined ? {} : { is_internal: b.is_internal }),
      updated_at: nowSec(ctx)
    }
    mutated(ctx)
    return yield* ok(replaceAt(ws.ticketTypes, k, next))
  })

const inputOptions = (dataType: string, b: { readonly multiline?: boolean | undefined; readonly list_items?: string | undefined; readonly allow_multiple_values?: boolean | undefined }, prev: JsonObject = {}): JsonObject => ({
  ...prev,
  ...(b.multiline === undefined ? {} : { multiline: b.multiline }),
  ...(dataType === "list" && b.list_items !== undefined
    ? { list_options: b.list_items.split(",").map((label, n) => ({ label: label.trim(), id: String(n + 1) })) }
    : {}),
  ...(b.allow_multiple_values === undefined ? {} : { allow_multiple_values: b.allow_multiple_values })
})

const createAttribute = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* typeOr404(ctx, p.ticket_type_id ?? "")
    const b = yield* decode(AttrCreate, ctx.body)
    if (b.description === undefined) return yield* Effect.fail(badRequest("description is a required parameter", "description", "parameter_not_found"))
    if (b.data_type === "list" && (b.list_items ?? "").trim() === "") return yield* Effect.fail(badRequest("list_items are required for a list attribute", "list_items"))
    const type = ws.ticketTypes[k] ?? {}
    const attrs = attributesOf(type)
    if (attrs.some((a) => a.name === b.name)) return yield* Effect.fail(badRequest(`An attribute named '${b.name}' already exists`, "name"))
    const now = nowSec(ctx)
    const attr: JsonObject = {
      type: "ticket_type_attribute", id: String(ws.nextId++), workspace_id: APP_ID, name: b.name, description: b.description,
      data_type: b.data_type, input_options: inputOptions(b.data_type, b), order: attrs.length,
      required_to_create: b.required_to_create ?? false, required_to_create_for_contacts: b.required_to_create_for_contacts ?? false,
      visible_on_create: b.visible_on_create ?? true, visible_to_contacts: b.visible_to_contacts ?? true, default: false,
      ticket_type_id: Number(type.id), archived: false, created_at: now, updated_at: now
    }
    replaceAt(ws.ticketTypes, k, { ...type, updated_at: now, ticket_type_attributes: { type: "list", data: [...attrs, attr] } })
    mutated(ctx)
    return yield* ok(attr)
  })

const updateAttribute = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* typeOr404(ctx, p.ticket_type_id ?? "")
    const b = yield* decode(AttrUpdate, ctx.body ?? {})
    const type = ws.ticketTypes[k] ?? {}
    const attrs = attributesOf(type)
    const at = attrs.findIndex((a) => a.id === p.id)
    const cur = attrs[at]
    if (!cur) return yield* Effect.fail(notFound("Ticket type attribute not found"))
    if (cur.default === true && (b.name !== undefined || b.archived === true)) return yield* Effect.fail(badRequest("Default attributes cannot be renamed or archived", b.name !== undefined ? "name" : "archived"))
    const now = nowSec(ctx)
    const next: JsonObject = {
      ...cur,
      ...(b.name === undefined ? {} : { name: b.name }),
      ...(b.description === undefined ? {} : { description: b.description }),
      ...(b.required_to_create === undefined ? {} : { required_to_create: b.required_to_create }),
      ...(b.required_to_create_for_contacts === undefined ? {} : { required_to_create_for_contacts: b.required_to_create_for_contacts }),
      ...(b.visible_on_create === undefined ? {} : { visible_on_create: b.visible_on_create }),
      ...(b.visible_to_contacts === undefined ? {} : { visible_to_contacts: b.visible_to_contacts }),
      ...(b.archived === undefined ? {} : { archived: b.archived }),
      input_options: inputOptions(String(cur.data_type), b, asObject(cur.input_options)),
      updated_at: now
    }
    replaceAt(ws.ticketTypes, k, { ...type, updated_at: now, ticket_type_attributes: { type: "list", data: attrs.map((a, n) => n === at ? next : a) } })
    mutated(ctx)
    return yield* ok(next)
  })

export const ticketRoutes = [
  r("POST", "/tickets", createTicket),
  r("POST", "/tickets/search", searchObjects("tickets")),
  r("GET", "/tickets/{id}", (ctx, p) => findBy(ctx.state.ws.tickets, p.id ?? "", "ticket_not_found", "Ticket not found")),
  r("PUT", "/tickets/{id}", updateTicket),
  r("POST", "/tickets/{id}/reply", replyTicket),
  r("POST", "/tickets/{ticket_id}/tags", objectTag((ws) => ws.tickets, "ticket", true)),
  r("DELETE", "/tickets/{ticket_id}/tags/{id}", objectTag((ws) => ws.tickets, "ticket", false)),
  r("GET", "/ticket_types", (ctx) => ok({ type: "ticket_type.list", ticket_types: [...ctx.state.ws.ticketTypes] })),
  r("POST", "/ticket_types", createType),
  r("GET", "/ticket_types/{id}", (ctx, p) => findBy(ctx.state.ws.ticketTypes, p.id ?? "", "not_found", "Ticket type not found")),
  r("PUT", "/ticket_types/{id}", updateType),
  r("POST", "/ticket_types/{ticket_type_id}/attributes", createAttribute),
  r("PUT", "/ticket_types/{ticket_type_id}/attributes/{id}", updateAttribute)
]
