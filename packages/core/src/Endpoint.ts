/**
 * An endpoint is the description of one Intercom operation: method, path template,
 * the schemas of its query, body and response, and whether it is safe to retry.
 * `IntercomClient.execute` runs one; nothing here does I/O.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { ParseError } from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as FastValidate from "./internal/fastValidate.js"

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "PATCH"

/** How the response body is read: parsed JSON (the norm), or raw bytes (data export downloads). */
export type ResponseKind = "json" | "bytes"

/** Path parameter values by name; numbers are formatted, everything is URL-encoded. */
export type PathValues<Names extends string> = { readonly [K in Names]: string | number }

/**
 * The typed input of an endpoint. Parts the endpoint does not take are absent;
 * a query is optional whenever every query parameter is.
 */
export type Input<Names extends string, Query, Body> =
  & ([Names] extends [never] ? {} : { readonly path: PathValues<Names> })
  & ([Query] extends [void] ? {} : {} extends Query ? { readonly query?: Query } : { readonly query: Query })
  & ([Body] extends [void] ? {} : { readonly body: Body })

export interface Endpoint<Names extends string, Query, Body, Success> {
  readonly _tag: "Endpoint"
  /** The spec's operationId, e.g. `SearchContacts`. */
  readonly operationId: string
  /** Our name for it, used in spans, logs and errors, e.g. `contacts.search`. */
  readonly name: string
  readonly method: HttpMethod
  /** The spec's path template, e.g. `/contacts/{contact_id}/tags`. */
  readonly path: string
  readonly pathParams: ReadonlyArray<Names>
  /**
   * Safe to retry after the server may have processed it: GET, PUT, DELETE,
   * and POSTs that only read (searches, `/companies/list`).
   */
  readonly idempotent: boolean
  readonly responseKind: ResponseKind
  readonly schemas: {
    readonly query: Schema.Schema.AnyNoContext | undefined
    readonly body: Schema.Schema.AnyNoContext | undefined
    readonly success: Schema.Schema.AnyNoContext
  }
  /** Encodes the query to string-valued parameters (arrays repeat the key). */
  readonly encodeQuery: (query: Query) => Effect.Effect<ReadonlyArray<readonly [string, string]>, ParseError>
  readonly encodeBody: (body: Body) => Effect.Effect<unknown, ParseError>
  readonly decodeSuccess: (body: unknown) => Effect.Effect<Success, ParseError>
}

export declare namespace Endpoint {
  /** Any endpoint, for code that only reads its description (inputs are contravariant, hence `never`). */
  export type Any = Endpoint<string, never, never, unknown>
  export type InputOf<E> = E extends Endpoint<infer N, infer Q, infer B, infer _S> ? Input<N, Q, B> : never
  export type SuccessOf<E> = E extends Endpoint<infer _N, infer _Q, infer _B, infer S> ? S : never
}

/** `f`'s result, computed on first use. */
const lazy = <A>(f: () => A): () => A => {
  let done = false
  let value: A
  return () => {
    if (!done) {
      value = f()
      done = true
    }
    return value
  }
}

const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(["GET", "PUT", "DELETE"])

/** Whether requests with this method are safe to repeat by default (GET, PUT, DELETE; not POST or PATCH). */
export const isIdempotentMethod = (method: HttpMethod): boolean => IDEMPOTENT_METHODS.has(method)

const toQueryPairs = (encoded: unknown): ReadonlyArray<readonly [string, string]> => {
  const pairs: Array<readonly [string, string]> = []
  if (encoded === null || typeof encoded !== "object") return pairs
  for (const [key, value] of Object.entries(encoded)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      for (const item of value) pairs.push([key, String(item)])
    } else if (typeof value === "object") {
      pairs.push([key, JSON.stringify(value)])
    } else {
      pairs.push([key, String(value)])
    }
  }
  return pairs
}

/**
 * Describes an endpoint. `idempotent` defaults from the method (GET, PUT, DELETE);
 * read-only POSTs must say so.
 */
export const make = <
  const Names extends string = never,
  Q extends Schema.Schema.AnyNoContext = typeof Schema.Void,
  B extends Schema.Schema.AnyNoContext = typeof Schema.Void,
  S extends Schema.Schema.AnyNoContext = typeof Schema.Unknown
>(options: {
  readonly operationId: string
  readonly name: string
  readonly method: HttpMethod
  readonly path: string
  readonly pathParams?: ReadonlyArray<Names>
  readonly query?: Q
  readonly body?: B
  readonly success?: S
  readonly idempotent?: boolean
  readonly responseKind?: ResponseKind
}): Endpoint<Names, Schema.Schema.Type<Q>, Schema.Schema.Type<B>, Schema.Schema.Type<S>> => {
  const query = options.query
  const body = options.body
  const success = options.success ?? Schema.Unknown
  // Compiled on first use: `Schema.decodeUnknown` builds its parser at once, and the
  // generated module defines 108 endpoints that a program mostly does not call.
  const encodeQuery = query ? lazy(() => Schema.encodeUnknown(query)) : undefined
  const encodeBody = body ? lazy(() => Schema.encodeUnknown(body)) : undefined
  const decode = lazy(() => Schema.decodeUnknown(success))
  // Response schemas decode to their input (no transformations): when the compiled check
  // vouches for a body, it is its own decoded value and the decode (a deep copy) is skipped.
  // Otherwise the decode runs, and its ParseError says what is wrong.
  const isSame = lazy(() => FastValidate.compile(success))
  return {
    _tag: "Endpoint",
    operationId: options.operationId,
    name: options.name,
    method: options.method,
    path: options.path,
    pathParams: options.pathParams ?? [],
    idempotent: options.idempotent ?? isIdempotentMethod(options.method),
    responseKind: options.responseKind ?? "json",
    schemas: { query, body, success },
    encodeQuery: (value) =>
      encodeQuery
        ? Effect.map(encodeQuery()(value ?? {}), toQueryPairs)
        : Effect.succeed([]),
    encodeBody: (value) => (encodeBody ? encodeBody()(value) : Effect.succeed(undefined)),
    decodeSuccess: (value) => {
      const fast = isSame()
      return fast !== undefined && fast(value)
        ? Effect.succeed(value as Schema.Schema.Type<S>)
        : decode()(value) as Effect.Effect<Schema.Schema.Type<S>, ParseError>
    }
  }
}

/** Fills a path template with URL-encoded values. */
export const buildPath = (template: string, values: Readonly<Record<string, string | number>>): string =>
  template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(values[name] ?? "")))
