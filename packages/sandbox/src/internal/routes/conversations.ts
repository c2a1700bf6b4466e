/**
 * Conversations: listing, search, retrieval, and the inbox actions — create, update, reply,
 * close/snooze/open/assign, assignment rules, customers, redaction and conversion to a ticket.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { apiError, badRequest, notFound } from "../errors.js"
import { perPage } from "../paging.js"
import type { Json, JsonObject } from "../workspace.js"
import {
  adminOr404, contactKeyOr404, contactOr404, decode, indexOr404, mutated, nowSec, ok, r, replaceAt, type Ctx, type P
} from "./common.js"
import {
  adminAuthor, asArray, asObject, contactAuthor, contactListRef, conversationField, listObjects, newTicket, searchObjects
} from "./inbox.js"
import { objectTag } from "./tags.js"

// ---- request bodies ----

const CreateBody = Schema.Struct({
  from: Schema.Struct({ type: Schema.Literal("lead", "user", "contact"), id: Schema.String }),
  body: Schema.String,
  subject: Schema.optional(Schema.String),
  attachment_urls: Schema.optional(Schema.Array(Schema.String).pipe(Schema.maxItems(10)))
})
const UpdateBody = Schema.Struct({
  read: Schema.optional(Schema.Boolean),
  custom_attributes: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null) }))
})
const UserReply = Schema.Struct({
  message_type: Schema.Literal("comment"), type: Schema.Literal("user"), body: Schema.String,
  intercom_user_id: Schema.optional(Schema.String), user_id: Schema.optional(Schema.String), email: Schema.optional(Schema.String),
  attachment_urls: Schema.optional(Schema.Array(Schema.String).pipe(Schema.maxItems(10)))
})
const AdminReply = Schema.Struct({
  message_type: Schema.Literal("comment", "note"), type: Schema.Literal("admin"), body: Schema.optional(Schema.String),
  admin_id: Schema.String, created_at: Schema.optional(Schema.Int),
  attachment_urls: Schema.optional(Schema.Array(Schema.String).pipe(Schema.maxItems(10)))
})
const ReplyBody = Schema.Union(UserReply, AdminReply)
const PartBody = Schema.Union(
  Schema.Struct({ message_type: Schema.Literal("close"), type: Schema.Literal("admin"), admin_id: Schema.String, body: Schema.optional(Schema.String) }),
  Schema.Struct({ message_type: Schema.Literal("snoozed"), admin_id: Schema.String, snoozed_until: Schema.Int }),
  Schema.Struct({ message_type: Schema.Literal("open"), admin_id: Schema.String }),
  Schema.Struct({
    message_type: Schema.Literal("assignment"), type: Schema.Literal("admin", "team"), admin_id: Schema.String,
    assignee_id: Schema.String, body: Schema.optional(Schema.String)
  })
)
const Customer = Schema.Struct({
  intercom_user_id: Schema.optional(Schema.String), user_id: Schema.optional(Schema.String), email: Schema.optional(Schema.String)
})
const AttachBody = Schema.Struct({ admin_id: Schema.optional(Schema.String), customer: Customer })
const DetachBody = Schema.Struct({ admin_id: Schema.optional(Schema.String) })
const RedactBody = Schema.Union(
  Schema.Struct({ type: Schema.Literal("conversation_part"), conversation_id: Schema.String, conversation_part_id: Schema.String }),
  Schema.Struct({ type: Schema.Literal("source"), conversation_id: Schema.String, source_id: Schema.String })
)
const ConvertBody = Schema.Struct({
  ticket_type_id: Schema.String,
  attributes: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null) }))
})

// ---- helpers ----

const conversationOr404 = (ctx: Ctx, id: string) => indexOr404(ctx.state.ws.conversations, id)

const attachments = (urls: ReadonlyArray<string> | undefined): Array<Json> =>
  (urls ?? []).map((url) => ({ type: "upload", name: url.split("/").pop() ?? "file", url, content_type: "application/octet-stream", filesize: 0, width: null, height: null }))

/** Append a part; the conversation's counters and timestamps follow. */
const withPart = (conv: JsonObject, part: JsonObject, now: number, changes: JsonObject = {}): JsonObject => {
  const partsObj = asObject(conv.conversation_parts)
  const parts = [...asArray(partsObj.conversation_parts), part]
  const stats = asObject(changes.statistics ?? conv.statistics)
  return {
    ...conv,
    ...changes,
    updated_at: now,
    conversation_parts: { type: "conversation_part.list", conversation_parts: parts, total_count: parts.length },
    statistics: { ...stats, count_conversation_parts: parts.length }
  }
}

