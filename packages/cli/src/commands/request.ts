/**
 * `intercom-fx request <METHOD> <PATH> [--data JSON]`: the escape hatch. Sends any
 * request with the client's auth, retries and typed errors and prints the JSON answer.
 * (The implementation, `run/request`, is loaded only when the command runs.)
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import { describe } from "../internal/help.js"
import { workspace } from "../internal/options.js"

export const command = Command.make(
  "request",
  {
    method: Args.text({ name: "METHOD" }).pipe(Args.withDescription("GET, POST, PUT, PATCH or DELETE.")),
    path: Args.text({ name: "PATH" }).pipe(Args.withDescription("API path with query string, e.g. /contacts?per_page=5.")),
    data: Options.text("data").pipe(Options.withAlias("d"), Options.withDescription("JSON request body."), Options.optional),
    workspace
  },
  ({ workspace, ...rest }) =>
    Effect.gen(function*() {
      const [Request, Workspace] = yield* Effect.promise(() => Promise.all([import("../run/request.js"), import("../Workspace.js")]))
      const checked = yield* Request.check(rest)
      return yield* Request.run(checked).pipe(Effect.provide(Workspace.layer(workspace)))
    })
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
