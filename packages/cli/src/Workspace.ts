/**
 * Where a command talks to: `--sandbox` starts a seeded in-process sandbox in the
 * command's scope and points the client at it; otherwise the workspace comes from
 * `INTERCOM_ACCESS_TOKEN` (or `--token-file`), `INTERCOM_REGION` and `INTERCOM_BASE_URL`.
 * Builds the `IntercomClient` layer either way. The token stays `Redacted`.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { IntercomClient, IntercomConfig, type RateLimit } from "@intercom-fx/core"
import type { Sandbox } from "@intercom-fx/sandbox"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Failure from "./internal/cliFailure.js"
import { readText } from "./internal/inputFile.js"
import type { WorkspaceOptions } from "./internal/options.js"

export { type WorkspaceOptions, workspace as options } from "./internal/options.js"

/** The seeded workspace `--sandbox` starts (small enough to come up instantly). */
export const embeddedSandbox: Sandbox.SandboxOptions = { contacts: 2000, seed: 42 }

export const missingToken =
  "no access token: set INTERCOM_ACCESS_TOKEN (or pass --token-file FILE), or add --sandbox to use a local sandbox"

const readTokenFile = (path: string) =>
  Effect.gen(function*() {
    const text = yield* readText("--token-file", path)
    const token = text.trim()
    if (token === "") return yield* Failure.usage(`--token-file ${path} is empty`)
    if (/\s/.test(token)) return yield* Failure.usage(`--token-file ${path} holds more than one line or word: put the token alone in it`)
    return Redacted.make(token)
  })

/** The configuration from the environment, with the token from `--token-file` when given. */
const configFromEnvironment = (tokenFile: Option.Option<string>) =>
  Effect.gen(function*() {
    const fromFile = yield* Option.match(tokenFile, {
      onNone: () => Effect.succeed(Option.none<Redacted.Redacted<string>>()),
      onSome: (path) => Effect.map(readTokenFile(path), Option.some)
    })
    const fromEnv = yield* Config.option(Config.redacted("INTERCOM_ACCESS_TOKEN")).pipe(
      Effect.mapError((error) => Failure.usage(`INTERCOM_ACCESS_TOKEN: ${String(error)}`))
    )
    if (Option.isNone(fromFile) && Option.isNone(fromEnv)) return yield* Failure.usage(missingToken)
    const config = Option.match(fromFile, {
      onNone: () => IntercomConfig.config,
      onSome: (token) =>
        IntercomConfig.config.pipe(
          Effect.withConfigProvider(
            ConfigProvider.orElse(
              ConfigProvider.fromMap(new Map([["INTERCOM_ACCESS_TOKEN", Redacted.value(token)]])),
              () => ConfigProvider.fromEnv()
            )
          )
        )
    })
    return yield* config
  })

/** The client for a command: sandbox or environment; needs a `FileSystem` for `--token-file`. */
export const layer = (
  workspace: WorkspaceOptions
): Layer.Layer<IntercomClient.IntercomClient | RateLimit.RateLimit, unknown, FileSystem.FileSystem> => {
  // The sandbox is loaded only when asked for: it roughly doubles the start-up of a command.
  const sandbox: Layer.Layer<IntercomConfig.IntercomConfig, unknown> = Layer.unwrapScoped(
    Effect.flatMap(Effect.promise(() => import("@intercom-fx/sandbox")), ({ Sandbox }) =>
      Effect.map(Sandbox.start(embeddedSandbox), (info) =>
        IntercomConfig.layer({ accessToken: Redacted.make(info.token), baseUrl: info.baseUrl })))
  )
  const config: Layer.Layer<IntercomConfig.IntercomConfig, unknown, FileSystem.FileSystem> = !workspace.sandbox
    ? Layer.effect(IntercomConfig.IntercomConfig, configFromEnvironment(workspace.tokenFile))
    : Option.isSome(workspace.tokenFile)
    // A token meant for a real workspace, given with --sandbox: one of the two is a mistake.
    ? Layer.fail(Failure.usage("--token-file and --sandbox conflict: the sandbox has its own token; leave one out"))
    : sandbox
  return IntercomClient.layerWith(config).pipe(Layer.provide(NodeHttpClient.layerUndici))
}
