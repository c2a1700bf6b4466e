/**
 * Embedding: an existing Effect HTTP service that calls Intercom through the toolkit's
 * layers, configured from Effect `Config`.
 *
 *   GET  /contacts/:id       -> the contact's id, email and name (404 if Intercom has none)
 *   POST /contacts/:id/vip   -> tags the contact "VIP"
 *
 * For: developers adding Intercom calls to an app that already runs on Effect. Shows how to
 * swap the HttpClient (undici or fetch, one layer) and tune the retry policy (client-wide
 * from Config, per call with `CallOptions`), and how to turn Intercom's typed errors into
 * HTTP answers.
 *
 * Run:   npx tsx examples/http-service.ts            starts, calls itself a few times, prints, exits
 *        npx tsx examples/http-service.ts --serve    keeps serving on PORT (default 3000)
 *        HTTP_CLIENT=fetch npx tsx examples/http-service.ts
 * Real:  INTERCOM_ACCESS_TOKEN=… npx tsx examples/http-service.ts --serve
 */
import { createServer } from "node:http"
import { FetchHttpClient, HttpClient, HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Contacts, Intercom, IntercomClient, IntercomConfig, type IntercomError, Tags } from "@intercom-fx/core"
import { Contacts as ContactStreams } from "@intercom-fx/streams"
import { Clock, Config, Console, Duration, Effect, Layer, Schema, Stream } from "effect"
import * as Workspace from "./workspace.js"

// ---- the app's own service, built from the toolkit's services ----

/** The "VIP" tag, created (or found: create is by name) once when the app starts. */
export class VipTag extends Effect.Service<VipTag>()("examples/VipTag", {
  effect: Effect.gen(function*() {
    const tag = yield* (yield* Tags).create({ name: "VIP" })
    return { id: tag.id ?? "" }
  })
}) {}

// ---- routes ----

/** Intercom's typed failures as answers to our own callers. */
const failed = (error: IntercomError.IntercomError) =>
  Effect.gen(function*() {
    switch (error._tag) {
      case "NotFound":
        return HttpServerResponse.unsafeJson({ error: "no such contact" }, { status: 404 })
      case "RateLimited": {
        // Tell our caller when to come back instead of holding the request open.
        const now = yield* Clock.currentTimeMillis
        const seconds = error.resetAt === undefined ? 10 : Math.max(1, Math.ceil((error.resetAt - now) / 1000))
        return HttpServerResponse.unsafeJson({ error: "busy, try again" }, { status: 503, headers: { "retry-after": String(seconds) } })
      }
      default:
        yield* Effect.logError(error.message) // never contains the token
        return HttpServerResponse.unsafeJson({ error: "upstream failure" }, { status: 502 })
    }
  })

const ContactId = Schema.Struct({ id: Schema.String.pipe(Schema.pattern(/^[\w-]{1,64}$/)) })
const badId = () => Effect.succeed(HttpServerResponse.unsafeJson({ error: "bad contact id" }, { status: 400 }))

export const router = HttpRouter.empty.pipe(
  HttpRouter.get(
    "/contacts/:id",
    Effect.gen(function*() {
      const { id } = yield* HttpRouter.schemaPathParams(ContactId)
      const contacts = yield* Contacts
      // Someone is waiting on this answer: 2 attempts of at most 5 s, whatever the client default.
      const contact = yield* contacts.get(id, { maxAttempts: 2, timeout: "5 seconds" })
      return HttpServerResponse.unsafeJson({ id: contact.id, email: contact.email, name: contact.name })
    }).pipe(Effect.catchTag("ParseError", badId), Effect.catchAll(failed))
  ),
  HttpRouter.post(
    "/contacts/:id/vip",
    Effect.gen(function*() {
      const { id } = yield* HttpRouter.schemaPathParams(ContactId)
      const contacts = yield* Contacts
      const vip = yield* VipTag
      // A write: the client retries it only where it cannot have happened twice (429, refused connection).
      const tag = yield* contacts.attachTag(id, { id: vip.id })
      return HttpServerResponse.unsafeJson({ id, tagged: tag.name })
    }).pipe(Effect.catchTag("ParseError", badId), Effect.catchAll(failed))
  )
)

// ---- layers: where the swapping happens ----

/** The HTTP client under the Intercom client is one layer: undici (Node) or fetch (anywhere). */
const HttpClientLive = Layer.unwrapEffect(
  Config.literal("undici", "fetch")("HTTP_CLIENT").pipe(
    Config.withDefault("undici" as const),
    Effect.map((kind) => (kind === "fetch" ? FetchHttpClient.layer : NodeHttpClient.layerUndici))
  )
)

/**
 * Intercom's config from the environment (INTERCOM_ACCESS_TOKEN, INTERCOM_REGION, …), with a
 * retry policy for a service that answers people: at most 3 attempts, back-off waits capped
 * at 2 s. `Config` values compose like any other value.
 */
const intercomConfig = IntercomConfig.config.pipe(
  Config.map((config) => ({ ...config, maxAttempts: Math.min(config.maxAttempts, 3), maxDelay: Duration.seconds(2) }))
)

/** Every resource service (`Contacts`, `Tags`, …) over that client. */
const IntercomLive = Intercom.layer.pipe(
  Layer.provideMerge(IntercomClient.layerWith(IntercomConfig.layerConfig(intercomConfig))),
  Layer.provide(HttpClientLive)
)

/** The server (port 0: a free one), with everything the routes need. */
export const ServerLive = (listen: { readonly port: number; readonly host?: string }) =>
  HttpServer.serve(router).pipe(
    HttpServer.withLogAddress,
    Layer.provide(VipTag.Default),
    Layer.provideMerge(NodeHttpServer.layer(createServer, listen)),
    Layer.provideMerge(IntercomLive)
  )

// ---- the demo: the app calls itself as a client would ----

/** Starts nothing itself: runs against the `ServerLive` it is provided with. */
export const demo = Effect.gen(function*() {
  const http = yield* HttpClient.HttpClient
  const base = yield* HttpServer.addressFormattedWith((address) => Effect.succeed(address))
  const call = (method: "GET" | "POST", path: string) =>
    Effect.gen(function*() {
      const response = yield* (method === "GET" ? http.get(`${base}${path}`) : http.post(`${base}${path}`))
      const body: unknown = yield* response.json
      yield* Console.log(`${method} ${path} -> ${response.status} ${JSON.stringify(body)}`)
      return { status: response.status, body }
    })
  // Any contact will do: take the first one.
  const first = yield* ContactStreams.stream({ perPage: 1 }).pipe(Stream.take(1), Stream.runCollect)
  const id = [...first][0]?.id ?? ""
  return {
    id,
    get: yield* call("GET", `/contacts/${id}`),
    vip: yield* call("POST", `/contacts/${id}/vip`),
    missing: yield* call("GET", "/contacts/no-such-contact")
  }
}).pipe(Effect.provide(NodeHttpClient.layerUndici)) // the demo's own client, for calling the server

// Run as a program (not when imported, e.g. by examples.test.ts).
if (process.argv[1] === import.meta.filename) {
  const workspace = Workspace.layer({ contacts: 500 })
  if (process.argv.includes("--serve")) {
    Layer.unwrapEffect(Effect.map(Config.port("PORT").pipe(Config.withDefault(3000)), (port) => ServerLive({ port }))).pipe(
      Layer.provide(workspace),
      Layer.launch,
      NodeRuntime.runMain
    )
  } else {
    demo.pipe(Effect.provide(ServerLive({ port: 0, host: "127.0.0.1" }).pipe(Layer.provide(workspace))), NodeRuntime.runMain)
  }
}
