/**
 * Runs every example's program in-process against its own sandbox (the same layers its
 * entry point uses) and checks what it did: files written, records exported, tags in the
 * sandbox, summaries, HTTP answers. `run.ts` covers the entry points as child processes.
 */
import { createRequire } from "node:module"
import { Command, FileSystem } from "@effect/platform"
import { NodeContext, NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Contacts as ContactsService, Intercom } from "@intercom-fx/core"
import { Contacts, Search, Tags } from "@intercom-fx/streams"
import { Chunk, Clock, ConfigProvider, Effect, Layer, Option, Stream } from "effect"
import * as BulkTag from "./bulk-tag.js"
import * as Dormant from "./dormant-contacts.js"
import * as Errors from "./error-handling.js"
import * as ExportCsv from "./export-csv.js"
import * as Service from "./http-service.js"
import * as Sync from "./incremental-sync.js"
import * as Workspace from "./workspace.js"

/** Provides an example's layers, always on a local sandbox (even if the shell has a real token). */
const onSandbox = <ROut, E1>(layer: Layer.Layer<ROut, E1>) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  self.pipe(
    Effect.zipLeft(Effect.flatMap(Workspace.LocalSandbox, (sandbox) => Effect.sync(() => expect(Option.isSome(sandbox)).toBe(true)))),
    Effect.provide(Layer.merge(layer, NodeFileSystem.layer)),
    Effect.scoped,
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
  )

const ids = <A extends { readonly id?: string | null | undefined }>(items: Iterable<A>): Array<string> =>
  [...items].flatMap((item) => (item.id ? [item.id] : [])).sort()

const searchIds = (query: Search.Query) => Effect.map(Stream.runCollect(Contacts.search(query)), ids)

const tempDir = Effect.flatMap(FileSystem.FileSystem, (fs) => fs.makeTempDirectoryScoped({ prefix: "examples-test-" }))

