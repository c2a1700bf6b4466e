import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as FileSystem from "@effect/platform/FileSystem"
import { describe, expect, it } from "@effect/vitest"
import { IntercomClient } from "@intercom-fx/core"
import { Sandbox } from "@intercom-fx/sandbox"
import { Deferred, Effect, Fiber, Layer, Stream } from "effect"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { Companies, Contacts, Export, Sink } from "../src/index.js"
import { sandboxLayer } from "./helpers.js"

const layer = (options: Sandbox.SandboxOptions) => Layer.merge(sandboxLayer(options), NodeFileSystem.layer)

/** A deterministic PRNG (mulberry32), so every "random" cut is the same on every run. */
const prng = (seed: number) => {
  let a = seed >>> 0
  return (n: number): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
  }
}

/** The source, cut after `pages` pages: signals `reached`, then hangs until interrupted (a crash at a page boundary). */
const haltAfter = <A, E, R>(source: Export.Source<A, E, R>, pages: number, reached: Deferred.Deferred<void>): Export.Source<A, E, R> => {
  const hang = Stream.fromEffect(Effect.zipRight(Deferred.succeed(reached, undefined), Effect.never))
  return source._tag === "Cursor"
    ? { _tag: "Cursor", pages: (from) => Stream.concat(Stream.take(source.pages(from), pages), Stream.drain(hang)) }
    : { ...source, items: Stream.concat(Stream.flattenChunks(Stream.take(Stream.chunks(source.items), pages)), Stream.drain(hang)) }
}

/** Runs an export in a fiber and interrupts it once `pages` pages are written and journaled. */
const crashAfter = <A, E, R>(options: Export.Options<A, E, R>, pages: number) =>
  Effect.gen(function*() {
    const reached = yield* Deferred.make<void>()
    const fiber = yield* Effect.fork(Export.run({ ...options, source: haltAfter(options.source, pages, reached) }))
    yield* Deferred.await(reached)
    yield* Fiber.interrupt(fiber)
  })

/**
 * What a kill -9 can leave besides a clean page boundary: bytes of a page that was written
 * but not journaled, and a journal whose last line was torn mid-write (`torn`) or whose
 * last lines were lost (`cut`).
 */
const tamper = (out: string, random: (n: number) => number, journalDamage: "cut" | "torn") =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const partial = `${out}.partial`
    const junk = new TextEncoder().encode("{\"id\":\"half-written\",\"page\":true}\n,\"x\"".slice(0, 1 + random(40)))
    const before = yield* fs.readFile(partial)
    yield* fs.writeFile(partial, new Uint8Array([...before, ...junk]))
    const journal = yield* fs.readFile(`${out}.journal`)
    if (journalDamage === "torn") {
      const torn = new TextEncoder().encode("{\"_tag\":\"page\",\"end\":false,\"bytes\":99999".slice(0, 1 + random(40)))
      yield* fs.writeFile(`${out}.journal`, new Uint8Array([...journal, ...torn]))
    } else {
      // Cut somewhere after the first (start) line: inside or between the page lines.
      const firstLine = journal.indexOf(10) + 1
      yield* fs.writeFile(`${out}.journal`, journal.subarray(0, firstLine + random(journal.length - firstLine + 1)))
    }
  })

const text = (path: string) => Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(path))

/** Runs `effect` with a client whose token the sandbox rejects (401 on the first request). */
const withRejectedToken = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Sandbox.Sandbox, (info) =>
    Effect.provide(effect, IntercomClient.layer({ accessToken: "revoked-token", baseUrl: info.baseUrl, maxAttempts: 1 })))

/** A full garbage collection now (the flag exposes `gc` to contexts created after it). */
const collectGarbage = (): void => {
  setFlagsFromString("--expose-gc")
  ;(runInNewContext("gc") as () => void)()
}

