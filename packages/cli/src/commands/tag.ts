/**
 * `intercom-fx tag|untag <contacts|companies|conversations|tickets> --tag NAME
 * (--query TEXT | --ids FILE)`: applies or removes one tag on every matching record,
 * `--concurrency` at a time under the shared rate-limit budget. Creates the tag once if
 * missing. Reports matched / tagged / already tagged / failed with reasons, writes failed
 * ids to a file that `--ids` takes back, and journals outcomes so `--resume` continues
 * an interrupted job.
 */
import { Args, Command, Options } from "@effect/cli"
import * as FileSystem from "@effect/platform/FileSystem"
import { IntercomClient, type IntercomError, RateLimit } from "@intercom-fx/core"
import { QueryText, Search } from "@intercom-fx/streams"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Hash from "effect/Hash"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import * as Failure from "../Failure.js"
import { describe } from "../internal/help.js"
import { arrayAt, booleanAt, idOf, stringAt } from "../internal/json.js"
import * as Journal from "../Journal.js"
import * as Progress from "../Progress.js"
import * as Report from "../Report.js"
import * as Resources from "../Resources.js"
import * as Workspace from "../Workspace.js"

export type Action = "tag" | "untag"

export interface TagOptions {
  readonly resource: Resources.Taggable
  readonly tag: string
  readonly query: Option.Option<string>
  readonly ids: Option.Option<string>
  readonly dryRun: boolean
  readonly concurrency: number
  readonly resume: boolean
  readonly failedFile: string
  readonly journal: Option.Option<string>
  readonly progress: Progress.Mode
  readonly json: boolean
}

const options = {
  resource: Args.choice(Resources.taggable.map((name) => [name, name] as [string, Resources.Taggable]), { name: "resource" }),
  tag: Options.text("tag").pipe(Options.withAlias("t"), Options.withDescription("The tag's name.")),
  query: Options.text("query").pipe(
    Options.withAlias("q"),
    Options.withDescription("Search query selecting the records (contacts, conversations, tickets)."),
    Options.optional
  ),
  ids: Options.text("ids").pipe(
    Options.withDescription("File with one id per line (blank lines and # comments ignored), e.g. a failed-ids file."),
    Options.optional
  ),
  dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Report what would change; change nothing (not even create the tag).")),
  concurrency: Options.integer("concurrency").pipe(
    Options.withAlias("c"),
    Options.withDescription("Requests in flight at once (all share the rate-limit budget)."),
    Options.withDefault(8)
  ),
  resume: Options.boolean("resume").pipe(Options.withDescription("Continue an interrupted run of the same command from its journal.")),
  failedFile: Options.text("failed-ids").pipe(
    Options.withDescription("Where to write the ids that failed (only written when some did)."),
    Options.withDefault("intercom-fx-failed-ids.txt")
  ),
  journal: Options.text("journal").pipe(
    Options.withDescription("Journal file for --resume (default: .intercom-fx-<action>-<resource>-<hash>.journal in the current directory)."),
    Options.optional
  ),
  progress: Progress.option,
  json: Report.jsonOption
}

/** One record to act on: its id and, when it came from a search, the record itself. */
interface Target {
  readonly id: string
  readonly record: Option.Option<unknown>
}

interface Counts {
  readonly matched: number
  readonly done: number
  readonly already: number
  readonly failed: number
  readonly failures: ReadonlyArray<{ readonly id: string; readonly reason: string }>
}

const emptyCounts: Counts = { matched: 0, done: 0, already: 0, failed: 0, failures: [] }

const count = (counts: Counts, entry: Journal.Entry): Counts => ({
  matched: counts.matched + 1,
  done: counts.done + (entry.outcome === "done" ? 1 : 0),
  already: counts.already + (entry.outcome === "already" ? 1 : 0),
  failed: counts.failed + (entry.outcome === "failed" ? 1 : 0),
  failures: entry.outcome === "failed" ? [...counts.failures, { id: entry.id, reason: entry.reason ?? "failed" }] : counts.failures
})

