/**
 * What the CLI needs of the resumable runners: `Export.run` with its own partial path, a
 * record limit, a projection and progress callbacks; a partitioned search that resumes
 * every slice from its own cursor; a bulk journal that names its job and reports what it
 * recorded for the items it skips.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as FileSystem from "@effect/platform/FileSystem"
import { describe, expect, it } from "@effect/vitest"
import { IntercomClient } from "@intercom-fx/core"
import { Deferred, Effect, Fiber, Layer, Option, Ref, Stream } from "effect"
import { Bulk, Contacts, Export, type Paginate, Partition, type Search, Tags } from "../src/index.js"
import { idsOf, sandboxLayer } from "./helpers.js"

const layer = Layer.merge(sandboxLayer({ contacts: 120, seed: 5, rateLimit: 0 }), NodeFileSystem.layer)
const text = (path: string) => Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(path))
const lines = (body: string) => body.split("\n").filter((l) => l !== "")

describe("Export.run options", () => {
  it.live("limit cuts the page that reaches it; project shapes records; onPage/onResume report progress; partial path is honoured", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const out = `${dir}/some.ndjson`
      const partial = `${dir}/.some.partial`
      const pages = yield* Ref.make<Array<readonly [number, number]>>([])
      const resumedAt = yield* Ref.make(Option.none<number>())
      const reached = yield* Deferred.make<void>()
      const options = {
        format: "ndjson" as const,
        out,
        partial,
        limit: 50,
        key: "limit 50",
        project: (c: Contacts.Contact) => ({ id: c.id }),
        onPage: (p: { readonly written: number; readonly added: number }) => Ref.update(pages, (all) => [...all, [p.written, p.added] as const]),
        onResume: (n: number) => Ref.set(resumedAt, Option.some(n))
      }
      // Interrupted after the first page (20 records) ...
      const cut = Export.cursor((startingAfter) =>
        Stream.concat(
          Stream.take(Contacts.pages({ perPage: 20, startingAfter }), 1),
          Stream.drain(Stream.fromEffect(Effect.zipRight(Deferred.succeed(reached, undefined), Effect.never)))
        ))
      const fiber = yield* Effect.fork(Export.run({ ...options, source: cut }))
      yield* Deferred.await(reached)
      yield* Fiber.interrupt(fiber)
      expect(yield* fs.exists(partial)).toBe(true)
      expect(yield* fs.exists(`${out}.partial`)).toBe(false)
      // ... then resumed to the limit.
      const summary = yield* Export.run({ ...options, source: Export.cursor((startingAfter) => Contacts.pages({ perPage: 20, startingAfter })) })
      expect(summary.written).toBe(50)
      expect(yield* Ref.get(resumedAt)).toEqual(Option.some(20))
      expect(yield* Ref.get(pages)).toEqual([[20, 20], [40, 20], [50, 10]])
      const written = lines(yield* text(out)).map((l): unknown => JSON.parse(l))
      const expected = idsOf(yield* Stream.runCollect(Stream.take(Contacts.stream(), 50))).map((id) => ({ id }))
      expect(written).toEqual(expected)
      expect((yield* fs.readDirectory(dir)).sort()).toEqual(["some.ndjson"])
      // A limit of 0 fetches nothing and writes an empty file.
      const none = yield* Export.run({ ...options, out: `${dir}/none.ndjson`, partial: `${dir}/.none.partial`, limit: 0, source: Export.cursor((): Stream.Stream<Paginate.Page<Contacts.Contact, string>> => Stream.die("fetched")) })
      expect(none.written).toBe(0)
    }).pipe(Effect.scoped, Effect.provide(layer)))
})

describe("Partition.partitionedPages", () => {
  it.live("resumes every slice from its own cursor: the export has each record once", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const out = `${dir}/parts.ndjson`
      const all = idsOf(yield* Stream.runCollect(Contacts.stream()))
      const pagesFrom = (startingAfter: string | undefined) =>
        Partition.partitionedPages({
          search: (query: Search.Query, after: string | undefined) => Contacts.searchPages(query, { perPage: 7, startingAfter: after }),
          field: "created_at",
          from: "2010-01-01",
          until: Math.floor(Date.now() / 1000) + 2 * 86_400,
          slices: 3,
          startingAfter
        })
      const reached = yield* Deferred.make<void>()
      const cut = Export.cursor((after) =>
        Stream.concat(Stream.take(pagesFrom(after), 4), Stream.drain(Stream.fromEffect(Effect.zipRight(Deferred.succeed(reached, undefined), Effect.never)))))
      const fiber = yield* Effect.fork(Export.run({ source: cut, format: "ndjson", out }))
      yield* Deferred.await(reached)
      yield* Fiber.interrupt(fiber)
      const summary = yield* Export.run({ source: Export.cursor(pagesFrom), format: "ndjson", out })
      expect(summary.resumed).toBe(true)
      const ids = lines(yield* text(out)).map((l) => String(JSON.parse(l).id))
      expect(ids.length).toBe(all.length)
      expect(new Set(ids)).toEqual(new Set(all))
      // Once every slice has answered, pages state the whole search's size: the slices' totals summed.
      const fresh = [...yield* Stream.runCollect(pagesFrom(undefined))]
      expect(fresh.at(-1)?.total).toBe(all.length)
      expect(fresh.every((page) => page.total === undefined || page.total === all.length)).toBe(true)
      // A cursor it did not write is refused.
      const error = yield* Effect.flip(Stream.runDrain(pagesFrom("{\"nope\":1}")))
      expect(error._tag).toBe("InvalidPartitionCursor")
    }).pipe(Effect.scoped, Effect.provide(layer)))
})

describe("Bulk.resumable", () => {
  it.live("a keyed journal refuses another job; skipped items say what the journal recorded", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const journal = `${dir}/bulk.journal`
      const contacts = idsOf(yield* Stream.runCollect(Stream.take(Contacts.stream({ perPage: 10 }), 6)))
      const tagId = idsOf(yield* Stream.runCollect(Tags.stream()))[0] ?? ""
      const op = (id: string) =>
        id === contacts[1]
          ? Effect.fail(new Bulk.Skip({ reason: "nothing to do" }))
          : Effect.flatMap(IntercomClient.IntercomClient, (client) =>
            client.request({ method: "POST", path: `/contacts/${id}/tags`, body: { id: tagId } }))
      const options = { id: (id: string) => id, concurrency: 1, journal, key: "tag vip" }
      yield* Stream.runDrain(Stream.take(Bulk.resumable(Stream.fromIterable(contacts), op, options), 3))
      const mismatch = yield* Effect.flip(Stream.runDrain(Bulk.resumable(Stream.fromIterable(contacts), op, { ...options, key: "tag other" })))
      expect(mismatch._tag).toBe("JournalMismatch")
      const outcomes = [...yield* Stream.runCollect(Bulk.resumable(Stream.fromIterable(contacts), op, options))]
      const journaled = Object.fromEntries(outcomes.flatMap((o) => (o._tag === "Skipped" && o.journaled !== undefined ? [[o.id, o.journaled]] : [])))
      expect(journaled).toEqual({ [contacts[0] ?? ""]: "ok", [contacts[1] ?? ""]: "skipped", [contacts[2] ?? ""]: "ok" })
      expect(outcomes.filter((o) => o._tag === "Ok").map((o) => o.id).sort()).toEqual(contacts.slice(3).sort())
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.live("an operation that completes while the job is being interrupted is journaled", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const journal = `${dir}/bulk.journal`
      const started = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      // An operation that must not be cut short (as the CLI's tag writes are).
      const op = (_: string) => Effect.uninterruptible(Effect.zipRight(Deferred.succeed(started, undefined), Deferred.await(release)))
      const fiber = yield* Effect.fork(Stream.runDrain(Bulk.resumable(Stream.make("a"), op, { id: (id) => id, journal })))
      yield* Deferred.await(started)
      yield* Fiber.interruptFork(fiber)
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.await(fiber)
      const outcomes = [...yield* Stream.runCollect(Bulk.resumable(Stream.make("a"), op, { id: (id) => id, journal }))]
      expect(outcomes.map((o) => (o._tag === "Skipped" ? o.journaled : o._tag))).toEqual(["ok"])
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer)))
})