/** The source, watched: weak references to the records of its first page. */
const watchFirstPage = <A extends object, E, R>(source: Export.Source<A, E, R>, refs: Array<WeakRef<A>>): Export.Source<A, E, R> => {
  const watch = (items: Iterable<A>) => Effect.sync(() => refs.length === 0 && refs.push(...Array.from(items, (item) => new WeakRef(item))))
  return source._tag === "Cursor"
    ? { _tag: "Cursor", pages: (from) => Stream.tap(source.pages(from), (page) => watch(page.items)) }
    : { ...source, items: Stream.mapChunksEffect(source.items, (chunk) => Effect.as(watch(chunk), chunk)) }
}

/**
 * Exports `source`; once 4 pages are written, collects garbage and counts the records of
 * the first page still reachable. An export that held on to written pages would keep a
 * million-contact run in memory.
 */
const firstPageHeld = <A extends object, E, R>(source: Export.Source<A, E, R>, out: string) =>
  Effect.gen(function*() {
    const refs: Array<WeakRef<A>> = []
    let written = 0
    let held = -1
    const summary = yield* Export.run({
      source: watchFirstPage(source, refs),
      format: "ndjson",
      out,
      onPage: () =>
        Effect.sync(() => {
          if (++written !== 4) return
          collectGarbage()
          held = refs.filter((ref) => ref.deref() !== undefined).length
        })
    })
    return { pages: summary.pages, watched: refs.length, held }
  })

const ndjsonIds = (body: string) => body.split("\n").filter((l) => l !== "").map((l) => String(JSON.parse(l).id))

