import { describe, expect, it } from "@effect/vitest"
import { Endpoints, IntercomClient } from "@intercom-fx/core"
import { Sandbox } from "@intercom-fx/sandbox"
import { Effect, Stream } from "effect"
import {
  Admins,
  Articles,
  Companies,
  Contacts,
  Conversations,
  DataAttributes,
  DataEvents,
  HelpCenter,
  News,
  Segments,
  SubscriptionTypes,
  Tags,
  Teams,
  TicketTypes
} from "../src/index.js"
import { idsOf, sandboxLayer } from "./helpers.js"

/** The records of a raw response (no schema involved), under `key`. */
const raw = (path: string, key: string) =>
  Effect.gen(function*() {
    const client = yield* IntercomClient.IntercomClient
    const body: unknown = yield* client.request({ method: "GET", path })
    const records: unknown = body !== null && typeof body === "object" ? Reflect.get(body, key) : undefined
    return Array.isArray(records) ? records : []
  })

/** The stream's records as JSON text would carry them (what a sink writes). */
const serialised = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), (chunk) => JSON.parse(JSON.stringify([...chunk])))

describe("resource streams over core's endpoints", () => {
  it.live("records are what the API sent, every field kept; each listing under its own namespace", () =>
    Effect.gen(function*() {
      // Contacts: a page decoded by the generated schema serialises to the raw page, field for field.
      const contacts = yield* serialised(Stream.take(Contacts.stream({ perPage: 40 }), 40))
      expect(contacts).toStrictEqual(yield* raw("/contacts?per_page=40", "data"))
      const contactId = String(contacts[0].id)
      const companies = yield* serialised(Stream.take(Companies.scroll(), 100))
      const companyId = String(companies[0].id)

      const cases: ReadonlyArray<readonly [string, Stream.Stream<unknown, unknown, IntercomClient.IntercomClient>, string, string]> = [
        // Conversations and ticket types carry properties the spec does not name (`conversation_parts`,
        // `is_internal`): they must survive the decode.
        ["conversations", Conversations.stream({ perPage: 7 }), "/conversations?per_page=150", "conversations"],
        ["tags", Tags.stream(), "/tags", "data"],
        ["segments", Segments.stream(), "/segments", "segments"],
        ["admins", Admins.stream(), "/admins", "admins"],
        ["teams", Teams.stream(), "/teams", "teams"],
        ["articles", Articles.stream(), "/articles", "data"],
        ["help centers", HelpCenter.centers(), "/help_center/help_centers", "data"],
        ["collections", HelpCenter.collections(), "/help_center/collections", "data"],
        ["news items", News.items(), "/news/news_items", "data"],
        ["newsfeeds", News.newsfeeds(), "/news/newsfeeds", "data"],
        ["data attributes", DataAttributes.stream(), "/data_attributes", "data"],
        ["contact data attributes", DataAttributes.stream({ model: "contact" }), "/data_attributes?model=contact", "data"],
        ["subscription types", SubscriptionTypes.stream(), "/subscription_types", "data"],
        ["ticket types", TicketTypes.stream(), "/ticket_types", "ticket_types"],
        ["a contact's tags", Contacts.tags(contactId), `/contacts/${contactId}/tags`, "data"],
        ["a contact's segments", Contacts.segments(contactId), `/contacts/${contactId}/segments`, "data"],
        ["a contact's subscriptions", Contacts.subscriptions(contactId), `/contacts/${contactId}/subscriptions`, "data"],
        ["a contact's notes", Contacts.notes(contactId), `/contacts/${contactId}/notes`, "data"],
        ["a contact's companies", Contacts.companies(contactId), `/contacts/${contactId}/companies`, "companies"],
        ["a company's segments", Companies.segments(companyId), `/companies/${companyId}/segments`, "data"],
        ["a company's contacts", Companies.contacts(companyId, { perPage: 3 }), `/companies/${companyId}/contacts?per_page=150`, "data"]
      ]
      const nonEmpty: Array<string> = []
      for (const [name, stream, path, key] of cases) {
        const expected = yield* raw(path, key)
        expect(yield* serialised(stream), name).toStrictEqual(expected)
        if (expected.length > 0) nonEmpty.push(name)
      }
      // The comparison above means something: the workspace's own listings are seeded.
      expect(nonEmpty).toEqual(expect.arrayContaining([
        "conversations", "tags", "segments", "admins", "teams", "articles", "help centers", "collections", "news items", "newsfeeds",
        "data attributes", "subscription types", "ticket types"
      ]))
      const feed = (yield* raw("/news/newsfeeds", "data"))[0]
      const feedId = String(Reflect.get(feed, "id"))
      expect(yield* serialised(News.newsfeedItems(feedId))).toStrictEqual(yield* raw(`/news/newsfeeds/${feedId}/items`, "data"))
    }).pipe(Effect.provide(sandboxLayer({ contacts: 120, companies: 150, conversations: 40, seed: 51, rateLimit: 0 }))))

  it.live("link pagination: a user's data events page by page, newest first, exactly the full list", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const client = yield* IntercomClient.IntercomClient
      const contact = (yield* Stream.runHead(Contacts.stream({ perPage: 5 }))).pipe((o) => o._tag === "Some" ? o.value : undefined)
      const id = contact?.id ?? ""
      for (let k = 0; k < 17; k++) {
        yield* client.execute(Endpoints.DataEvents.create, {
          body: { event_name: `exported-${k % 3}`, created_at: 1_700_000_000 + k * 60, id, metadata: { k: String(k) } }
        })
      }
      const all = yield* raw(`/events?type=user&intercom_user_id=${id}&per_page=500`, "events")
      expect(all.length).toBeGreaterThanOrEqual(17)
      const before = (yield* Sandbox.stats(info)).byRoute["GET /events"] ?? 0
      const paged = yield* serialised(DataEvents.stream({ intercom_user_id: id }, { perPage: 4 }))
      const requests = ((yield* Sandbox.stats(info)).byRoute["GET /events"] ?? 0) - before
      expect(paged).toStrictEqual(all)
      expect(requests).toBe(Math.ceil(all.length / 4))
      const createdAt = paged.map((e: { created_at: number }) => e.created_at)
      expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a))
    }).pipe(Effect.provide(sandboxLayer({ contacts: 20, seed: 52, rateLimit: 0 }))))

  it.live("admin activity logs: cursor pages within the time range, exactly the records of one big page", () =>
    Effect.gen(function*() {
      const all = yield* raw("/admins/activity_logs?created_at_after=0&per_page=150", "activity_logs")
      expect(all.length).toBeGreaterThan(20)
      expect(yield* serialised(Admins.activityLogs({ after: 0, perPage: 7 }))).toStrictEqual(all)
      const times = all.map((log) => Number(Reflect.get(log, "created_at"))).sort((a, b) => a - b)
      const middle = times[Math.floor(times.length / 2)] ?? 0
      const expected = all.filter((log) => Number(Reflect.get(log, "created_at")) >= middle).map((log) => Reflect.get(log, "id"))
      expect(idsOf(yield* Stream.runCollect(Admins.activityLogs({ after: middle, perPage: 5 })))).toEqual(expected)
    }).pipe(Effect.provide(sandboxLayer({ contacts: 20, seed: 53, rateLimit: 0 }))))
})
