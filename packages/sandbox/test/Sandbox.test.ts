import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Either, TestClock } from "effect"
import { gunzipSync } from "node:zlib"
import { Faults, Sandbox } from "../src/index.js"
import { api } from "./helpers.js"

const search = (field: string, operator: string, value: unknown) => ({ query: { field, operator, value } })

layer(Sandbox.layer({ contacts: 1000, companies: 120, conversations: 60, rateLimit: 0, seed: 7 }))("sandbox API", (it) => {
  it.effect("rejects missing and wrong tokens with error.list and no rate-limit headers", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      for (const token of [null, "wrong"]) {
        const r = yield* api(info, "GET", "/contacts", undefined, token)
        expect(r.status).toBe(401)
        expect(r.body.type).toBe("error.list")
        expect(typeof r.body.request_id).toBe("string")
        expect(r.body.errors[0].code).toBe("unauthorized")
        expect(r.headers.get("x-ratelimit-limit")).toBeNull()
      }
    }))

  it.effect("answers unknown routes with 404 error.list and bad bodies with 400 naming the field", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const nf = yield* api(info, "GET", "/nope")
      expect(nf.status).toBe(404)
      expect(nf.body.errors[0].code).toBe("not_found")
      const bad = yield* api(info, "POST", "/contacts", { role: "admin", email: "x@y.z" })
      expect(bad.status).toBe(400)
      expect(bad.body.errors[0].field).toBe("role")
      expect(bad.body.errors[0].code).toBe("parameter_invalid")
    }))

  it.effect("walks every contact exactly once by cursor, with the documented pages object", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const seen = new Set<string>()
      let cursor: string | undefined
      let pages = 0
      let total = 0
      do {
        const r = yield* api(info, "GET", `/contacts?per_page=150${cursor ? `&starting_after=${cursor}` : ""}`)
        expect(r.status).toBe(200)
        expect(r.body.type).toBe("list")
        expect(r.body.pages.per_page).toBe(150)
        expect(r.body.pages.page).toBe(pages + 1)
        for (const c of r.body.data) seen.add(c.id)
        total = r.body.total_count
        cursor = r.body.pages.next?.starting_after
        pages++
      } while (cursor)
      expect(seen.size).toBe(1000)
      expect(total).toBe(1000)
      expect(pages).toBe(7)
      const big = yield* api(info, "GET", "/contacts?per_page=151")
      expect(big.status).toBe(400)
    }))

  it.effect("renders contacts in the spec's shape", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const r = yield* api(info, "GET", "/contacts?per_page=1")
      const c = r.body.data[0]
      expect(c.type).toBe("contact")
      expect(typeof c.id).toBe("string")
      expect(c.tags.url).toBe(`/contacts/${c.id}/tags`)
      expect(typeof c.tags.total_count).toBe("number")
      expect(typeof c.companies.has_more).toBe("boolean")
      expect(c.location.type).toBe("location")
      expect(c.updated_at).toBeGreaterThanOrEqual(c.created_at)
      const one = yield* api(info, "GET", `/contacts/${c.id}`)
      expect(one.body).toEqual(c)
    }))

  it.effect("creates, updates, archives, unarchives, merges and deletes contacts", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const created = yield* api(info, "POST", "/contacts", { email: "new.person@example.com", role: "lead", custom_attributes: { plan: "pro" } })
      expect(created.status).toBe(200)
      expect(created.body.role).toBe("lead")
      const dup = yield* api(info, "POST", "/contacts", { email: "new.person@example.com" })
      expect(dup.status).toBe(409)
      const badAttr = yield* api(info, "POST", "/contacts", { email: "a@b.c", custom_attributes: { nope: 1 } })
      expect(badAttr.status).toBe(400)
      expect(badAttr.body.errors[0].field).toBe("custom_attributes.nope")
      const upd = yield* api(info, "PUT", `/contacts/${created.body.id}`, { name: "Renamed" })
      expect(upd.body.name).toBe("Renamed")
      const arch = yield* api(info, "POST", `/contacts/${created.body.id}/archive`)
      expect(arch.body).toEqual({ type: "contact", id: created.body.id, external_id: null, archived: true })
      const un = yield* api(info, "POST", `/contacts/${created.body.id}/unarchive`)
      expect(un.body.archived).toBe(false)
      const user = (yield* api(info, "POST", "/contacts/search", search("role", "=", "user"))).body.data[0]
      const merged = yield* api(info, "POST", "/contacts/merge", { from: created.body.id, into: user.id })
      expect(merged.status).toBe(200)
      expect(merged.body.id).toBe(user.id)
      expect((yield* api(info, "GET", `/contacts/${created.body.id}`)).status).toBe(404)
      const del = yield* api(info, "DELETE", `/contacts/${user.id}`)
      expect(del.body).toMatchObject({ type: "contact", id: user.id, deleted: true })
      expect((yield* api(info, "GET", `/contacts/${user.id}`)).status).toBe(404)
    }))

  it.effect("validates search queries against the documented field tables and limits", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const cases: ReadonlyArray<unknown> = [
        search("name", ">", "a"),
        search("created_at", "!=", 1577836800),
        search("created_at", "IN", [1577836800]),
        search("created_at", "=", "foorbar"),
        search("tag_id", "IN", ["100"]),
        search("not_a_field", "=", "x"),
        search("role", "=", "admin"),
        { query: { operator: "AND", value: Array.from({ length: 16 }, () => ({ field: "role", operator: "=", value: "user" })) } },
        { query: { operator: "AND", value: [{ operator: "OR", value: [{ operator: "AND", value: [{ field: "role", operator: "=", value: "user" }] }] }] } }
      ]
      for (const body of cases) {
        const r = yield* api(info, "POST", "/contacts/search", body)
        expect(r.status, JSON.stringify(body)).toBe(400)
        expect(r.body.type).toBe("error.list")
      }
      const ok = yield* api(info, "POST", "/contacts/search", {
        query: { operator: "AND", value: [{ operator: "OR", value: [{ field: "role", operator: "=", value: "user" }, { field: "role", operator: "=", value: "lead" }] }, { field: "email", operator: "~", value: "@" }] }
      })
      expect(ok.status).toBe(200)
    }))

  it.effect("evaluates operators, custom attributes, tag_id and segment_id", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const all = (body: unknown) => Effect.gen(function*() {
        const out: Array<any> = []
        let cursor: string | undefined
        let total = -1
        do {
          const r = yield* api(info, "POST", "/contacts/search", { ...(body as object), pagination: { per_page: 150, ...(cursor ? { starting_after: cursor } : {}) } })
          expect(r.status).toBe(200)
          out.push(...r.body.data)
          total = r.body.total_count
          cursor = r.body.pages.next?.starting_after
        } while (cursor)
        expect(out.length).toBe(total)
        return out
      })
      const gmail = yield* all(search("email", "$", "@gmail.com"))
      expect(gmail.length).toBeGreaterThan(0)
      expect(gmail.every((c) => c.email.endsWith("@gmail.com"))).toBe(true)
      const notGmail = yield* all(search("email", "!~", "gmail"))
      const users = yield* all(search("role", "=", "user"))
      const leads = yield* all(search("role", "NIN", ["user"]))
      expect(users.length + leads.length).toBe((yield* api(info, "GET", "/contacts?per_page=1")).body.total_count)
      expect(notGmail.some((c) => c.email.includes("gmail"))).toBe(false)
      const pro = yield* all(search("custom_attributes.plan", "IN", ["pro", "team"]))
      expect(pro.every((c) => ["pro", "team"].includes(c.custom_attributes.plan))).toBe(true)
      const seats = yield* all(search("custom_attributes.seats", ">", 150))
      expect(seats.length).toBeGreaterThan(0)
      expect(seats.every((c) => c.custom_attributes.seats > 150)).toBe(true)
      const tagged = yield* all(search("tag_id", "=", "100"))
      for (const c of tagged) {
        const tags = yield* api(info, "GET", `/contacts/${c.id}/tags`)
        expect(tags.body.data.map((t: any) => t.id)).toContain("100")
      }
      const seg = yield* all(search("segment_id", "=", "seg-leads"))
      expect(seg.length).toBe(leads.length)
    }))

  it.effect("compares timestamps by UTC day as documented", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const first = (yield* api(info, "GET", "/contacts?per_page=50")).body.data as Array<any>
      const target = first[25]
      const day = target.created_at - (target.created_at % 86_400)
      const midday = day + 43_200
      const eq = yield* api(info, "POST", "/contacts/search", { ...search("created_at", "=", midday), pagination: { per_page: 150 } })
      expect(eq.body.data.map((c: any) => c.id)).toContain(target.id)
      expect(eq.body.data.every((c: any) => c.created_at >= day && c.created_at < day + 86_400)).toBe(true)
      const gt = yield* api(info, "POST", "/contacts/search", { ...search("created_at", ">", day + 60), pagination: { per_page: 150 } })
      expect(gt.body.data.every((c: any) => c.created_at >= day + 86_400)).toBe(true)
      const lt = yield* api(info, "POST", "/contacts/search", { ...search("created_at", "<", midday), pagination: { per_page: 150 } })
      expect(lt.body.data.every((c: any) => c.created_at < day)).toBe(true)
      expect(lt.body.data.map((c: any) => c.id)).not.toContain(target.id)
    }))

  it.effect("attaches and detaches tags and tags users and companies through POST /tags", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const c = (yield* api(info, "GET", "/contacts?per_page=1")).body.data[0]
      const tag = yield* api(info, "POST", "/tags", { name: "Imported" })
      expect(tag.body).toEqual({ type: "tag", id: tag.body.id, name: "Imported" })
      const att = yield* api(info, "POST", `/contacts/${c.id}/tags`, { id: tag.body.id })
      expect(att.body.id).toBe(tag.body.id)
      expect((yield* api(info, "GET", `/contacts/${c.id}/tags`)).body.data.map((t: any) => t.id)).toContain(tag.body.id)
      const found = yield* api(info, "POST", "/contacts/search", search("tag_id", "=", tag.body.id))
      expect(found.body.data.map((x: any) => x.id)).toEqual([c.id])
      yield* api(info, "DELETE", `/contacts/${c.id}/tags/${tag.body.id}`)
      expect((yield* api(info, "GET", `/contacts/${c.id}/tags`)).body.data.map((t: any) => t.id)).not.toContain(tag.body.id)
      const company = (yield* api(info, "POST", "/companies/list?per_page=1")).body.data[0]
      yield* api(info, "POST", "/tags", { name: "Imported", companies: [{ id: company.id }], users: [{ id: c.id }] })
      expect((yield* api(info, "GET", `/companies/${company.id}`)).body.tags.tags.map((t: any) => t.id)).toContain(tag.body.id)
      const byTag = yield* api(info, "GET", `/companies?tag_id=${tag.body.id}`)
      expect(byTag.body.data.map((x: any) => x.id)).toEqual([company.id])
      expect((yield* api(info, "GET", "/tags/999999")).body.errors[0].code).toBe("tag_not_found")
    }))

  it.effect("lists companies by page number and creates-or-updates by company_id", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const p1 = yield* api(info, "POST", "/companies/list?per_page=20&page=1")
      expect(p1.body.pages.page).toBe(1)
      expect(p1.body.pages.total_pages).toBe(Math.ceil(p1.body.total_count / 20))
      const ids = new Set<string>()
      for (let page = 1; page <= p1.body.pages.total_pages; page++) {
        const r = yield* api(info, "POST", `/companies/list?per_page=20&page=${page}`)
        for (const c of r.body.data) {
          ids.add(c.id)
          expect(c.user_count).toBeGreaterThan(0)
        }
      }
      expect(ids.size).toBe(p1.body.total_count)
      const made = yield* api(info, "POST", "/companies", { company_id: "ext-1", name: "Made Ltd", plan: "pro" })
      expect(made.body).toMatchObject({ type: "company", company_id: "ext-1", name: "Made Ltd", plan: { name: "pro" } })
      const again = yield* api(info, "POST", "/companies", { company_id: "ext-1", size: 12 })
      expect(again.body.id).toBe(made.body.id)
      expect(again.body.size).toBe(12)
      const byId = yield* api(info, "GET", "/companies?company_id=ext-1")
      expect(byId.body.id).toBe(made.body.id)
      const c = (yield* api(info, "GET", "/contacts?per_page=1")).body.data[0]
      yield* api(info, "POST", `/contacts/${c.id}/companies`, { id: made.body.id })
      const members = yield* api(info, "GET", `/companies/${made.body.id}/contacts`)
      expect(members.body.data.map((x: any) => x.id)).toEqual([c.id])
      expect((yield* api(info, "GET", `/companies/${made.body.id}`)).body.user_count).toBe(1)
    }))

  it.effect("serves conversations and tickets list, search, get and tags", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const ids = new Set<string>()
      let cursor: string | undefined
      do {
        const r = yield* api(info, "GET", `/conversations?per_page=25${cursor ? `&starting_after=${cursor}` : ""}`)
        expect(r.body.type).toBe("conversation.list")
        for (const c of r.body.conversations) ids.add(c.id)
        cursor = r.body.pages.next?.starting_after
      } while (cursor)
      expect(ids.size).toBe(60)
      const open = yield* api(info, "POST", "/conversations/search", { ...search("open", "=", true), pagination: { per_page: 150 } })
      expect(open.body.conversations.every((c: any) => c.open === true)).toBe(true)
      expect(open.body.total_count).toBe(open.body.conversations.length)
      const support = yield* api(info, "POST", "/conversations/search", search("source.body", "=", "support"))
      expect(support.body.conversations.every((c: any) => c.source.body.includes("support"))).toBe(true)
      const bad = yield* api(info, "POST", "/conversations/search", search("created_at", ">=", 1))
      expect(bad.status).toBe(400)
      const conv = [...ids][0]
      yield* api(info, "POST", `/conversations/${conv}/tags`, { id: "101", admin_id: "991000" })
      const tagged = yield* api(info, "POST", "/conversations/search", search("tag_ids", "=", "101"))
      expect(tagged.body.conversations.map((c: any) => c.id)).toContain(conv)
      const tickets = yield* api(info, "POST", "/tickets/search", { ...search("created_at", ">=", 0), pagination: { per_page: 150 } })
      expect(tickets.body.type).toBe("ticket.list")
      expect(tickets.body.total_count).toBe(15)
      const t = yield* api(info, "GET", `/tickets/${tickets.body.tickets[0].id}`)
      expect(t.body.type).toBe("ticket")
    }))

  it.effect("serves admins, teams, segments, data attributes, subscription types and notes", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const admins = yield* api(info, "GET", "/admins")
      expect(admins.body.type).toBe("admin.list")
      expect((yield* api(info, "GET", `/admins/${admins.body.admins[0].id}`)).body.email).toBe(admins.body.admins[0].email)
      expect((yield* api(info, "GET", "/teams")).body.teams.length).toBe(3)
      const segs = yield* api(info, "GET", "/segments?include_count=true")
      expect(segs.body.type).toBe("segment.list")
      expect(segs.body.segments.every((s: any) => typeof s.count === "number")).toBe(true)
      const attrs = yield* api(info, "GET", "/data_attributes?model=company")
      expect(attrs.body.data.every((a: any) => a.model === "company")).toBe(true)
      expect((yield* api(info, "GET", "/subscription_types")).body.data.length).toBe(2)
      const c = (yield* api(info, "GET", "/contacts?per_page=1")).body.data[0]
      const note = yield* api(info, "POST", `/contacts/${c.id}/notes`, { body: "<p>hi</p>", admin_id: admins.body.admins[0].id })
      expect(note.body).toMatchObject({ type: "note", body: "<p>hi</p>", contact: { id: c.id } })
      expect((yield* api(info, "GET", `/notes/${note.body.id}`)).body.id).toBe(note.body.id)
    }))

  it.effect("runs a data export job to a gzipped CSV download", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const job = yield* api(info, "POST", "/export/content/data", { created_at_after: 0, created_at_before: 2_000_000_000 })
      expect(job.body.status).toBe("pending")
      const id = job.body.job_identifier
      expect((yield* api(info, "GET", `/export/content/data/${id}`)).body.status).toBe("in_progress")
      const done = yield* api(info, "GET", `/export/content/data/${id}`)
      expect(done.body.status).toBe("completed")
      const bytes = yield* Effect.promise(async () => new Uint8Array(await (await fetch(info.baseUrl + done.body.download_url, { headers: { authorization: `Bearer ${info.token}` } })).arrayBuffer()))
      const csv = gunzipSync(bytes).toString("utf8").trim().split("\n")
      expect(csv[0]).toBe("conversation_id,created_at,contact_id,state")
      expect(csv.length).toBe(61)
    }))

  it.effect("counts requests by route template and status", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const before = yield* Sandbox.stats(info)
      const c = (yield* api(info, "GET", "/contacts?per_page=1")).body.data[0]
      yield* api(info, "GET", `/contacts/${c.id}`)
      yield* api(info, "GET", "/contacts/000000000000000000000000")
      const after = yield* Sandbox.stats(info)
      expect(after.requests - before.requests).toBe(3)
      expect((after.byRoute["GET /contacts/{id}"] ?? 0) - (before.byRoute["GET /contacts/{id}"] ?? 0)).toBe(2)
      expect((after.byStatus["404"] ?? 0) - (before.byStatus["404"] ?? 0)).toBe(1)
      const log = yield* Sandbox.log(info, 1)
      expect(log[0]?.status).toBe(404)
    }).pipe(Effect.provide(FetchHttpClient.layer)))
})

