import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as FileSystem from "@effect/platform/FileSystem"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Fiber, Option, Schema, Stream } from "effect"
import { Csv, Export, Journal, Sink } from "../src/index.js"

const records = [
  { id: "1", name: "Ada, \"the\" first", location: { city: "London" }, custom_attributes: { plan: "=HYPERLINK(\"x\")" }, n: -5 },
  { id: "2", name: "+cmd|' /C calc'!A0", location: { city: null }, custom_attributes: { plan: "@SUM(1)" }, n: 3 },
  { id: "3", name: "-2+3", location: {}, custom_attributes: { plan: "\tTab" }, n: 0, extra: ["a", "b"] },
  { id: "4", name: "line\r\nbreak", location: { city: "\rCR" }, custom_attributes: {} }
]

describe("CSV", () => {
  it("quotes per RFC 4180 and neutralises formula starts", () => {
    const text = Chunk.join(Effect.runSync(Stream.runCollect(Sink.csv(Stream.fromIterable(records), {
      columns: ["id", "name", "location.city", "custom_attributes.plan", "n"]
    }))), "")
    expect(text).toBe([
      "id,name,location.city,custom_attributes.plan,n",
      "1,\"Ada, \"\"the\"\" first\",London,\"'=HYPERLINK(\"\"x\"\")\",-5",
      "2,'+cmd|' /C calc'!A0,,'@SUM(1),3",
      "3,'-2+3,,'\tTab,0",
      "4,\"line\r\nbreak\",\"'\rCR\",,",
      ""
    ].join("\r\n"))
  })

  it("cells: numbers stay numbers, objects are JSON, null is empty", () => {
    expect(Csv.cell(-5)).toBe("-5")
    expect(Csv.cell("-5")).toBe("'-5")
    expect(Csv.cell(null)).toBe("")
    expect(Csv.cell({ a: 1 })).toBe("\"{\"\"a\"\":1}\"")
    expect(Csv.cell("=1+1")).toBe("'=1+1")
  })

  it("paths: every dotted path readPath finds, and the one a misspelt path meant", () => {
    const record = { id: "1", email: null, location: { city: "Berlin", country: "DE" }, tags: { data: [{ id: "7" }] } }
    expect(Csv.paths(record)).toEqual(["id", "email", "location", "location.city", "location.country", "tags", "tags.data"])
    for (const path of Csv.paths(record)) expect(path === "email" || Csv.readPath(record, path) !== undefined).toBe(true)
    expect(Csv.closestPath("emial", record)).toBe("email")
    expect(Csv.closestPath("locaton.city", record)).toBe("location.city")
    expect(Csv.closestPath("tags.data.id", record)).toBeUndefined()
    expect(Csv.closestPath("plan", record)).toBeUndefined()
  })

  it("empty export with chosen columns still has its header; default columns from the first record", () => {
    expect(Chunk.join(Effect.runSync(Stream.runCollect(Sink.csv(Stream.empty, { columns: ["id"] }))), "")).toBe("id\r\n")
    expect(Chunk.join(Effect.runSync(Stream.runCollect(Sink.csv(Stream.make({ a: 1, b: "x" })))), "")).toBe("a,b\r\n1,x\r\n")
  })
})

describe("NDJSON and JSON", () => {
  it("one line per record, unknown fields kept; JSON array parses back", () => {
    const nd = Chunk.join(Effect.runSync(Stream.runCollect(Sink.ndjson(Stream.fromIterable(records)))), "")
    expect(nd.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))).toEqual(records)
    const js = Chunk.join(Effect.runSync(Stream.runCollect(Sink.json(Stream.fromIterable(records)))), "")
    expect(JSON.parse(js)).toEqual(records)
    expect(Chunk.join(Effect.runSync(Stream.runCollect(Sink.json(Stream.empty))), "")).toBe("[]\n")
  })
})

