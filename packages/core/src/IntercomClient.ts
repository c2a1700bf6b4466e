/**
 * The service that talks to Intercom: it runs an `Endpoint` (encode the request,
 * send it with auth and version headers, retry by policy, record rate-limit headers,
 * decode the response or fail with a typed `IntercomError`).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type { Endpoint, HttpMethod, Input } from "./Endpoint.js"
import type { IntercomError } from "./IntercomError.js"

/** Per-call overrides of the client's defaults. */
export interface CallOptions {
  /** Attempts including the first; 1 disables retries. */
  readonly maxAttempts?: number
  /** Cap on one back-off wait. */
  readonly maxDelay?: Duration.DurationInput
  /** Per-attempt timeout. */
  readonly timeout?: Duration.DurationInput
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
  ) => Effect.Effect<Success, IntercomError>
  /** Sends a raw request with the same auth, retries and typed errors; returns the parsed JSON body. */
  readonly request: (request: RawRequest, options?: CallOptions) => Effect.Effect<unknown, IntercomError>
}

export class IntercomClient extends Context.Tag("@intercom-fx/core/IntercomClient")<
  IntercomClient,
  IntercomClientService
>() {}
