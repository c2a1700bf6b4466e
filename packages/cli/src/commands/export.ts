/**
 * `intercom-fx export <resource>`: streams a listing or search page by page into NDJSON,
 * JSON or CSV, on stdout or in a file. A file export is written under a partial name with
 * a checkpoint after every page, renamed into place at the end; after Ctrl-C, `--resume`
 * continues it from the last complete page.
 */
import { Args, Command, HelpDoc, Options } from "@effect/cli"
import * as FileSystem from "@effect/platform/FileSystem"
import { type IntercomClient, type IntercomError, RateLimit } from "@intercom-fx/core"
import { Partition, QueryText, Search, type Sink } from "@intercom-fx/streams"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Checkpoint from "../Checkpoint.js"
import * as ExitCode from "../ExitCode.js"
import * as Failure from "../Failure.js"
import * as Encode from "../internal/encode.js"
import * as Progress from "../Progress.js"
import * as Report from "../Report.js"
import * as Resources from "../Resources.js"
import * as Workspace from "../Workspace.js"

export interface ExportOptions {
  readonly resource: Resources.Exportable
  readonly query: Option.Option<string>
  readonly since: Option.Option<string>
  readonly format: Sink.Format
  readonly fields: Option.Option<string>
  readonly out: string
  readonly limit: Option.Option<number>
  readonly parallel: Option.Option<number>
  readonly resume: boolean
  readonly contact: Option.Option<string>
  readonly progress: Progress.Mode
  readonly json: boolean
}

export const options = {
  resource: Args.choice(Resources.exportable.map((name) => [name, name] as [string, Resources.Exportable]), { name: "resource" }).pipe(
    Args.withDescription(`What to export: ${Resources.exportable.join(", ")}.`)
  ),
  query: Options.text("query").pipe(
    Options.withAlias("q"),
    Options.withDescription(`Search query (contacts, conversations, tickets), e.g. 'email ~ "@acme.com" AND role = user'.`),
    Options.optional
  ),
  since: Options.text("since").pipe(
    Options.withDescription("Only records updated on or after this day (YYYY-MM-DD, ISO time or UNIX seconds)."),
    Options.optional
  ),
  format: Options.choice("format", ["ndjson", "csv", "json"]).pipe(
    Options.withAlias("f"),
    Options.withDescription("Output format."),
    Options.withDefault("ndjson" as const)
  ),
  fields: Options.text("fields").pipe(
    Options.withDescription("Comma-separated dotted paths to keep, e.g. id,email,location.city (CSV columns)."),
    Options.optional
  ),
  out: Options.text("out").pipe(
    Options.withAlias("o"),
    Options.withDescription("Output file, or - for stdout. A file is written atomically and can be resumed."),
    Options.withDefault("-")
  ),
  limit: Options.integer("limit").pipe(Options.withDescription("Stop after N records."), Options.optional),
  parallel: Options.integer("parallel").pipe(
    Options.withDescription("Partitioned search: N concurrent searches over disjoint created_at ranges (contacts, conversations, tickets)."),
    Options.optional
  ),
  resume: Options.boolean("resume").pipe(
    Options.withDescription("Continue an interrupted export to the same --out file with the same options.")
  ),
  contact: Options.text("contact").pipe(Options.withDescription("The contact whose notes to export (notes only)."), Options.optional),
  progress: Progress.option,
  json: Report.jsonOption
}

const parseFields = (fields: Option.Option<string>): ReadonlyArray<string> | null =>
  Option.match(fields, {
    onNone: () => null,
    onSome: (text) => {
      const list = text.split(",").map((field) => field.trim()).filter((field) => field !== "")
      return list.length === 0 ? null : list
    }
  })

/** Partitions of `--parallel` cover created_at from here (before Intercom existed) to tomorrow. */
const PARTITION_START = "2010-01-01"

/** The query tree of `--query` and `--since` together (for partitioning). */
const searchQueryTree = (resource: Search.Resource, query: Option.Option<string>, since: Option.Option<number>) =>
  Effect.gen(function*() {
    const parsed = Option.isSome(query) ? Option.some(yield* QueryText.parse(query.value, resource)) : Option.none<Search.Query>()
    const sinceFilter = Option.map(since, (seconds) => Search.onOrAfter("updated_at", seconds))
    if (Option.isSome(parsed) && Option.isSome(sinceFilter)) return Search.and(parsed.value, sinceFilter.value)
    return Option.getOrElse(Option.orElse(parsed, () => sinceFilter), () => Search.where("created_at", ">", 0))
  })

/** The compiled search query (with `--since` folded in) for searchable resources. */
const searchQuery = (resource: Resources.Exportable, query: Option.Option<string>, since: Option.Option<number>) =>
  Effect.gen(function*() {
    if (!Resources.searchable(resource)) {
      if (Option.isSome(query)) {
        return yield* Failure.usage(`--query works for contacts, conversations and tickets, not ${resource}`)
      }
      return Option.none<Search.QueryBody>()
    }
    const parsed = Option.isSome(query) ? Option.some(yield* QueryText.parse(query.value, resource)) : Option.none<Search.Query>()
    const sinceFilter = Option.map(since, (seconds) => Search.onOrAfter("updated_at", seconds))
    const combined = Option.isSome(parsed) && Option.isSome(sinceFilter)
      ? Option.some<Search.Query>(Search.and(parsed.value, sinceFilter.value))
      : Option.orElse(parsed, () => sinceFilter)
    if (Option.isNone(combined)) return Option.none<Search.QueryBody>()
    return Option.some(yield* Search.compile(combined.value, resource))
  })