describe("examples", () => {
  it.live("an entry point runs as a program: `tsx examples/export-csv.ts out.csv <query>` (its own sandbox)", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const cwd = yield* tempDir
      const run = (...args: Array<string>) =>
        Command.make(process.execPath, createRequire(import.meta.url).resolve("tsx/cli"), `${import.meta.dirname}/export-csv.ts`, ...args).pipe(
          Command.workingDirectory(cwd),
          Command.env({ INTERCOM_ACCESS_TOKEN: "" }),
          Command.exitCode
        )
      expect(yield* run("acme.csv", `email ~ "@acme" AND role = user`)).toBe(0)
      expect((yield* fs.readFileString(`${cwd}/acme.csv`)).split("\r\n").length).toBeGreaterThan(100)
      expect(yield* run("bad.csv", "plan = pro")).toBe(2) // a bad query: a message and exit code 2
      expect(yield* fs.exists(`${cwd}/bad.csv`)).toBe(false)
    }).pipe(Effect.provide(NodeContext.layer), Effect.scoped), 60_000)

  it.live("export-csv: the chosen columns, exactly the contacts the search matches", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const out = `${yield* tempDir}/pro.csv`
      yield* ExportCsv.exportCsv({ out })
      const [header, ...rows] = (yield* fs.readFileString(out)).trimEnd().split("\r\n")
      expect(header).toBe(ExportCsv.columns.join(","))
      const expected = yield* searchIds(ExportCsv.proUsersOf2024)
      expect(expected.length).toBeGreaterThan(10)
      expect(rows.map((row) => row.split(",")[0]).sort()).toEqual(expected)
      for (const row of rows) expect(row).toMatch(/,user,pro,/)

      // The text form; a bad query fails before any request, pointing at the bad token.
      const acme = `${yield* tempDir}/acme.csv`
      yield* ExportCsv.exportCsv({ out: acme, query: `email ~ "@acme" AND role = user` })
      const acmeRows = (yield* fs.readFileString(acme)).trimEnd().split("\r\n").slice(1)
      expect(acmeRows.length).toBe((yield* searchIds(Search.and(Search.where("email", "~", "@acme"), Search.where("role", "=", "user")))).length)
      const bad = yield* Effect.flip(ExportCsv.exportCsv({ out: `${yield* tempDir}/bad.csv`, query: "plan = pro" }))
      expect(bad).toMatchObject({ _tag: "QueryTextError", position: 0 })
    }).pipe(onSandbox(ExportCsv.MainLive)), 60_000)

  it.live("bulk-tag: the dry run writes nothing; the real run tags exactly the matches; a rerun skips them", () =>
    Effect.gen(function*() {
      const query = Search.and(Search.where("email", "~", "@acme"), Search.where("role", "=", "user"))
      const matches = yield* searchIds(query)
      const tag = "Acme users (test)"

      const dry = yield* BulkTag.bulkTag({ tag, query, dryRun: true })
      expect(dry.plan).toMatchObject({ total: matches.length, ok: matches.length, skipped: 0, failed: 0 })
      expect(Option.isNone(dry.applied)).toBe(true)
      expect(yield* tagIdOf(tag)).toBe("") // not even the tag was created

      const run = yield* BulkTag.bulkTag({ tag, query, dryRun: false })
      expect(Option.getOrThrow(run.applied)).toMatchObject({ total: matches.length, ok: matches.length, failed: 0 })
      const tagId = yield* tagIdOf(tag)
      expect(yield* searchIds(Search.where("tag_id", "=", tagId))).toEqual(matches)

      const again = yield* BulkTag.bulkTag({ tag, query, dryRun: false })
      expect(again.plan).toMatchObject({ ok: 0, skipped: matches.length })
      expect(Option.getOrThrow(again.applied)).toMatchObject({ ok: 0, skipped: matches.length })
    }).pipe(onSandbox(BulkTag.MainLive)), 60_000)

  it.live("dormant-contacts: tags exactly the company contacts last seen before the cutoff", () =>
    Effect.gen(function*() {
      const contacts = yield* ContactsService
      // Three company members were seen just now: they must not be tagged.
      const all = [...(yield* Stream.runCollect(Contacts.stream()))]
      const members = all.filter((c) => (c.companies?.total_count ?? 0) > 0 && typeof c.last_seen_at === "number")
      const recent = ids(members.slice(0, 3))
      const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
      yield* Effect.forEach(recent, (id) => contacts.update(id, { last_seen_at: now }))

      const result = yield* Dormant.tagDormantContacts({ days: 90, tag: "Dormant (test)" })
      const expected = ids(members.filter((c) => !recent.includes(c.id ?? "") && (c.last_seen_at ?? 0) < result.cutoff))
      expect(expected.length).toBeGreaterThan(100)
      expect(result.summary).toMatchObject({ total: expected.length, ok: expected.length, failed: 0 })
      const tagged = yield* searchIds(Search.where("tag_id", "=", result.tagId))
      expect(tagged).toEqual(expected)
      for (const id of recent) expect(tagged).not.toContain(id)
    }).pipe(onSandbox(Dormant.MainLive)), 60_000)

  it.live("http-service: serves contacts, tags VIPs, maps NotFound to 404", () =>
    Effect.gen(function*() {
      const result = yield* Service.demo
      const contact = yield* Contacts.get(result.id)
      expect(result.get).toEqual({ status: 200, body: { id: result.id, email: contact.email, name: contact.name } })
      expect(result.vip).toEqual({ status: 200, body: { id: result.id, tagged: "VIP" } })
      expect(result.missing).toEqual({ status: 404, body: { error: "no such contact" } })
      const tags = yield* Stream.runCollect(Contacts.tags(result.id))
      expect(Chunk.toReadonlyArray(tags).map((tag) => tag.name)).toContain("VIP")
    }).pipe(onSandbox(Service.ServerLive({ port: 0, host: "127.0.0.1" }).pipe(Layer.provideMerge(Workspace.layer({ contacts: 200 }))))), 60_000)

  it.live("incremental-sync: the second run exports exactly the contacts changed since the first", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const contacts = yield* ContactsService
      const dir = yield* tempDir
      const exportedIds = (path: string) =>
        Effect.map(fs.readFileString(path), (text) =>
          text.split("\n").filter((line) => line !== "").map((line) => String(JSON.parse(line).id)).sort())

      const first = yield* Sync.sync(dir)
      expect(first.since).toBe(0)
      expect(first.exported).toBe(2000)
      expect((yield* exportedIds(first.out)).length).toBe(2000)

      const changed = ids([...(yield* Stream.runCollect(Stream.take(Contacts.stream({ perPage: 50 }), 120)))].filter((_, i) => i % 40 === 7))
      yield* Effect.forEach(changed, (id) => contacts.update(id, { name: `Renamed ${id}` }))

      const second = yield* Sync.sync(dir)
      expect(second.since).toBe(first.nextWatermark)
      expect(second.exported).toBe(changed.length)
      expect(yield* exportedIds(second.out)).toEqual(changed)
      expect(JSON.parse(yield* fs.readFileString(`${dir}/watermark.json`))).toEqual({ watermark: second.nextWatermark })
    }).pipe(onSandbox(Intercom.layer.pipe(Layer.provideMerge(Sync.MainLive)))), 60_000)

  it.live("error-handling: NotFound -> none, Unauthorized -> TokenRejected, RateLimited -> cached value", () =>
    Effect.gen(function*() {
      const result = yield* Errors.program
      expect(Option.isNone(result.missing)).toBe(true)
      expect(result.rejected._tag).toBe("TokenRejected")
      expect(result.rejected.message).toContain("INTERCOM_ACCESS_TOKEN")
      expect(result.warm.fresh).toBe(true)
      const limited = Option.getOrThrow(result.limited)
      expect(limited).toMatchObject({ fresh: false, email: result.warm.email })
      expect(limited.retryAt).toBeGreaterThan(0)
      // The fault knob is off again: the same lookup is fresh.
      const contacts = yield* ContactsService
      const list = yield* contacts.list({ per_page: 1 })
      expect((yield* Errors.findContact(list.data?.[0]?.id ?? "")).pipe(Option.isSome)).toBe(true)
    }).pipe(onSandbox(Errors.MainLive)), 60_000)
})

const tagIdOf = (name: string) =>
  Effect.map(Stream.runCollect(Stream.filter(Tags.stream(), (tag) => tag.name === name)), (tags) => ids(tags)[0] ?? "")
