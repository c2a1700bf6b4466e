/**
 * Workspace settings and the smaller write APIs: data attributes, subscription types,
 * visitors (update, convert to a contact), admin-initiated messages and phone call redirects.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { apiError, badRequest, notFound } from "../errors.js"
import { contactJson } from "../render.js"
import { APP_ID, type JsonObject } from "../workspace.js"
import {
  adminOr404, contactOr404, decode, findContact, mutated, nowSec, ok, r, replaceAt, type Ctx, type P
} from "./common.js"
import { blankContact } from "./contacts.js"
import { adminAuthor, contactAuthor, contactListRef } from "./inbox.js"

const AttributeCreate = Schema.Struct({
  name: Schema.String,
  model: Schema.Literal("contact", "company"),
  data_type: Schema.Literal("string", "integer", "float", "boolean", "datetime", "date"),
  description: Schema.optional(Schema.String),
  options: Schema.optional(Schema.Array(Schema.String)),
  messenger_writable: Schema.optional(Schema.Boolean)
})
const AttributeUpdate = Schema.Struct({
  archived: Schema.optional(Schema.Boolean),
  description: Schema.optional(Schema.String),
  options: Schema.optional(Schema.Array(Schema.String)),
  messenger_writable: Schema.optional(Schema.Boolean)
})
const VisitorUpdate = Schema.Struct({
  id: Schema.optional(Schema.String),
  user_id: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String),
  custom_attributes: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
})
const VisitorKey = Schema.Struct({ id: Schema.optional(Schema.String), user_id: Schema.optional(Schema.String), email: Schema.optional(Schema.String) })
const VisitorConvert = Schema.Struct({ type: Schema.Literal("user", "lead"), user: VisitorKey, visitor: VisitorKey })
const MessageBody = Schema.Struct({
  message_type: Schema.Literal("in_app", "email"),
  subject: Schema.optional(Schema.String),
  body: Schema.optional(Schema.String),
  template: Schema.optional(Schema.Literal("plain", "personal")),
  from: Schema.Struct({ type: Schema.Literal("admin"), id: Schema.Union(Schema.Int, Schema.String) }),
  to: Schema.Struct({ type: Schema.Literal("user", "lead"), id: Schema.String }),
  create_conversation_without_contact_reply: Schema.optional(Schema.Boolean)
})
const PhoneBody = Schema.Struct({ phone: Schema.String, custom_attributes: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })) })

// ---- data attributes ----

const createAttribute = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(AttributeCreate, ctx.body)
    if (!/^[\p{L}\p{N}\p{Sc} _-]+$/u.test(b.name)) {
      return yield* Effect.fail(badRequest("Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens", "name"))
    }
    const clash = ws.dataAttributes.find((a) => a.custom === true && a.name === b.name)
    if (clash) {
      return yield* Effect.fail(badRequest(`You already have '${b.name}' in your ${String(clash.model)} data. To save this as new ${b.model === "contact" ? "people" : "company"} data, use a different name.`, "name"))
    }
    if (b.options !== undefined && b.options.length < 2) return yield* Effect.fail(badRequest("Options must have at least two values", "options"))
    const now = nowSec(ctx)
    const attr: JsonObject = {
      type: "data_attribute", id: ws.nextId++, model: b.model, name: b.name, full_name: `custom_attributes.${b.name}`, label: b.name,
      description: b.description ?? "", data_type: b.data_type, ...(b.options ? { options: [...b.options] } : {}),
      api_writable: true, messenger_writable: b.messenger_writable ?? false, ui_writable: true, custom: true, archived: false,
      created_at: now, updated_at: now, admin_id: String(ws.admins[0]?.id ?? "")
    }
    ws.dataAttributes.push(attr)
    mutated(ctx)
    return yield* ok(attr)
  })

const updateAttribute = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = ws.dataAttributes.findIndex((a) => String(a.id) === p.id)
    const cur = ws.dataAttributes[k]
    if (!cur) return yield* Effect.fail(apiError(404, "field_not_found", "We couldn't find that data attribute to update"))
    const b = yield* decode(AttributeUpdate, ctx.body ?? {})
    if (cur.custom !== true) return yield* Effect.fail(badRequest("Standard data attributes cannot be changed", "id"))
    if (b.options !== undefined && b.options.length < 2) return yield* Effect.fail(badRequest("Options isn't an array", "options"))
    const next = replaceAt(ws.dataAttributes, k, {
      ...cur,
      ...(b.archived === undefined ? {} : { archived: b.archived }),
      ...(b.description === undefined ? {} : { description: b.description }),
      ...(b.options === undefined ? {} : { options: [...b.options] }),
      ...(b.messenger_writable === undefined ? {} : { messenger_writable: b.messenger_writable }),
      updated_at: nowSec(ctx)
    })
    mutated(ctx)
    return yield* ok(next)
  })

// ---- visitors ----

const visitorIndex = (ctx: Ctx, key: { readonly id?: string | undefined; readonly user_id?: string | undefined; readonly email?: string | undefined }) =>
  ctx.state.ws.visitors.findIndex((v) =>
    key.id !== undefined ? v.id === key.id : key.user_id !== undefined ? v.user_id === key.user_id : key.email !== undefined && v.email === key.email)

const updateVisitor = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(VisitorUpdate, ctx.body)
    if (b.id === undefined && b.user_id === undefined) return yield* Effect.fail(badRequest("id or user_id is required", "id", "parameter_not_found"))
    const k = visitorIndex(ctx, b)
    const cur = ws.visitors[k]
    if (!cur) return yield* Effect.fail(notFound("Visitor Not Found"))
    const attrs = cur.custom_attributes !== null && typeof cur.custom_attributes === "object" && !Array.isArray(cur.custom_attributes) ? cur.custom_attributes : {}
    const next = replaceAt(ws.visitors, k, {
      ...cur,
      ...(b.name === undefined ? {} : { name: b.name }),
      ...(b.custom_attributes === undefined ? {} : { custom_attributes: { ...attrs, ...b.custom_attributes } }),
      updated_at: nowSec(ctx)
    })
    mutated(ctx)
    return yield* ok(next)
  })

/** A visitor becomes a lead, or is merged into an existing user; the visitor is gone after. */
const convertVisitor = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(VisitorConvert, ctx.body)
    const k = visitorIndex(ctx, b.visitor)
    const visitor = ws.visitors[k]
    if (!visitor) return yield* Effect.fail(notFound("Visitor Not Found"))
    const now = nowSec(ctx)
    let i = findContact(ws, { id: b.user.id, user_id: b.user.user_id })
    if (i < 0 && b.user.id !== undefined) return yield* Effect.fail(notFound("User Not Found"))
    if (i < 0 && b.user.email !== undefined && ws.contactByEmail(b.user.email) >= 0) {
      return yield* Effect.fail(apiError(409, "conflict", "A contact with this email already exists"))
    }
    if (i < 0) {
      i = ws.createContact({
        ...blankContact(now), role: b.type, external_id: b.user.user_id ?? null, email: (b.user.email ?? "").toLowerCase(),
        name: typeof visitor.name === "string" ? visitor.name : null, signed_up_at: b.type === "user" ? now : null
      }, ctx.nowMs)
    }
    ws.visitors.splice(k, 1)
    mutated(ctx)
    return yield* ok(contactJson(ws, i))
  })

