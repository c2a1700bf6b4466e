/**
 * The implementation of `intercom-fx tag|untag` (loaded only when the command runs): the
 * targets (a search from the streams package, or ids from a file) go through `Bulk`
 * (`Bulk.resumable`, journalled per item, or `Bulk.run` for a dry run) with an operation
 * over core's generated services; per-item outcomes are counted into the summary.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { Admins, Companies, Contacts, Conversations, type IntercomClient, type IntercomError, RateLimit, Tags, Tickets } from "@intercom-fx/core"
import {
  Bulk,
  Contacts as ContactStreams,
  Conversations as ConversationStreams,
  Journal,
  Paginate,
  QueryText,
  Search,
  Sink,
  Tickets as TicketStreams
} from "@intercom-fx/streams"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Hash from "effect/Hash"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Failure from "../internal/cliFailure.js"
import { idsIn } from "../internal/idsFile.js"
import { readText } from "../internal/inputFile.js"
import { checkWritable } from "../internal/outputPath.js"
import { workspaceOf } from "../internal/workspaceId.js"
import { arrayAt, booleanAt, idOf } from "../internal/json.js"
import type { ProgressMode, Taggable } from "../internal/options.js"
import { searchable } from "../internal/options.js"
import * as Progress from "../Progress.js"
import type * as Report from "../Report.js"
import * as Shutdown from "../Shutdown.js"

export type Action = "tag" | "untag"

export interface TagOptions {
  readonly resource: Taggable
  readonly tag: string
  readonly query: Option.Option<string>
  readonly ids: Option.Option<string>
  readonly dryRun: boolean
  readonly concurrency: number
  readonly resume: boolean
  readonly failedFile: string
  readonly journal: Option.Option<string>
  readonly progress: ProgressMode
  readonly json: boolean
}

/** One record to act on: its id and, when it came from a search, the decoded record. */
interface Target {
  readonly id: string
  readonly record: Option.Option<unknown>
}

type Services = Admins | Companies | Contacts | Conversations | Tags | Tickets

/** The generated services the job uses, over the client. */
const services: Layer.Layer<Services, never, IntercomClient.IntercomClient> = Layer.mergeAll(
  Admins.Default,
  Companies.Default,
  Contacts.Default,
  Conversations.Default,
  Tags.Default,
  Tickets.Default
)

/** The tag ids a record carries (contacts list them under `tags.data`, the others under `tags.tags`). */
const tagIdsOf = (record: unknown): { readonly ids: ReadonlyArray<string>; readonly complete: boolean } => ({
  ids: [...arrayAt(record, "tags.data"), ...arrayAt(record, "tags.tags")].flatMap((tag) => Option.toArray(Option.fromNullable(idOf(tag)))),
  complete: booleanAt(record, "tags.has_more") !== true
})

const readIds = (path: string) =>
  Effect.gen(function*() {
    const text = yield* readText("--ids", path)
    const ids = idsIn(text)
    if (ids.length === 0) {
      return yield* Failure.usage(`--ids ${path} holds no ids (only blank lines, # comments or an "id" header): check the file, one id per line`)
    }
    return ids
  })

const reasonOf = (error: IntercomError.IntercomError): string =>
  error._tag === "NotFound" ? `not found (${error.message})` : error.message

const isAuth = (error: IntercomError.IntercomError): boolean => error._tag === "Unauthorized" || error._tag === "Forbidden"

/** The records a search selects, decoded once by the resource's schema; `onTotal` hears how many match. */
const searchTargets = (resource: "contacts" | "conversations" | "tickets", query: Search.Query, onTotal: (total: number) => void) => {
  const pages: Stream.Stream<Paginate.Page<unknown, string>, IntercomError.IntercomError | Search.InvalidQuery, IntercomClient.IntercomClient> =
    resource === "contacts"
      ? ContactStreams.searchPages(query)
      : resource === "conversations"
      ? ConversationStreams.searchPages(query)
      : TicketStreams.searchPages(query)
  const records = Paginate.items(Stream.map(pages, (page) => {
    if (page.total !== undefined) onTotal(page.total)
    return page
  }))
  return Stream.filterMap(records, (record) => Option.map(Option.fromNullable(idOf(record)), (id): Target => ({ id, record: Option.some(record) })))
}