const writeStdout = (text: string) =>
  text === "" ? Effect.void : Effect.async<void>((resume) => {
    process.stdout.write(text, () => resume(Effect.void))
  })

/** Runs an export; returns the summary. */
export const run = (options: ExportOptions): Effect.Effect<
  Report.Outcome,
  Failure.CliFailure | IntercomError.IntercomError | QueryText.QueryTextError | Search.InvalidQuery,
  FileSystem.FileSystem | IntercomClient.IntercomClient | RateLimit.RateLimit
> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const toStdout = options.out === "-"
    if (toStdout && options.resume) return yield* Failure.usage("--resume needs --out FILE (stdout cannot be resumed)")
    if (Option.isSome(options.limit) && options.limit.value < 0) return yield* Failure.usage("--limit must be 0 or more")
    const since = yield* Option.match(options.since, {
      onNone: () => Effect.succeed(Option.none<number>()),
      onSome: (text) => {
        const seconds = Search.toUnixSeconds(text)
        return seconds === undefined
          ? Failure.usage(`--since "${text}" is not a date: use YYYY-MM-DD, an ISO time or UNIX seconds`)
          : Effect.succeed(Option.some(seconds))
      }
    })
    const fields = parseFields(options.fields)
    const query = yield* searchQuery(options.resource, options.query, since)
    const parallel = Option.getOrElse(options.parallel, () => 1)
    if (parallel < 1) return yield* Failure.usage("--parallel must be 1 or more")
    if (parallel > 1 && !Resources.searchable(options.resource)) {
      return yield* Failure.usage(`--parallel uses partitioned search: contacts, conversations and tickets only, not ${options.resource}`)
    }
    const sources: Array<Resources.FetchPage> = []
    if (parallel > 1 && Resources.searchable(options.resource)) {
      // Disjoint created_at day ranges, one search each; every record falls in exactly one.
      const where = Option.isSome(options.query) || Option.isSome(since)
        ? Option.some(yield* searchQueryTree(options.resource, options.query, since))
        : Option.none<Search.Query>()
      const tomorrow = Math.floor(Date.now() / 1000) + 2 * 86_400
      for (const slice of Partition.slices(PARTITION_START, tomorrow, parallel)) {
        const body = yield* Search.compile(Partition.sliceQuery("created_at", slice, Option.getOrUndefined(where)), options.resource)
        const listing = Resources.listing(options.resource, { query: Option.some(body), contact: options.contact })
        if (Either.isRight(listing)) sources.push(listing.right)
      }
    } else {
      const listing = Resources.listing(options.resource, { query, contact: options.contact })
      if (Either.isLeft(listing)) return yield* Failure.usage(listing.left)
      sources.push(listing.right)
    }
    // Resources without search filter --since on the records themselves.
    const keep = (record: unknown): boolean =>
      Resources.searchable(options.resource) || Option.isNone(since) ||
      (Resources.changedAt(record) ?? 0) >= since.value
    const limit = Option.getOrElse(options.limit, () => Number.POSITIVE_INFINITY)
    const fingerprint = JSON.stringify({
      resource: options.resource, query: options.query, since: options.since, format: options.format,
      fields, limit: options.limit, contact: options.contact, parallel
    })

    const start = toStdout || !options.resume ? Option.none<Checkpoint.Checkpoint>() : yield* Checkpoint.read(options.out)
    if (Option.isSome(start) && start.value.fingerprint !== fingerprint) {
      return yield* Failure.usage(
        `${Checkpoint.journalPath(options.out)} belongs to an export with other options: rerun it with the same options, or export without --resume`
      )
    }
    if (!toStdout && Option.isNone(start)) yield* Checkpoint.clear(options.out)
    const partial = Checkpoint.partialPath(options.out)
    const file = toStdout ? Option.none() : Option.some(
      yield* fs.open(partial, { flag: Option.isSome(start) ? "r+" : "w" }).pipe(
        Effect.mapError((error) => Failure.usage(`cannot write ${options.out}: ${error.message}`))
      )
    )
    const fileError = (error: { readonly message: string }) => Failure.failed(`cannot write ${partial}: ${error.message}`)
    if (Option.isSome(file) && Option.isSome(start)) {
      yield* file.value.truncate(start.value.bytes).pipe(Effect.mapError(fileError))
      yield* file.value.seek(start.value.bytes, "start")
    }

    let state: Encode.OutputState = Option.match(start, {
      onNone: () => ({ records: 0, columns: null }),
      onSome: (checkpoint) => ({ records: checkpoint.records, columns: checkpoint.columns })
    })
    let bytes = Option.match(start, { onNone: () => 0, onSome: (checkpoint) => checkpoint.bytes })
    let cursors: ReadonlyArray<{ readonly next: string | null; readonly done: boolean }> = Option.match(start, {
      onNone: () => sources.map(() => ({ next: null, done: false })),
      onSome: (checkpoint) => checkpoint.sources
    })
    if (cursors.length !== sources.length) return yield* Failure.usage(`${Checkpoint.journalPath(options.out)} does not match this export: export without --resume`)
    const resumedAt = state.records
    const progress = yield* Progress.make(options.resource, options.progress)
    if (resumedAt > 0) yield* progress.advance(resumedAt)

    const emit = (text: string) =>
      Option.match(file, {
        onNone: () => writeStdout(text),
        onSome: (handle) => {
          const data = new TextEncoder().encode(text)
          bytes += data.length
          return data.length === 0 ? Effect.void : handle.writeAll(data).pipe(Effect.mapError(fileError))
        }
      })

    const interrupted = Effect.suspend(() =>
      toStdout
        ? Report.note(`intercom-fx: interrupted after ${state.records} records`)
        : Report.note(
          `intercom-fx: interrupted after ${state.records} records; ${partial} and its journal are kept.\n` +
            `intercom-fx: to continue, rerun the same command with --resume`
        )
    )

    /** Writes one page of source `index` and checkpoints, as one step: an interruption lands between pages. */
    const writePage = (index: number, page: Resources.Page) =>
      Effect.uninterruptible(Effect.gen(function*() {
        const wanted = page.items.filter(keep).slice(0, Math.max(0, limit - state.records))
        const encoded = Encode.page(options.format, fields, state, wanted)
        yield* emit(encoded.text)
        state = encoded.state
        cursors = cursors.map((cursor, i) =>
          i === index ? { next: Option.getOrNull(page.next), done: Option.isNone(page.next) } : cursor)
        if (Option.isSome(file)) {
          yield* file.value.sync.pipe(Effect.mapError(fileError))
          yield* Checkpoint.write(options.out, {
            version: 2, fingerprint, sources: cursors, records: state.records, bytes,
            columns: state.columns === null ? null : [...state.columns]
          })
        }
        yield* progress.advance(wanted.length)
        if (Option.isSome(page.total) && sources.length === 1) yield* progress.total(Math.min(page.total.value, limit))
        return state.records < limit
      }))

    const pages = Stream.mergeAll(
      sources.flatMap((fetch, index) => {
        const cursor = cursors[index]
        if (cursor === undefined || cursor.done) return []
        return [Stream.paginateEffect(Option.fromNullable(cursor.next), (at) =>
          Effect.map(fetch(at), (page) => [{ index, page }, Option.map(page.next, Option.some)] as const))]
      }),
      { concurrency: Math.max(1, sources.length), bufferSize: 2 }
    )

    const body = Effect.gen(function*() {
      if (state.records < limit) yield* Stream.runForEachWhile(pages, ({ index, page }) => writePage(index, page))
      yield* emit(Encode.finish(options.format, fields, state))
      if (Option.isSome(file)) {
        yield* file.value.sync.pipe(Effect.mapError(fileError))
        yield* fs.rename(partial, options.out).pipe(Effect.mapError((error) => Failure.failed(`cannot move ${partial} to ${options.out}: ${error.message}`)))
        yield* fs.remove(Checkpoint.journalPath(options.out)).pipe(Effect.ignore)
      }
    })
    yield* body.pipe(Effect.onInterrupt(() => interrupted))

    const stats = yield* Effect.flatMap(RateLimit.RateLimit, (rateLimit) => rateLimit.stats)
    return {
      summary: {
        command: "export", resource: options.resource, records: state.records, out: options.out, format: options.format,
        resumedFrom: resumedAt, throttled: stats.throttled, rateLimited: stats.rateLimited
      },
      human: [
        `exported ${state.records} ${options.resource} to ${toStdout ? "stdout" : options.out} (${options.format})` +
          (resumedAt > 0 ? `, resumed after ${resumedAt}` : "")
      ]
    }
  }).pipe(Effect.scoped)

export const command = Command.make(
  "export",
  { ...options, workspace: Workspace.options },
  ({ workspace, ...rest }) =>
    run(rest).pipe(
      Effect.flatMap(({ summary, human }) => Report.emit({ json: rest.json, stdoutBusy: rest.out === "-", summary, human })),
      Effect.provide(Workspace.layer(workspace))
    )
).pipe(
  Command.withDescription(HelpDoc.blocks([
    HelpDoc.p("Export a resource to NDJSON, JSON or CSV. Contacts, conversations and tickets take --query; companies use the scroll API."),
    HelpDoc.p("Examples:"),
    HelpDoc.p("  intercom-fx export contacts --query 'email ~ \"@example.com\"' --format csv --fields id,email,location.city --out acme.csv"),
    HelpDoc.p("  intercom-fx export companies --out companies.ndjson"),
    HelpDoc.p("  intercom-fx export contacts --since 2024-01-01 --out recent.ndjson --resume"),
    HelpDoc.p("  intercom-fx export tags --sandbox --format json"),
    HelpDoc.p(ExitCode.helpText)
  ]))
)

