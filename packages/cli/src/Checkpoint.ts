/**
 * Resume state of a file export: which export it belongs to (a fingerprint of the
 * command's options), the cursor after the last page written (per partition), and how many records and
 * bytes of the partial output file are complete. Written atomically (temporary file,
 * rename) after every page, so after Ctrl-C or a crash the partial file is cut back to
 * `bytes` and the export continues from `cursor`: nothing lost, nothing repeated.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Failure from "./Failure.js"

export const Checkpoint = Schema.Struct({
  version: Schema.Literal(2),
  fingerprint: Schema.String,
  /** Per source (one, or one per partition with --parallel): the cursor of its next page, or done. */
  sources: Schema.Array(Schema.Struct({ next: Schema.NullOr(Schema.String), done: Schema.Boolean })),
  records: Schema.Number,
  bytes: Schema.Number,
  /** The CSV columns chosen from the first record, when `--fields` was not given. */
  columns: Schema.NullOr(Schema.Array(Schema.String))
})
export type Checkpoint = typeof Checkpoint.Type

const Json = Schema.parseJson(Checkpoint)

const sibling = (path: string, suffix: string): string => {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"))
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${suffix}`
}

/** Where an export to `out` keeps its partial output. */
export const partialPath = (out: string): string => sibling(out, "intercom-fx.partial")

/** Where an export to `out` keeps its checkpoint. */
export const journalPath = (out: string): string => sibling(out, "intercom-fx.journal")

/** The checkpoint of an interrupted export to `out`, if there is one. */
export const read = (out: string): Effect.Effect<Option.Option<Checkpoint>, Failure.CliFailure, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = journalPath(out)
    const exists = yield* fs.exists(path).pipe(Effect.orElseSucceed(() => false))
    if (!exists) return Option.none()
    const text = yield* fs.readFileString(path).pipe(
      Effect.mapError((error) => Failure.usage(`cannot read the export journal ${path}: ${error.message}`))
    )
    const checkpoint = yield* Schema.decode(Json)(text).pipe(
      Effect.mapError(() => Failure.usage(`the export journal ${path} is damaged: delete it and export again without --resume`))
    )
    return Option.some(checkpoint)
  })

/** Replaces the checkpoint of an export to `out` atomically. */
export const write = (out: string, checkpoint: Checkpoint): Effect.Effect<void, Failure.CliFailure, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = journalPath(out)
    const temp = `${path}.tmp`
    const text = yield* Schema.encode(Json)(checkpoint).pipe(Effect.orDie)
    yield* fs.writeFileString(temp, text).pipe(
      Effect.zipRight(fs.rename(temp, path)),
      Effect.mapError((error) => Failure.failed(`cannot write the export journal ${path}: ${error.message}`))
    )
  })

/** Removes the checkpoint and partial file of an export to `out`. */
export const clear = (out: string): Effect.Effect<void, never, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) =>
    Effect.all([fs.remove(journalPath(out)), fs.remove(partialPath(out))], { discard: true, mode: "either" }).pipe(Effect.ignore))