describe("rate limit", () => {
  it.scoped("sends X-RateLimit headers, decrements Remaining, and answers 429 when the window is spent", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.start({ contacts: 10, rateLimit: 3 })
      // A window boundary may pass mid-test; within one window the sequence is exact.
      const seen: Array<{ status: number; remaining: string | null; reset: string | null; body: any }> = []
      for (let k = 0; k < 8 && !seen.some((s) => s.status === 429); k++) {
        const r = yield* api(info, "GET", "/contacts?per_page=1")
        seen.push({ status: r.status, remaining: r.headers.get("x-ratelimit-remaining"), reset: r.headers.get("x-ratelimit-reset"), body: r.body })
        expect(r.headers.get("x-ratelimit-limit")).toBe("3")
        expect(Number(r.headers.get("x-ratelimit-reset")) % 10).toBe(0)
      }
      const limited = seen.find((s) => s.status === 429)
      expect(limited?.body.errors[0]).toEqual({ code: "rate_limit_exceeded", message: "Exceeded rate limit of 3 in 10_seconds" })
      expect(limited?.remaining).toBe("0")
      const sameWindow = seen.filter((s) => s.reset === limited?.reset)
      expect(sameWindow.map((s) => s.remaining).slice(-4)).toEqual(["2", "1", "0", "0"].slice(-sameWindow.length))
    }))
})

