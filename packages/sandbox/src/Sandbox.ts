/**
 * A local Intercom 2.10 workspace over HTTP: a seeded, deterministic workspace served by an
 * @effect/platform HttpServer on loopback, with Intercom's auth, errors, pagination,
 * search, scroll and rate-limit behaviour, plus fault injection and inspection routes.
 * Start it as a scoped Layer (tests), `start` (in-process) or `serve` (the CLI command).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import { none, parseFaults, type FaultSpec, type FaultSpecError } from "./Faults.js"
import { makeApp } from "./internal/app.js"
import { State } from "./internal/state.js"

/** All optional; the defaults give a 5,000-contact workspace on a free port. */
export interface SandboxOptions {
  readonly port?: number
  readonly host?: string
  readonly token?: string
  readonly contacts?: number
  readonly companies?: number
  readonly conversations?: number
  /** Seeded help center articles (default 20; listed 50 per page). */
  readonly articles?: number
  readonly seed?: number
  /** Requests per 10-second window (Intercom's default 10,000/min = 1,667); 0 turns limiting off. */
  readonly rateLimit?: number
  readonly latencyMs?: number
  readonly faults?: FaultSpec | string
  readonly searchIndexLagSeconds?: number
}

export const defaults = {
  port: 0, host: "127.0.0.1", token: "sandbox-token", contacts: 5000, seed: 42, rateLimit: 1667,
  latencyMs: 0, searchIndexLagSeconds: 0
} as const

/** Where a running sandbox listens. */
export interface SandboxInfo {
  readonly baseUrl: string
  readonly token: string
  readonly port: number
}

/** Starting failed: the port could not be bound or an option is invalid. */
export class SandboxError extends Data.TaggedError("SandboxError")<{
  readonly reason: "Listen" | "InvalidOptions"
  readonly message: string
  readonly cause?: unknown
}> {}

/** The running sandbox, for tests and in-process use. */
export class Sandbox extends Context.Tag("@intercom-fx/sandbox/Sandbox")<Sandbox, SandboxInfo>() {}

const resolveFaults = (f: SandboxOptions["faults"]): Either.Either<FaultSpec, FaultSpecError> =>
  f === undefined ? Either.right(none) : typeof f === "string" ? parseFaults(f) : Either.right(f)

/** Why a listen failed, in words, for the usual system errors. */
const listenProblem = (cause: unknown): string => {
  const code: unknown = typeof cause === "object" && cause !== null ? Reflect.get(cause, "code") : undefined
  switch (code) {
    case "EADDRINUSE":
      return ": the port is already in use"
    case "EACCES":
      return ": permission denied (ports below 1024 need privileges)"
    case "EADDRNOTAVAIL":
      return ": no such address on this machine"
    default:
      return typeof code === "string" ? ` (${code})` : ""
  }
}

/** Start a sandbox whose server closes with the scope. */
export const start = (options: SandboxOptions = {}): Effect.Effect<SandboxInfo, SandboxError, Scope.Scope> =>
  Effect.gen(function*() {
    const faults = resolveFaults(options.faults)
    if (Either.isLeft(faults)) return yield* Effect.fail(new SandboxError({ reason: "InvalidOptions", message: faults.left.message, cause: faults.left }))
    const contacts = options.contacts ?? defaults.contacts
    if (!Number.isInteger(contacts) || contacts < 0) return yield* Effect.fail(new SandboxError({ reason: "InvalidOptions", message: "contacts must be a non-negative integer" }))
    const token = options.token ?? defaults.token
    const state = new State(
      {
        seed: options.seed ?? defaults.seed,
        contacts,
        companies: options.companies ?? Math.max(10, Math.min(50_000, Math.ceil(contacts / 10))),
        conversations: options.conversations ?? Math.max(20, Math.min(5_000, Math.ceil(contacts / 5))),
        ...(options.articles === undefined ? {} : { articles: options.articles })
      },
      {
        rateLimit: options.rateLimit ?? defaults.rateLimit,
        latencyMs: options.latencyMs ?? defaults.latencyMs,
        faults: faults.right,
        searchIndexLagSeconds: options.searchIndexLagSeconds ?? defaults.searchIndexLagSeconds
      },
      token
    )
    const host = options.host ?? defaults.host
    const server = yield* NodeHttpServer.make(() => Http.createServer(), { port: options.port ?? defaults.port, host }).pipe(
      Effect.mapError((cause) =>
        new SandboxError({ reason: "Listen", message: `Cannot listen on ${host}:${options.port ?? 0}${listenProblem(cause.cause)}`, cause })
      )
    )
    yield* server.serve(makeApp(state))
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    return { baseUrl: `http://${host}:${port}`, token, port }
  })

