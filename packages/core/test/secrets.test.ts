import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Fiber, Inspectable, Layer, Logger, LogLevel, Schema, TestClock } from "effect"
import * as Endpoint from "../src/Endpoint.js"
import * as IntercomClient from "../src/IntercomClient.js"
import { httpClients } from "./fixtures/httpClients.js"
import * as RecordingTracer from "./fixtures/RecordingTracer.js"
import { errorList, layer as scriptedServer, ScriptedServer } from "./fixtures/ScriptedServer.js"

const TOKEN = "tok_SECRET_must_never_show_9876"

const getContact = Endpoint.make({
  operationId: "ShowContact",
  name: "contacts.get",
  method: "GET",
  path: "/contacts/{contact_id}",
  pathParams: ["contact_id"],
  success: Schema.Struct({ id: Schema.String })
})

const yieldToIo = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

describe.each(httpClients)("the access token, over %s", (_name, http) => {
  it.effect("appears in no error, log line or span, whatever goes wrong", () =>
    Effect.gen(function*() {
      const server = yield* ScriptedServer
      const logs: Array<string> = []
      const { spans, tracer: recording } = yield* RecordingTracer.make
      const logger = Logger.make(({ annotations, cause, message }) => {
        logs.push(`${Inspectable.format(message)} ${Cause.pretty(cause)} ${Inspectable.format(annotations)}`)
      })

      yield* server.script([
        { status: 401, body: errorList("unauthorized", "Access Token Invalid") },
        { status: 502, body: "<html>bad gateway</html>", headers: { "content-type": "text/html" } },
        { status: 200, body: "{\"id\":" }, // cut short
        { status: 200, body: "{\"id\":7}" }, // does not decode
        { status: 0, destroy: true },
        { status: 429, body: errorList("rate_limit_exceeded", "Exceeded rate limit"), headers: { "retry-after": "1" } }
      ], { status: 500, body: errorList("server_error", "boom") })

      const client = Layer.provide(
        IntercomClient.layer({ accessToken: TOKEN, baseUrl: server.baseUrl, maxAttempts: 2, timeout: "1 day" }),
        http
      )
      const call = Effect.flatMap(IntercomClient.IntercomClient, (c) => c.execute(getContact, { path: { contact_id: "c1" } }))
      const errors = yield* Effect.gen(function*() {
        const failures: Array<unknown> = []
        for (let i = 0; i < 4; i++) {
          const fiber = yield* Effect.fork(Effect.flip(call))
          // Let each retry wait pass on the TestClock.
          while (fiber.unsafePoll() === null) {
            yield* yieldToIo
            yield* TestClock.adjust("2 seconds")
          }
          failures.push(yield* Fiber.join(fiber))
        }
        const refused = yield* Effect.flip(call).pipe(
          Effect.provide(Layer.provide(
            IntercomClient.layer({ accessToken: TOKEN, baseUrl: "http://127.0.0.1:9", maxAttempts: 1 }),
            http
          ))
        )
        failures.push(refused)
        return failures
      }).pipe(
        Effect.provide(client),
        Effect.withTracer(recording),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.All)
      )

      // The server did receive the token: the test would be vacuous otherwise.
      const received = yield* server.received
      expect(received[0]?.headers["authorization"]).toBe(`Bearer ${TOKEN}`)
      expect(errors.length).toBe(5)
      expect(logs.some((line) => line.includes("retrying"))).toBe(true)
      expect(spans.some((span) => span.name === "intercom.contacts.get")).toBe(true)

      for (const error of errors) {
        expect(String(error)).not.toContain(TOKEN)
        expect(JSON.stringify(error)).not.toContain(TOKEN)
        expect(Inspectable.format(error)).not.toContain(TOKEN)
        expect(Cause.pretty(Cause.fail(error))).not.toContain(TOKEN)
      }
      for (const line of logs) expect(line).not.toContain(TOKEN)
      for (const span of spans) {
        expect(span.name).not.toContain(TOKEN)
        expect(Inspectable.format([...span.attributes.entries()])).not.toContain(TOKEN)
      }
    }).pipe(Effect.provide(scriptedServer)))
})
