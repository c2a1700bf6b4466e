/**
 * Tag every contact a search finds: a dry run first (what would change), then the real
 * run, each ending with a summary (ok / skipped / failed by error, throttled, 429s).
 *
 * For: ops people running a one-off or scheduled bulk change, who want to see the blast
 * radius before touching anything.
 *
 * Run:   npx tsx examples/bulk-tag.ts [--dry-run] [--tag=NAME] [query]
 *        npx tsx examples/bulk-tag.ts --dry-run --tag="Acme users" 'email ~ "@acme" AND role = user'
 * Real:  INTERCOM_ACCESS_TOKEN=… npx tsx examples/bulk-tag.ts --dry-run
 *
 * The same pipeline runs twice; only the operation differs (a no-op in the dry run).
 * Contacts that already carry the tag are skipped, so a rerun after a failure redoes
 * only what is left.
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Contacts, Intercom, IntercomClient, Tags } from "@intercom-fx/core"
import { Bulk, Contacts as ContactStreams, QueryText, type Search, Tags as TagStreams } from "@intercom-fx/streams"
import { Console, Effect, Layer, Option, Stream } from "effect"
import * as Workspace from "./workspace.js"

export interface Options {
  readonly tag: string
  readonly query: Search.Query
  readonly dryRun: boolean
}

/** What the job works on: the contact's id and whether it already has the tag. */
interface Item {
  readonly id: string
  readonly hasTag: boolean
}

const report = (title: string, done: string, s: Bulk.Summary) =>
  Console.log(
    `${title}: ${s.total} matched, ${s.ok} ${done}, ${s.skipped} skipped, ${s.failed} failed` +
      `${s.failed > 0 ? ` ${JSON.stringify(s.failures)}` : ""} (throttled ${s.throttled}, 429s ${s.rateLimited})`
  )

export const bulkTag = (options: Options) =>
  Effect.gen(function*() {
    const contacts = yield* Contacts
    const tags = yield* Tags

    // The items: search hits with an id, and whether they carry the tag already. A search
    // hit lists at most 10 tags; a contact with more may be tagged again, which is harmless.
    const items = (tagId: Option.Option<string>) =>
      ContactStreams.search(options.query).pipe(
        Stream.filterMap((contact) =>
          Option.map(Option.fromNullable(contact.id), (id): Item => ({
            id,
            hasTag: Option.isSome(tagId) && (contact.tags?.data ?? []).some((tag) => tag.id === tagId.value)
          }))
        )
      )

    // Dry run: never write, not even the tag. Look the tag up by name; it may not exist yet.
    const existing = yield* TagStreams.stream().pipe(
      Stream.filter((tag) => tag.name === options.tag),
      Stream.runHead,
      Effect.map(Option.flatMap((tag) => Option.fromNullable(tag.id)))
    )
    const plan = yield* Bulk.runSummary(
      items(existing),
      (item) => item.hasTag ? Effect.fail(new Bulk.Skip({ reason: "already tagged" })) : Effect.succeed("would tag"),
      { id: (item) => item.id }
    )
    yield* report(`dry run, tag "${options.tag}"`, "would be tagged", plan)
    if (options.dryRun) return { plan, applied: Option.none<Bulk.Summary>() }

    // The real run: create the tag (create-or-update by name, so safe to repeat), then
    // attach it, 8 requests in flight. All fibers share the client's rate-limit budget.
    const tag = yield* tags.create({ name: options.tag })
    const tagId = tag.id ?? ""
    const applied = yield* Bulk.runSummary(
      items(Option.some(tagId)),
      (item) => item.hasTag ? Effect.fail(new Bulk.Skip({ reason: "already tagged" })) : contacts.attachTag(item.id, { id: tagId }),
      { id: (item) => item.id, concurrency: 8 }
    )
    yield* report("applied", "tagged", applied)
    return { plan, applied: Option.some(applied) }
  })

/** The resource services (`Contacts`, `Tags`, …) over a client configured from Config. */
export const MainLive = Intercom.layer.pipe(
  Layer.provideMerge(IntercomClient.layerConfig()),
  Layer.provide(NodeHttpClient.layerUndici),
  Layer.provideMerge(Workspace.layer({ contacts: 2000 }))
)

// Run as a program (not when imported, e.g. by examples.test.ts).
if (process.argv[1] === import.meta.filename) {
  const args = process.argv.slice(2)
  const dryRun = args.includes("--dry-run")
  const tag = args.find((arg) => arg.startsWith("--tag="))?.slice("--tag=".length) ?? "Acme users"
  const text = args.find((arg) => !arg.startsWith("--")) ?? `email ~ "@acme" AND role = user`
  Effect.gen(function*() {
    const query = yield* QueryText.parse(text, "contacts")
    yield* bulkTag({ tag, query, dryRun })
  }).pipe(
    Effect.catchTag("QueryTextError", (error) =>
      Console.error(error.message).pipe(Effect.andThen(Effect.sync(() => (process.exitCode = 2))))),
    Effect.provide(MainLive),
    NodeRuntime.runMain
  )
}
