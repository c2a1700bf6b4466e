/**
 * An append-only checkpoint journal: one JSON document per line, on disk (fsync'd) before
 * `append` returns, so a killed export or bulk job can resume.
 *
 * Appends are committed in groups: what is appended while one write and fsync are under
 * way goes out in the next write, under one fsync. A bulk job with many items in flight
 * thus pays an fsync per batch, not per item: at 10 ms an fsync (a slow or network disk),
 * one per item would cap a job at 100 items/s, below Intercom's rate.
 *
 * Opening a journal reads what is there and decodes each line with the entry schema. A
 * torn last line (the process died mid-write) is cut off, so the next append starts on a
 * fresh line. A file that is not a journal (a whole line that is not an entry, or no entry
 * and text that is not a torn one) fails to open with a `SinkError` and is left as it is:
 * a mistyped path must not truncate, append to or later remove someone's file (`check`
 * says the same before a job removes a journal to start afresh). Never put secrets
 * (the access token) in entries.
 *
 * @since 0.1.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { fromPlatformError, SinkError } from "./Sink.js"

export interface Journal<A> {
  readonly path: string
  /** The entries that were in the file when it was opened, oldest first. */
  readonly entries: ReadonlyArray<A>
  /** Appends entries and fsyncs the file. */
  readonly append: (entries: ReadonlyArray<A>) => Effect.Effect<void, SinkError>
}

/** Entries waiting for the writer, and the append to answer once they are on disk. */
interface Waiting {
  readonly text: string
  readonly written: Deferred.Deferred<void, SinkError>
}

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** Text that can be the start of an entry cut off by a crash: an object's beginning, unfinished. */
const isTornEntry = (text: string): boolean => {
  if (!text.startsWith("{")) return false
  try {
    JSON.parse(text)
    return false
  } catch {
    return true
  }
}

/**
 * Parses journal text: its entries and the byte length to keep (up to the last complete
 * line), or why it is not a journal.
 */
export const parse = <A, I>(
  schema: Schema.Schema<A, I>,
  bytes: Uint8Array
): { readonly entries: ReadonlyArray<A>; readonly keep: number; readonly notJournal?: string } => {
  const lastNewline = bytes.lastIndexOf(10)
  const keep = lastNewline + 1
  const text = decoder.decode(bytes.subarray(0, keep))
  const decode = Schema.decodeUnknownOption(Schema.parseJson(schema))
  const entries: Array<A> = []
  const lines = text.split("\n")
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ""
    if (line.trim() === "") continue
    const entry = decode(line)
    if (entry._tag === "None") return { entries: [], keep: 0, notJournal: `line ${index + 1} is not a journal entry` }
    entries.push(entry.value)
  }
  if (keep < bytes.length && entries.length === 0 && !isTornEntry(decoder.decode(bytes.subarray(keep)))) {
    return { entries: [], keep: 0, notJournal: "it holds no journal entry" }
  }
  return { entries, keep }
}

/** Fails with a `SinkError` when a file exists at `path` and is not a journal of `schema`'s entries. */
export const check = <A, I>(path: string, schema: Schema.Schema<A, I>): Effect.Effect<void, SinkError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    if (!(yield* fs.exists(path).pipe(Effect.mapError(fromPlatformError(path, "check"))))) return
    const { notJournal } = parse(schema, yield* fs.readFile(path).pipe(Effect.mapError(fromPlatformError(path, "read"))))
    if (notJournal !== undefined) return yield* notAJournal(path, notJournal)
  })

const notAJournal = (path: string, why: string): SinkError =>
  new SinkError({ path, operation: "use", detail: `it is not a journal (${why}); it was left as it is: give another path` })

/** Opens (or creates) a journal at `path`; the file is closed with the scope. */
export const open = <A, I>(
  path: string,
  schema: Schema.Schema<A, I>
): Effect.Effect<Journal<A>, SinkError, FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const exists = yield* fs.exists(path).pipe(Effect.mapError(fromPlatformError(path, "check")))
    const existing = exists ? yield* fs.readFile(path).pipe(Effect.mapError(fromPlatformError(path, "read"))) : new Uint8Array()
    const { entries, keep, notJournal } = parse(schema, existing)
    if (notJournal !== undefined) return yield* notAJournal(path, notJournal)
    const file = yield* fs.open(path, { flag: exists ? "r+" : "w+" }).pipe(Effect.mapError(fromPlatformError(path, "open")))
    // Cut a torn last line off, then write from the end of what we kept.
    if (keep < existing.length) yield* file.truncate(keep).pipe(Effect.mapError(fromPlatformError(path, "truncate")))
    yield* file.seek(keep, "start")
    const encode = Schema.encodeSync(Schema.parseJson(schema))

    // An append that gets the lock writes everything waiting, its own entries included,
    // unless an earlier holder already wrote them. Uninterruptible: a group taken is written
    // and answered. (A writer fiber fed by a queue grouped the same way but about doubled
    // Export.run's time, which appends once per page and waits: a fiber hand-off a page.)
    const lock = yield* Effect.makeSemaphore(1)
    let waiting: Array<Waiting> = []
    const writeWaiting = Effect.uninterruptible(Effect.suspend(() => {
      const group = waiting
      waiting = []
      return file.writeAll(encoder.encode(group.map((one) => one.text).join(""))).pipe(
        Effect.mapError(fromPlatformError(path, "append to")),
        Effect.zipRight(file.sync.pipe(Effect.mapError(fromPlatformError(path, "fsync")))),
        Effect.exit,
        Effect.flatMap((exit) => Effect.forEach(group, (one) => Deferred.done(one.written, exit), { discard: true }))
      )
    }))

    return {
      path,
      entries,
      append: (batch) =>
        batch.length === 0 ? Effect.void : Effect.flatMap(Deferred.make<void, SinkError>(), (written) => {
          waiting.push({ text: batch.map((entry) => `${encode(entry)}\n`).join(""), written })
          return Effect.zipRight(
            lock.withPermits(1)(Effect.flatMap(Deferred.isDone(written), (done) => done ? Effect.void : writeWaiting)),
            Deferred.await(written)
          )
        })
    }
  })

/** Removes a journal (after the job it checkpoints has completed). */
export const remove = (path: string): Effect.Effect<void, SinkError, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) =>
    fs.remove(path, { force: true }).pipe(Effect.mapError(fromPlatformError(path, "remove"))))
