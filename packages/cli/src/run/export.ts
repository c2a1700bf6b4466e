/**
 * The implementation of `intercom-fx export` (loaded only when the command runs): the
 * resource's stream from the streams package, into `Export.run` for a file (partial file
 * + journal, resumable, renamed into place at the end) or into a sink on stdout.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { type IntercomClient, RateLimit } from "@intercom-fx/core"
import { Export, type Partition, QueryText, Search, Sink } from "@intercom-fx/streams"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import * as Failure from "../internal/cliFailure.js"
import * as FieldWatch from "../internal/fieldWatch.js"
import { checkWritable } from "../internal/outputPath.js"
import type { Exportable, ProgressMode } from "../internal/options.js"
import { project } from "../internal/project.js"
import { workspaceId } from "../internal/workspaceId.js"
import * as Progress from "../Progress.js"
import type * as Report from "../Report.js"
import * as Resources from "../Resources.js"
import * as Shutdown from "../Shutdown.js"

export interface ExportOptions {
  readonly resource: Exportable
  readonly query: Option.Option<string>
  readonly since: Option.Option<string>
  readonly format: Sink.Format
  readonly fields: Option.Option<string>
  readonly out: string
  readonly limit: Option.Option<number>
  readonly parallel: Option.Option<number>
  readonly resume: boolean
  readonly contact: Option.Option<string>
  readonly progress: ProgressMode
  readonly json: boolean
}

/** `--fields` as a list; given but empty (e.g. an unset shell variable) is a mistake, not "all fields". */
const parseFields = (fields: Option.Option<string>): Effect.Effect<ReadonlyArray<string> | null, Failure.CliFailure> =>
  Option.match(fields, {
    onNone: () => Effect.succeed(null),
    onSome: (text) => {
      // `--fields --json`: the parser took the next flag as the list.
      if (text.startsWith("-")) return Failure.usage(`--fields "${text}" looks like a flag, not field names: give --fields its list first`)
      const list = text.split(",").map((field) => field.trim()).filter((field) => field !== "")
      return list.length === 0
        ? Failure.usage("--fields names no field: give dotted paths such as id,email,location.city, or leave it out for every field")
        : Effect.succeed(list)
    }
  })

