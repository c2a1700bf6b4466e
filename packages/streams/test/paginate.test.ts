import { describe, expect, it } from "@effect/vitest"
import { Sandbox } from "@intercom-fx/sandbox"
import { Chunk, Effect, Stream } from "effect"
import { Admins, Companies, Contacts, Conversations, Segments, Tags, Teams } from "../src/index.js"
import { idsOf, sandboxLayer } from "./helpers.js"

const CONTACTS = 600

describe("paginators against the sandbox", () => {
  it.live("cursor: every contact exactly once, with and without faults; one chunk per page", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const reference = idsOf(yield* Stream.runCollect(Contacts.stream()))
      expect(new Set(reference).size).toBe(reference.length)
      expect(reference.length).toBe(CONTACTS)

      // one request per page, one chunk per page
      const before = yield* Sandbox.stats(info)
      const chunks = yield* Stream.runCollect(Stream.mapChunks(Contacts.stream({ perPage: 50 }), (c) => Chunk.of(c.length)))
      const after = yield* Sandbox.stats(info)
      expect(Chunk.toReadonlyArray(chunks)).toEqual(Array.from({ length: 12 }, () => 50))
      expect((after.byRoute["GET /contacts"] ?? 0) - (before.byRoute["GET /contacts"] ?? 0)).toBe(12)

      yield* Sandbox.configure(info, { faults: "5xx=0.1,reset=0.03,truncate=0.03,429=0.05" })
      const faulty = idsOf(yield* Stream.runCollect(Contacts.stream({ perPage: 17 })))
      yield* Sandbox.configure(info, { faults: "" })
      expect(faulty.length).toBe(reference.length)
      expect(new Set(faulty)).toEqual(new Set(reference))
    }).pipe(Effect.provide(sandboxLayer({ contacts: CONTACTS, seed: 7, rateLimit: 0 }))))

  it.live("page number: companies list equals the scroll's set; GET /companies filter by tag", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      yield* Sandbox.configure(info, { faults: "5xx=0.1,429=0.05" })
      const listed = idsOf(yield* Stream.runCollect(Companies.stream({ perPage: 7 })))
      yield* Sandbox.configure(info, { faults: "" })
      expect(new Set(listed).size).toBe(listed.length)
      const single = idsOf(yield* Stream.runCollect(Companies.stream()))
      expect(new Set(listed)).toEqual(new Set(single))
      expect(listed.length).toBeGreaterThan(0)
    }).pipe(Effect.provide(sandboxLayer({ contacts: CONTACTS, companies: 120, seed: 3, rateLimit: 0 }))))

  it.live("scroll: restarts on the documented 500 and emits every company exactly once", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const reference = idsOf(yield* Stream.runCollect(Companies.scroll()))
      expect(reference.length).toBe(450)
      expect(new Set(reference).size).toBe(450)

      yield* Sandbox.configure(info, { faults: "scroll=0.25,429=0.05" })
      const faulty = idsOf(yield* Stream.runCollect(Companies.scroll({ maxRestarts: 50 })))
      yield* Sandbox.configure(info, { faults: "" })
      const log = yield* Sandbox.log(info, 1000)
      const restarts = log.filter((entry) => entry.fault === "scroll").length
      expect(restarts).toBeGreaterThan(0) // the run did see broken scrolls
      expect(faulty.length).toBe(450)
      expect(new Set(faulty)).toEqual(new Set(reference))
    }).pipe(Effect.provide(sandboxLayer({ contacts: 200, companies: 450, seed: 11, rateLimit: 0 }))))

  it.live("conversations (cursor) and the small listings", () =>
    Effect.gen(function*() {
      const all = idsOf(yield* Stream.runCollect(Conversations.stream({ perPage: 9 })))
      const big = idsOf(yield* Stream.runCollect(Conversations.stream()))
      expect(all.length).toBe(100)
      expect(new Set(all)).toEqual(new Set(big))
      const tags = yield* Stream.runCollect(Tags.stream())
      const admins = yield* Stream.runCollect(Admins.stream())
      const teams = yield* Stream.runCollect(Teams.stream())
      const segments = yield* Stream.runCollect(Segments.stream())
      expect(tags.length).toBeGreaterThan(0)
      expect(admins.length).toBeGreaterThan(0)
      expect(teams.length).toBeGreaterThan(0)
      expect(segments.length).toBeGreaterThan(0)
    }).pipe(Effect.provide(sandboxLayer({ contacts: 300, conversations: 100, seed: 5, rateLimit: 0 }))))
})
