import { IntercomClient } from "@intercom-fx/core"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Sandbox from "../src/Sandbox.js"

it.scoped("configProvider points IntercomClient.layerConfig at the sandbox", () =>
  Effect.gen(function*() {
    const info = yield* Sandbox.start({ contacts: 3, token: "provider-token" })
    const me = yield* Effect.flatMap(IntercomClient.IntercomClient, (client) => client.request({ method: "GET", path: "/me" })).pipe(
      Effect.provide(Layer.provide(IntercomClient.layerConfig(), NodeHttpClient.layerUndici)),
      Effect.withConfigProvider(Sandbox.configProvider(info))
    )
    expect(me).toMatchObject({ type: "admin" })
  }))
