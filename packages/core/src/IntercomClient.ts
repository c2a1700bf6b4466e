/**
 * The service that talks to Intercom: it runs an `Endpoint` (encode the request,
 * send it with auth and version headers, retry by policy, record rate-limit headers,
 * decode the response or fail with a typed `IntercomError`).
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import { buildPath, type Endpoint, type HttpMethod, type Input, isIdempotentMethod } from "./Endpoint.js"
import * as IntercomConfig from "./IntercomConfig.js"
import * as IntercomError from "./IntercomError.js"
import * as Errors from "./internal/responseError.js"
import * as Watchdog from "./internal/watchdog.js"
import * as RateLimit from "./RateLimit.js"
import * as Retry from "./Retry.js"
import * as Tracing from "./Tracing.js"
import { version } from "./version.js"

/** Per-call overrides of the client's defaults. */
export interface CallOptions {
  /** Attempts including the first; 1 disables retries. */
  readonly maxAttempts?: number
  /** Cap on one back-off wait. */
  readonly maxDelay?: Duration.DurationInput
  /** Per-attempt timeout. */
  readonly timeout?: Duration.DurationInput
  /**
   * Whether this call is safe to repeat after the server may have processed it (so 5xx,
   * timeouts and dropped connections are retried); default: the endpoint's. E.g. attaching
   * a tag is a POST that can be repeated without harm.
   */
  readonly idempotent?: boolean
  /**
   * Runs when a 2xx body has arrived whole, before it is parsed (JSON responses only),
   * outside the request's rate-limit slot and timeout. The cursor paginators use it to send
   * the next page's request while this page is parsed. It runs again if the parse fails
   * and the call is retried.
   */
  readonly onBody?: (body: Uint8Array) => Effect.Effect<void>
}

/** A request outside the typed endpoints (the CLI's escape hatch). */
export interface RawRequest {
  readonly method: HttpMethod
  /** Path with ids filled in, optionally with a query string, e.g. `/contacts?per_page=5`. */
  readonly path: string
  readonly body?: unknown
  /** Whether it is safe to retry after the server may have processed it; defaults from the method. */
  readonly idempotent?: boolean
}

export interface IntercomClientService {
  /** Runs an endpoint and returns its decoded response. */
  readonly execute: <Names extends string, Query, Body, Success>(
    endpoint: Endpoint<Names, Query, Body, Success>,
    input: Input<Names, Query, Body>,
    options?: CallOptions
  ) => Effect.Effect<Success, IntercomError.IntercomError>
  /** Sends a raw request with the same auth, retries and typed errors; returns the parsed JSON body. */
  readonly request: (request: RawRequest, options?: CallOptions) => Effect.Effect<unknown, IntercomError.IntercomError>
}

export class IntercomClient extends Context.Tag("@intercom-fx/core/IntercomClient")<
  IntercomClient,
  IntercomClientService
>() {}

/** One HTTP exchange to run: everything `send` needs, whether typed or raw. */
interface Exchange {
  readonly site: Errors.CallSite
  readonly method: HttpMethod
  readonly pathTemplate: string
  readonly urlParams: ReadonlyArray<readonly [string, string]>
  readonly body: unknown
  readonly idempotent: boolean
  readonly responseKind: "json" | "bytes"
  readonly onBody: ((body: Uint8Array) => Effect.Effect<void>) | undefined
}

/** A whole answer: a 2xx body as bytes (parsed by the attempt), any other as text for the error. */
type Received =
  | { readonly response: HttpClientResponse.HttpClientResponse; readonly ok: true; readonly bytes: ArrayBuffer }
  | { readonly response: HttpClientResponse.HttpClientResponse; readonly ok: false; readonly text: string }

const headersOf = (response: HttpClientResponse.HttpClientResponse): Readonly<Record<string, string | undefined>> =>
  response.headers

const utf8 = new TextDecoder()

/**
 * Decodes and parses a 2xx JSON body; an empty one is `undefined` (e.g. 202/204 answers,
 * whose schemas are Void).
 *
 * Bytes, not `response.text`: the platform caches the text on the response, and the
 * response stays reachable long enough for V8's young-generation GC to promote each
 * page's string (~255 KB for a list page). The bytes are left to the GC: detaching them
 * here (a `structuredClone` transfer, which this used to do) raised a 1,000,000-contact
 * export's peak RSS from 192–196 MB to 210–214 MB; ArrayBuffer memory piled up to 50 MB
 * and more before the first full GC.
 */
const parseJson = (site: Errors.CallSite, status: number, bytes: ArrayBuffer): Effect.Effect<unknown, IntercomError.TransportError> => {
  const text = utf8.decode(bytes)
  if (text.trim() === "") return Effect.succeed(undefined)
  try {
    return Effect.succeed(JSON.parse(text) as unknown)
  } catch (cause) {
    return Effect.fail(Errors.bodyCutShort(site, status, cause))
  }
}

