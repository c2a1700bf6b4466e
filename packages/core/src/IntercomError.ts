/**
 * The typed failures of a call to Intercom: one class per HTTP outcome a caller may
 * want to handle differently, all in the closed union `IntercomError`, so
 * `Effect.catchTag("NotFound", …)` works and the type says what can fail.
 *
 * Every error names the operation, method and concrete path, the status, Intercom's
 * `request_id` and the parsed `errors[]` of its `error.list` body. None carries
 * request headers, so the access token can never travel inside one.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** One entry of Intercom's `error.list` body. */
export class ErrorItem extends Schema.Class<ErrorItem>("ErrorItem")({
  code: Schema.String,
  message: Schema.String,
  field: Schema.optionalWith(Schema.String, { exact: true })
}) {}

const context = {
  /** Our operation name, e.g. `contacts.search`. */
  operation: Schema.String,
  method: Schema.String,
  /** The concrete path, ids filled in, without the query string. */
  path: Schema.String,
  status: Schema.optionalWith(Schema.Number, { exact: true }),
  requestId: Schema.optionalWith(Schema.String, { exact: true }),
  errors: Schema.Array(ErrorItem)
}

/** What every error carries, in the order it is built. */
export type ErrorContext = {
  readonly operation: string
  readonly method: string
  readonly path: string
  readonly status?: number
  readonly requestId?: string
  readonly errors: ReadonlyArray<ErrorItem>
}

/** One line: `<operation> <METHOD> <path> → <status>: <detail>: <code>: <message> (request_id …)`. */
const describe = (error: ErrorContext, detail?: string): string => {
  const status = error.status === undefined ? "" : ` → ${error.status}`
  const reasons = error.errors.map((e) => (e.field ? `${e.code} (${e.field}): ${e.message}` : `${e.code}: ${e.message}`))
  const head = `${error.operation} ${error.method} ${error.path}${status}`
  const requestId = error.requestId ? ` (request_id ${error.requestId})` : ""
  return `${[head, ...(detail ? [detail] : []), ...reasons].join(": ")}${requestId}`.replace(/[\r\n]+/g, " ")
}

/** 400: the request was malformed, e.g. an invalid search query or body field. */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", context) {
  override get message() {
    return describe(this)
  }
}

/** 401: the access token is missing, invalid or revoked. */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", context) {
  override get message() {
    return describe(this)
  }
}

/** 403: the token is valid but lacks a scope or the app lacks access. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", context) {
  override get message() {
    return describe(this)
  }
}

/** 404: no such resource (or no such route). */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", context) {
  override get message() {
    return describe(this)
  }
}

/** 409: the write conflicts with the resource's state (e.g. a duplicate). */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", context) {
  override get message() {
    return describe(this)
  }
}

/** 422: the body was understood but its values were rejected. */
export class UnprocessableEntity extends Schema.TaggedError<UnprocessableEntity>()("UnprocessableEntity", context) {
  override get message() {
    return describe(this)
  }
}

/** 429: over the rate limit. `resetAt` (epoch ms) is when the window resets, when known. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  ...context,
  limit: Schema.optionalWith(Schema.Number, { exact: true }),
  remaining: Schema.optionalWith(Schema.Number, { exact: true }),
  resetAt: Schema.optionalWith(Schema.Number, { exact: true }),
  /** Seconds from a `Retry-After` header, when sent. */
  retryAfter: Schema.optionalWith(Schema.Number, { exact: true })
}) {
  override get message() {
    return describe(this, this.resetAt === undefined ? undefined : `window resets at ${new Date(this.resetAt).toISOString()}`)
  }
}

/** 5xx: Intercom failed. Retried for idempotent requests. */
export class ServerError extends Schema.TaggedError<ServerError>()("ServerError", context) {
  override get message() {
    return describe(this)
  }
}

/** Any other unexpected status (e.g. 405, 410, 413). */
export class UnexpectedStatus extends Schema.TaggedError<UnexpectedStatus>()("UnexpectedStatus", context) {
  override get message() {
    return describe(this)
  }
}

/**
 * The connection failed: refused, reset, DNS, TLS, or a body cut short.
 * `reachedServer` is false only when the request provably never reached Intercom
 * (connection refused, unknown host), the one case a non-idempotent POST may be retried.
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  ...context,
  reason: Schema.String,
  reachedServer: Schema.Boolean
}) {
  override get message() {
    return describe(this, this.reason)
  }
}

/** No complete response within the timeout (or HTTP 408 from the server). */
export class TimeoutError extends Schema.TaggedError<TimeoutError>()("TimeoutError", {
  ...context,
  timeoutMs: Schema.optionalWith(Schema.Number, { exact: true })
}) {
  override get message() {
    return describe(this, this.timeoutMs === undefined ? undefined : `no response within ${this.timeoutMs} ms`)
  }
}

/** A 2xx body that does not match the operation's schema. `jsonPath` points at the first issue. */
export class ResponseDecodeError extends Schema.TaggedError<ResponseDecodeError>()("ResponseDecodeError", {
  ...context,
  jsonPath: Schema.String,
  issue: Schema.String
}) {
  override get message() {
    return describe(this, `at ${this.jsonPath}: ${this.issue}`)
  }
}

/** Every way a call to Intercom can fail. */
export type IntercomError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | Conflict
  | UnprocessableEntity
  | RateLimited
  | ServerError
  | UnexpectedStatus
  | TransportError
  | TimeoutError
  | ResponseDecodeError

/** The union as a schema, e.g. to persist failures in a journal. */
export const IntercomError = Schema.Union(
  BadRequest,
  Unauthorized,
  Forbidden,
  NotFound,
  Conflict,
  UnprocessableEntity,
  RateLimited,
  ServerError,
  UnexpectedStatus,
  TransportError,
  TimeoutError,
  ResponseDecodeError
)

export const isIntercomError = (u: unknown): u is IntercomError =>
  IntercomError.members.some((member) => u instanceof member)