const part = (id: string, partType: string, body: string | null, author: JsonObject, now: number, extra: JsonObject = {}): JsonObject => ({
  type: "conversation_part", id, part_type: partType, body, created_at: now, updated_at: now, notified_at: now,
  assigned_to: null, author, attachments: [], external_id: null, redacted: false, ...extra
})

/** `display_as=plaintext`: message bodies without markup. */
const displayed = (ctx: Ctx, conv: JsonObject): JsonObject => {
  if (ctx.query.get("display_as") !== "plaintext") return conv
  const strip = (b: Json | undefined) => typeof b === "string" ? b.replace(/<[^>]*>/g, "").trim() : b ?? null
  const partsObj = asObject(conv.conversation_parts)
  return {
    ...conv,
    source: { ...asObject(conv.source), body: strip(asObject(conv.source).body) },
    conversation_parts: { ...partsObj, conversation_parts: asArray(partsObj.conversation_parts).map((p) => ({ ...asObject(p), body: strip(asObject(p).body) })) }
  }
}

const contactIdsOf = (conv: JsonObject): Array<string> =>
  asArray(asObject(conv.contacts).contacts).flatMap((c) => {
    const id = asObject(c).id
    return typeof id === "string" ? [id] : []
  })

const customersJson = (ctx: Ctx, conv: JsonObject): JsonObject => ({
  customers: contactIdsOf(conv).map((id) => {
    const i = ctx.state.ws.contactIndex(id)
    return { type: i >= 0 && ctx.state.ws.contactRole(i) === "lead" ? "lead" : "user", id }
  })
})

// ---- handlers ----

/** A contact starts a conversation; the answer is the message, as in the spec. */
const createConversation = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(CreateBody, ctx.body)
    const i = yield* contactOr404(ws, b.from.id)
    const now = nowSec(ctx)
    const id = String(ws.nextId++)
    const messageId = String(ws.nextId++)
    const author = contactAuthor(ws, i)
    ws.conversations.push({
      type: "conversation", id, title: null, created_at: now, updated_at: now, waiting_since: now, snoozed_until: null,
      open: true, state: "open", read: false, priority: "not_priority", admin_assignee_id: null, team_assignee_id: null,
      tags: { type: "tag.list", tags: [] }, conversation_rating: null,
      source: {
        type: "conversation", id: messageId, delivered_as: "customer_initiated", subject: b.subject ?? "", body: `<p>${b.body}</p>`,
        author, attachments: attachments(b.attachment_urls), url: null, redacted: false
      },
      contacts: { type: "contact.list", contacts: [contactListRef(ws, i)] },
      teammates: { type: "admin.list", teammates: [] },
      first_contact_reply: { created_at: now, type: "conversation", url: null },
      statistics: { type: "conversation_statistics", count_reopens: 0, count_assignments: 0, count_conversation_parts: 0, first_contact_reply_at: now, last_contact_reply_at: now },
      conversation_parts: { type: "conversation_part.list", conversation_parts: [], total_count: 0 },
      linked_objects: { type: "list", data: [], total_count: 0, has_more: false },
      custom_attributes: {}
    })
    mutated(ctx)
    return yield* ok({ type: "user_message", id: messageId, created_at: now, body: b.body, message_type: "inapp", conversation_id: id })
  })

