import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Fiber, Scope, Stream } from "effect"
import * as BufferedHttpClient from "../src/BufferedHttpClient.js"
import { layer as scriptedServer, ScriptedServer } from "./fixtures/ScriptedServer.js"

// Lets real socket I/O progress while the test fiber waits.
const yieldToIo = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/** Runs `body` with a scripted server and the client under test. */
const withServer = <A, E>(body: (server: typeof ScriptedServer.Service, client: HttpClient.HttpClient) => Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const server = yield* ScriptedServer
    const client = yield* HttpClient.HttpClient
    return yield* body(server, client)
  }).pipe(Effect.provide(scriptedServer), Effect.provide(BufferedHttpClient.layer))

const waitUntil = (condition: Effect.Effect<boolean>) =>
  Effect.gen(function*() {
    while (!(yield* condition)) yield* yieldToIo
  })

describe("BufferedHttpClient", () => {
  it.effect("sends the request and returns status, headers, cookies and the whole body", () =>
    withServer((server, client) =>
      Effect.gen(function*() {
        const body = JSON.stringify({ id: "c1", name: "Zoë" })
        yield* server.script([{ status: 201, body, headers: { "x-request-id": "r-1", "set-cookie": "session=abc; Path=/" } }])
        const response = yield* client.execute(
          HttpClientRequest.post(`${server.baseUrl}/contacts`).pipe(
            HttpClientRequest.setUrlParam("per_page", "5"),
            HttpClientRequest.setHeader("x-test", "yes"),
            HttpClientRequest.bodyUnsafeJson({ email: "a@example.com" })
          )
        )
        const [sent] = yield* server.received
        expect(sent?.method).toBe("POST")
        expect(sent?.url).toBe("/contacts?per_page=5")
        expect(sent?.headers["x-test"]).toBe("yes")
        expect(sent?.body).toBe(`{"email":"a@example.com"}`)

        expect(response.status).toBe(201)
        expect(response.headers["x-request-id"]).toBe("r-1")
        expect(response.cookies.cookies["session"]?.value).toBe("abc")
        // The body is in memory: every accessor reads it, as often as asked.
        expect(yield* response.json).toEqual({ id: "c1", name: "Zoë" })
        expect(yield* response.text).toBe(body)
        expect(yield* response.text).toBe(body)
        expect(new TextDecoder().decode(yield* response.arrayBuffer)).toBe(body)
        const streamed = yield* Stream.runCollect(response.stream)
        expect(new TextDecoder().decode(Chunk.unsafeHead(streamed))).toBe(body)
      })))

  it.effect("fails a body that breaks off with a ResponseError that has the status", () =>
    withServer((server, client) =>
      Effect.gen(function*() {
        yield* server.script([{ status: 200, cutAfter: `{"type":"contact","id":` }])
        const error = yield* Effect.flip(client.execute(HttpClientRequest.get(`${server.baseUrl}/contacts/c1`)))
        assert(error._tag === "ResponseError")
        expect(error.reason).toBe("Decode")
        expect(error.response.status).toBe(200)
      })))

  it.effect("fails a body that is not JSON with a ResponseError from json", () =>
    withServer((server, client) =>
      Effect.gen(function*() {
        yield* server.script([{ status: 200, body: "<html>" }])
        const response = yield* client.execute(HttpClientRequest.get(server.baseUrl))
        const error = yield* Effect.flip(response.json)
        expect(error.reason).toBe("Decode")
      })))

  it.effect("fails a refused connection with a RequestError", () =>
    withServer((_server, client) =>
      Effect.gen(function*() {
        // Port 9 (discard) on loopback is closed on this machine and in CI.
        const error = yield* Effect.flip(client.execute(HttpClientRequest.get("http://127.0.0.1:9/contacts")))
        assert(error._tag === "RequestError")
        expect(error.reason).toBe("Transport")
      })))

  it.effect("aborts the request when its fiber is interrupted", () =>
    withServer((server, client) =>
      Effect.gen(function*() {
        yield* server.script([{ status: 0, hang: true }])
        const fiber = yield* Effect.fork(client.execute(HttpClientRequest.get(server.baseUrl)))
        yield* waitUntil(Effect.map(server.received, (all) => all.length === 1))
        yield* Fiber.interrupt(fiber)
        yield* waitUntil(Effect.map(server.abandoned, (n) => n === 1))
      })))

  it.effect("aborts the request when the scope given by HttpClient.withScope closes", () =>
    withServer((server, client) =>
      Effect.gen(function*() {
        yield* server.script([{ status: 200, stallAfter: `{"id":` }])
        const scope = yield* Scope.make()
        const fiber = yield* Effect.fork(
          HttpClient.withScope(client).execute(HttpClientRequest.get(server.baseUrl)).pipe(
            Effect.provideService(Scope.Scope, scope)
          )
        )
        yield* waitUntil(Effect.map(server.received, (all) => all.length === 1))
        yield* Scope.close(scope, Exit.void)
        const exit = yield* Fiber.await(fiber)
        expect(Exit.isFailure(exit)).toBe(true)
        yield* waitUntil(Effect.map(server.abandoned, (n) => n === 1))
      })))
})