// ---- messages & phone ----

const createMessage = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(MessageBody, ctx.body)
    if (b.body === undefined || b.body.trim() === "") return yield* Effect.fail(badRequest("Body is required", "body"))
    if (b.message_type === "email" && (b.subject === undefined || b.subject === "")) {
      return yield* Effect.fail(apiError(422, "parameter_not_found", "No subject supplied for email message", "subject"))
    }
    if (b.message_type === "email" && b.template === undefined) return yield* Effect.fail(apiError(422, "parameter_not_found", "No template supplied for email message", "template"))
    const admin = yield* adminOr404(ws, b.from.id)
    const i = yield* contactOr404(ws, b.to.id)
    if (ws.contactRole(i) !== b.to.type) return yield* Effect.fail(notFound(b.to.type === "lead" ? "Lead Not Found" : "User Not Found"))
    const now = nowSec(ctx)
    const messageId = String(ws.nextId++)
    const conversationId = String(ws.nextId++)
    ws.conversations.push({
      type: "conversation", id: conversationId, title: null, created_at: now, updated_at: now, waiting_since: null, snoozed_until: null,
      open: b.create_conversation_without_contact_reply === true, state: b.create_conversation_without_contact_reply === true ? "open" : "closed",
      read: true, priority: "not_priority", admin_assignee_id: Number(admin.id), team_assignee_id: null,
      tags: { type: "tag.list", tags: [] }, conversation_rating: null,
      source: {
        type: b.message_type === "email" ? "email" : "conversation", id: messageId, delivered_as: "admin_initiated", subject: b.subject ?? "",
        body: `<p>${b.body}</p>`, author: adminAuthor(admin), attachments: [], url: null, redacted: false
      },
      contacts: { type: "contact.list", contacts: [contactListRef(ws, i)] },
      teammates: { type: "admin.list", teammates: [{ type: "admin", id: String(admin.id) }] },
      first_contact_reply: null,
      statistics: { type: "conversation_statistics", count_reopens: 0, count_assignments: 0, count_conversation_parts: 0 },
      conversation_parts: { type: "conversation_part.list", conversation_parts: [], total_count: 0 },
      linked_objects: { type: "list", data: [], total_count: 0, has_more: false },
      custom_attributes: {}
    })
    mutated(ctx)
    return yield* ok({
      type: "admin_message", id: messageId, created_at: now, subject: b.subject ?? "", body: b.body,
      message_type: b.message_type === "email" ? "email" : "inapp", conversation_id: conversationId,
      owner: { ...adminAuthor(admin), away_mode_enabled: admin.away_mode_enabled ?? false, away_mode_reassign: admin.away_mode_reassign ?? false },
      to: contactAuthor(ws, i)
    })
  })

