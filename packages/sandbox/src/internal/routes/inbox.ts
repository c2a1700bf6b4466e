/**
 * What conversations and tickets share: field access for search, cursor listings, and the
 * builders for parts, authors and new tickets used by both resource families.
 */
import * as SearchFields from "@intercom-fx/core/SearchFields"
import * as Effect from "effect/Effect"
import { cursorPages, decodeCursor, perPage, scan } from "../paging.js"
import { compile, decodeSearchBody, type Predicate } from "../search.js"
import type { Json, JsonObject, Workspace } from "../workspace.js"
import { ok, readObjPath, tagIdsOf, type Ctx } from "./common.js"


export const conversationField = (o: JsonObject, field: string): unknown => {
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

export const ticketField = (o: JsonObject, field: string): unknown => {
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

export const listObjects = (items: ReadonlyArray<JsonObject>, key: "conversations" | "tickets", per: number, startRaw: string | null | undefined, pred: Predicate | undefined, get: (o: JsonObject, f: string) => unknown) =>
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

export const searchObjects = (resource: "conversations" | "tickets") => (ctx: Ctx) =>
  Effect.gen(function*() {
    const body = yield* decodeSearchBody(ctx.body)
    const pred = yield* compile(resource, body.query)
    const per = yield* perPage(body.pagination?.per_page, SearchFields.defaultPerPage[resource])
    const ws = ctx.state.ws
    return yield* listObjects(resource === "conversations" ? ws.conversations : ws.tickets, resource, per, body.pagination?.starting_after, pred, resource === "conversations" ? conversationField : ticketField)
  })


// ---- builders shared by conversations and tickets ----

export const adminAuthor = (admin: JsonObject): JsonObject => ({
  type: "admin", id: admin.id ?? null, name: admin.name ?? null, email: admin.email ?? null
})

export const contactAuthor = (ws: Workspace, i: number): JsonObject => {
  const d = ws.contactData(i)
  return { type: ws.contactRole(i) === "lead" ? "lead" : "user", id: ws.contactId(i), name: d.name, email: d.email }
}

export const contactListRef = (ws: Workspace, i: number): JsonObject => ({
  type: "contact", id: ws.contactId(i), external_id: ws.contactData(i).external_id
})

export const asArray = (v: unknown): ReadonlyArray<Json> => Array.isArray(v) ? v : []
export const asObject = (v: unknown): JsonObject =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? { ...(v as JsonObject) } : {}

const stateLabels: Record<string, string> = {
  submitted: "Submitted", in_progress: "In progress", waiting_on_customer: "Waiting on customer", resolved: "Resolved"
}

/** A new ticket of a type for one contact, in the spec's ticket shape. */
export const newTicket = (
  ws: Workspace, type: JsonObject, contact: number, attributes: Readonly<Record<string, Json>>, now: number,
  linked: ReadonlyArray<JsonObject> = []
): JsonObject => {
  const id = String(ws.nextId++)
  return {
    type: "ticket", id, ticket_id: String(ws.nextTicketNumber++), category: type.category ?? "Customer",
    ticket_attributes: { ...attributes }, ticket_state: "submitted",
    ticket_state_internal_label: "Submitted", ticket_state_external_label: "Submitted",
    ticket_type: type,
    contacts: { type: "contact.list", contacts: [contactListRef(ws, contact)] },
    admin_assignee_id: "0", team_assignee_id: "0", created_at: now, updated_at: now, open: true, snoozed_until: null,
    linked_objects: { type: "list", data: [...linked], total_count: linked.length, has_more: false },
    ticket_parts: {
      type: "ticket_part.list", total_count: 1,
      ticket_parts: [{
        type: "ticket_part", id: String(ws.nextId++), part_type: "ticket_state_updated_by_admin", ticket_state: "submitted",
        previous_ticket_state: null, created_at: now, updated_at: now, author: { ...contactAuthor(ws, contact), type: "user" },
        attachments: [], redacted: false
      }]
    },
    is_shared: type.category !== "Back-office", tags: { type: "tag.list", tags: [] }
  }
}

export const ticketStateLabel = (state: string): string => stateLabels[state] ?? state
