/**
 * Incremental sync: export the contacts changed since the last run, then remember where
 * this run started (the watermark) for the next one.
 *
 * For: data engineers feeding a warehouse or another system on a schedule (cron, CI job).
 *
 * Run:   npx tsx examples/incremental-sync.ts [state-dir]     (default: ./intercom-sync)
 * Real:  INTERCOM_ACCESS_TOKEN=… npx tsx examples/incremental-sync.ts
 *
 * Each run writes `<state-dir>/contacts-<since>.ndjson` and then `<state-dir>/watermark.json`.
 * The watermark is saved only after the file is complete, so a failed run is simply
 * repeated next time: delivery is at-least-once (dedupe on id + updated_at downstream).
 * The first run has no watermark and exports everything.
 */
import { FileSystem } from "@effect/platform"
import { NodeFileSystem, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { IntercomClient } from "@intercom-fx/core"
import { Contacts, Partition, Sink } from "@intercom-fx/streams"
import { Console, Effect, Layer, Ref, Schema, Stream } from "effect"
import * as Workspace from "./workspace.js"

/** What we persist between runs: UNIX seconds. */
const State = Schema.parseJson(Schema.Struct({ watermark: Schema.Number }))

/** Intercom's search index trails writes by a little; look back this far on every run. */
const lagSeconds = 60

export const sync = (dir: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const statePath = `${dir}/watermark.json`
    yield* fs.makeDirectory(dir, { recursive: true })

    // No state file yet: start from the beginning of time.
    const since = (yield* fs.exists(statePath))
      ? (yield* fs.readFileString(statePath).pipe(Effect.flatMap(Schema.decode(State)))).watermark
      : 0

    // `since` searches `updated_at` (day-granular on the server, exact on our side) and
    // returns the watermark for the next run: this run's start time minus the lag.
    const { nextWatermark, stream } = yield* Partition.since({ search: Contacts.search, since, lagSeconds })
    const out = `${dir}/contacts-${since}.ndjson`
    const exported = yield* Ref.make(0)
    yield* stream.pipe(
      Stream.tap(() => Ref.update(exported, (n) => n + 1)),
      Sink.ndjson,
      Sink.toFile(out)
    )
    yield* fs.writeFileString(statePath, yield* Schema.encode(State)({ watermark: nextWatermark }))

    const count = yield* Ref.get(exported)
    yield* Console.log(
      `exported ${count} contacts changed since ${since === 0 ? "the beginning" : new Date(since * 1000).toISOString()} to ${out}` +
        `; next run starts at ${new Date(nextWatermark * 1000).toISOString()}`
    )
    return { since, nextWatermark, out, exported: count }
  })

/** Intercom from Config (a local sandbox unless INTERCOM_ACCESS_TOKEN is set), Node's HTTP client and file system. */
export const MainLive = Layer.mergeAll(
  IntercomClient.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici)),
  NodeFileSystem.layer
).pipe(Layer.provideMerge(Workspace.layer({ contacts: 2000 })))

// Run as a program (not when imported, e.g. by examples.test.ts).
if (process.argv[1] === import.meta.filename) {
  sync(process.argv[2] ?? "intercom-sync").pipe(Effect.provide(MainLive), NodeRuntime.runMain)
}
