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
      // `--data --sandbox`: the parser took the next flag as the body (a JSON `-1` still passes).
      /^--?[a-z]/i.test(text)
        ? Failure.usage(`--data "${text}" looks like a flag, not JSON: give --data its body first`)
        : Effect.try({
          try: (): unknown => JSON.parse(text),
          catch: (error) => Failure.usage(`--data is not JSON: ${error instanceof Error ? error.message : String(error)}`)
        })
  })

/** A request as checked: its method, its path and its parsed body. */
export interface Checked {
  readonly verb: Endpoint.HttpMethod
  readonly path: string
  readonly body: unknown
}

/** Checks the method, the path and `--data` before any workspace is needed. */
export const check = (
  options: { readonly method: string; readonly path: string; readonly data: Option.Option<string> }
): Effect.Effect<Checked, Failure.CliFailure> =>
  Effect.gen(function*() {
    const verb = parseMethod(options.method)
    if (Option.isNone(verb)) return yield* Failure.usage(`unknown METHOD "${options.method}": use ${methods.join(", ")}`)
    if (!options.path.startsWith("/")) {
      return yield* Failure.usage(`PATH must start with / (got "${options.path}"); the host comes from the workspace`)
    }
    if (verb.value === "GET" && Option.isSome(options.data)) {
      return yield* Failure.usage("a GET sends no body: leave out --data, or pass the values in the PATH's query string")
    }
    return { verb: verb.value, path: options.path, body: yield* parseData(options.data) }
  })

/** Sends a checked request and prints its JSON answer. */
export const run = (
  { body, path, verb }: Checked
): Effect.Effect<void, IntercomError.IntercomError, IntercomClient.IntercomClient> =>
  Effect.gen(function*() {
    const client = yield* IntercomClient.IntercomClient
    const response = yield* client.request(body === undefined ? { method: verb, path } : { method: verb, path, body })
    // An answer without a body (202, 204) prints nothing: stdout stays valid JSON or empty.
    if (response === undefined) return
    yield* Effect.async<void>((resume) => {
      process.stdout.write(`${JSON.stringify(response, null, 2)}\n`, () => resume(Effect.void))
    })
  })