const updateConversation = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* conversationOr404(ctx, p.id ?? "")
    const b = yield* decode(UpdateBody, ctx.body ?? {})
    const conv = ws.conversations[k] ?? {}
    const next = replaceAt(ws.conversations, k, {
      ...conv,
      ...(b.read === undefined ? {} : { read: b.read }),
      ...(b.custom_attributes === undefined ? {} : { custom_attributes: { ...asObject(conv.custom_attributes), ...b.custom_attributes } }),
      updated_at: nowSec(ctx)
    })
    mutated(ctx)
    return yield* ok(displayed(ctx, next))
  })

/** The contact's most recently updated conversation, for `/conversations/last/reply`. */
const lastConversationOf = (ctx: Ctx, contactId: string): number => {
  let best = -1
  ctx.state.ws.conversations.forEach((c, k) => {
    if (contactIdsOf(c).includes(contactId) && (best < 0 || Number(c.updated_at) >= Number(ctx.state.ws.conversations[best]?.updated_at))) best = k
  })
  return best
}

const reply = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(ReplyBody, ctx.body)
    const now = nowSec(ctx)
    if (b.type === "user") {
      const i = yield* contactKeyOr404(ws, b)
      const k = p.id === "last" ? lastConversationOf(ctx, ws.contactId(i)) : yield* conversationOr404(ctx, p.id ?? "")
      if (k < 0) return yield* Effect.fail(notFound())
      const conv = ws.conversations[k] ?? {}
      if (!contactIdsOf(conv).includes(ws.contactId(i))) return yield* Effect.fail(apiError(403, "action_forbidden", "The contact is not a participant of this conversation"))
      const next = replaceAt(ws.conversations, k, withPart(conv, part(String(ws.nextId++), "comment", `<p>${b.body}</p>`, contactAuthor(ws, i), now, { attachments: attachments(b.attachment_urls) }), now, {
        waiting_since: now, open: true, state: "open", snoozed_until: null
      }))
      mutated(ctx)
      return yield* ok(next)
    }
    const admin = yield* adminOr404(ws, b.admin_id)
    const k = yield* conversationOr404(ctx, p.id ?? "")
    const conv = ws.conversations[k] ?? {}
    const at = b.created_at ?? now
    const next = replaceAt(ws.conversations, k, withPart(conv, part(String(ws.nextId++), b.message_type, b.body === undefined ? null : `<p>${b.body}</p>`, adminAuthor(admin), at, { attachments: attachments(b.attachment_urls) }), now,
      b.message_type === "comment" ? { waiting_since: null } : {}))
    mutated(ctx)
    return yield* ok(next)
  })

const manage = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* conversationOr404(ctx, p.id ?? "")
    const b = yield* decode(PartBody, ctx.body)
    const admin = yield* adminOr404(ws, b.admin_id)
    const conv = ws.conversations[k] ?? {}
    const now = nowSec(ctx)
    const id = String(ws.nextId++)
    const author = adminAuthor(admin)
    const stats = asObject(conv.statistics)
    switch (b.message_type) {
      case "close": {
        return yield* done(ws.conversations, k, withPart(conv, part(id, "close", b.body === undefined ? null : `<p>${b.body}</p>`, author, now), now, {
          state: "closed", open: false, waiting_since: null, snoozed_until: null,
          statistics: { ...stats, last_close_at: now, last_closed_by_id: String(admin.id), first_close_at: stats.first_close_at ?? now }
        }), ctx)
      }
      case "snoozed": {
        if (b.snoozed_until <= now) return yield* Effect.fail(badRequest("snoozed_until must be in the future", "snoozed_until"))
        return yield* done(ws.conversations, k, withPart(conv, part(id, "snoozed", null, author, now), now, {
          state: "snoozed", open: true, snoozed_until: b.snoozed_until
        }), ctx)
      }
      case "open": {
        const reopened = conv.state === "closed"
        return yield* done(ws.conversations, k, withPart(conv, part(id, "open", null, author, now), now, {
          state: "open", open: true, snoozed_until: null,
          statistics: { ...stats, count_reopens: Number(stats.count_reopens ?? 0) + (reopened ? 1 : 0) }
        }), ctx)
      }
      case "assignment": {
        const unassign = b.assignee_id === "0"
        if (!unassign) {
          const exists = b.type === "admin" ? ws.adminJson(b.assignee_id) !== undefined : ws.teams.some((t) => t.id === b.assignee_id)
          if (!exists) return yield* Effect.fail(apiError(404, "assignee_not_found", "Assignee not found"))
        }
        const assignee = unassign ? null : Number(b.assignee_id)
        const changes: JsonObject = b.type === "admin" ? { admin_assignee_id: assignee } : { team_assignee_id: assignee }
        return yield* done(ws.conversations, k, withPart(conv, part(id, "assignment", b.body === undefined ? null : `<p>${b.body}</p>`, author, now, {
          assigned_to: unassign ? null : { type: b.type, id: b.assignee_id }
        }), now, {
          ...changes,
          statistics: { ...stats, count_assignments: Number(stats.count_assignments ?? 0) + 1, last_assignment_at: now, first_assignment_at: stats.first_assignment_at ?? now }
        }), ctx)
      }
    }
  })