const phoneRedirect = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(PhoneBody, ctx.body)
    const digits = b.phone.replace(/[\s().-]/g, "")
    if (!/^\+[1-9]\d{6,14}$/.test(digits)) return yield* Effect.fail(badRequest("Invalid phone number", "phone"))
    for (const key of Object.keys(b.custom_attributes ?? {})) {
      if (!ws.dataAttributes.some((a) => a.model === "contact" && a.custom === true && a.name === key)) {
        return yield* Effect.fail(apiError(422, "parameter_invalid", `Custom attribute '${key}' does not exist`, `custom_attributes.${key}`))
      }
    }
    const id = String(ws.nextId++).padStart(12, "0")
    return yield* ok({ type: "phone_call_redirect", phone: digits, url: `https://via.intercom.io/msgr/${APP_ID}-${id}` })
  })

export const workspaceRoutes = [
  r("GET", "/data_attributes", (ctx) => {
    const model = ctx.query.get("model")
    const archived = ctx.query.get("include_archived") === "true"
    return ok({ type: "list", data: ctx.state.ws.dataAttributes.filter((a) => (model === null || a.model === model) && (archived || a.archived !== true)) })
  }),
  r("POST", "/data_attributes", createAttribute),
  r("PUT", "/data_attributes/{id}", updateAttribute),
  r("GET", "/subscription_types", (ctx) => ok({ type: "list", data: [...ctx.state.ws.subscriptionTypes] })),
  r("GET", "/visitors", (ctx) => {
    const v = ctx.state.ws.visitors.find((x) => x.user_id === ctx.query.get("user_id"))
    return v ? ok(v) : Effect.fail(notFound("Visitor Not Found"))
  }),
  r("PUT", "/visitors", updateVisitor),
  r("POST", "/visitors/convert", convertVisitor),
  r("POST", "/messages", createMessage),
  r("POST", "/phone_call_redirects", phoneRedirect)
]