/** A scoped layer: the server starts when the layer is built and stops with its scope. */
export const layer = (options: SandboxOptions = {}): Layer.Layer<Sandbox, SandboxError> =>
  Layer.scoped(Sandbox, start(options))

/**
 * A `ConfigProvider` that points `IntercomConfig.config` (INTERCOM_BASE_URL and
 * INTERCOM_ACCESS_TOKEN) at a running sandbox, so code written for the real API runs on it
 * unchanged: `Effect.withConfigProvider(program, Sandbox.configProvider(info))`.
 */
export const configProvider = (info: SandboxInfo): ConfigProvider.ConfigProvider =>
  ConfigProvider.fromMap(new Map([["INTERCOM_BASE_URL", info.baseUrl], ["INTERCOM_ACCESS_TOKEN", info.token]]))

/** The line the CLI prints once the sandbox is up. */
export const banner = (info: SandboxInfo): string => `Intercom sandbox listening on ${info.baseUrl} (token: ${info.token})`

/** Start, print the banner, and run until interrupted (Ctrl-C). */
export const serve = (options: SandboxOptions = {}): Effect.Effect<never, SandboxError> =>
  Effect.scoped(Effect.flatMap(start(options), (info) => Effect.zipRight(Console.log(banner(info)), Effect.never)))

// ---- typed client helpers for the inspection routes ----

export const Stats = Schema.Struct({
  requests: Schema.Number,
  byRoute: Schema.Record({ key: Schema.String, value: Schema.Number }),
  byStatus: Schema.Record({ key: Schema.String, value: Schema.Number })
})
export type Stats = typeof Stats.Type

export const LogEntry = Schema.Struct({
  id: Schema.Number, requestId: Schema.String, method: Schema.String, path: Schema.String, route: Schema.String,
  status: Schema.Number, fault: Schema.optional(Schema.String), at: Schema.Number
})
export type LogEntry = typeof LogEntry.Type

/** Settings changeable at runtime through POST /__sandbox/config. */
export interface RuntimeSettings {
  readonly rateLimit?: number
  readonly latencyMs?: number
  readonly faults?: FaultSpec | string
  readonly searchIndexLagSeconds?: number
}

const call = (info: SandboxInfo, method: "GET" | "POST", path: string, body?: unknown) =>
  Effect.gen(function*() {
    const client = (yield* HttpClient.HttpClient).pipe(HttpClient.filterStatusOk)
    const base = method === "GET" ? HttpClientRequest.get(info.baseUrl + path) : HttpClientRequest.post(info.baseUrl + path)
    const req = body === undefined ? base : HttpClientRequest.bodyUnsafeJson(base, body)
    return yield* client.execute(req)
  })

export const stats = (info: SandboxInfo) =>
  Effect.flatMap(call(info, "GET", "/__sandbox/stats"), HttpClientResponse.schemaBodyJson(Stats))

export const log = (info: SandboxInfo, limit = 100) =>
  Effect.flatMap(call(info, "GET", `/__sandbox/log?limit=${limit}`), HttpClientResponse.schemaBodyJson(Schema.Struct({ data: Schema.Array(LogEntry) }))).pipe(
    Effect.map((r) => r.data)
  )

export const reset = (info: SandboxInfo, seed?: number) =>
  Effect.asVoid(call(info, "POST", "/__sandbox/reset", seed === undefined ? {} : { seed }))

export const configure = (info: SandboxInfo, settings: RuntimeSettings) =>
  Effect.asVoid(call(info, "POST", "/__sandbox/config", settings))
