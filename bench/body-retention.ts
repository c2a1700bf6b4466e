/**
 * How much `ArrayBuffer` memory piles up while reading response bodies one after another:
 * through @effect/platform's `HttpClient` (`response.arrayBuffer`, each of its Node
 * clients) against Node's own `fetch` in an `Effect.tryPromise`, reading the body in the
 * same promise or, as the platform does, in a second effect once the response has passed
 * through Effect. Not part of `npm run bench`; it isolates what sets benchmark 4's peak
 * (README, Performance, 4).
 *
 *   npx tsc -b bench && node .tsbuild/bench/body-retention.js [pages]
 *
 * A child process serves the same ~255 KB page of 150 contacts with a changing cursor, so
 * the server's buffers are not counted. Each way runs in its own process and prints the
 * most `ArrayBuffer` memory seen after a page and its peak RSS.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import { execFileSync, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

type Way = "platform-undici" | "platform-node-http" | "platform-fetch" | "fetch" | "fetch-two-steps"
const ways: ReadonlyArray<Way> = ["platform-undici", "platform-node-http", "platform-fetch", "fetch", "fetch-two-steps"]

const server = `
const http = require("node:http")
const contact = (i) => ({ type: "contact", id: "c" + i, email: "person" + i + "@example.com", name: "Person " + i,
  role: "user", custom_attributes: { plan: "pro", note: "x".repeat(900) }, created_at: 1600000000 + i })
const data = JSON.stringify(Array.from({ length: 150 }, (_, i) => contact(i)))
http.createServer((req, res) => {
  const page = Number(new URL(req.url, "http://x").searchParams.get("starting_after") ?? 1)
  const next = page < Number(process.argv[1]) ? { starting_after: String(page + 1) } : null
  const body = Buffer.from('{"type":"list","data":' + data + ',"pages":{"type":"pages","next":' + JSON.stringify(next) + '}}')
  res.writeHead(200, { "content-type": "application/json", "content-length": body.length }).end(body)
}).listen(0, "127.0.0.1", function() { console.log(this.address().port) })`

const utf8 = new TextDecoder()
const nextCursor = (bytes: ArrayBuffer): string | undefined =>
  (JSON.parse(utf8.decode(bytes)) as { pages: { next: { starting_after: string } | null } }).pages.next?.starting_after

/** One way, in this process: reads every page, returns the most ArrayBuffer memory seen. */
const measure = async (way: Way, baseUrl: string): Promise<number> => {
  let most = 0
  const fetchPage = (get: (url: string) => Effect.Effect<ArrayBuffer, unknown>) =>
    Effect.gen(function*() {
      let cursor: string | undefined = "1"
      while (cursor !== undefined) {
        cursor = nextCursor(yield* get(`${baseUrl}/contacts?per_page=150&starting_after=${cursor}`))
        most = Math.max(most, process.memoryUsage().arrayBuffers)
      }
    })
  if (way === "fetch") {
    // The response never leaves the promise: only its bytes pass through Effect.
    await Effect.runPromise(fetchPage((url) => Effect.tryPromise(() => fetch(url).then((response) => response.arrayBuffer()))))
  } else if (way === "fetch-two-steps") {
    // The response itself passes through Effect, then its body is read in a second effect.
    await Effect.runPromise(fetchPage((url) =>
      Effect.flatMap(Effect.tryPromise(() => fetch(url)), (response) => Effect.tryPromise(() => response.arrayBuffer()))
    ))
  } else {
    const layer: Layer.Layer<HttpClient.HttpClient> = way === "platform-undici"
      ? NodeHttpClient.layerUndici
      : way === "platform-node-http"
      ? NodeHttpClient.layer
      : FetchHttpClient.layer
    await Effect.runPromise(
      Effect.flatMap(HttpClient.HttpClient, (client) =>
        fetchPage((url) => Effect.flatMap(client.get(url), (response) => response.arrayBuffer))).pipe(Effect.provide(layer))
    )
  }
  return most
}

const main = async () => {
  const [pagesArg, way, baseUrl] = process.argv.slice(2)
  if (way !== undefined && baseUrl !== undefined) {
    const most = await measure(way as Way, baseUrl)
    process.stdout.write(`${JSON.stringify({ way, arrayBuffersMB: most / 2 ** 20, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`)
    return
  }
  const pages = Number(pagesArg ?? 1000)
  const child = spawn(process.execPath, ["-e", server, String(pages)], { stdio: ["ignore", "pipe", "inherit"] })
  try {
    const port = await new Promise<string>((resolve) => child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())))
    process.stdout.write(`${pages} pages of 150 contacts, read one after another:\n`)
    for (const w of ways) {
      const line = execFileSync(process.execPath, [fileURLToPath(import.meta.url), String(pages), w, `http://127.0.0.1:${port}`], { encoding: "utf8" })
      const result = JSON.parse(line) as { way: string; arrayBuffersMB: number; peakRssMB: number }
      process.stdout.write(`  ${result.way.padEnd(20)} ArrayBuffers at most ${result.arrayBuffersMB.toFixed(0)} MB, peak RSS ${result.peakRssMB.toFixed(0)} MB\n`)
    }
  } finally {
    child.kill()
  }
}

void main()
