/**
 * The sandbox HTTP app: inspection routes, then Intercom's request pipeline — bearer auth,
 * the 10-second rate-limit window, latency, seeded fault injection, routing, and
 * `error.list` rendering — with every API request counted and logged.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { parseFaults, type FaultKind } from "../Faults.js"
import { ApiError, apiError, badRequest, errorBody, notFound, unauthorized } from "./errors.js"
import { unit } from "./prng.js"
import { match, type Reply } from "./router.js"
import { routes } from "./routes.js"
import type { State } from "./state.js"

const WINDOW_MS = 10_000
const faultSalt: Record<FaultKind, number> = { "5xx": 11, reset: 12, truncate: 13, "429": 14, scroll: 15 }

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(body, { status, headers })

const ConfigBody = Schema.Struct({
  rateLimit: Schema.optional(Schema.Int.pipe(Schema.nonNegative())),
  latencyMs: Schema.optional(Schema.Number.pipe(Schema.nonNegative())),
  faults: Schema.optional(Schema.Union(Schema.String, Schema.Record({ key: Schema.String, value: Schema.Number }))),
  searchIndexLagSeconds: Schema.optional(Schema.Number.pipe(Schema.nonNegative()))
})
const ResetBody = Schema.Struct({ seed: Schema.optional(Schema.Int) })

const readJson = (req: HttpServerRequest.HttpServerRequest) =>
  Effect.flatMap(Effect.orElseSucceed(req.text, () => ""), (text) =>
    text.trim() === ""
      ? Effect.succeed<unknown>(undefined)
      : Effect.try({ try: (): unknown => JSON.parse(text), catch: () => badRequest("Request body is not valid JSON", "body", "bad_request") }))

/** Inspection routes under /__sandbox/: no auth, no rate limit, not counted. */
const inspect = (state: State, req: HttpServerRequest.HttpServerRequest, path: string, url: URL) =>
  Effect.gen(function*() {
    const key = `${req.method} ${path}`
    switch (key) {
      case "GET /__sandbox/stats":
        return json(200, {
          requests: state.requests, byRoute: Object.fromEntries(state.byRoute), byStatus: Object.fromEntries(state.byStatus),
          contacts: state.ws.liveContacts, companies: state.ws.companyCount, seed: state.size.seed,
          config: state.config
        })
      case "GET /__sandbox/log": {
        const limit = Math.max(0, Number(url.searchParams.get("limit") ?? "100") || 100)
        return json(200, { type: "list", data: state.log.slice(-limit) })
      }
      case "POST /__sandbox/reset": {
        const body = yield* readJson(req)
        const b = yield* Schema.decodeUnknown(ResetBody)(body ?? {}).pipe(Effect.mapError(() => badRequest("seed must be an integer", "seed")))
        state.reseed(b.seed ?? state.size.seed)
        state.requests = 0
        state.byRoute.clear()
        state.byStatus.clear()
        state.log.length = 0
        state.window = { start: 0, used: 0 }
        return json(200, { ok: true, seed: state.size.seed })
      }
      case "POST /__sandbox/config": {
        const body = yield* readJson(req)
        const b = yield* Schema.decodeUnknown(ConfigBody)(body ?? {}).pipe(Effect.mapError((e) => badRequest(e.message, "config")))
        if (b.faults !== undefined) {
          const parsed = typeof b.faults === "string" ? parseFaults(b.faults) : parseFaults(Object.entries(b.faults).map(([k, v]) => `${k}=${v}`).join(","))
          if (Either.isLeft(parsed)) return yield* Effect.fail(badRequest(parsed.left.message, "faults"))
          state.config.faults = parsed.right
        }
        if (b.rateLimit !== undefined) state.config.rateLimit = b.rateLimit
        if (b.latencyMs !== undefined) state.config.latencyMs = b.latencyMs
        if (b.searchIndexLagSeconds !== undefined) state.config.searchIndexLagSeconds = b.searchIndexLagSeconds
        return json(200, { config: state.config })
      }
      default:
        return yield* Effect.fail(notFound())
    }
  })

/** Decide this request's fault, deterministically from the seed and request number. */
const pickFault = (state: State, n: number, isScroll: boolean): FaultKind | undefined => {
  const faults = state.config.faults
  for (const kind of ["scroll", "429", "5xx", "reset", "truncate"] as const) {
    const rate = faults[kind]
    if (rate === undefined || rate <= 0) continue
    if (kind === "scroll" && !isScroll) continue
    if (unit(state.size.seed, n, faultSalt[kind]) < rate) return kind
  }
  return undefined
}

