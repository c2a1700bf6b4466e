/**
 * Intercom's error model: every failure the sandbox answers is an `error.list` body with a
 * `request_id`, an HTTP status and one or more `{code, message, field?}` entries.
 */
import * as Data from "effect/Data"

export type ErrorItem = {
  readonly code: string
  readonly message: string
  readonly field?: string
}

/** An API-level failure, rendered by the app as an `error.list` response. */
export class ApiError extends Data.TaggedError("ApiError")<{
  readonly status: number
  readonly errors: ReadonlyArray<ErrorItem>
  readonly headers?: Readonly<Record<string, string>>
}> {}

export const apiError = (status: number, code: string, message: string, field?: string): ApiError =>
  new ApiError({ status, errors: [field === undefined ? { code, message } : { code, message, field }] })

export const notFound = (what = "Resource Not Found", code = "not_found"): ApiError => apiError(404, code, what)

export const badRequest = (message: string, field?: string, code = "parameter_invalid"): ApiError =>
  apiError(400, code, message, field)

export const unauthorized = (): ApiError => apiError(401, "unauthorized", "Access Token Invalid")

export const errorBody = (requestId: string, errors: ReadonlyArray<ErrorItem>) => ({
  type: "error.list",
  request_id: requestId,
  errors
})
