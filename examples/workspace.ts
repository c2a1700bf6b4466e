/**
 * Where the examples run.
 *
 * Every example builds its Intercom layers exactly as your app would, from Effect `Config`:
 *
 *     IntercomClient.layerConfig()   // reads INTERCOM_ACCESS_TOKEN, INTERCOM_REGION, INTERCOM_BASE_URL, …
 *
 * This helper only decides where that config comes from:
 *
 * - `INTERCOM_ACCESS_TOKEN` is set (non-empty): the environment, i.e. your real workspace.
 *     INTERCOM_ACCESS_TOKEN=… npx tsx examples/export-csv.ts
 * - otherwise: a local sandbox (a seeded Intercom workspace served over HTTP on a free
 *   loopback port, started in-process and stopped with the program), and a
 *   `ConfigProvider` that answers `INTERCOM_BASE_URL` / `INTERCOM_ACCESS_TOKEN` with the
 *   sandbox's URL and token. Nothing else in the example changes.
 *
 * It also tells a program which of the two it got (`LocalSandbox`), for the one example
 * that turns the sandbox's fault knobs.
 */
import { Sandbox } from "@intercom-fx/sandbox"
import { Config, ConfigProvider, Context, Effect, Layer, Option } from "effect"

/** The sandbox this program started, or none when it talks to a real workspace. */
export class LocalSandbox extends Context.Tag("examples/LocalSandbox")<LocalSandbox, Option.Option<Sandbox.SandboxInfo>>() {}

/**
 * Provide this under your Intercom layers (`Layer.provide(Workspace.layer(...))`): the real
 * API when `INTERCOM_ACCESS_TOKEN` is set, else a fresh sandbox with these options.
 */
export const layer = (sandbox: Sandbox.SandboxOptions = {}): Layer.Layer<LocalSandbox, Sandbox.SandboxError> =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const token = yield* Config.option(Config.nonEmptyString("INTERCOM_ACCESS_TOKEN")).pipe(Effect.orElseSucceed(Option.none))
      if (Option.isSome(token)) return Layer.succeed(LocalSandbox, Option.none())
      const info = yield* Sandbox.start(sandbox) // closes when the program's layers are released
      const pointAtSandbox = ConfigProvider.fromMap(
        new Map([["INTERCOM_BASE_URL", info.baseUrl], ["INTERCOM_ACCESS_TOKEN", info.token]])
      ).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
      return Layer.merge(Layer.setConfigProvider(pointAtSandbox), Layer.succeed(LocalSandbox, Option.some(info)))
    })
  )
