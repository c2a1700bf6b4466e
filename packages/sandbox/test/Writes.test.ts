import { describe, expect, it, layer } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { parse } from "yaml"
import { routes } from "../src/internal/routes.js"
import { Sandbox } from "../src/index.js"
import { api, type Res } from "./helpers.js"

const specPath = path.resolve(import.meta.dirname, "../../..", "../shared/spec/intercom-2.10.yaml")
const METHODS = new Set(["get", "post", "put", "delete", "patch"])
const shape = (template: string) => template.replace(/\{[^}]+\}/g, "{}")

describe("spec coverage", () => {
  it.skipIf(!fs.existsSync(specPath))(`every (method, path) of the spec has a sandbox route (spec at ${specPath})`, () => {
    const doc: { paths: Record<string, Record<string, unknown>> } = parse(fs.readFileSync(specPath, "utf8"))
    const spec = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.keys(item).filter((m) => METHODS.has(m)).map((m) => `${m.toUpperCase()} ${shape(p)}`))
    const served = new Set(routes.map((r) => `${r.method} ${shape(r.template)}`))
    expect(spec.length).toBe(108)
    expect(spec.filter((k) => !served.has(k))).toEqual([])
    // And nothing served that the spec does not describe.
    expect([...served].filter((k) => !spec.includes(k))).toEqual([])
  })
})

