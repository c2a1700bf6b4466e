/** The implementation of `intercom-fx request` (loaded only when the command runs). */
import { type Endpoint, IntercomClient, type IntercomError } from "@intercom-fx/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Failure from "../internal/cliFailure.js"

const methods: ReadonlyArray<Endpoint.HttpMethod> = ["GET", "POST", "PUT", "PATCH", "DELETE"]

const parseMethod = (text: string): Option.Option<Endpoint.HttpMethod> =>
  Option.fromNullable(methods.find((method) => method === text.toUpperCase()))

const parseData = (data: Option.Option<string>) =>
  Option.match(data, {
    onNone: () => Effect.succeed<unknown>(undefined),
    onSome: (text) =>
      Effect.try({
        try: (): unknown => JSON.parse(text),
        catch: (error) => Failure.usage(`--data is not JSON: ${error instanceof Error ? error.message : String(error)}`)
      })
  })

/** Checks the method and path (before any workspace is needed). */
export const validate = (method: string, path: string) =>
  Effect.gen(function*() {
    const verb = parseMethod(method)
    if (Option.isNone(verb)) return yield* Failure.usage(`unknown METHOD "${method}": use ${methods.join(", ")}`)
    if (!path.startsWith("/")) return yield* Failure.usage(`PATH must start with / (got "${path}"); the host comes from the workspace`)
    return verb.value
  })

export const run = (
  options: { readonly method: string; readonly path: string; readonly data: Option.Option<string> }
): Effect.Effect<void, Failure.CliFailure | IntercomError.IntercomError, IntercomClient.IntercomClient> =>
  Effect.gen(function*() {
    const verb = yield* validate(options.method, options.path)
    if (verb === "GET" && Option.isSome(options.data)) {
      return yield* Failure.usage("a GET sends no body: leave out --data, or pass the values in the PATH's query string")
    }
    const body = yield* parseData(options.data)
    const client = yield* IntercomClient.IntercomClient
    const response = yield* client.request(body === undefined ? { method: verb, path: options.path } : { method: verb, path: options.path, body })
    // An answer without a body (202, 204) prints nothing: stdout stays valid JSON or empty.
    if (response === undefined) return
    yield* Effect.async<void>((resume) => {
      process.stdout.write(`${JSON.stringify(response, null, 2)}\n`, () => resume(Effect.void))
    })
  })
