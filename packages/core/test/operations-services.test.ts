import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Endpoint } from "../src/Endpoint.js"
import * as Endpoints from "../src/generated/endpoints.js"
import * as Services from "../src/generated/services/index.js"
import * as Intercom from "../src/Intercom.js"
import { IntercomClient } from "../src/IntercomClient.js"

/** A client that records what it is asked to run and answers with a canned response body. */
const recordingClient = (response: unknown) => {
  const calls: Array<{ readonly name: string; readonly input: unknown }> = []
  const client = IntercomClient.of({
    execute: (endpoint, input) => {
      calls.push({ name: endpoint.name, input })
      return Effect.orDie(endpoint.decodeSuccess(response))
    },
    request: () => Effect.dieMessage("not used")
  })
  return { calls, layer: Intercom.layer.pipe(Layer.provide(Layer.succeed(IntercomClient, client))) }
}

describe("Intercom.layer", () => {
  it.scoped("provides all 21 services, each with one method per endpoint of its group", () =>
    Effect.gen(function*() {
      const context = yield* Layer.build(recordingClient({}).layer)
      const groups = new Map<string, Record<string, Endpoint.Any>>(Object.entries(Endpoints))
      const services = Object.entries(Services)
      expect(services).toHaveLength(21)
      for (const [name, tag] of services) {
        const service: unknown = context.unsafeMap.get(tag.key)
        const group = groups.get(name) ?? {}
        expect([name, typeof service]).toEqual([name, "object"])
        expect([name, Object.keys(Object(service)).sort()]).toEqual([name, Object.keys(group).sort()])
      }
    }))

  it.effect("maps positional arguments to path parameters, body and query", () => {
    const { calls, layer } = recordingClient({ type: "tag", id: "t1", name: "vip" })
    return Effect.gen(function*() {
      const contacts = yield* Services.Contacts
      const tag = yield* contacts.attachTag("c1", { id: "t1" })
      expect(tag.name).toBe("vip")
      yield* contacts.detachTag("c1", "t1")
      const conversations = yield* Services.Conversations
      yield* conversations.detachTag("42", "t1", { admin_id: "7" })
      expect(calls).toEqual([
        { name: "contacts.attachTag", input: { path: { contact_id: "c1" }, body: { id: "t1" } } },
        { name: "contacts.detachTag", input: { path: { contact_id: "c1", id: "t1" } } },
        { name: "conversations.detachTag", input: { path: { conversation_id: "42", id: "t1" }, body: { admin_id: "7" } } }
      ])
    }).pipe(Effect.provide(layer))
  })

  it.effect("passes queries, defaulting an all-optional query to {}", () => {
    const { calls, layer } = recordingClient({ type: "list", data: [] })
    return Effect.gen(function*() {
      const companies = yield* Services.Companies
      yield* companies.scroll({ scroll_param: "abc" })
      yield* companies.list()
      const conversations = yield* Services.Conversations
      yield* conversations.get(7, { display_as: "plaintext" })
      const contacts = yield* Services.Contacts
      yield* contacts.list({ per_page: 150 })
      expect(calls).toEqual([
        { name: "companies.scroll", input: { query: { scroll_param: "abc" } } },
        { name: "companies.list", input: { query: {} } },
        { name: "conversations.get", input: { path: { id: 7 }, query: { display_as: "plaintext" } } },
        { name: "contacts.list", input: { query: { per_page: 150 } } }
      ])
    }).pipe(Effect.provide(layer))
  })

  it.effect("downloads a data export as bytes", () => {
    const bytes = new Uint8Array([31, 139, 8])
    const { calls, layer } = recordingClient(bytes)
    return Effect.gen(function*() {
      const dataExport = yield* Services.DataExport
      expect(yield* dataExport.download("job1")).toEqual(bytes)
      expect(calls).toEqual([{ name: "dataExport.download", input: { path: { job_identifier: "job1" } } }])
    }).pipe(Effect.provide(layer))
  })
})