describe("Export.run", () => {
  it.live("cursor source: crashes at random pages, torn journals, half-written pages; the result equals an uninterrupted run byte for byte", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const info = yield* Sandbox.Sandbox
      const dir = yield* fs.makeTempDirectoryScoped()
      const random = prng(20261122)
      const source = Export.cursor((startingAfter) => Contacts.pages({ perPage: 23, startingAfter }))
      for (const format of ["ndjson", "json", "csv"] as const) {
        const reference = `${dir}/reference.${format}`
        const clean = yield* Export.run({ source, format, out: reference, key: "contacts" })
        expect(clean).toMatchObject({ written: 240, pages: 11, resumed: false })
        // The export writes what the plain sink writes.
        const viaSink = `${dir}/sink.${format}`
        yield* Sink.toFile(Sink.encode(Contacts.stream({ perPage: 23 }), format), viaSink)
        const expected = yield* text(reference)
        expect(yield* text(viaSink)).toBe(expected)
        expect(yield* fs.readDirectory(dir)).not.toContain(`reference.${format}.journal`)

        for (let trial = 0; trial < 2; trial++) {
          const out = `${dir}/out-${trial}.${format}`
          const options = { source, format, out, key: "contacts" } as const
          for (let crash = 0; crash < 3; crash++) {
            yield* crashAfter(options, 1 + random(4))
            expect(yield* fs.exists(out)).toBe(false)
            expect(yield* text(`${out}.journal`)).not.toContain(info.token)
            yield* tamper(out, random, random(2) === 0 ? "cut" : "torn")
          }
          const resumed = yield* Export.run(options)
          expect(resumed.resumed).toBe(true)
          expect(resumed.written).toBe(240)
          expect(yield* text(out)).toBe(expected)
          expect(yield* fs.exists(`${out}.partial`)).toBe(false)
          expect(yield* fs.exists(`${out}.journal`)).toBe(false)
        }
      }
      const body = yield* text(`${dir}/reference.ndjson`)
      const ids = ndjsonIds(body)
      expect(new Set(ids).size).toBe(240)
      expect(JSON.parse(yield* text(`${dir}/reference.json`)).map((c: { id: string }) => c.id)).toEqual(ids)
      const csv = (yield* text(`${dir}/reference.csv`)).split("\r\n")
      expect(csv[0]?.startsWith("type,id,")).toBe(true)
      expect(csv.filter((line) => line.startsWith("type,id,")).length).toBe(1)
    }).pipe(Effect.scoped, Effect.provide(layer({ contacts: 240, seed: 41, rateLimit: 0 }))))

  it.live("scroll source: a resumed export restarts the scroll and skips what was written; same ids, same order, none twice", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const info = yield* Sandbox.Sandbox
      const dir = yield* fs.makeTempDirectoryScoped()
      const random = prng(7)
      const source = Export.scroll(Companies.scroll(), (company) => company.id ?? "")
      const reference = `${dir}/reference.ndjson`
      yield* Export.run({ source, format: "ndjson", out: reference })
      const expected = ndjsonIds(yield* text(reference))
      expect(expected.length).toBe(450)
      expect(new Set(expected).size).toBe(450)

      const out = `${dir}/scroll.ndjson`
      for (const [pages, damage] of [[1, "cut"], [3, "torn"]] as const) {
        yield* crashAfter({ source, format: "ndjson", out }, pages)
        yield* tamper(out, random, damage)
        // The killed run's scroll stays open for a minute; a reset stands in for that minute.
        yield* Sandbox.reset(info, 11)
      }
      const resumed = yield* Export.run({ source, format: "ndjson", out })
      expect(resumed.resumed).toBe(true)
      expect(resumed.skipped).toBeGreaterThan(0)
      expect(ndjsonIds(yield* text(out))).toEqual(expected)
    }).pipe(Effect.scoped, Effect.provide(layer({ contacts: 50, companies: 450, seed: 11, rateLimit: 0 }))))

  it.live("crash after finishing but before the rename: the next run only moves the file; journals of other exports are refused", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const info = yield* Sandbox.Sandbox
      const dir = yield* fs.makeTempDirectoryScoped()
      const out = `${dir}/done.json`
      const body = "[\n{\"id\":\"a\"},\n{\"id\":\"b\"}\n]\n"
      yield* fs.writeFileString(`${out}.partial`, body)
      yield* fs.writeFileString(`${out}.journal`, [
        JSON.stringify({ _tag: "start", key: "k", format: "json" }),
        JSON.stringify({ _tag: "page", end: true, bytes: body.length - 3, count: 2 }),
        JSON.stringify({ _tag: "finished", bytes: body.length, count: 2 }),
        ""
      ].join("\n"))
      const before = (yield* Sandbox.stats(info)).byRoute["GET /contacts"] ?? 0
      const source = Export.cursor((startingAfter) => Contacts.pages({ startingAfter }))
      const summary = yield* Export.run({ source, format: "json", out, key: "k" })
      expect(summary).toEqual({ path: out, bytes: body.length, written: 2, pages: 0, resumed: true, skipped: 0 })
      expect(yield* text(out)).toBe(body)
      expect((yield* Sandbox.stats(info)).byRoute["GET /contacts"] ?? 0).toBe(before)
      expect(yield* fs.readDirectory(dir)).toEqual(["done.json"])

      // Another export's journal: refused, nothing touched; resume: false starts over.
      const other = `${dir}/other.ndjson`
      yield* crashAfter({ source, format: "ndjson", out: other, key: "contacts role=user" }, 1)
      const error = yield* Effect.flip(Export.run({ source, format: "ndjson", out: other, key: "contacts role=lead" }))
      expect(error._tag).toBe("ExportMismatch")
      const fresh = yield* Export.run({ source, format: "ndjson", out: other, key: "contacts role=lead", resume: false })
      expect(fresh.resumed).toBe(false)
      expect(ndjsonIds(yield* text(other)).length).toBe(30)
    }).pipe(Effect.scoped, Effect.provide(layer({ contacts: 30, seed: 42, rateLimit: 0 }))))

  it.live("written pages are let go: the first page's records can be collected while later pages are written", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const contacts = Export.cursor((startingAfter) => Contacts.pages({ perPage: 20, startingAfter }))
      expect(yield* firstPageHeld(contacts, `${dir}/contacts.ndjson`)).toEqual({ pages: 12, watched: 20, held: 0 })
      const companies = yield* firstPageHeld(Export.scroll(Companies.scroll(), (company) => company.id ?? ""), `${dir}/companies.ndjson`)
      expect(companies).toEqual({ pages: 6, watched: 100, held: 0 })
    }).pipe(Effect.scoped, Effect.provide(layer({ contacts: 240, companies: 450, seed: 5, rateLimit: 0 }))))

  it.live("a run that ends before its first page leaves no partial file and no journal; once a page is journaled both are kept, even when a resumed run fails at once", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const source = Export.cursor((startingAfter) => Contacts.pages({ perPage: 9, startingAfter }))
      const reference = `${dir}/reference.csv`
      yield* Export.run({ source, format: "csv", out: reference, key: "k" })
      const expected = yield* text(reference)
      const listing = Effect.map(fs.readDirectory(dir), (names) => [...names].sort())

      // The first request is refused (401), in every format: nothing is left but the reference.
      for (const format of ["ndjson", "json", "csv"] as const) {
        const error = yield* Effect.flip(withRejectedToken(Export.run({ source, format, out: `${dir}/out.${format}`, key: "k" })))
        expect(error._tag).toBe("Unauthorized")
        expect(yield* listing).toEqual(["reference.csv"])
      }

      // Interrupted before its first page: nothing left either.
      const out = `${dir}/out.csv`
      const options = { source, format: "csv", out, key: "k" } as const
      yield* crashAfter(options, 0)
      expect(yield* listing).toEqual(["reference.csv"])

      // What a kill -9 before the first page leaves (a journal holding only its header, half a page
      // in the partial file) is resumed from; and a run that fails at once removes it (nothing to resume).
      const killed = Effect.zipRight(
        fs.writeFileString(`${out}.journal`, `${JSON.stringify({ _tag: "start", key: "k", format: "csv" })}\n`),
        fs.writeFileString(`${out}.partial`, "type,id,half a pa")
      )
      yield* killed
      expect((yield* Effect.flip(withRejectedToken(Export.run(options))))._tag).toBe("Unauthorized")
      expect(yield* listing).toEqual(["reference.csv"])
      yield* killed
      expect((yield* Export.run(options)).written).toBe(60)
      expect(yield* text(out)).toBe(expected)
      yield* fs.remove(out)

      // Progress from an earlier run: a resumed run refused at once, or interrupted at once, keeps it byte for byte.
      yield* crashAfter(options, 2)
      const partial = yield* fs.readFile(`${out}.partial`)
      const journal = yield* fs.readFile(`${out}.journal`)
      expect(partial.length).toBeGreaterThan(0)
      expect((yield* Effect.flip(withRejectedToken(Export.run(options))))._tag).toBe("Unauthorized")
      yield* crashAfter(options, 0)
      expect(yield* fs.readFile(`${out}.partial`)).toEqual(partial)
      expect(yield* fs.readFile(`${out}.journal`)).toEqual(journal)
      const resumed = yield* Export.run(options)
      expect(resumed).toMatchObject({ resumed: true, written: 60 })
      expect(yield* text(out)).toBe(expected)
      expect(yield* listing).toEqual(["out.csv", "reference.csv"])

      // Another export's journal, even one holding only its header, is refused and left as it is.
      const other = `${dir}/other.csv`
      const header = `${JSON.stringify({ _tag: "start", key: "another", format: "csv" })}\n`
      yield* fs.writeFileString(`${other}.journal`, header)
      expect((yield* Effect.flip(Export.run({ ...options, out: other })))._tag).toBe("ExportMismatch")
      expect(yield* text(`${other}.journal`)).toBe(header)
    }).pipe(Effect.scoped, Effect.provide(layer({ contacts: 60, seed: 43, rateLimit: 0 }))))
})
