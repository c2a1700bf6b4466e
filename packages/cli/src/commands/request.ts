/**
 * `intercom-fx request <METHOD> <PATH> [--data JSON]`: the escape hatch. Sends any
 * request with the client's auth, retries and typed errors and prints the JSON answer.
 */
import { Args, Command, Options } from "@effect/cli"
import type { Endpoint } from "@intercom-fx/core"
import { IntercomClient } from "@intercom-fx/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Failure from "../Failure.js"
import { describe } from "../internal/help.js"
import * as Workspace from "../Workspace.js"

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

export const command = Command.make(
  "request",
  {
    method: Args.text({ name: "METHOD" }).pipe(Args.withDescription("GET, POST, PUT, PATCH or DELETE.")),
    path: Args.text({ name: "PATH" }).pipe(Args.withDescription("API path with query string, e.g. /contacts?per_page=5.")),
    data: Options.text("data").pipe(Options.withAlias("d"), Options.withDescription("JSON request body."), Options.optional),
    workspace: Workspace.options
  },
  ({ method, path, data, workspace }) =>
    Effect.gen(function*() {
      const verb = parseMethod(method)
      if (Option.isNone(verb)) return yield* Failure.usage(`unknown METHOD "${method}": use ${methods.join(", ")}`)
      if (!path.startsWith("/")) return yield* Failure.usage(`PATH must start with / (got "${path}"); the host comes from the workspace`)
      const body = yield* parseData(data)
      const client = yield* IntercomClient.IntercomClient
      const response = yield* client.request(body === undefined ? { method: verb.value, path } : { method: verb.value, path, body })
      yield* Effect.async<void>((resume) => {
        process.stdout.write(`${JSON.stringify(response, null, 2)}\n`, () => resume(Effect.void))
      })
    }).pipe(Effect.provide(Workspace.layer(workspace)))
).pipe(
  Command.withDescription(describe(
    "Send any request to the API with auth, retries and typed errors; prints the JSON answer on stdout.",
    [
      "intercom-fx request GET /me",
      "intercom-fx request GET '/contacts?per_page=5' --sandbox",
      `intercom-fx request POST /contacts/search --data '{"query":{"field":"role","operator":"=","value":"lead"}}'`
    ]
  ))
)
