/**
 * An `HttpClient` for Node (over undici) that reads each response whole before handing
 * it on: sending the request and reading its body are one promise. `IntercomClient` runs
 * over it as over any other `HttpClient`.
 *
 * The trade-off against @effect/platform-node's clients, which read the body in a second
 * effect once the response is there (`response.arrayBuffer`):
 * - Bodies read that way stay alive until a full GC. Exporting 300,000 contacts from a
 *   local server to a file piled up to 65 MB of `ArrayBuffer`s and peaked at 193–199 MB of
 *   RSS; read here, 8–13 MB and 158–164 MB, for about a tenth less CPU.
 * - But that pile of buffers is also what makes V8 run a full GC every few hundred pages.
 *   Here the first one comes much later, and promoted garbage fills the old generation
 *   until then: exporting 1,000,000 contacts, RSS grew from 141 MB at 100,000 to 194 MB
 *   (210–214 MB through `Export.run`); the platform's client peaks early (190–195 MB) and
 *   then stays near 150 MB.
 * So it suits apps that make many short requests, not million-record exports.
 *
 * It cannot stream a response (its `stream` is the body already read); Intercom answers
 * with JSON documents. Import it from its own path, so that apps that bring another
 * client do not load undici:
 * `import * as BufferedHttpClient from "@intercom-fx/core/BufferedHttpClient"`.
 *
 * @since 0.1.0
 */
import * as Cookies from "@effect/platform/Cookies"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as Headers from "@effect/platform/Headers"
import * as UrlParams from "@effect/platform/UrlParams"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Undici from "@effect/platform-node/Undici"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

const utf8 = new TextDecoder()

/** A response whose body is already in memory. */
class WholeResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly headers: Headers.Headers
  readonly cookies: Cookies.Cookies
  readonly remoteAddress = Option.none<string>()

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    headers: Undici.Dispatcher.ResponseData["headers"],
    private readonly bytes: ArrayBuffer
  ) {
    super()
    this.headers = Headers.fromInput(headers)
    const setCookie = headers["set-cookie"]
    this.cookies = setCookie === undefined ? Cookies.empty : Cookies.fromSetCookie(setCookie)
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer> {
    return Effect.succeed(this.bytes)
  }

  // Decoded on each use, not cached: a cached page-sized string outlives young GCs.
  get text(): Effect.Effect<string> {
    return Effect.sync(() => utf8.decode(this.bytes))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.try({
      try: () => {
        const text = utf8.decode(this.bytes)
        return text === "" ? null : JSON.parse(text) as unknown
      },
      catch: (cause) => this.decodeError(cause)
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.try({
      try: () => UrlParams.fromInput(new URLSearchParams(utf8.decode(this.bytes))),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => new Response(this.bytes, { headers: this.headers }).formData(),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get stream(): Stream.Stream<Uint8Array> {
    return Stream.succeed(new Uint8Array(this.bytes))
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

/** How one exchange ended; the promise that runs it never rejects. */
type Exchanged =
  | { readonly _tag: "Whole"; readonly response: WholeResponse }
  | { readonly _tag: "NoResponse"; readonly cause: unknown }
  | { readonly _tag: "BodyFailed"; readonly response: WholeResponse; readonly cause: unknown }

type RequestBody = Exclude<Undici.Dispatcher.DispatchOptions["body"], undefined>

const undiciBody = (body: HttpBody.HttpBody): Effect.Effect<RequestBody> => {
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(null)
    case "Uint8Array":
      return Effect.succeed(body.body)
    case "Raw":
      return Effect.succeed(body.body as RequestBody)
    case "FormData":
      return Effect.succeed(body.formData as RequestBody)
    case "Stream":
      return NodeStream.toReadable(body.stream)
  }
}

/** Sends the request and reads its whole body, in one promise. */
const exchange = async (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: AbortSignal,
  body: RequestBody
): Promise<Exchanged> => {
  let answer: Undici.Dispatcher.ResponseData
  try {
    answer = await dispatcher.request({
      signal,
      method: request.method,
      headers: request.headers,
      origin: url.origin,
      path: url.pathname + url.search,
      body,
      // Timeouts are the caller's (IntercomClient's watchdog, Effect.timeout, …), as with
      // @effect/platform-node's client: only an hour-long backstop for the headers.
      headersTimeout: 60 * 60 * 1000,
      bodyTimeout: 0
    })
  } catch (cause) {
    return { _tag: "NoResponse", cause }
  }
  try {
    const bytes = await answer.body.arrayBuffer()
    return { _tag: "Whole", response: new WholeResponse(request, answer.statusCode, answer.headers, bytes) }
  } catch (cause) {
    const response = new WholeResponse(request, answer.statusCode, answer.headers, new ArrayBuffer(0))
    return { _tag: "BodyFailed", response, cause }
  }
}

/** The response, or the platform's error for how the exchange failed (as its own clients report it). */
const outcome = (
  request: HttpClientRequest.HttpClientRequest,
  exchanged: Exchanged
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  switch (exchanged._tag) {
    case "Whole":
      return Effect.succeed(exchanged.response)
    case "NoResponse":
      return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: exchanged.cause }))
    case "BodyFailed": {
      const { cause, response } = exchanged
      return Effect.fail(new HttpClientError.ResponseError({ request, response, reason: "Decode", cause }))
    }
  }
}

/** An `HttpClient` over an undici dispatcher (e.g. an `Agent`). */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.flatMap(undiciBody(request.body), (body) =>
      Effect.flatMap(
        Effect.promise(() => exchange(dispatcher, request, url, signal, body)),
        (exchanged) => outcome(request, exchanged)
      ))
  )

/** The client over an undici `Agent` of its own, closed with the layer. */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(
  HttpClient.HttpClient,
  Effect.map(
    Effect.acquireRelease(Effect.sync(() => new Undici.Agent()), (agent) => Effect.promise(() => agent.destroy())),
    make
  )
)
