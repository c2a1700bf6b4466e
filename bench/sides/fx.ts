/**
 * The intercom-fx side: one job per process (see lib/measure.ts), built from the public
 * API exactly as an application would use it: `IntercomClient.layer` over the undici
 * HTTP client, `Contacts.stream`, `Partition.partitioned`, `Sink`, `Bulk`.
 *
 *   node .tsbuild/bench/sides/fx.js '{"job":"list","baseUrl":"…","token":"…","perPage":150}'
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Endpoints, IntercomClient, RateLimit } from "@intercom-fx/core"
import { Bulk, Contacts, Export, Partition, Sink } from "@intercom-fx/streams"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { readFileSync } from "node:fs"
import { cpuMark, measure, params, perWindow, rssMB } from "../lib/measure.js"

interface Common {
  readonly baseUrl: string
  readonly token: string
  /** Record the send time of every request (rate-limit benchmarks). */
  readonly trackRequests?: boolean
}

export type FxJob =
  | Common & { readonly job: "list"; readonly perPage: number }
  | Common & { readonly job: "ndjson"; readonly perPage: number; readonly markAt?: number }
  | Common & { readonly job: "partitioned"; readonly from: string; readonly until: string; readonly slices: number }
  | Common & { readonly job: "file"; readonly perPage: number; readonly path: string; readonly sampleEvery: number }
  | Common & { readonly job: "export"; readonly perPage: number; readonly path: string; readonly sampleEvery: number }
  | Common & { readonly job: "bulk-tag"; readonly idsFile: string; readonly tagId: string; readonly concurrency: number }

const p = params<FxJob>()
/** Send times of requests answered 2xx, and the number of attempts (rate-limit benchmarks). */
const okSentAt: Array<number> = []
let attempts = 0

const track = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transformResponse(client, (response) =>
    Effect.suspend(() => {
      const sent = Date.now()
      attempts++
      return Effect.tap(response, (r) => Effect.sync(() => r.status < 300 && okSentAt.push(sent)))
    }))

const http = p.trackRequests === true
  ? Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, track)).pipe(Layer.provide(NodeHttpClient.layerUndici))
  : NodeHttpClient.layerUndici

const client = IntercomClient.layer({ accessToken: p.token, baseUrl: p.baseUrl }).pipe(Layer.provide(http))

/**
 * RSS over an export, read after every page. At each multiple of `every` records it keeps
 * the mean RSS over the pages of the last 10% of records before it (one reading lands
 * anywhere on the GC saw-tooth), the reading itself, the peak so far and the heap in use.
 */
const rssSampler = (every: number) => {
  let records = 0
  let next = every
  let window: Array<number> = []
  const kept: Array<{ readonly records: number; readonly rssMB: number; readonly rssNowMB: number; readonly peakSoFarMB: number; readonly heapMB: number }> = []
  const sample = () => {
    const mean = window.reduce((a, b) => a + b, 0) / Math.max(1, window.length)
    kept.push({
      records, rssMB: mean, rssNowMB: rssMB(), peakSoFarMB: process.resourceUsage().maxRSS / 1024,
      heapMB: process.memoryUsage().heapUsed / 2 ** 20
    })
    window = []
  }
  return {
    /** A page of `size` records went through. */
    page: (size: number) => {
      records += size
      if (records > next - every / 10) window.push(process.memoryUsage.rss() / 2 ** 20)
      if (records >= next) {
        sample()
        next += every
      }
    },
    records: () => records,
    /** The samples, with one for the end if it fell between multiples. */
    samples: () => {
      if (kept.at(-1)?.records !== records) sample()
      return kept
    }
  }
}

const limiterStats = Effect.flatMap(RateLimit.RateLimit, (limiter) => limiter.stats)

const job = Effect.gen(function*() {
  switch (p.job) {
    case "list":
      return { records: yield* Stream.runCount(Contacts.stream({ perPage: p.perPage })) }
    case "ndjson": {
      // Decode (core's generated schema) + NDJSON serialisation, bytes counted, no I/O.
      const mark = cpuMark(p.markAt ?? Infinity)
      let records = 0
      const bytes = yield* Contacts.stream({ perPage: p.perPage }).pipe(
        Stream.mapChunks((chunk) => {
          records += Chunk.size(chunk)
          mark.seen(records)
          return chunk
        }),
        Sink.ndjson,
        Stream.runFold(0, (n, text) => n + text.length)
      )
      return { records, extra: { ...mark.extra(), bytes } }
    }
    case "partitioned": {
      const records = yield* Stream.runCount(
        Partition.partitioned({ search: Contacts.search, field: "created_at", from: p.from, until: p.until, slices: p.slices })
      )
      return { records, extra: { limiter: yield* limiterStats } }
    }
    case "file": {
      // Export to a file (atomic sink), RSS read after every page.
      const rss = rssSampler(p.sampleEvery)
      const result = yield* Contacts.stream({ perPage: p.perPage }).pipe(
        Stream.mapChunks((chunk) => {
          rss.page(Chunk.size(chunk))
          return chunk
        }),
        Sink.ndjson,
        Sink.toFile(p.path)
      )
      return { records: rss.records(), extra: { bytes: result.bytes, samples: rss.samples() } }
    }
    case "export": {
      // The resumable export `intercom-fx export contacts --out` runs: partial file and
      // journal, both fsync'd per page. RSS read after every page written.
      const rss = rssSampler(p.sampleEvery)
      const summary = yield* Export.run({
        source: Export.cursor((startingAfter) => Contacts.pages({ perPage: p.perPage, startingAfter })),
        format: "ndjson",
        out: p.path,
        onPage: ({ added }) => Effect.sync(() => rss.page(added))
      })
      return { records: summary.written, extra: { bytes: summary.bytes, samples: rss.samples() } }
    }
    case "bulk-tag": {
      const ids = readFileSync(p.idsFile, "utf8").split("\n").filter((line) => line !== "")
      const api = yield* IntercomClient.IntercomClient
      const summary = yield* Bulk.runSummary(
        Stream.fromIterable(ids),
        (id) => api.execute(Endpoints.Contacts.attachTag, { path: { contact_id: id }, body: { id: p.tagId } }),
        { id: (id) => id, concurrency: p.concurrency }
      )
      return { records: summary.ok, extra: { summary } }
    }
  }
})

void measure(async () => {
  const result = await Effect.runPromise(job.pipe(Effect.provide(Layer.merge(client, NodeFileSystem.layer))))
  return {
    records: result.records,
    extra: { ...("extra" in result ? result.extra : {}), ...(p.trackRequests === true ? { attempts, okPerWindow: perWindow(okSentAt) } : {}) }
  }
})