describe("toFile", () => {
  it.scoped("writes atomically; a failing stream leaves neither a final nor a temporary file", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const target = `${dir}/out.ndjson`
      const result = yield* Sink.toFile(Sink.ndjson(Stream.fromIterable(records)), target)
      expect(yield* fs.readFileString(target)).toBe(records.map((r) => `${JSON.stringify(r)}\n`).join(""))
      expect(BigInt(result.bytes)).toBe(BigInt((yield* fs.stat(target)).size))

      const failing = Stream.concat(Stream.fromIterable(records), Stream.fail("boom"))
      const bad = `${dir}/bad.ndjson`
      const error = yield* Effect.flip(Sink.toFile(Sink.ndjson(failing), bad))
      expect(error).toBe("boom")
      expect(yield* fs.exists(bad)).toBe(false)
      expect(yield* fs.readDirectory(dir)).toEqual(["out.ndjson"])

      // An existing file is replaced only on success.
      yield* Effect.flip(Sink.toFile(Sink.ndjson(failing), target))
      expect(yield* fs.readFileString(target)).toBe(records.map((r) => `${JSON.stringify(r)}\n`).join(""))
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.scoped("writes chunks of any size and script exactly (one encode buffer, reused and grown)", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const target = `${dir}/out.txt`
      // long then short (a stale tail of the buffer must not be written), multi-byte, several strings in one chunk, empty
      const pieces = ["é".repeat(5000), "a", "", "日本語 🙂\n", "x".repeat(20_000), "z"]
      const text = Stream.fromChunks(Chunk.of(pieces[0]!), Chunk.of(pieces[1]!), Chunk.make(pieces[2]!, pieces[3]!), Chunk.of(pieces[4]!), Chunk.of(pieces[5]!))
      const result = yield* Sink.toFile(text, target)
      const expected = pieces.join("")
      expect(yield* fs.readFileString(target)).toBe(expected)
      expect(result.bytes).toBe(Buffer.byteLength(expected))
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})

describe("file sinks and the paths they are given", () => {
  it.scoped("refuse a directory before reading a record, and say once what went wrong", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const target = `${dir}/sub`
      yield* fs.makeDirectory(target)
      let pulled = 0
      const counted = Stream.map(Stream.fromIterable(records), (record) => {
        pulled++
        return `${JSON.stringify(record)}\n`
      })
      const intoDirectory = yield* Effect.flip(Sink.toFile(counted, target))
      expect(intoDirectory.message).toBe(`cannot write ${target}: it is a directory`)
      const pages = Stream.map(counted, (line) => ({ items: [line], next: Option.none<string>() }))
      const exported = yield* Effect.flip(Export.run({ source: Export.cursor(() => pages), format: "ndjson", out: target }))
      expect(exported.message).toBe(`cannot write ${target}: it is a directory`)
      expect(pulled).toBe(0)
      expect(yield* fs.readDirectory(dir)).toEqual(["sub"]) // no temporary file beside it

      // A missing directory: the platform's text names the call and the path twice; ours once.
      const missing = yield* Effect.flip(Sink.toFile(counted, `${dir}/no-such-dir/out.ndjson`))
      expect(missing.message).toMatch(new RegExp(`^cannot create ${dir}/no-such-dir/\\S+: no such file or directory \\(ENOENT\\)$`))
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})

describe("Journal", () => {
  const Entry = Schema.Struct({ id: Schema.String, n: Schema.Number })
  const yieldToIo = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

  it.scoped("commits appends in groups: what arrives during an fsync shares the next one", () =>
    Effect.gen(function*() {
      const node = yield* FileSystem.FileSystem
      const dir = yield* node.makeTempDirectoryScoped()
      const path = `${dir}/j.ndjson`
      // Files whose fsyncs are counted; the first waits for the gate, so the other appends
      // all arrive while it is under way.
      const gate = yield* Deferred.make<void>()
      let syncs = 0
      const counting: FileSystem.FileSystem = {
        ...node,
        open: (at, options) =>
          Effect.map(node.open(at, options), (file) =>
            Object.create(file, {
              sync: { value: Effect.zipRight(Effect.suspend(() => (++syncs === 1 ? Deferred.await(gate) : Effect.void)), file.sync) }
            }))
      }
      const journal = yield* Journal.open(path, Entry).pipe(Effect.provideService(FileSystem.FileSystem, counting))
      const first = yield* Effect.fork(journal.append([{ id: "c0", n: 0 }]))
      while (syncs === 0) yield* yieldToIo
      const others = Array.from({ length: 99 }, (_, i) => ({ id: `c${i + 1}`, n: i + 1 }))
      const rest = yield* Effect.fork(Effect.forEach(others, (entry) => journal.append([entry]), { concurrency: "unbounded" }))
      for (let i = 0; i < 5; i++) yield* yieldToIo
      expect(first.unsafePoll()).toBeNull() // not answered before its fsync
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(first)
      yield* Fiber.join(rest)
      expect(syncs).toBe(2)
      // Every entry once; the first alone in the first group.
      const lines = (yield* node.readFileString(path)).trim().split("\n").map((line) => JSON.parse(line) as { readonly n: number })
      expect(lines[0]).toEqual({ id: "c0", n: 0 })
      expect(lines.slice(1).sort((a, b) => a.n - b.n)).toEqual(others)
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.scoped("refuses a file that is not a journal, and leaves it as it was", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const path = `${dir}/notes.md`
      const notJournals = [
        "# notes\nkeep me\n",
        "{\"id\":\"c1\",\"n\":1}\nnot an entry\n",
        "{\"id\":\"c1\",\"n\":1}\n{\"_tag\":\"garbage\"}\n",
        "{\"settings\":true}",
        "no newline at all"
      ]
      for (const text of notJournals) {
        yield* fs.writeFileString(path, text)
        const opened = yield* Effect.flip(Effect.scoped(Journal.open(path, Entry)))
        const checked = yield* Effect.flip(Journal.check(path, Entry))
        for (const error of [opened, checked]) {
          expect(error).toBeInstanceOf(Sink.SinkError)
          expect(error.message).toMatch(/^cannot use .*notes\.md: it is not a journal \(.+\); it was left as it is/)
        }
        expect(yield* fs.readFileString(path)).toBe(text)
      }
      // A journal, whole or cut mid-entry, passes the check.
      yield* fs.writeFileString(path, "{\"id\":\"c1\",\"n\":1}\n{\"id\":\"c2\",")
      yield* Journal.check(path, Entry)
      yield* Journal.check(`${dir}/absent.journal`, Entry)
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.scoped("reopens after a torn last line and cut points, keeping every complete entry", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const path = `${dir}/j.ndjson`
      const entries = Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, n: i }))
      yield* Effect.scoped(Effect.flatMap(Journal.open(path, Entry), (j) => j.append(entries)))
      const full = yield* fs.readFile(path)
      // Cut the file at every byte offset: what reopens is exactly the complete lines before the cut.
      for (let cut = 0; cut <= full.length; cut += 7) {
        yield* fs.writeFile(path, full.subarray(0, cut))
        const text = new TextDecoder().decode(full.subarray(0, cut))
        const complete = text.split("\n").length - 1
        const reopened = yield* Effect.scoped(Effect.gen(function*() {
          const j = yield* Journal.open(path, Entry)
          yield* j.append([{ id: "next", n: -1 }])
          return j.entries
        }))
        expect(reopened).toEqual(entries.slice(0, complete))
        const again = yield* Effect.scoped(Effect.map(Journal.open(path, Entry), (j) => j.entries))
        expect(again).toEqual([...entries.slice(0, complete), { id: "next", n: -1 }])
      }
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