interface Counts {
  matched: number
  done: number
  already: number
  failed: number
  readonly failures: Array<{ readonly id: string; readonly reason: string }>
}

/** What a job acts on: the records a search selects, or the ids read from `--ids`. */
type Selection =
  | { readonly _tag: "query"; readonly resource: "contacts" | "conversations" | "tickets"; readonly query: Search.Query }
  | { readonly _tag: "ids"; readonly ids: ReadonlyArray<string> }

/** A tag or untag job's options once checked, and what they select. */
export interface Checked {
  readonly action: Action
  readonly options: TagOptions
  readonly selection: Selection
  readonly journalPath: string
}

/** The job's identity: names its default journal, and (with the workspace) heads it. */
const identityOf = (action: Action, options: TagOptions) =>
  ({ action, resource: options.resource, tag: options.tag, query: options.query, ids: options.ids })

const jobKey = (action: Action, options: TagOptions): string => JSON.stringify(identityOf(action, options))

/**
 * Checks the options (the query, the ids file, the files the job writes) before the
 * workspace is set up; the command runs this first, so a mistake on the command line is
 * named even when the token is missing too.
 */
export const check = (action: Action, options: TagOptions): Effect.Effect<
  Checked,
  Failure.CliFailure | QueryText.QueryTextError | Search.InvalidQuery | Sink.SinkError,
  FileSystem.FileSystem
> =>
  Effect.gen(function*() {
    const { resource } = options
    if (Option.isSome(options.query) === Option.isSome(options.ids)) {
      return yield* Failure.usage("give exactly one of --query TEXT or --ids FILE")
    }
    if (options.concurrency < 1) return yield* Failure.usage("--concurrency must be 1 or more")
    if (options.tag.trim() === "") return yield* Failure.usage("--tag must not be empty")
    // `--tag --dry-run`: the parser took the next flag as the name, and the run would be real.
    if (options.tag.startsWith("-")) {
      return yield* Failure.usage(`--tag "${options.tag}" looks like a flag, not a tag name: give --tag its name first`)
    }

    let selection: Selection
    if (Option.isSome(options.query)) {
      if (!searchable(resource)) return yield* Failure.usage(`${resource} cannot be searched: select them with --ids FILE`)
      const query = yield* QueryText.parse(options.query.value, resource)
      yield* Search.compile(query, resource) // a bad query stops before any request
      selection = { _tag: "query", resource, query }
    } else {
      selection = { _tag: "ids", ids: yield* readIds(Option.getOrElse(options.ids, () => "")) }
    }

    const journalPath = Option.getOrElse(
      options.journal,
      () => `.intercom-fx-${action}-${resource}-${(Hash.string(jobKey(action, options)) >>> 0).toString(16)}.journal`
    )
    // The files this job may write, checked before any request (a dry run writes no journal).
    yield* checkWritable("--failed-ids", options.failedFile, { replaced: false })
    if (!options.dryRun) {
      yield* checkWritable("--journal", journalPath, { replaced: true })
      // A fresh run replaces the journal: only ever one, never a file given by mistake.
      yield* Bulk.checkJournal(journalPath)
    }
    return { action, options, selection, journalPath }
  })

/** Runs a checked tag or untag job; returns the summary and whether items failed. */
export const run = ({ action, journalPath, options, selection }: Checked): Effect.Effect<
  Report.Outcome & { readonly failed: boolean },
  | Failure.CliFailure
  | IntercomError.IntercomError
  | Search.InvalidQuery
  | Bulk.BulkFailed
  | Bulk.JournalMismatch
  | Sink.SinkError,
  FileSystem.FileSystem | IntercomClient.IntercomClient | RateLimit.RateLimit
> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const { resource } = options
    const identity = identityOf(action, options)

    // What to act on, and how many targets there are once known (for the progress ETA).
    let expected: number | undefined
    const targets: Stream.Stream<Target, IntercomError.IntercomError | Search.InvalidQuery, IntercomClient.IntercomClient> =
      selection._tag === "query"
        ? searchTargets(selection.resource, selection.query, (total) => expected = total)
        : Stream.map(Stream.fromIterable(selection.ids), (id): Target => ({ id, record: Option.none() }))
    if (selection._tag === "ids") expected = selection.ids.length

    // The tag: found by name; when tagging (never in a dry run) a missing one is created
    // once, when the first target arrives, so a selection that turns out empty (a query
    // that matches nothing, or a search that fails before its first match) leaves no new,
    // empty tag behind.
    const tagsApi = yield* Tags
    const tags = ((yield* tagsApi.list()).data ?? []).flatMap((tag) => (tag === null ? [] : [tag]))
    const existing = Option.fromNullable(tags.find((tag) => tag.name === options.tag)?.id)
    // Untagging by a name the workspace does not have would report every target "not
    // tagged" and exit 0: a misspelt name would go unnoticed. (Names are case-sensitive.)
    if (Option.isNone(existing) && action === "untag") {
      const differentCase = tags.find((tag) => tag.name?.toLowerCase() === options.tag.toLowerCase())?.name ?? undefined
      return yield* Failure.usage(
        `no tag named "${options.tag}" in this workspace, so nothing to untag` +
          (differentCase === undefined ? "" : ` (tag names are case-sensitive: did you mean "${differentCase}"?)`)
      )
    }
    const missing = Option.isNone(existing) && action === "tag"
    const creates = missing && !options.dryRun
    let created = false
    const tagIdOnce: Effect.Effect<Option.Option<string>, IntercomError.IntercomError> = creates
      ? yield* Effect.cached(Effect.map(tagsApi.create({ name: options.tag }), (tag) => {
        created = true
        return Option.fromNullable(tag.id)
      }))
      : Effect.succeed(existing)
    // Tagging with "vip" next to an existing "VIP" makes a second tag: say so in the summary.
    const sameButCase = missing
      ? Option.fromNullable(tags.find((tag) => tag.name?.toLowerCase() === options.tag.toLowerCase())?.name ?? undefined)
      : Option.none<string>()
    // One GET /me serves both the admin id (conversations, tickets) and the journal's workspace.
    const me = yield* Effect.cached((yield* Admins).identify())
    const adminId = resource === "conversations" || resource === "tickets"
      ? Option.fromNullable((yield* me).id).pipe(Option.map(String))
      : Option.none<string>()
    const admin_id = Option.getOrElse(adminId, () => "")

    const contacts = yield* Contacts
    const companies = yield* Companies
    const conversations = yield* Conversations
    const tickets = yield* Tickets
    // Tagging only sets state: core marks these POSTs idempotent, so they are retried like GETs.
    const fetch = (id: string): Effect.Effect<unknown, IntercomError.IntercomError> => {
      switch (resource) {
        case "contacts":
          return contacts.get(id)
        case "companies":
          return companies.get(id)
        case "conversations":
          return conversations.get(id)
        case "tickets":
          return tickets.get(id)
      }
    }

    const write = (id: string, tag: string): Effect.Effect<unknown, IntercomError.IntercomError> => {
      switch (resource) {
        case "contacts":
          return action === "tag" ? contacts.attachTag(id, { id: tag }) : contacts.detachTag(id, tag)
        case "conversations":
          return action === "tag"
            ? conversations.attachTag(id, { id: tag, admin_id })
            : conversations.detachTag(id, tag, { admin_id })
        case "tickets":
          return action === "tag" ? tickets.attachTag(id, { id: tag, admin_id }) : tickets.detachTag(id, tag, { admin_id })
        case "companies":
          return tagsApi.create({ name: options.tag, companies: [action === "tag" ? { id } : { id, untag: true }] })
      }
    }

    // Ctrl-C completes `stop`: targets not yet started are not started (the job ends as
    // interrupted), the ones in flight finish and are journalled, and only then does the
    // command end, so a resumed run counts each target once.
    const stop = yield* Deferred.make<void>()

    /** One record: already as wanted (`Bulk.Skip`), or changed (unless a dry run). Uninterruptible once started, so its outcome is journalled. */
    const operation = (target: Target): Effect.Effect<void, IntercomError.IntercomError | Bulk.Skip> =>
      Effect.flatMap(Deferred.isDone(stop), (stopped) => stopped ? Effect.interrupt : started(target))

    const started = (target: Target): Effect.Effect<void, IntercomError.IntercomError | Bulk.Skip> =>
      Effect.uninterruptible(Effect.gen(function*() {
        const record = Option.isSome(target.record) ? target.record.value : yield* fetch(target.id)
        const tagId = yield* tagIdOnce
        const carried = tagIdsOf(record)
        const has = Option.isSome(tagId) && carried.ids.includes(tagId.value)
        const settled = action === "tag" ? has : Option.isNone(tagId) || (!has && carried.complete)
        if (settled) return yield* new Bulk.Skip({ reason: action === "tag" ? "already tagged" : "not tagged" })
        if (options.dryRun || Option.isNone(tagId)) return
        yield* write(target.id, tagId.value)
      }))

    // Creating the tag is part of taking the first target: if it fails, the job fails (not an item).
    const selected = Stream.interruptWhen(creates ? Stream.tap(targets, () => tagIdOnce) : targets, Deferred.await(stop))
    const bulk = { id: (target: Target) => target.id, concurrency: options.concurrency }
    if (!options.dryRun && !options.resume) yield* Journal.remove(journalPath)
    // A --resume that finds no journal (another directory, a finished job) runs from the start; the summary says so.
    const nothingToResume = options.resume && !options.dryRun && !(yield* Effect.orElseSucceed(fs.exists(journalPath), () => true))
    // A journal of the same job in another workspace is refused (JournalMismatch).
    const outcomes = options.dryRun
      ? Bulk.run(selected, operation, bulk)
      : Bulk.resumable(selected, operation, { ...bulk, journal: journalPath, key: JSON.stringify({ workspace: workspaceOf(yield* me), ...identity }) })

    const progress = yield* Progress.make(`${action} ${resource}`, options.progress)
    const counts: Counts = { matched: 0, done: 0, already: 0, failed: 0, failures: [] }

    // Bulk removes a journal that records no finished item: then there is nothing to resume.
    const kept = options.dryRun ? Effect.succeed(false) : Effect.orElseSucceed(fs.exists(journalPath), () => true)
    const interrupted = Effect.flatMap(kept, (resumable) =>
      Effect.sync(() =>
        void process.stderr.write(
          options.dryRun
            ? "intercom-fx: interrupted (dry run: nothing was changed)\n"
            : resumable
            ? `intercom-fx: interrupted; finished items are recorded in ${journalPath}.\n` +
              "intercom-fx: to continue, rerun the same command with --resume\n"
            : "intercom-fx: interrupted before any item was finished; nothing to resume\n"
        )
      )).pipe(Effect.zipRight(Shutdown.interruptionReported))

    // A daemon, so interrupting this command does not interrupt the job before it has
    // journalled what is in flight; it is awaited on interruption below.
    const job = yield* Effect.forkDaemon(Stream.runForEach(outcomes, (outcome) =>
      Effect.gen(function*() {
        // A rejected token or missing permission stops the whole job (exit 3).
        if (outcome._tag === "Failed" && isAuth(outcome.error)) return yield* Effect.fail(outcome.error)
        counts.matched++
        if (outcome._tag === "Ok") counts.done++
        else if (outcome._tag === "Skipped") {
          // Resumed: the journal says what an earlier run did with the item.
          if (outcome.journaled === "ok") counts.done++
          else counts.already++
        } else {
          counts.failed++
          counts.failures.push({ id: outcome.id, reason: reasonOf(outcome.error) })
        }
        if (expected !== undefined) yield* progress.total(expected)
        // Items an earlier run finished are done, but not part of this run's rate.
        yield* outcome._tag === "Skipped" && outcome.journaled !== undefined ? progress.resumed(1) : progress.advance(1)
      })))
    yield* Fiber.join(job).pipe(
      Effect.onInterrupt(() => Effect.zipRight(Effect.zipRight(Deferred.succeed(stop, undefined), Fiber.await(job)), interrupted))
    )

    if (counts.failed > 0) {
      yield* fs.writeFileString(options.failedFile, counts.failures.map((failure) => `${failure.id}\n`).join("")).pipe(
        Effect.mapError((error) => Failure.failed(Sink.fromPlatformError(options.failedFile, "write")(error).message))
      )
    }
    if (!options.dryRun) yield* fs.remove(journalPath).pipe(Effect.ignore)

    const stats = yield* Effect.flatMap(RateLimit.RateLimit, (rateLimit) => rateLimit.stats)
    const retries = yield* Progress.retries
    // A real run creates the tag when the first target arrives, whatever then happens to it.
    const wouldCreate = missing && options.dryRun && counts.matched > 0
    const verb = action === "tag" ? "tagged" : "untagged"
    const already = action === "tag" ? "already tagged" : "not tagged"
    const reasons = new Map<string, number>()
    for (const failure of counts.failures) reasons.set(failure.reason, (reasons.get(failure.reason) ?? 0) + 1)
    return {
      failed: counts.failed > 0,
      summary: {
        command: action, resource, tag: options.tag, dryRun: options.dryRun, matched: counts.matched,
        [options.dryRun ? `would${verb[0]?.toUpperCase()}${verb.slice(1)}` : verb]: counts.done,
        [action === "tag" ? "alreadyTagged" : "notTagged"]: counts.already,
        failed: counts.failed,
        ...(action === "tag" ? { [options.dryRun ? "wouldCreateTag" : "createdTag"]: options.dryRun ? wouldCreate : created } : {}),
        ...(action === "tag" ? { otherCaseTag: Option.getOrNull(sameButCase) } : {}),
        failedIdsFile: counts.failed > 0 ? options.failedFile : null,
        failures: counts.failures.slice(0, 100),
        throttled: stats.throttled, rateLimited: stats.rateLimited, retries
      },
      human: [
        `${action} "${options.tag}" on ${resource}${options.dryRun ? " (dry run, nothing changed)" : ""}: ` +
          `matched ${counts.matched}, ${options.dryRun ? `would be ${verb}` : verb} ${counts.done}, ${already} ${counts.already}, failed ${counts.failed}`,
        ...(created ? [`created the tag "${options.tag}"`] : []),
        ...(wouldCreate ? [`the tag "${options.tag}" does not exist yet: a real run would create it`] : []),
        ...Option.match(sameButCase, {
          onNone: () => [],
          onSome: (name) =>
            created || wouldCreate
              ? [`note: the workspace also has a tag "${name}"; tag names are case-sensitive, so "${options.tag}" is another tag`]
              : []
        }),
        ...(nothingToResume ? [`there was nothing to resume (no journal ${journalPath}), so the job started from the beginning`] : []),
        ...(counts.failed > 0
          ? [
            `failed ids written to ${options.failedFile} (retry with --ids ${options.failedFile})`,
            ...[...reasons].slice(0, 5).map(([reason, n]) => `  ${n} × ${reason}`)
          ]
          : [])
      ]
    }
  }).pipe(Effect.scoped, Effect.provide(services))