describe("scroll", () => {
  it.scoped("allows one open scroll, ends with an empty page, and expires after 60 s unused", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.start({ contacts: 100, companies: 250, rateLimit: 0 })
      const first = yield* api(info, "GET", "/companies/scroll")
      expect(first.body.data.length).toBe(100)
      const second = yield* api(info, "GET", "/companies/scroll")
      expect(second.status).toBe(400)
      expect(second.body.errors[0].code).toBe("scroll_exists")
      const ids = new Set<string>(first.body.data.map((c: any) => c.id))
      let param = first.body.scroll_param
      let last = first
      while (last.body.data.length > 0) {
        last = yield* api(info, "GET", `/companies/scroll?scroll_param=${param}`)
        expect(last.status).toBe(200)
        for (const c of last.body.data) ids.add(c.id)
        if (last.body.data.length > 0) param = last.body.scroll_param
      }
      expect(ids.size).toBe(250)
      expect(last.body.scroll_param).toBeUndefined()
      const dead = yield* api(info, "GET", `/companies/scroll?scroll_param=${param}`)
      expect(dead.status).toBe(404)
      const fresh = yield* api(info, "GET", "/companies/scroll")
      expect(fresh.status).toBe(200)
      yield* TestClock.adjust("61 seconds")
      const expired = yield* api(info, "GET", `/companies/scroll?scroll_param=${fresh.body.scroll_param}`)
      expect(expired.status).toBe(404)
      expect((yield* api(info, "GET", "/companies/scroll")).status).toBe(200)
    }))
})

