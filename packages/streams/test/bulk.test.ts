import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as FileSystem from "@effect/platform/FileSystem"
import { describe, expect, it } from "@effect/vitest"
import { IntercomClient } from "@intercom-fx/core"
import { Sandbox } from "@intercom-fx/sandbox"
import { Deferred, Effect, Exit, Fiber, Layer, Stream } from "effect"
import { Bulk, Contacts, Partition, Search, Tags } from "../src/index.js"
import { idsOf, recordingTracer, sandboxLayer } from "./helpers.js"

const attachTag = (tagId: string) => (contactId: string) =>
  Effect.flatMap(IntercomClient.IntercomClient, (client) =>
    client.request({ method: "POST", path: `/contacts/${contactId}/tags`, body: { id: tagId } }))

const taggedWith = (contactId: string, tagId: string) =>
  Effect.map(Stream.runCollect(Contacts.tags(contactId)), (tags) => idsOf(tags).includes(tagId))

describe("Bulk", () => {
  it.live("under a low rate limit: all items done, failures typed, no 429 at all", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const contacts = idsOf(yield* Stream.runCollect(Stream.take(Contacts.stream({ perPage: 20 }), 6)))
      const tagId = idsOf(yield* Stream.runCollect(Tags.stream()))[0] ?? ""
      yield* Sandbox.configure(info, { rateLimit: 4 })
      const items = [...contacts.slice(0, 3), "no-such-contact", ...contacts.slice(3)]
      const outcomes = yield* Stream.runCollect(Bulk.run(Stream.fromIterable(items), attachTag(tagId), { id: (id) => id, concurrency: 6 }))
      const summary = yield* Bulk.summarize(Stream.fromIterable(outcomes))
      yield* Sandbox.configure(info, { rateLimit: 0 })
      expect(summary.total).toBe(7)
      expect(summary.ok).toBe(6)
      expect(summary.failed).toBe(1)
      expect(summary.failures).toEqual({ NotFound: 1 })
      const failed = [...outcomes].filter((o) => o._tag === "Failed")
      expect(failed.map((o) => o.id)).toEqual(["no-such-contact"])
      for (const id of contacts) expect(yield* taggedWith(id, tagId)).toBe(true)
      const stats = yield* Sandbox.stats(info)
      expect(stats.byStatus["429"] ?? 0).toBe(0)
      expect(summary.throttled).toBeGreaterThan(0)
    }).pipe(Effect.provide(sandboxLayer({ contacts: 200, seed: 21, rateLimit: 0 }))), 60_000)

  it.live("makes each item one span that ends with its outcome but keeps neither item nor value", () =>
    Effect.gen(function*() {
      const contacts = idsOf(yield* Stream.runCollect(Stream.take(Contacts.stream({ perPage: 20 }), 2)))
      const tagId = idsOf(yield* Stream.runCollect(Tags.stream()))[0] ?? ""
      const { spans, tracer: recording } = yield* recordingTracer
      const items = [...contacts, "no-such-contact"]
      const summary = yield* Bulk.runSummary(Stream.fromIterable(items), attachTag(tagId), { id: (id) => id, concurrency: 1 })
        .pipe(Effect.withTracer(recording))
      expect([summary.ok, summary.failed]).toEqual([2, 1])
      const itemSpans = spans.filter((span) => span.name === "intercom.bulk.item")
      expect(itemSpans.map((span) => span.attributes.get("intercom.bulk.id"))).toEqual(items)
      // A failed item is an outcome too, so every span ends in success, holding nothing.
      for (const span of itemSpans) {
        const status = span.status
        expect(status._tag === "Ended" && Exit.isSuccess(status.exit) ? status.exit.value : "not a success").toBeUndefined()
      }
    }).pipe(Effect.provide(sandboxLayer({ contacts: 50, seed: 23, rateLimit: 0 }))))

  it.live("failFast stops at the first failure", () =>
    Effect.gen(function*() {
      const contacts = idsOf(yield* Stream.runCollect(Stream.take(Contacts.stream({ perPage: 20 }), 5)))
      const tagId = idsOf(yield* Stream.runCollect(Tags.stream()))[0] ?? ""
      const items = ["missing-1", ...contacts]
      const error = yield* Effect.flip(Stream.runDrain(Bulk.run(Stream.fromIterable(items), attachTag(tagId), { id: (id) => id, concurrency: 1, failFast: true })))
      expect(error._tag).toBe("BulkFailed")
      for (const id of contacts) expect(yield* taggedWith(id, tagId)).toBe(false)
    }).pipe(Effect.provide(sandboxLayer({ contacts: 100, seed: 22, rateLimit: 0 }))))

  it.live("resumes from its journal: items already ok are not repeated", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const journal = `${dir}/bulk.journal`
      const contacts = idsOf(yield* Stream.runCollect(Stream.take(Contacts.stream({ perPage: 20 }), 10)))
      const tagId = idsOf(yield* Stream.runCollect(Tags.stream()))[0] ?? ""
      // First run is cut short after 4 items (as if killed).
      yield* Stream.runDrain(Stream.take(Bulk.resumable(Stream.fromIterable(contacts), attachTag(tagId), { id: (id) => id, concurrency: 1, journal }), 4))
      const before = (yield* Sandbox.stats(info)).byRoute["POST /contacts/{contact_id}/tags"] ?? 0
      const outcomes = yield* Stream.runCollect(Bulk.resumable(Stream.fromIterable(contacts), attachTag(tagId), { id: (id) => id, concurrency: 3, journal }))
      const after = (yield* Sandbox.stats(info)).byRoute["POST /contacts/{contact_id}/tags"] ?? 0
      expect(after - before).toBe(6)
      expect([...outcomes].filter((o) => o._tag === "Skipped").map((o) => o.id).sort()).toEqual(contacts.slice(0, 4).sort())
      for (const id of contacts) expect(yield* taggedWith(id, tagId)).toBe(true)
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(sandboxLayer({ contacts: 100, seed: 23, rateLimit: 0 }), NodeFileSystem.layer))))
})