/** The tag ids a record carries (contacts list them under `tags.data`, the others under `tags.tags`). */
const tagIdsOf = (record: unknown): { readonly ids: ReadonlyArray<string>; readonly complete: boolean } => ({
  ids: [...arrayAt(record, "tags.data"), ...arrayAt(record, "tags.tags")].flatMap((tag) => Option.toArray(Option.fromNullable(idOf(tag)))),
  complete: booleanAt(record, "tags.has_more") !== true
})

const readIds = (path: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(path).pipe(
      Effect.mapError((error) =>
        Failure.usage(error._tag === "SystemError" && error.reason === "NotFound" ? `--ids ${path} does not exist` : `cannot read --ids ${path}: ${error.message}`)
      )
    )
    const ids = text.split(/\r?\n/).map((line) => (line.split(",")[0] ?? "").trim().replace(/^"|"$/g, ""))
      .filter((line) => line !== "" && !line.startsWith("#") && line !== "id")
    return [...new Set(ids)]
  })

const reasonOf = (error: IntercomError.IntercomError): string =>
  error._tag === "NotFound" ? `not found (${error.message})` : error.message

/** Runs a tag or untag job; returns the summary and whether items failed. */
export const run = (action: Action, options: TagOptions): Effect.Effect<
  Report.Outcome & { readonly failed: boolean },
  Failure.CliFailure | IntercomError.IntercomError | QueryText.QueryTextError | Search.InvalidQuery,
  FileSystem.FileSystem | IntercomClient.IntercomClient | RateLimit.RateLimit
