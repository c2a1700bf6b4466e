import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { IntercomClient } from "intercom-client"
import { Sandbox } from "../src/index.js"

// Intercom's own SDK (version 2.10) walking the sandbox must see every record exactly once.
layer(Sandbox.layer({ contacts: 700, companies: 230, conversations: 90, rateLimit: 0, seed: 3 }))("intercom-client walk", (it) => {
  const client = (info: Sandbox.SandboxInfo) => new IntercomClient({ token: info.token, baseUrl: info.baseUrl, version: "2.10" })
  const collect = <A>(make: () => Promise<AsyncIterable<A>>) =>
    Effect.promise(async () => {
      const out: Array<A> = []
      for await (const item of await make()) out.push(item)
      return out
    })

  describe("pagination", () => {
    it.effect("contacts list", () =>
      Effect.gen(function*() {
        const info = yield* Sandbox.Sandbox
        const all = yield* collect(() => client(info).contacts.list({ per_page: 100 }))
        expect(all.length).toBe(700)
        expect(new Set(all.map((c) => c.id)).size).toBe(700)
      }))

    it.effect("contacts search", () =>
      Effect.gen(function*() {
        const info = yield* Sandbox.Sandbox
        const all = yield* collect(() => client(info).contacts.search({ query: { field: "role", operator: "=", value: "user" }, pagination: { per_page: 40 } }))
        expect(all.length).toBeGreaterThan(400)
        expect(all.every((c) => c.role === "user")).toBe(true)
        expect(new Set(all.map((c) => c.id)).size).toBe(all.length)
      }))

    it.effect("companies scroll", () =>
      Effect.gen(function*() {
        const info = yield* Sandbox.Sandbox
        const all = yield* collect(() => client(info).companies.scroll())
        expect(all.length).toBe(230)
        expect(new Set(all.map((c) => c.id)).size).toBe(230)
      }))

    it.effect("conversations list", () =>
      Effect.gen(function*() {
        const info = yield* Sandbox.Sandbox
        const all = yield* collect(() => client(info).conversations.list({ per_page: 20 }))
        expect(all.length).toBe(90)
        expect(new Set(all.map((c) => c.id)).size).toBe(90)
      }))
  })
})
