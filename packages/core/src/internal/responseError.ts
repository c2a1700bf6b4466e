/**
 * Turns a non-2xx response, or a failed exchange, into the matching `IntercomError`.
 * Error bodies are read defensively: an empty, HTML or truncated body still yields the
 * error its status calls for.
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as IntercomError from "../IntercomError.js"
import * as RateLimit from "../RateLimit.js"

/** What an error names besides its status: where the call went. */
export interface CallSite {
  readonly operation: string
  readonly method: string
  readonly path: string
}

const ErrorListBody = Schema.Struct({
  request_id: Schema.optional(Schema.NullOr(Schema.String)),
  errors: Schema.optional(
    Schema.Array(
      Schema.Struct({
        code: Schema.optional(Schema.NullOr(Schema.String)),
        message: Schema.optional(Schema.NullOr(Schema.String)),
        field: Schema.optional(Schema.NullOr(Schema.String))
      })
    )
  )
})

const decodeErrorList = Schema.decodeUnknownOption(Schema.parseJson(ErrorListBody))

interface ParsedBody {
  readonly requestId: string | undefined
  readonly errors: ReadonlyArray<IntercomError.ErrorItem>
}

/** Reads Intercom's `error.list`; anything else becomes one item saying what arrived instead. */
export const parseErrorBody = (body: string, status: number, contentType: string | undefined): ParsedBody => {
  const parsed = decodeErrorList(body)
  if (Option.isSome(parsed) && parsed.value.errors !== undefined) {
    return {
      requestId: parsed.value.request_id ?? undefined,
      errors: parsed.value.errors.map((item) =>
        new IntercomError.ErrorItem({
          code: item.code ?? "unknown",
          message: item.message ?? "",
          ...(item.field ? { field: item.field } : {})
        })
      )
    }
  }
  const what = body.trim() === ""
    ? "an empty body"
    : `a body that is not an Intercom error list (${contentType ?? "no content type"}, ${body.length} bytes)`
  return {
    requestId: Option.isSome(parsed) ? parsed.value.request_id ?? undefined : undefined,
    errors: [new IntercomError.ErrorItem({ code: `http_${status}`, message: `HTTP ${status} with ${what}` })]
  }
}

const optionalNumber = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

/** The typed error for a non-2xx status. */
export const fromStatus = (
  site: CallSite,
  status: number,
  headers: Readonly<Record<string, string | undefined>>,
  body: string
): IntercomError.IntercomError => {
  const parsed = parseErrorBody(body, status, headers["content-type"])
  const requestId = parsed.requestId ?? headers["x-request-id"]
  const context = { ...site, status, errors: parsed.errors, ...(requestId ? { requestId } : {}) }
  switch (status) {
    case 400:
      return new IntercomError.BadRequest(context)
    case 401:
      return new IntercomError.Unauthorized(context)
    case 403:
      return new IntercomError.Forbidden(context)
    case 404:
      return new IntercomError.NotFound(context)
    case 408:
      return new IntercomError.TimeoutError(context)
    case 409:
      return new IntercomError.Conflict(context)
    case 422:
      return new IntercomError.UnprocessableEntity(context)
    case 429: {
      const snapshot = RateLimit.fromHeaders(headers)
      const retryAfter = optionalNumber(headers["retry-after"])
      return new IntercomError.RateLimited({
        ...context,
        ...(Option.isSome(snapshot)
          ? { limit: snapshot.value.limit, remaining: snapshot.value.remaining, resetAt: snapshot.value.resetAt }
          : {}),
        ...(retryAfter !== undefined ? { retryAfter } : {})
      })
    }
    default:
      return status >= 500
        ? new IntercomError.ServerError(context)
        : new IntercomError.UnexpectedStatus(context)
  }
}

// Codes for failures before any byte reached the server: the request was certainly not processed.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ERR_INVALID_URL"])

/** Walks an error's `cause` chain for a Node system error code. */
const errorCode = (cause: unknown): string | undefined => {
  let current: unknown = cause
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    if ("code" in current && typeof current.code === "string") return current.code
    current = "cause" in current ? current.cause : undefined
  }
  return undefined
}

const describeCause = (cause: unknown): string => {
  const code = errorCode(cause)
  const message = cause instanceof Error ? cause.message : undefined
  return [code, message].filter((part) => part !== undefined && part !== "").join(": ") || "connection failed"
}

/** A request that failed before a response arrived. */
export const fromRequestError = (site: CallSite, error: HttpClientError.RequestError): IntercomError.IntercomError => {
  const code = errorCode(error.cause)
  return new IntercomError.TransportError({
    ...site,
    errors: [],
    reason: error.reason === "Transport" ? describeCause(error.cause) : `${error.reason}: ${error.description ?? "request could not be built"}`,
    reachedServer: error.reason !== "Transport" ? false : !(code !== undefined && NOT_SENT_CODES.has(code))
  })
}

/** A response whose body broke off or is not the complete JSON it claimed to be. */
export const bodyCutShort = (site: CallSite, status: number, cause: unknown): IntercomError.TransportError =>
  new IntercomError.TransportError({
    ...site,
    status,
    errors: [],
    reason: `response body cut short or malformed (${describeCause(cause)})`,
    reachedServer: true
  })

/** A 2xx body that does not fit the operation's schema. */
export const fromDecodeError = (
  site: CallSite,
  status: number,
  error: ParseResult.ParseError
): IntercomError.ResponseDecodeError => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  const jsonPath = "$" + (first?.path ?? []).map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("")
  return new IntercomError.ResponseDecodeError({
    ...site,
    status,
    errors: [],
    jsonPath,
    issue: first ? `${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more issues)` : ""}` : "invalid body"
  })
}

/** A request the typed API could not encode (it was never sent). */
export const fromEncodeError = (site: CallSite, error: ParseResult.ParseError): IntercomError.BadRequest => {
  const first = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  const field = first?.path.map(String).join(".")
  return new IntercomError.BadRequest({
    ...site,
    errors: [
      new IntercomError.ErrorItem({
        code: "request_not_encodable",
        message: first?.message ?? "the request does not match the operation's schema",
        ...(field ? { field } : {})
      })
    ]
  })
}