describe("Bulk.resumable leftovers", () => {
  /** Consumes outcomes as the CLI does: a rejected token stops the job. */
  const drainStoppingOnAuth = <A, B, E, R>(outcomes: Stream.Stream<Bulk.Outcome<A, B>, E, R>) =>
    Stream.runForEach(outcomes, (outcome) =>
      outcome._tag === "Failed" && outcome.error._tag === "Unauthorized" ? Effect.fail(outcome.error) : Effect.void)

  /** Runs `effect` with a client whose token the sandbox rejects (401 on every request). */
  const withRejectedToken = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.flatMap(Sandbox.Sandbox, (info) =>
      Effect.provide(effect, IntercomClient.layer({ accessToken: "revoked-token", baseUrl: info.baseUrl, maxAttempts: 1 })))

  it.live("a job that ends with no item done leaves no journal; one with progress keeps it, even when a resumed run fails at once", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const journal = `${dir}/bulk.journal`
      const contacts = idsOf(yield* Stream.runCollect(Stream.take(Contacts.stream({ perPage: 20 }), 8)))
      const tagId = idsOf(yield* Stream.runCollect(Tags.stream()))[0] ?? ""
      const options = { id: (id: string) => id, concurrency: 2, journal, key: "tag 8" }
      const job = Bulk.resumable(Stream.fromIterable(contacts), attachTag(tagId), options)
      const listing = fs.readDirectory(dir)

      // The first write is refused (401): the journal held only its header and a failure; it is removed.
      expect((yield* Effect.flip(withRejectedToken(drainStoppingOnAuth(job))))._tag).toBe("Unauthorized")
      expect(yield* listing).toEqual([])
      // The targets fail before the first item, or there are none, or the job is interrupted mid-write.
      yield* Effect.flip(Stream.runDrain(Bulk.resumable(Stream.fail("no targets"), attachTag(tagId), options)))
      expect(yield* listing).toEqual([])
      yield* Stream.runDrain(Bulk.resumable(Stream.empty, attachTag(tagId), options))
      expect(yield* listing).toEqual([])
      const started = yield* Deferred.make<void>()
      const hanging = (_: string) => Effect.zipRight(Deferred.succeed(started, undefined), Effect.never)
      const fiber = yield* Effect.fork(Stream.runDrain(Bulk.resumable(Stream.fromIterable(contacts), hanging, options)))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      expect(yield* listing).toEqual([])

      // Three items done, then a resumed run refused at once: the earlier progress is kept as it was.
      yield* Stream.runDrain(Stream.take(Bulk.resumable(Stream.fromIterable(contacts), attachTag(tagId), { ...options, concurrency: 1 }), 3))
      const saved = yield* fs.readFileString(journal)
      expect(saved.split("\n").filter((line) => line.includes("\"ok\""))).toHaveLength(3)
      expect((yield* Effect.flip(withRejectedToken(drainStoppingOnAuth(job))))._tag).toBe("Unauthorized")
      expect((yield* fs.readFileString(journal)).startsWith(saved)).toBe(true)
      yield* Effect.flip(Stream.runDrain(Bulk.resumable(Stream.fail("no targets"), attachTag(tagId), options)))
      expect((yield* fs.readFileString(journal)).startsWith(saved)).toBe(true)
      const outcomes = [...yield* Stream.runCollect(job)]
      expect(outcomes.filter((o) => o._tag === "Skipped").map((o) => o.id).sort()).toEqual(contacts.slice(0, 3).sort())
      expect(outcomes.filter((o) => o._tag === "Ok").map((o) => o.id).sort()).toEqual(contacts.slice(3).sort())
      for (const id of contacts) expect(yield* taggedWith(id, tagId)).toBe(true)

      // Another job's journal, even one holding only its header, is refused and left as it is.
      yield* fs.writeFileString(`${dir}/other.journal`, "{\"bulk\":\"another job\"}\n")
      const mismatch = yield* Effect.flip(Stream.runDrain(Bulk.resumable(Stream.fromIterable(contacts), attachTag(tagId), { ...options, journal: `${dir}/other.journal` })))
      expect(mismatch._tag).toBe("JournalMismatch")
      expect(yield* fs.readFileString(`${dir}/other.journal`)).toBe("{\"bulk\":\"another job\"}\n")
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(sandboxLayer({ contacts: 100, seed: 24, rateLimit: 0 }), NodeFileSystem.layer))))
})