layer(Sandbox.layer({ contacts: 400, companies: 40, conversations: 30, rateLimit: 0, seed: 5 }))("writes", (it) => {
  it.effect("a cursor walk sees every contact that existed throughout exactly once, while others are created and deleted", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const before = new Set<string>()
      let cursor: string | undefined
      do {
        const r = yield* api(info, "GET", `/contacts?per_page=150${cursor ? `&starting_after=${cursor}` : ""}`)
        for (const c of r.body.data) before.add(c.id)
        cursor = r.body.pages.next?.starting_after
      } while (cursor)
      const all = [...before]
      const seen = new Map<string, number>()
      const deleted = new Set<string>()
      let page = 0
      do {
        const r = yield* api(info, "GET", `/contacts?per_page=40${cursor ? `&starting_after=${cursor}` : ""}`)
        expect(r.status).toBe(200)
        for (const c of r.body.data) seen.set(c.id, (seen.get(c.id) ?? 0) + 1)
        cursor = r.body.pages.next?.starting_after
        // Between pages: two new contacts, one deleted already seen, one deleted not yet seen.
        for (let k = 0; k < 2; k++) {
          const created = yield* api(info, "POST", "/contacts", { email: `walker-${page}-${k}@example.com` })
          expect(created.status).toBe(200)
        }
        const victims = [all[page * 7], all[all.length - 1 - page * 5]]
        for (const id of victims) {
          if (id === undefined || deleted.has(id)) continue
          const d = yield* api(info, "DELETE", `/contacts/${id}`)
          expect(d.status).toBe(200)
          deleted.add(id)
        }
        page++
      } while (cursor)
      const survivors = all.filter((id) => !deleted.has(id))
      expect(survivors.length).toBeGreaterThan(300)
      expect(survivors.filter((id) => seen.get(id) !== 1)).toEqual([])
      expect([...seen.values()].every((n) => n === 1)).toBe(true)
    }))

  it.effect("data events: submitted, de-duplicated, listed newest first through pages.next links, summarised", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const users = yield* api(info, "POST", "/contacts/search", { query: { field: "role", operator: "=", value: "user" }, pagination: { per_page: 1 } })
      const user = users.body.data[0]
      const userId: string = user.external_id
      const baseline = yield* api(info, "GET", `/events?type=user&user_id=${userId}&summary=true`)
      const seededCount = baseline.body.events.reduce((n: number, e: { count: number }) => n + e.count, 0)
      for (let k = 0; k < 7; k++) {
        const r = yield* api(info, "POST", "/events", { event_name: "walked", created_at: 1_800_000_000 + k, user_id: userId, metadata: { k: String(k) } })
        expect(r.status).toBe(202)
        expect(r.body).toBeUndefined()
      }
      const dup = yield* api(info, "POST", "/events", { event_name: "walked", created_at: 1_800_000_000, user_id: userId })
      expect(dup.status).toBe(202)
      const missing = yield* api(info, "POST", "/events", { event_name: "walked", created_at: 1, user_id: "nobody" })
      expect(missing.status).toBe(404)
      const names: Array<string> = []
      const times: Array<number> = []
      let next: string | undefined = `/events?type=user&user_id=${userId}&per_page=3`
      let pages = 0
      while (next !== undefined) {
        const r: Res = yield* api(info, "GET", next)
        expect(r.status).toBe(200)
        expect(r.body.type).toBe("event.list")
        for (const e of r.body.events) {
          names.push(e.event_name)
          times.push(e.created_at)
          expect(e.intercom_user_id).toBe(user.id)
        }
        const link: string | undefined = r.body.pages.next
        if (link !== undefined) expect(link.startsWith(info.baseUrl + "/events?")).toBe(true)
        next = link === undefined ? undefined : link.slice(info.baseUrl.length)
        pages++
      }
      expect(names.length).toBe(seededCount + 7)
      expect(names.slice(0, 7)).toEqual(Array(7).fill("walked"))
      expect(times).toEqual([...times].sort((a, b) => b - a))
      expect(pages).toBe(Math.ceil((seededCount + 7) / 3))
      const summary = yield* api(info, "GET", `/events?type=user&user_id=${userId}&summary=true`)
      expect(summary.body.type).toBe("event.summary")
      expect(summary.body.events.find((e: { name: string }) => e.name === "walked")?.count).toBe(7)
      const bad = yield* api(info, "GET", `/events?type=company&user_id=${userId}`)
      expect(bad.status).toBe(400)
    }))

  it.effect("a conversation is created by a contact, replied to, snoozed, closed, reopened, assigned and converted", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const admins = yield* api(info, "GET", "/admins")
      const admin: string = admins.body.admins[0].id
      const contacts = yield* api(info, "GET", "/contacts?per_page=2")
      const contact: string = contacts.body.data[0].id
      const other: string = contacts.body.data[1].id
      const created = yield* api(info, "POST", "/conversations", { from: { type: "user", id: contact }, body: "Help" })
      expect(created.body.type).toBe("user_message")
      const id: string = created.body.conversation_id
      const nobody = yield* api(info, "POST", "/conversations", { from: { type: "user", id: "0".repeat(24) }, body: "Help" })
      expect(nobody.status).toBe(404)
      expect(nobody.body.errors[0].message).toBe("User Not Found")
      const part = (body: unknown) => api(info, "POST", `/conversations/${id}/parts`, body)
      const snoozed = yield* part({ message_type: "snoozed", admin_id: admin, snoozed_until: 4_000_000_000 })
      expect([snoozed.body.state, snoozed.body.snoozed_until]).toEqual(["snoozed", 4_000_000_000])
      const closed = yield* part({ message_type: "close", type: "admin", admin_id: admin, body: "Done" })
      expect([closed.body.state, closed.body.open]).toEqual(["closed", false])
      const reopened = yield* part({ message_type: "open", admin_id: admin })
      expect([reopened.body.state, reopened.body.statistics.count_reopens]).toEqual(["open", 1])
      const assigned = yield* part({ message_type: "assignment", type: "team", admin_id: admin, assignee_id: "5001" })
      expect(assigned.body.team_assignee_id).toBe(5001)
      const noAssignee = yield* part({ message_type: "assignment", type: "admin", admin_id: admin, assignee_id: "42" })
      expect(noAssignee.status).toBe(404)
      expect(noAssignee.body.errors[0].code).toBe("assignee_not_found")
      const reply = yield* api(info, "POST", "/conversations/last/reply", { message_type: "comment", type: "user", intercom_user_id: contact, body: "Thanks" })
      expect(reply.body.id).toBe(id)
      const parts = reply.body.conversation_parts.conversation_parts.map((p: { part_type: string }) => p.part_type)
      expect(parts).toEqual(["snoozed", "close", "open", "assignment", "comment"])
      const lastCustomer = yield* api(info, "DELETE", `/conversations/${id}/customers/${contact}`, { admin_id: admin })
      expect(lastCustomer.status).toBe(422)
      const attached = yield* api(info, "POST", `/conversations/${id}/customers`, { admin_id: admin, customer: { intercom_user_id: other } })
      expect(attached.body.customers.map((c: { id: string }) => c.id)).toEqual([contact, other])
      const redactMissing = yield* api(info, "POST", "/conversations/redact", { type: "conversation_part", conversation_id: id, conversation_part_id: "nope" })
      expect(redactMissing.body.errors[0].code).toBe("conversation_part_or_message_not_found")
      const types = yield* api(info, "GET", "/ticket_types")
      const ticket = yield* api(info, "POST", `/conversations/${id}/convert`, { ticket_type_id: types.body.ticket_types[0].id })
      expect(ticket.body.type).toBe("ticket")
      expect(ticket.body.linked_objects.data).toEqual([{ type: "conversation", id, category: null }])
      const got = yield* api(info, "GET", `/tickets/${ticket.body.id}`)
      expect(got.body.ticket_state).toBe("submitted")
      const conv = yield* api(info, "GET", `/conversations/${id}?display_as=plaintext`)
      expect(conv.body.source.body).toBe("Help")
      expect(conv.body.linked_objects.data[0].id).toBe(ticket.body.id)
    }))

  it.effect("writes answer the spec's error codes", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const away = yield* api(info, "PUT", "/admins/1/away", { away_mode_enabled: true, away_mode_reassign: true })
      expect([away.status, away.body.errors[0].code]).toEqual([404, "admin_not_found"])
      const attr = yield* api(info, "PUT", "/data_attributes/999999", { description: "x" })
      expect([attr.status, attr.body.errors[0].code]).toEqual([404, "field_not_found"])
      const dupAttr = yield* api(info, "POST", "/data_attributes", { name: "plan", model: "contact", data_type: "string" })
      expect([dupAttr.status, dupAttr.body.errors[0].code]).toEqual([400, "parameter_invalid"])
      const collection = yield* api(info, "POST", "/help_center/collections", {})
      expect([collection.status, collection.body.errors[0].code]).toEqual([400, "parameter_not_found"])
      const article = yield* api(info, "PUT", "/articles/1", { title: "x" })
      expect([article.status, article.body.errors[0].code]).toEqual([404, "not_found"])
      const email = yield* api(info, "POST", "/messages", { message_type: "email", body: "x", template: "plain", from: { type: "admin", id: 991000 }, to: { type: "user", id: "x" } })
      expect([email.status, email.body.errors[0].code]).toEqual([422, "parameter_not_found"])
      const visitor = yield* api(info, "PUT", "/visitors", { user_id: "nobody", name: "x" })
      expect([visitor.status, visitor.body.errors[0].message]).toEqual([404, "Visitor Not Found"])
      const logs = yield* api(info, "GET", "/admins/activity_logs")
      expect([logs.status, logs.body.errors[0].code]).toEqual([400, "parameter_not_found"])
    }))

  it.effect("activity logs: filtered by creation time, cursor-paginated, away-mode changes appear", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const all: Array<{ id: string; created_at: number; activity_type: string }> = []
      let cursor: string | undefined
      do {
        const r = yield* api(info, "GET", `/admins/activity_logs?created_at_after=0&per_page=25${cursor ? `&starting_after=${cursor}` : ""}`)
        expect(r.body.type).toBe("activity_log.list")
        all.push(...r.body.activity_logs)
        cursor = r.body.pages.next?.starting_after
      } while (cursor)
      expect(new Set(all.map((l) => l.id)).size).toBe(all.length)
      expect(all.length).toBeGreaterThanOrEqual(60)
      const mid = all[30]?.created_at ?? 0
      const older = yield* api(info, "GET", `/admins/activity_logs?created_at_after=0&created_at_before=${mid}&per_page=150`)
      expect(older.body.activity_logs.every((l: { created_at: number }) => l.created_at <= mid)).toBe(true)
      expect(older.body.activity_logs.length).toBe(all.filter((l) => l.created_at <= mid).length)
    }))
})