/** Write the response by hand on the Node socket and cut it short. */
const sabotage = (req: HttpServerRequest.HttpServerRequest, kind: "reset" | "truncate", status: number, headers: Record<string, string>, body: string) =>
  Effect.sync(() => {
    const res = NodeHttpServerRequest.toServerResponse(req)
    const bytes = Buffer.from(body)
    const cut = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)))
    if (kind === "truncate") {
      // Valid headers and a Content-Length that matches: the JSON itself is cut short.
      res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": String(cut.length) })
      res.end(cut)
    } else {
      // Promise the whole body, send half, then destroy the connection.
      res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": String(bytes.length) })
      res.write(cut, () => res.destroy())
    }
    return HttpServerResponse.empty()
  })

export const makeApp = (state: State) =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(req.url, "http://sandbox.local")
    const path = url.pathname.replace(/\/+$/, "") || "/"
    if (path.startsWith("/__sandbox/")) {
      return yield* inspect(state, req, path, url).pipe(
        Effect.catchTag("ApiError", (e) => Effect.succeed(json(e.status, errorBody("inspection", e.errors))))
      )
    }
    const n = ++state.requests
    const requestId = `sandbox-${state.size.seed.toString(16)}-${n.toString(16).padStart(8, "0")}`
    const nowMs = yield* Clock.currentTimeMillis
    const found = match(routes, req.method, path)
    const template = found ? `${req.method} ${found.route.template}` : `${req.method} (unmatched)`
    const headers: Record<string, string> = { "x-request-id": requestId }
    let fault: FaultKind | undefined

    const pipeline = Effect.gen(function*() {
      const auth = req.headers["authorization"] ?? ""
      if (auth !== `Bearer ${state.token}`) return yield* Effect.fail(unauthorized())
      const limit = state.config.rateLimit
      if (limit > 0) {
        const windowStart = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS
        if (state.window.start !== windowStart) state.window = { start: windowStart, used: 0 }
        const exhausted = state.window.used >= limit
        if (!exhausted) state.window.used++
        headers["x-ratelimit-limit"] = String(limit)
        headers["x-ratelimit-remaining"] = String(Math.max(0, limit - state.window.used))
        headers["x-ratelimit-reset"] = String((windowStart + WINDOW_MS) / 1000)
        if (exhausted) return yield* Effect.fail(apiError(429, "rate_limit_exceeded", `Exceeded rate limit of ${limit} in 10_seconds`))
      }
      if (state.config.latencyMs > 0) {
        // Jitter of +/-50% around the configured latency, seeded per request.
        const jitter = 0.5 + unit(state.size.seed, n, 21)
        yield* Effect.sleep(Duration.millis(Math.round(state.config.latencyMs * jitter)))
      }
      fault = pickFault(state, n, found?.route.template === "/companies/scroll")
      if (fault === "429") return yield* Effect.fail(apiError(429, "rate_limit_exceeded", `Exceeded rate limit of ${limit || 1667} in 10_seconds`))
      if (fault === "5xx") {
        const status = [500, 502, 503][Math.floor(unit(state.size.seed, n, 22) * 3)] ?? 500
        return yield* Effect.fail(apiError(status, "server_error", "Server Error"))
      }
      if (fault === "scroll") {
        state.scroll = undefined
        return yield* Effect.fail(apiError(500, "server_error", "Request failed due to an internal network error. Please restart the scroll operation."))
      }
      if (!found) return yield* Effect.fail(notFound("Resource Not Found"))
      // DELETE may carry a body too (detaching a tag or a customer names the admin).
      const body = req.method === "GET" ? undefined : yield* readJson(req)
      const now = yield* Clock.currentTimeMillis
      const origin = `http://${req.headers["host"] ?? "127.0.0.1"}`
      return yield* found.route.handler({ state, query: url.searchParams, body, nowMs: now, origin }, found.params)
    })

    const reply: Reply = yield* pipeline.pipe(
      Effect.catchTag("ApiError", (e: ApiError) => Effect.succeed<Reply>({ status: e.status, body: errorBody(requestId, e.errors) }))
    )
    state.record({
      id: n, requestId, method: req.method, path, route: template, status: reply.status, at: nowMs,
      ...(fault === undefined ? {} : { fault })
    })
    if (reply.raw) {
      return HttpServerResponse.uint8Array(reply.raw.bytes, { status: reply.status, contentType: reply.raw.contentType, headers })
    }
    if (fault === "reset" || fault === "truncate") {
      return yield* sabotage(req, fault, reply.status, headers, JSON.stringify(reply.body ?? {}))
    }
    return reply.body === undefined ? HttpServerResponse.empty({ status: reply.status, headers }) : json(reply.status, reply.body, headers)
  })