const sibling = (path: string, suffix: string): string => {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"))
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${suffix}`
}

/** Where an export to `out` keeps its partial output. */
export const partialPath = (out: string): string => sibling(out, "intercom-fx.partial")

/** Where an export to `out` keeps its journal. */
export const journalPath = (out: string): string => sibling(out, "intercom-fx.journal")

/** `--query` and `--since` as one search (searchable resources only). */
const searchQuery = (resource: Exportable, query: Option.Option<string>, since: Option.Option<number>) =>
  Effect.gen(function*() {
    if (!Resources.searchable(resource)) {
      if (Option.isSome(query)) return yield* Failure.usage(`--query works for contacts, conversations and tickets, not ${resource}`)
      return Option.none<Search.Query>()
    }
    const parsed = Option.isSome(query) ? Option.some(yield* QueryText.parse(query.value, resource)) : Option.none<Search.Query>()
    const sinceFilter = Option.map(since, (seconds) => Search.onOrAfter("updated_at", seconds))
    const combined = Option.isSome(parsed) && Option.isSome(sinceFilter)
      ? Option.some<Search.Query>(Search.and(parsed.value, sinceFilter.value))
      : Option.orElse(parsed, () => sinceFilter)
    // Checked here, so a bad query stops before any request.
    if (Option.isSome(combined)) yield* Search.compile(combined.value, resource)
    return combined
  })

/** An export's options once checked, and what they select. */
export interface Checked {
  readonly options: ExportOptions
  readonly fields: ReadonlyArray<string> | null
  readonly parallel: number
  readonly source: Resources.Source
}

/**
 * Checks the options before the workspace is set up (the command runs this first), so a
 * mistake on the command line is named even when the token is missing too: `--out
 * --sandbox` (the flag taken as the file name) must not get "no access token … or add
 * --sandbox".
 */
export const check = (options: ExportOptions): Effect.Effect<
  Checked,
  Failure.CliFailure | QueryText.QueryTextError | Search.InvalidQuery,
  FileSystem.FileSystem
> =>
  Effect.gen(function*() {
    const toStdout = options.out === "-"
    if (toStdout && options.resume) return yield* Failure.usage("--resume needs --out FILE (stdout cannot be resumed)")
    if (Option.isSome(options.limit) && options.limit.value < 0) return yield* Failure.usage("--limit must be 0 or more")
    if (Option.isSome(options.since) && Resources.undated(options.resource)) {
      return yield* Failure.usage(
        `--since cannot select ${options.resource}: their records carry no updated_at or created_at; leave it out to export them all`
      )
    }
    if (!toStdout) yield* checkWritable("--out", options.out, { replaced: true })
    const since = yield* Option.match(options.since, {
      onNone: () => Effect.succeed(Option.none<number>()),
      onSome: (text) => {
        const seconds = Search.toUnixSeconds(text)
        return seconds === undefined
          ? Failure.usage(`--since "${text}" is not a date: use YYYY-MM-DD, an ISO time or UNIX seconds`)
          : Effect.succeed(Option.some(seconds))
      }
    })
    const fields = yield* parseFields(options.fields)
    const where = yield* searchQuery(options.resource, options.query, since)
    const parallel = Option.getOrElse(options.parallel, () => 1)
    if (parallel < 1) return yield* Failure.usage("--parallel must be 1 or more")
    if (parallel > 1 && !Resources.searchable(options.resource)) {
      return yield* Failure.usage(`--parallel uses partitioned search: contacts, conversations and tickets only, not ${options.resource}`)
    }
    if (Option.isSome(options.contact) && options.resource !== "notes") {
      return yield* Failure.usage(`--contact selects whose notes to export; ${options.resource} are not listed per contact, leave it out`)
    }
    const found = Resources.source(options.resource, { where, parallel, contact: options.contact })
    if (Either.isLeft(found)) return yield* Failure.usage(found.left)
    // Resources without search filter --since on the records themselves.
    const source = Resources.searchable(options.resource) || Option.isNone(since)
      ? found.right
      : Resources.filter(found.right, (record) => (Resources.changedAt(record) ?? 0) >= since.value)
    return { options, fields, parallel, source }
  })

/** Runs a checked export; returns the summary. */
export const run = ({ options, fields, parallel, source }: Checked): Effect.Effect<
  Report.Outcome,
  Failure.CliFailure | Resources.SourceError | Export.ExportError | Partition.InvalidPartitionCursor,
  FileSystem.FileSystem | IntercomClient.IntercomClient | RateLimit.RateLimit
> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const toStdout = options.out === "-"
    const limit = Option.getOrUndefined(options.limit)
    const watch = FieldWatch.make(fields ?? [])
    // CSV picks its columns from the record; NDJSON and JSON keep only the chosen fields.
    const shape = fields === null ? undefined : (record: unknown) => {
      watch.observe(record)
      return options.format === "csv" ? record : project(record, fields)
    }
    const csv = fields !== null && options.format === "csv" ? { columns: fields } : undefined

    const progress = yield* Progress.make(options.resource, options.progress)
    /** The expected record count, for the ETA: the listing's size, or the limit if smaller. */
    const expect = (listing: number | undefined) =>
      listing === undefined ? Effect.void : progress.total(limit === undefined ? listing : Math.min(listing, limit))
    const written = yield* Ref.make(0)
    const resumedFrom = yield* Ref.make(0)
    const partial = partialPath(options.out)

    // Export.run removes the partial file and journal of a run that journaled no page: then there is nothing to resume.
    const kept = toStdout ? Effect.succeed(false) : Effect.orElseSucceed(fs.exists(journalPath(options.out)), () => true)
    const interrupted = Effect.flatMap(Effect.zip(Ref.get(written), kept), ([records, resumable]) =>
      Effect.sync(() =>
        void process.stderr.write(
          toStdout
            ? `intercom-fx: interrupted after ${records} records\n`
            : resumable
            ? `intercom-fx: interrupted after ${records} records; ${partial} and its journal are kept.\n` +
              "intercom-fx: to continue, rerun the same command with --resume\n"
            : "intercom-fx: interrupted before the first record was written; nothing to resume\n"
        )
      )).pipe(Effect.zipRight(Shutdown.interruptionReported))

    const toFile = (workspace: string) => Export.run({
      source,
      format: options.format,
      out: options.out,
      partial,
      journal: journalPath(options.out),
      resume: options.resume,
      // The journal of an export with other options, or of another workspace, is refused.
      key: JSON.stringify({
        workspace,
        resource: options.resource, query: options.query, since: options.since, format: options.format,
        fields, limit: options.limit, contact: options.contact, parallel
      }),
      ...(csv === undefined ? {} : { csv }),
      ...(limit === undefined ? {} : { limit }),
      ...(shape === undefined ? {} : { project: shape }),
      onResume: (count) => Effect.zipRight(Ref.set(resumedFrom, count), Effect.zipRight(Ref.set(written, count), progress.resumed(count))),
      onPage: ({ added, total, written: count }) =>
        Effect.zipRight(
          Effect.zipRight(Ref.set(written, count), expect(total)),
          // A page of no records (an empty slice of a partitioned search) is no progress.
          added === 0 ? Effect.void : progress.advance(added)
        )
    }).pipe(Effect.flatMap((summary) => Ref.set(written, summary.written)))

    let listed: number | undefined
    const records = limit === 0 ? Stream.empty : Resources.records(source, (total) => listed = total).pipe((all) => (limit === undefined ? all : Stream.take(all, limit)))
    // Records are counted as they pass and reported once written, by the sink: an effectful
    // stage here would keep each page reachable long enough to be promoted (see Sink.toStdout).
    let counted = 0
    const reportWritten = Effect.suspend(() => {
      const added = counted
      counted = 0
      // A chunk of no records (JSON's closing bracket) is no progress.
      return added === 0
        ? Effect.void
        : Effect.zipRight(Effect.zipRight(Ref.update(written, (n) => n + added), expect(listed)), progress.advance(added))
    })
    const toStdoutRun = records.pipe(
      Stream.mapChunks((chunk) => {
        counted += chunk.length
        return shape === undefined ? chunk : Chunk.map(chunk, shape)
      }),
      Sink.encode(options.format, csv),
      Sink.toStdout({ afterWrite: reportWritten })
    )

    yield* (toStdout ? toStdoutRun : Effect.flatMap(workspaceId, toFile)).pipe(Effect.onInterrupt(() => interrupted))

    const stats = yield* Effect.flatMap(RateLimit.RateLimit, (rateLimit) => rateLimit.stats)
    const retries = yield* Progress.retries
    const total = yield* Ref.get(written)
    const resumedAt = yield* Ref.get(resumedFrom)
    return {
      summary: {
        command: "export", resource: options.resource, records: total, out: options.out, format: options.format,
        resumedFrom: resumedAt, throttled: stats.throttled, rateLimited: stats.rateLimited, retries,
        ...(fields === null ? {} : { unmatchedFields: watch.unmatched(), fieldSuggestions: FieldWatch.suggestions(watch) })
      },
      human: [
        `exported ${total} ${options.resource} to ${toStdout ? "stdout" : options.out} (${options.format})` +
          (resumedAt > 0 ? `, resumed after ${resumedAt}` : options.resume ? "; there was nothing to resume, so it started from the beginning" : ""),
        ...FieldWatch.warning(watch, total - resumedAt)
      ]
    }
  }).pipe(Effect.scoped)