> =>
  Effect.gen(function*() {
    const client = yield* IntercomClient.IntercomClient
    const fs = yield* FileSystem.FileSystem
    const { resource } = options
    if (Option.isSome(options.query) === Option.isSome(options.ids)) {
      return yield* Failure.usage("give exactly one of --query TEXT or --ids FILE")
    }
    if (options.concurrency < 1) return yield* Failure.usage("--concurrency must be 1 or more")
    if (options.tag.trim() === "") return yield* Failure.usage("--tag must not be empty")

    // What to act on.
    let targets: Stream.Stream<Target, IntercomError.IntercomError, IntercomClient.IntercomClient>
    if (Option.isSome(options.query)) {
      if (!Resources.searchable(resource)) {
        return yield* Failure.usage(`${resource} cannot be searched: select them with --ids FILE`)
      }
      const query = yield* Effect.flatMap(QueryText.parse(options.query.value, resource), (parsed) => Search.compile(parsed, resource))
      const listing = Resources.listing(resource, { query: Option.some(query), contact: Option.none() })
      if (Either.isLeft(listing)) return yield* Failure.usage(listing.left)
      const fetch = listing.right
      targets = Stream.paginateChunkEffect(Option.none<string>(), (cursor) =>
        Effect.map(fetch(cursor), (page) =>
          [
            Chunk.fromIterable(page.items.flatMap((record) =>
              Option.toArray(Option.map(Option.fromNullable(idOf(record)), (id): Target => ({ id, record: Option.some(record) })))
            )),
            Option.map(page.next, Option.some)
          ] as const))
    } else {
      const ids = yield* readIds(Option.getOrElse(options.ids, () => ""))
      targets = Stream.fromIterable(ids.map((id): Target => ({ id, record: Option.none() })))
    }

    // The job's identity, for its journal.
    const job = JSON.stringify({ action, resource, tag: options.tag, query: options.query, ids: options.ids })
    const journalPath = Option.getOrElse(
      options.journal,
      () => `.intercom-fx-${action}-${resource}-${(Hash.string(job) >>> 0).toString(16)}.journal`
    )
    const previous = options.resume && !options.dryRun ? yield* Journal.read(journalPath, job) : new Map<string, Journal.Entry>()
    const writer = options.dryRun ? Option.none() : Option.some(yield* Journal.open(journalPath, job, options.resume))

    // The tag: found by name, created once when tagging (never in a dry run).
    const tags = arrayAt(yield* client.request({ method: "GET", path: "/tags" }), "data")
    const existing = Option.fromNullable(tags.find((tag) => stringAt(tag, "name") === options.tag)).pipe(
      Option.flatMap((tag) => Option.fromNullable(idOf(tag)))
    )
    const tagId: Option.Option<string> = Option.isSome(existing) || action === "untag" || options.dryRun
      ? existing
      : Option.fromNullable(idOf(yield* client.request({ method: "POST", path: "/tags", body: { name: options.tag } })))
    const adminId = resource === "conversations" || resource === "tickets"
      ? Option.fromNullable(idOf(yield* client.request({ method: "GET", path: "/me" })))
      : Option.none<string>()

    const write = (id: string, tag: string): Effect.Effect<unknown, IntercomError.IntercomError> => {
      const path = `/${resource}/${encodeURIComponent(id)}`
      const admin = Option.match(adminId, { onNone: () => ({}), onSome: (admin_id) => ({ admin_id }) })
      switch (resource) {
        case "contacts":
          return action === "tag"
            ? client.request({ method: "POST", path: `${path}/tags`, body: { id: tag }, idempotent: true })
            : client.request({ method: "DELETE", path: `${path}/tags/${encodeURIComponent(tag)}` })
        case "conversations":
        case "tickets":
          return action === "tag"
            ? client.request({ method: "POST", path: `${path}/tags`, body: { id: tag, ...admin }, idempotent: true })
            : client.request({ method: "DELETE", path: `${path}/tags/${encodeURIComponent(tag)}`, body: admin })
        case "companies":
          return client.request({
            method: "POST",
            path: "/tags",
            body: { name: options.tag, companies: [action === "tag" ? { id } : { id, untag: true }] },
            idempotent: true
          })
      }
    }

    const progress = yield* Progress.make(`${action} ${resource}`, options.progress)
    const counts = yield* Ref.make(emptyCounts)
    for (const entry of previous.values()) yield* Ref.update(counts, (c) => count(c, entry))
    if (previous.size > 0) yield* progress.advance(previous.size)

    /** Decides and applies one record's change; its outcome is journalled in the same uninterruptible step. */
    const processOne = (target: Target) =>
      Effect.uninterruptible(Effect.gen(function*() {
        const record = Option.isSome(target.record)
          ? Either.right(target.record.value)
          : yield* Effect.either(client.request({ method: "GET", path: Resources.recordPath(resource, target.id) }))
        const entry: Journal.Entry = yield* Either.match(record, {
          onLeft: (error) => Effect.succeed<Journal.Entry>({ id: target.id, outcome: "failed", reason: reasonOf(error) }),
          onRight: (found) => {
            const carried = tagIdsOf(found)
            const has = Option.isSome(tagId) && carried.ids.includes(tagId.value)
            const settled = action === "tag" ? has : Option.isNone(tagId) || (!has && carried.complete)
            if (settled) return Effect.succeed<Journal.Entry>({ id: target.id, outcome: "already" })
            if (options.dryRun || Option.isNone(tagId)) return Effect.succeed<Journal.Entry>({ id: target.id, outcome: "done" })
            return write(target.id, tagId.value).pipe(
              Effect.as<Journal.Entry>({ id: target.id, outcome: "done" }),
              Effect.catchIf(
                (error) => error._tag !== "Unauthorized" && error._tag !== "Forbidden",
                (error) => Effect.succeed<Journal.Entry>({ id: target.id, outcome: "failed", reason: reasonOf(error) })
              )
            )
          }
        })
        if (Option.isSome(writer)) yield* writer.value.append(entry)
        yield* Ref.update(counts, (c) => count(c, entry))
        yield* progress.advance(1)
      }))

    const interrupted = Effect.suspend(() =>
      options.dryRun
        ? Report.note("intercom-fx: interrupted (dry run: nothing was changed)")
        : Report.note(
          `intercom-fx: interrupted; finished items are recorded in ${journalPath}.\n` +
            "intercom-fx: to continue, rerun the same command with --resume"
        )
    )

    yield* targets.pipe(
      Stream.filter((target) => !previous.has(target.id)),
      Stream.mapEffect(processOne, { concurrency: options.concurrency, unordered: true }),
      Stream.runDrain,
      Effect.onInterrupt(() => interrupted)
    )

    const final = yield* Ref.get(counts)
    if (final.failed > 0) {
      yield* fs.writeFileString(options.failedFile, final.failures.map((failure) => `${failure.id}\n`).join("")).pipe(
        Effect.mapError((error) => Failure.failed(`cannot write ${options.failedFile}: ${error.message}`))
      )
    }
    if (!options.dryRun) yield* fs.remove(journalPath).pipe(Effect.ignore)

    const stats = yield* Effect.flatMap(RateLimit.RateLimit, (rateLimit) => rateLimit.stats)
    const verb = action === "tag" ? "tagged" : "untagged"
    const already = action === "tag" ? "already tagged" : "not tagged"
    const reasons = new Map<string, number>()
    for (const failure of final.failures) reasons.set(failure.reason, (reasons.get(failure.reason) ?? 0) + 1)
    return {
      failed: final.failed > 0,
      summary: {
        command: action, resource, tag: options.tag, dryRun: options.dryRun, matched: final.matched,
        [options.dryRun ? `would${verb[0]?.toUpperCase()}${verb.slice(1)}` : verb]: final.done,
        [action === "tag" ? "alreadyTagged" : "notTagged"]: final.already,
        failed: final.failed,
        failedIdsFile: final.failed > 0 ? options.failedFile : null,
        failures: final.failures.slice(0, 100),
        throttled: stats.throttled, rateLimited: stats.rateLimited
      },
      human: [
        `${action} "${options.tag}" on ${resource}${options.dryRun ? " (dry run, nothing changed)" : ""}: ` +
          `matched ${final.matched}, ${options.dryRun ? `would be ${verb}` : verb} ${final.done}, ${already} ${final.already}, failed ${final.failed}`,
        ...(final.failed > 0
          ? [
            `failed ids written to ${options.failedFile} (retry with --ids ${options.failedFile})`,
            ...[...reasons].slice(0, 5).map(([reason, n]) => `  ${n} × ${reason}`)
          ]
          : [])
      ]
    }
  }).pipe(Effect.scoped)