const done = (items: Array<JsonObject>, k: number, next: JsonObject, ctx: Ctx) => {
  replaceAt(items, k, next)
  mutated(ctx)
  return ok(next)
}

/** Assignment rules of the sandbox: round-robin over teams by conversation id. */
const runAssignmentRules = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* conversationOr404(ctx, p.id ?? "")
    const conv = ws.conversations[k] ?? {}
    const team = ws.teams[Number(conv.id) % ws.teams.length] ?? {}
    const now = nowSec(ctx)
    const operator: JsonObject = { type: "bot", id: "0", name: "Operator", email: "operator+sandbox-app@intercom.io" }
    return yield* done(ws.conversations, k, withPart(conv, part(String(ws.nextId++), "default_assignment", null, operator, now, {
      assigned_to: { type: "team", id: String(team.id) }
    }), now, { team_assignee_id: Number(team.id) }), ctx)
  })

const attachCustomer = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* conversationOr404(ctx, p.id ?? "")
    const b = yield* decode(AttachBody, ctx.body)
    if (b.admin_id !== undefined) yield* adminOr404(ws, b.admin_id)
    const i = yield* contactKeyOr404(ws, b.customer)
    const conv = ws.conversations[k] ?? {}
    const ids = contactIdsOf(conv)
    const next = ids.includes(ws.contactId(i))
      ? conv
      : replaceAt(ws.conversations, k, {
        ...conv, updated_at: nowSec(ctx),
        contacts: { type: "contact.list", contacts: [...asArray(asObject(conv.contacts).contacts), contactListRef(ws, i)] }
      })
    mutated(ctx)
    return yield* ok(customersJson(ctx, next))
  })

const detachCustomer = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* conversationOr404(ctx, p.conversation_id ?? "")
    const b = yield* decode(DetachBody, ctx.body ?? {})
    if (b.admin_id !== undefined) yield* adminOr404(ws, b.admin_id)
    const i = yield* contactOr404(ws, p.contact_id ?? "")
    const conv = ws.conversations[k] ?? {}
    const ids = contactIdsOf(conv)
    const id = ws.contactId(i)
    if (!ids.includes(id)) return yield* Effect.fail(notFound("User Not Found"))
    if (ids.length === 1) return yield* Effect.fail(apiError(422, "parameter_invalid", "Removing the last customer is not allowed"))
    const next = replaceAt(ws.conversations, k, {
      ...conv, updated_at: nowSec(ctx),
      contacts: { type: "contact.list", contacts: asArray(asObject(conv.contacts).contacts).filter((c) => asObject(c).id !== id) }
    })
    mutated(ctx)
    return yield* ok(customersJson(ctx, next))
  })

