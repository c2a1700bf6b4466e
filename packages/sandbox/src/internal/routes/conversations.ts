/**
 * Conversations and tickets: listing, search over their documented fields, retrieval.
 */
import { SearchFields } from "@intercom-fx/core"
import { Effect } from "effect"
import { cursorPages, decodeCursor, perPage, scan } from "../paging.js"
import { compile, decodeSearchBody, type Predicate } from "../search.js"
import type { JsonObject } from "../workspace.js"
import { findBy, ok, r, readObjPath, tagIdsOf, type Ctx } from "./common.js"
import { objectTag } from "./tags.js"


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

export const conversationRoutes = [
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
]
