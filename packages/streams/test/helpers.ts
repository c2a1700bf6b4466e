/** Test wiring: a sandbox on loopback and a real client talking to it over HTTP. */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { IntercomClient, type IntercomConfig, type RateLimit } from "@intercom-fx/core"
import { Sandbox } from "@intercom-fx/sandbox"
import { Effect, Layer, Tracer } from "effect"

/** A sandbox with the client (small back-off so fault tests stay fast) and an HttpClient. */
export const sandboxLayer = (
  options: Sandbox.SandboxOptions,
  client: { readonly maxAttempts?: number; readonly timeout?: IntercomConfig.Options["timeout"] } = {}
): Layer.Layer<
  IntercomClient.IntercomClient | RateLimit.RateLimit | Sandbox.Sandbox | HttpClient.HttpClient,
  Sandbox.SandboxError | IntercomConfig.InvalidConfig
> => {
  const intercom = Layer.unwrapEffect(
    Effect.map(Sandbox.Sandbox, (info) =>
      IntercomClient.layer({
        accessToken: info.token,
        baseUrl: info.baseUrl,
        timeout: client.timeout ?? "20 seconds",
        baseDelay: "5 millis",
        maxDelay: "50 millis",
        maxAttempts: client.maxAttempts ?? 8
      }))
  )
  return Layer.provideMerge(intercom, Layer.merge(Sandbox.layer(options), NodeHttpClient.layerUndici))
}

export const idsOf = (items: Iterable<{ readonly [key: string]: unknown }>): Array<string> =>
  [...items].map((item) => String(item["id"]))

/** A tracer that keeps every span it starts (over the current tracer), for tests of what spans say. */
export const recordingTracer = Effect.map(Effect.tracer, (native) => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: (...args) => {
      const span = native.span(...args)
      spans.push(span)
      return span
    },
    context: native.context
  })
  return { tracer, spans } as const
})