describe("faults and inspection", () => {
  it.scoped("injects 5xx, 429, scroll, reset and truncate faults and turns them off again", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.start({ contacts: 20, rateLimit: 0 })
      yield* Sandbox.configure(info, { faults: "5xx=1" })
      const five = yield* api(info, "GET", "/contacts")
      expect([500, 502, 503]).toContain(five.status)
      expect(five.body.type).toBe("error.list")
      yield* Sandbox.configure(info, { faults: { "429": 1 } })
      expect((yield* api(info, "GET", "/contacts")).body.errors[0].code).toBe("rate_limit_exceeded")
      yield* Sandbox.configure(info, { faults: "scroll=1" })
      const sc = yield* api(info, "GET", "/companies/scroll")
      expect(sc.status).toBe(500)
      expect(sc.body.errors[0].message).toBe("Request failed due to an internal network error. Please restart the scroll operation.")
      expect((yield* api(info, "GET", "/contacts")).status).toBe(200)
      yield* Sandbox.configure(info, { faults: "reset=1" })
      const reset = yield* Effect.either(Effect.tryPromise(() => fetch(info.baseUrl + "/contacts", { headers: { authorization: `Bearer ${info.token}` } }).then((r) => r.text())))
      expect(Either.isLeft(reset)).toBe(true)
      yield* Sandbox.configure(info, { faults: "truncate=1" })
      const trunc = yield* Effect.promise(() => fetch(info.baseUrl + "/contacts", { headers: { authorization: `Bearer ${info.token}` } }).then(async (r) => ({ status: r.status, text: await r.text() })))
      expect(trunc.status).toBe(200)
      expect(() => JSON.parse(trunc.text)).toThrow()
      yield* Sandbox.configure(info, { faults: "" })
      expect((yield* api(info, "GET", "/contacts")).status).toBe(200)
      const stats = yield* Sandbox.stats(info)
      expect(stats.byStatus["500"]).toBeGreaterThanOrEqual(1)
      yield* Sandbox.reset(info)
      expect((yield* Sandbox.stats(info)).requests).toBe(0)
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.scoped("hides just-created contacts from search while the index lags", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.start({ contacts: 20, rateLimit: 0 })
      yield* Sandbox.configure(info, { searchIndexLagSeconds: 30 })
      const made = yield* api(info, "POST", "/contacts", { email: "lag@example.com" })
      const q = search("email", "=", "lag@example.com")
      expect((yield* api(info, "POST", "/contacts/search", q)).body.total_count).toBe(0)
      yield* TestClock.adjust("31 seconds")
      const later = yield* api(info, "POST", "/contacts/search", q)
      expect(later.body.data.map((c: any) => c.id)).toEqual([made.body.id])
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it("parses fault specs and rejects bad ones with a typed error", () => {
    expect(Faults.parseFaults("5xx=0.1,reset=0.02")).toEqual(Either.right({ "5xx": 0.1, reset: 0.02 }))
    const bad = Faults.parseFaults("boom=0.1")
    expect(Either.isLeft(bad) && bad.left._tag).toBe("FaultSpecError")
    expect(Either.isLeft(Faults.parseFaults("5xx=2"))).toBe(true)
  })
})