/** Builds the client from its configuration, an `HttpClient` and the shared rate-limit budget. */
export const make: Effect.Effect<
  IntercomClientService,
  never,
  IntercomConfig.IntercomConfig | HttpClient.HttpClient | RateLimit.RateLimit | Scope.Scope
> = Effect.gen(function*() {
  const config = yield* IntercomConfig.IntercomConfig
  const rateLimit = yield* RateLimit.RateLimit
  const watchdog = yield* Watchdog.make
  const http = (yield* HttpClient.HttpClient).pipe(
    HttpClient.withScope,
    // Each attempt is already a client span (`intercom.<operation>`, below). The platform's
    // own span per request repeated it with every header as an attribute, cost about a
    // tenth of the client's CPU per request, and sent trace headers to Intercom.
    HttpClient.withTracerDisabledWhen(() => true),
    HttpClient.mapRequest((request) =>
      request.pipe(
        HttpClientRequest.prependUrl(config.baseUrl),
        HttpClientRequest.bearerToken(config.accessToken),
        HttpClientRequest.setHeaders({
          "Intercom-Version": config.version,
          Accept: "application/json",
          "Content-Type": "application/json",
          "User-Agent": `intercom-fx/${version}`
        })
      )
    )
  )

  /**
   * Sends the request and reads its whole body within `timeout`; parsing runs after it.
   * The timeout aborts the request through the HTTP client's abort signal (see
   * `internal/watchdog.ts` for why not `Effect.timeoutFail`): the request runs in a scope
   * of its own, which `HttpClient.withScope` ties the signal to.
   */
  const receive = (exchange: Exchange, request: HttpClientRequest.HttpClientRequest, timeout: Duration.Duration) => {
    const { site } = exchange
    const exchanged = http.execute(request).pipe(
      Effect.catchTag("RequestError", (error) => Effect.fail(Errors.fromRequestError(site, error))),
      Effect.catchTag("ResponseError", (error) => Effect.fail(Errors.bodyCutShort(site, error.response.status, error))),
      Effect.flatMap((response): Effect.Effect<Received, IntercomError.TransportError> =>
        response.status < 200 || response.status >= 300
          ? Effect.map(Effect.orElseSucceed(response.text, () => ""), (text) => ({ response, ok: false, text }))
          : Effect.map(
            Effect.mapError(response.arrayBuffer, (cause) => Errors.bodyCutShort(site, response.status, cause)),
            (bytes) => ({ response, ok: true, bytes })
          )
      )
    )
    return Effect.flatMap(Scope.make(), (scope) =>
      Effect.flatMap(watchdog.watch(timeout, Scope.close(scope, Exit.void)), (deadline) =>
        exchanged.pipe(
          Effect.provideService(Scope.Scope, scope),
          Effect.catchAll((error) =>
            Effect.fail(
              deadline.expired ? new IntercomError.TimeoutError({ ...site, errors: [], timeoutMs: Duration.toMillis(timeout) }) : error
            )
          ),
          // After a whole answer there is nothing to abort, so the scope is left to the GC
          // (closing it aborts the signal, which costs more than the rest of the wrapping).
          Effect.onExit((exit) => {
            deadline.release()
            return Exit.isSuccess(exit) ? Effect.void : Scope.close(scope, Exit.void)
          })
        )))
  }

  const serverAddress = new URL(config.baseUrl).host

  /**
   * One attempt: reserve budget, send, record rate-limit headers, parse the body or fail
   * typed. The attempt holds its rate-limit slot until its answer's headers are recorded
   * (the budget counts it as in flight until then), and reserves it in the same fiber
   * right before the send: a fork between them lets a request reserved at the end of a
   * window go out in the next one.
   */
  const attempt = (exchange: Exchange, number: number, timeout: Duration.Duration) => {
    const { site } = exchange
    const request = HttpClientRequest.make(exchange.method)(site.path, {
      urlParams: exchange.urlParams.map(([key, value]) => [key, value] as [string, string])
    })
    const withBody = exchange.body === undefined ? request : HttpClientRequest.bodyUnsafeJson(request, exchange.body)
    const answered = Effect.gen(function*() {
      const received = yield* receive(exchange, withBody, timeout)
      const { response } = received
      const headers = headersOf(response)
      const snapshot = RateLimit.fromHeaders(headers)
      yield* Effect.annotateCurrentSpan("http.response.status_code", response.status)
      if (received.ok) {
        if (Option.isSome(snapshot)) yield* rateLimit.observe(snapshot.value)
        return received
      }
      const error = Errors.fromStatus(site, response.status, headers, received.text)
      if (error._tag === "RateLimited") yield* rateLimit.exhausted(snapshot)
      else if (Option.isSome(snapshot)) yield* rateLimit.observe(snapshot.value)
      return yield* Effect.fail(error)
    })
    // The body is parsed after the slot is given back: the request is over, and `onBody`
    // may start another one first.
    const parsed = Effect.flatMap(
      Effect.ensuring(config.throttle ? rateLimit.withSlot(answered) : answered, rateLimit.settled),
      ({ bytes, response }) => {
        if (exchange.responseKind === "bytes") return Effect.succeed<unknown>(new Uint8Array(bytes))
        if (exchange.onBody === undefined) return parseJson(site, response.status, bytes)
        return Effect.zipRight(exchange.onBody(new Uint8Array(bytes)), Effect.suspend(() => parseJson(site, response.status, bytes)))
      }
    )
    return Tracing.withSpanKeepingNoValue(
      parsed,
      `intercom.${site.operation}`,
      {
        kind: "client",
        // The stack would point into this file; capturing it costs an Error per attempt.
        captureStackTrace: false,
        attributes: {
          "server.address": serverAddress,
          "http.request.method": site.method,
          "url.template": exchange.pathTemplate,
          "intercom.operation": site.operation,
          "intercom.attempt": number
        }
      }
    )
  }

  /**
   * Runs an exchange under the retry policy; attempts are numbered from 1. The schedule is
   * only built after a first failure (what `Effect.retry` does, minus its set-up on every
   * call, which most calls never need).
   */
  const send = (exchange: Exchange, options: CallOptions | undefined): Effect.Effect<unknown, IntercomError.IntercomError> =>
    Effect.suspend(() => {
      let attempts = 0
      const timeout = Duration.decode(options?.timeout ?? config.timeout)
      const once = Effect.suspend(() => attempt(exchange, ++attempts, timeout))
      return Effect.catchAll(once, (first) =>
        Effect.flatMap(
          Schedule.driver(Retry.policy({
            idempotent: exchange.idempotent,
            maxAttempts: options?.maxAttempts ?? config.maxAttempts,
            baseDelay: config.baseDelay,
            maxDelay: options?.maxDelay ?? config.maxDelay
          })),
          (driver) => {
            const again = (error: IntercomError.IntercomError): Effect.Effect<unknown, IntercomError.IntercomError> =>
              Effect.matchEffect(driver.next(error), {
                onFailure: () => Effect.fail(error),
                onSuccess: () => Effect.catchAll(once, again)
              })
            return again(first)
          }
        ))
    })

  const execute: IntercomClientService["execute"] = (endpoint, input, options) => {
    const parts = input as { readonly path?: Readonly<Record<string, string | number>>; readonly query?: unknown; readonly body?: unknown }
    const site: Errors.CallSite = {
      operation: endpoint.name,
      method: endpoint.method,
      path: buildPath(endpoint.path, parts.path ?? {})
    }
    return Effect.gen(function*() {
      const urlParams = yield* endpoint.encodeQuery(parts.query as never).pipe(
        Effect.mapError((error) => Errors.fromEncodeError(site, error))
      )
      const body = yield* endpoint.encodeBody(parts.body as never).pipe(
        Effect.mapError((error) => Errors.fromEncodeError(site, error))
      )
      const raw = yield* send(
        {
          site,
          method: endpoint.method,
          pathTemplate: endpoint.path,
          urlParams,
          body,
          idempotent: options?.idempotent ?? endpoint.idempotent,
          responseKind: endpoint.responseKind,
          onBody: options?.onBody
        },
        options
      )
      return yield* endpoint.decodeSuccess(raw).pipe(Effect.mapError((error) => Errors.fromDecodeError(site, 200, error)))
    })
  }

  const request: IntercomClientService["request"] = (raw, options) => {
    const url = new URL(raw.path, "http://placeholder")
    const site: Errors.CallSite = { operation: "request", method: raw.method, path: url.pathname }
    return send(
      {
        site,
        method: raw.method,
        pathTemplate: url.pathname,
        urlParams: [...url.searchParams.entries()],
        body: raw.body,
        idempotent: raw.idempotent ?? isIdempotentMethod(raw.method),
        responseKind: "json",
        onBody: options?.onBody
      },
      options
    )
  }

  return { execute, request }
})

/** The client over a given configuration layer; needs an `HttpClient` (e.g. NodeHttpClient.layerUndici). */
export const layerWith = <E, R>(
  config: Layer.Layer<IntercomConfig.IntercomConfig, E, R>
): Layer.Layer<IntercomClient | RateLimit.RateLimit, E, R | HttpClient.HttpClient> =>
  Layer.scoped(IntercomClient, make).pipe(Layer.provideMerge(RateLimit.layer), Layer.provide(config))

/** The client from explicit options. */
export const layer = (options: IntercomConfig.Options) => layerWith(IntercomConfig.layer(options))

/** The client from the environment (`INTERCOM_ACCESS_TOKEN`, `INTERCOM_REGION`, …). */
export const layerConfig = () => layerWith(IntercomConfig.layerConfig())