const make = (action: Action) =>
  Command.make(action, { ...options, workspace: Workspace.options }, ({ workspace, ...rest }) =>
    run(action, rest).pipe(
      Effect.tap(({ summary, human }) => Report.emit({ json: rest.json, stdoutBusy: false, summary, human })),
      Effect.flatMap(({ failed }) => (failed ? Effect.fail(Failure.failed("some items failed (see above)")) : Effect.void)),
      Effect.provide(Workspace.layer(workspace))
    )).pipe(
      Command.withDescription(describe(
        action === "tag"
          ? "Apply a tag to every record matched by --query or listed in --ids; creates the tag once if missing."
          : "Remove a tag from every record matched by --query or listed in --ids.",
        [
          `intercom-fx ${action} contacts --tag vip --query 'email ~ "@acme.com"' --dry-run`,
          `intercom-fx ${action} contacts --tag vip --query 'custom_attributes.plan = pro' --concurrency 16 --json`,
          `intercom-fx ${action} companies --tag churn-risk --ids companies.txt`,
          `intercom-fx ${action} contacts --tag vip --ids intercom-fx-failed-ids.txt   # retry the failures`,
          `intercom-fx ${action} contacts --tag vip --query 'role = lead' --resume     # after Ctrl-C`
        ]
      ))
    )

export const tag = make("tag")
export const untag = make("untag")