describe("Partition", () => {
  it("slices are contiguous whole days", () => {
    const s = Partition.slices("2024-01-01", "2024-01-11", 3)
    expect(s.map((x) => [x.from, x.until].map((t) => new Date(t * 1000).toISOString().slice(0, 10)))).toEqual([
      ["2024-01-01", "2024-01-04"], ["2024-01-04", "2024-01-07"], ["2024-01-07", "2024-01-11"]
    ])
  })

  it.live("partitioned search returns exactly the sequential search's records (with faults)", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const all = yield* Stream.runCollect(Contacts.stream())
      const created = [...all].map((c) => Number(c["created_at"]))
      const from = Math.min(...created)
      const until = Math.max(...created) + 86_400
      const sequential = idsOf(yield* Stream.runCollect(Contacts.search(Search.dayRange("created_at", from, until), { perPage: 25 })))
      expect(new Set(sequential)).toEqual(new Set(idsOf(all)))
      yield* Sandbox.configure(info, { faults: "5xx=0.05,429=0.05" })
      const parts = idsOf(yield* Stream.runCollect(Partition.partitioned({
        search: (q) => Contacts.search(q, { perPage: 13 }),
        field: "created_at",
        from,
        until,
        slices: 7
      })))
      yield* Sandbox.configure(info, { faults: "" })
      expect(parts.length).toBe(sequential.length)
      expect(new Set(parts)).toEqual(new Set(sequential))
      // A sub-range: partitioned == sequential on the same middle days too.
      const midFrom = from + 30 * 86_400
      const midUntil = until - 30 * 86_400
      const seqMid = idsOf(yield* Stream.runCollect(Contacts.search(Search.dayRange("created_at", midFrom, midUntil))))
      const parMid = idsOf(yield* Stream.runCollect(Partition.partitioned({ search: (q) => Contacts.search(q), field: "created_at", from: midFrom, until: midUntil, slices: 5 })))
      expect(parMid.length).toBe(seqMid.length)
      expect(new Set(parMid)).toEqual(new Set(seqMid))
    }).pipe(Effect.provide(sandboxLayer({ contacts: 500, seed: 31, rateLimit: 0 }))))
})