const REDACTED = "<p><i>This message was deleted</i></p>"

const redact = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(RedactBody, ctx.body)
    const missing = apiError(404, "conversation_part_or_message_not_found", "Conversation part or message not found")
    const k = ws.conversations.findIndex((c) => c.id === b.conversation_id)
    const conv = ws.conversations[k]
    if (!conv) return yield* Effect.fail(missing)
    if (b.type === "source") {
      const source = asObject(conv.source)
      if (source.id !== b.source_id) return yield* Effect.fail(missing)
      return yield* done(ws.conversations, k, { ...conv, source: { ...source, body: REDACTED, redacted: true } }, ctx)
    }
    const partsObj = asObject(conv.conversation_parts)
    const parts = asArray(partsObj.conversation_parts)
    if (!parts.some((x) => asObject(x).id === b.conversation_part_id)) return yield* Effect.fail(missing)
    return yield* done(ws.conversations, k, {
      ...conv,
      conversation_parts: {
        ...partsObj,
        conversation_parts: parts.map((x) => asObject(x).id === b.conversation_part_id ? { ...asObject(x), body: REDACTED, redacted: true } : x)
      }
    }, ctx)
  })

const convert = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* conversationOr404(ctx, p.id ?? "")
    const b = yield* decode(ConvertBody, ctx.body)
    const type = ws.ticketTypes.find((t) => t.id === b.ticket_type_id)
    if (!type) return yield* Effect.fail(apiError(404, "not_found", "Ticket type not found", "ticket_type_id"))
    if (type.category !== "Customer") return yield* Effect.fail(badRequest("Ticket type is not a customer ticket type", "ticket_type_id"))
    const conv = ws.conversations[k] ?? {}
    const first = contactIdsOf(conv)[0]
    const i = first === undefined ? -1 : ws.contactIndex(first)
    if (i < 0) return yield* Effect.fail(badRequest("The conversation has no contact to raise the ticket for", "id"))
    const now = nowSec(ctx)
    const ticket = newTicket(ws, type, i, b.attributes ?? {}, now, [{ type: "conversation", id: String(conv.id), category: null }])
    ws.tickets.push(ticket)
    const linked = asObject(conv.linked_objects)
    const data = [...asArray(linked.data), { type: "ticket", id: String(ticket.id), category: type.category ?? "Customer" }]
    replaceAt(ws.conversations, k, { ...conv, updated_at: now, linked_objects: { type: "list", data, total_count: data.length, has_more: false } })
    mutated(ctx)
    return yield* ok(ticket)
  })

export const conversationRoutes = [
  r("GET", "/conversations", (ctx) => Effect.flatMap(perPage(ctx.query.get("per_page"), 20), (per) =>
    listObjects(ctx.state.ws.conversations, "conversations", per, ctx.query.get("starting_after"), undefined, conversationField))),
  r("POST", "/conversations/search", searchObjects("conversations")),
  r("POST", "/conversations", createConversation),
  r("GET", "/conversations/{id}", (ctx, p) => Effect.map(conversationOr404(ctx, p.id ?? ""), (k) => ({ status: 200, body: displayed(ctx, ctx.state.ws.conversations[k] ?? {}) }))),
  r("PUT", "/conversations/{id}", updateConversation),
  r("POST", "/conversations/{id}/reply", reply),
  r("POST", "/conversations/{id}/parts", manage),
  r("POST", "/conversations/{id}/run_assignment_rules", runAssignmentRules),
  r("POST", "/conversations/{id}/customers", attachCustomer),
  r("DELETE", "/conversations/{conversation_id}/customers/{contact_id}", detachCustomer),
  r("POST", "/conversations/redact", redact),
  r("POST", "/conversations/{id}/convert", convert),
  r("POST", "/conversations/{conversation_id}/tags", objectTag((ws) => ws.conversations, "conversation", true)),
  r("DELETE", "/conversations/{conversation_id}/tags/{id}", objectTag((ws) => ws.conversations, "conversation", false))
]
