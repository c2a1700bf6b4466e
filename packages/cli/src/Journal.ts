/**
 * The outcome journal of a bulk tag/untag job: one JSON line per finished item
 * (`{"id","outcome","reason"?}`) after a header line naming the job. `--resume` reads
 * it back, skips every id it lists and counts their outcomes, so an interrupted job
 * continues with nothing repeated and the same final summary.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Failure from "./Failure.js"

export const Outcome = Schema.Literal("done", "already", "failed")
export type Outcome = typeof Outcome.Type

export const Entry = Schema.Struct({
  id: Schema.String,
  outcome: Outcome,
  reason: Schema.optionalWith(Schema.String, { exact: true })
})
export type Entry = typeof Entry.Type

const Header = Schema.Struct({ journal: Schema.Literal("intercom-fx"), job: Schema.String })

const decodeEntry = Schema.decodeUnknownOption(Schema.parseJson(Entry))
const decodeHeader = Schema.decodeUnknownOption(Schema.parseJson(Header))

/** What an earlier run of the same job finished, by id. */
export const read = (
  path: string,
  job: string
): Effect.Effect<ReadonlyMap<string, Entry>, Failure.CliFailure, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const exists = yield* fs.exists(path).pipe(Effect.orElseSucceed(() => false))
    if (!exists) return new Map()
    const text = yield* fs.readFileString(path).pipe(
      Effect.mapError((error) => Failure.usage(`cannot read the journal ${path}: ${error.message}`))
    )
    const [first = "", ...lines] = text.split("\n")
    const header = decodeHeader(first)
    if (Option.isNone(header) || header.value.job !== job) {
      return yield* Failure.usage(`the journal ${path} belongs to another job: rerun that job's exact command, or drop --resume`)
    }
    const entries = new Map<string, Entry>()
    // A line cut short by a crash is the last one and is simply not counted.
    for (const line of lines) Option.map(decodeEntry(line), (entry) => entries.set(entry.id, entry))
    return entries
  })

export interface Writer {
  readonly append: (entry: Entry) => Effect.Effect<void, Failure.CliFailure>
}

/** Opens the journal for appending (a fresh one unless `resume`); closed with the scope. */
export const open = (
  path: string,
  job: string,
  resume: boolean
): Effect.Effect<Writer, Failure.CliFailure, FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const fail = (error: { readonly message: string }) => Failure.failed(`cannot write the journal ${path}: ${error.message}`)
    const exists = yield* fs.exists(path).pipe(Effect.orElseSucceed(() => false))
    const file = yield* fs.open(path, { flag: resume && exists ? "a" : "w" }).pipe(Effect.mapError(fail))
    const encoder = new TextEncoder()
    if (!(resume && exists)) {
      yield* file.writeAll(encoder.encode(`${JSON.stringify({ journal: "intercom-fx", job })}\n`)).pipe(Effect.mapError(fail))
    }
    yield* Effect.addFinalizer(() => Effect.ignore(file.sync))
    const lock = yield* Effect.makeSemaphore(1)
    return {
      append: (entry) => lock.withPermits(1)(file.writeAll(encoder.encode(`${JSON.stringify(entry)}\n`)).pipe(Effect.mapError(fail)))
    }
  })
