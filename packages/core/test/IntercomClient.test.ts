import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, expect, it as vitest } from "@effect/vitest"
import { Chunk, Duration, Effect, Exit, Fiber, Layer, Option, Schema, TestClock } from "effect"
import * as Endpoint from "../src/Endpoint.js"
import * as Endpoints from "../src/generated/endpoints.js"
import * as IntercomClient from "../src/IntercomClient.js"
import type * as IntercomConfig from "../src/IntercomConfig.js"
import * as IntercomError from "../src/IntercomError.js"
import * as RateLimit from "../src/RateLimit.js"
import { httpClients } from "./fixtures/httpClients.js"
import * as RecordingTracer from "./fixtures/RecordingTracer.js"
import { errorList, layer as scriptedServer, type Scripted, ScriptedServer } from "./fixtures/ScriptedServer.js"

const TOKEN = "tok_SECRET_do_not_leak_4242"

const Contact = Schema.Struct({ type: Schema.Literal("contact"), id: Schema.String, email: Schema.String })

const getContact = Endpoint.make({
  operationId: "ShowContact",
  name: "contacts.get",
  method: "GET",
  path: "/contacts/{contact_id}",
  pathParams: ["contact_id"],
  success: Contact
})

const createContact = Endpoint.make({
  operationId: "CreateContact",
  name: "contacts.create",
  method: "POST",
  path: "/contacts",
  body: Schema.Struct({ email: Schema.String }),
  success: Contact
})

const listContacts = Endpoint.make({
  operationId: "ListContacts",
  name: "contacts.list",
  method: "GET",
  path: "/contacts",
  query: Schema.Struct({ per_page: Schema.optional(Schema.Number), starting_after: Schema.optional(Schema.String) }),
  success: Schema.Unknown
})

const contactJson = JSON.stringify({ type: "contact", id: "c1", email: "a@example.com" })

// Retry tests use a one-day timeout so the only short TestClock sleep is the retry wait.
const clientLayer = (baseUrl: string, options: Partial<IntercomConfig.Options> = {}) =>
  IntercomClient.layer({ accessToken: TOKEN, baseUrl, timeout: "1 day", ...options }).pipe(Layer.orDie)

/** Runs `effect` with a client pointed at the scripted server. */
const withClient = <A, E>(
  effect: Effect.Effect<A, E, IntercomClient.IntercomClient | RateLimit.RateLimit>,
  options: Partial<IntercomConfig.Options> = {}
): Effect.Effect<A, E, ScriptedServer | HttpClient.HttpClient> =>
  Effect.flatMap(ScriptedServer, (server) => Effect.provide(effect, clientLayer(server.baseUrl, options)))

const getC1 = Effect.flatMap(IntercomClient.IntercomClient, (client) =>
  client.execute(getContact, { path: { contact_id: "c1" } }))

// Lets real socket I/O progress while the test fiber waits (the TestClock does not move).
const yieldToIo = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

const receivedCount = Effect.map(ScriptedServer, (server) => server.received).pipe(
  Effect.flatten,
  Effect.map((all) => all.length)
)

/** Waits until the server has seen `n` requests and the client sleeps before its next attempt. */
const awaitRetryWait = (n: number) =>
  Effect.gen(function*() {
    while (true) {
      const count = yield* receivedCount
      const now = yield* TestClock.currentTimeMillis
      const sleeps = yield* TestClock.sleeps()
      if (count >= n && Chunk.some(sleeps, (wakeAt) => wakeAt < now + 3_600_000)) return
      yield* yieldToIo
    }
  })

/** When the pending retry wait ends (the only sleep shorter than the one-day timeouts). */
const nextRetryWake = Effect.gen(function*() {
  const now = yield* TestClock.currentTimeMillis
  const wakes = Chunk.filter(yield* TestClock.sleeps(), (wakeAt) => wakeAt < now + 3_600_000)
  return Math.min(...Chunk.toReadonlyArray(wakes))
})

const script = (responses: ReadonlyArray<Scripted>, fallback?: Scripted) =>
  Effect.flatMap(ScriptedServer, (server) => server.script(responses, fallback))

// Each test gets its own server, HTTP client and a fresh TestClock.
const itOver = (http: Layer.Layer<HttpClient.HttpClient>) =>
  Object.assign({}, vitest, {
    effect: <A, E>(name: string, body: () => Effect.Effect<A, E, ScriptedServer | HttpClient.HttpClient>) =>
      vitest.effect(name, () => Effect.provide(body(), Layer.merge(scriptedServer, http)))
  })

describe.each(httpClients)("IntercomClient over %s", (_name, http) => {
  const it = itOver(http)

  it.effect("sends auth, version and JSON headers and decodes the body", () =>
    Effect.gen(function*() {
      const server = yield* ScriptedServer
      yield* server.script([{ status: 200, body: contactJson }])
      const before = (yield* server.received).length
      const contact = yield* withClient(getC1)
      expect(contact).toEqual({ type: "contact", id: "c1", email: "a@example.com" })
      const request = (yield* server.received)[before]!
      expect(request.method).toBe("GET")
      expect(request.url).toBe("/contacts/c1")
      expect(request.headers["authorization"]).toBe(`Bearer ${TOKEN}`)
      expect(request.headers["intercom-version"]).toBe("2.10")
      expect(request.headers["accept"]).toBe("application/json")
      expect(request.headers["user-agent"]).toMatch(/^intercom-fx\/\d+\.\d+\.\d+$/)
    }))

  it.effect("URL-encodes path params and encodes query and body", () =>
    Effect.gen(function*() {
      const server = yield* ScriptedServer
      yield* server.script([{ status: 200, body: "{}" }, { status: 200, body: contactJson }])
      const before = (yield* server.received).length
      yield* withClient(Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        Effect.zip(
          client.execute(listContacts, { query: { per_page: 150, starting_after: "a b/c" } }),
          client.execute(createContact, { body: { email: "x@y.z" } })
        )))
      yield* withClient(Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        Effect.ignore(client.execute(getContact, { path: { contact_id: "id/with?odd#chars" } }))))
      const [list, create, odd] = (yield* server.received).slice(before)
      expect(list!.url).toBe("/contacts?per_page=150&starting_after=a+b%2Fc")
      expect(create!.method).toBe("POST")
      expect(JSON.parse(create!.body)).toEqual({ email: "x@y.z" })
      expect(create!.headers["content-type"]).toContain("application/json")
      expect(odd!.url).toBe("/contacts/id%2Fwith%3Fodd%23chars")
    }))

  const statuses: ReadonlyArray<readonly [number, IntercomError.IntercomError["_tag"]]> = [
    [400, "BadRequest"],
    [401, "Unauthorized"],
    [403, "Forbidden"],
    [404, "NotFound"],
    [408, "TimeoutError"],
    [409, "Conflict"],
    [418, "UnexpectedStatus"],
    [422, "UnprocessableEntity"],
    [429, "RateLimited"],
    [500, "ServerError"],
    [503, "ServerError"]
  ]
  for (const [status, tag] of statuses) {
    it.effect(`maps ${status} with an error.list body to ${tag}`, () =>
      Effect.gen(function*() {
        yield* script([{
          status,
          body: errorList("some_code", "Something is wrong", `req-${status}`, "email"),
          headers: { "x-ratelimit-limit": "100", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000" }
        }])
        const error = yield* withClient(Effect.flip(getC1), { maxAttempts: 1 })
        expect(error._tag).toBe(tag)
        expect(error.status).toBe(status)
        expect(error.requestId).toBe(`req-${status}`)
        expect(error.operation).toBe("contacts.get")
        expect(error.method).toBe("GET")
        expect(error.path).toBe("/contacts/c1")
        expect(error.errors).toEqual([new IntercomError.ErrorItem({ code: "some_code", message: "Something is wrong", field: "email" })])
        expect(error.message).toContain("some_code")
        expect(error.message).not.toContain("\n")
        if (error._tag === "RateLimited") {
          expect(error.limit).toBe(100)
          expect(error.remaining).toBe(0)
          expect(error.resetAt).toBe(1_700_000_000_000)
        }
      }))
  }

  const oddBodies: ReadonlyArray<readonly [string, Scripted, IntercomError.IntercomError["_tag"]]> = [
    ["an empty body", { status: 404, body: "" }, "NotFound"],
    ["an HTML page", { status: 502, body: "<html><body>Bad gateway</body></html>", headers: { "content-type": "text/html" } }, "ServerError"],
    ["truncated JSON", { status: 401, body: `{"type":"error.list","errors":[{"code":"unauth` }, "Unauthorized"],
    ["JSON that is not an error list", { status: 403, body: `{"hello":"world"}` }, "Forbidden"]
  ]
  for (const [name, reply, tag] of oddBodies) {
    it.effect(`still yields ${tag} for ${name}`, () =>
      Effect.gen(function*() {
        yield* script([reply])
        const error = yield* withClient(Effect.flip(getC1), { maxAttempts: 1 })
        expect(error._tag).toBe(tag)
        expect(error.status).toBe(reply.status)
        expect(error.errors[0]?.code).toBe(`http_${reply.status}`)
      }))
  }

  it.effect("decodes a body that starts with a byte-order mark", () =>
    Effect.gen(function*() {
      yield* script([{ status: 200, body: `\uFEFF${contactJson}` }])
      expect(yield* withClient(getC1)).toEqual({ type: "contact", id: "c1", email: "a@example.com" })
    }))

  it.effect("hands a 2xx body to onBody before parsing it, and an error body not at all", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const onBody = (body: Uint8Array) => Effect.sync(() => seen.push(new TextDecoder().decode(body)))
      const call = Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        client.execute(getContact, { path: { contact_id: "c1" } }, { onBody, maxAttempts: 1 }))
      const broken = `{"type":"contact","id":"c1","em`
      yield* script([{ status: 200, body: contactJson }, { status: 200, body: broken }, { status: 404, body: errorList("not_found", "Contact Not Found") }])
      expect(yield* withClient(call)).toEqual({ type: "contact", id: "c1", email: "a@example.com" })
      // A body that does not parse is still handed over: onBody runs before the parse.
      expect((yield* withClient(Effect.flip(call)))._tag).toBe("TransportError")
      expect((yield* withClient(Effect.flip(call)))._tag).toBe("NotFound")
      expect(seen).toEqual([contactJson, broken])
    }))

  it.effect("fails with ResponseDecodeError pointing at the offending field", () =>
    Effect.gen(function*() {
      yield* script([{ status: 200, body: JSON.stringify({ type: "contact", id: "c1", email: 42 }) }])
      const error = yield* withClient(Effect.flip(getC1))
      assert(error._tag === "ResponseDecodeError")
      expect(error.jsonPath).toBe("$.email")
      expect(error.operation).toBe("contacts.get")
    }))

  it.effect("treats a 2xx body cut short as a transport failure and retries it when idempotent", () =>
    Effect.gen(function*() {
      yield* script([{ status: 200, body: `{"type":"contact","id":"c1","em` }, { status: 200, body: contactJson }])
      const before = yield* receivedCount
      const fiber = yield* Effect.fork(withClient(getC1))
      yield* awaitRetryWait(before + 1)
      yield* TestClock.adjust("1 minute")
      const contact = yield* Fiber.join(fiber)
      expect(contact.id).toBe("c1")
      expect((yield* receivedCount) - before).toBe(2)
    }))

  it.effect("reports a 2xx body whose connection drops halfway as cut short, after reaching the server", () =>
    Effect.gen(function*() {
      yield* script([{ status: 200, cutAfter: `{"type":"contact","id":"c1"` }])
      const error = yield* withClient(Effect.flip(getC1), { maxAttempts: 1 })
      assert(error._tag === "TransportError")
      expect(error.status).toBe(200)
      expect(error.reachedServer).toBe(true)
      expect(error.reason).toContain("cut short")
    }))

  it.effect("retries 5xx with exponential back-off proven on the TestClock", () =>
    Effect.gen(function*() {
      yield* script([{ status: 503, body: "" }, { status: 500, body: "" }, { status: 200, body: contactJson }])
      const before = yield* receivedCount
      const fiber = yield* Effect.fork(withClient(getC1, { baseDelay: "1 second", maxDelay: "10 seconds" }))

      // The clock is moved exactly to each wake-up, so no attempt can start early or late.
      yield* awaitRetryWait(before + 1)
      const first = yield* nextRetryWake
      expect(first).toBeGreaterThanOrEqual(800) // 1 s ± 20 % jitter
      expect(first).toBeLessThanOrEqual(1200)
      yield* TestClock.setTime(first - 1)
      expect((yield* receivedCount) - before).toBe(1)
      yield* TestClock.setTime(first)

      yield* awaitRetryWait(before + 2)
      const second = yield* nextRetryWake
      expect(second - first).toBeGreaterThanOrEqual(1600) // 2 s ± 20 %
      expect(second - first).toBeLessThanOrEqual(2400)
      yield* TestClock.setTime(second - 1)
      expect((yield* receivedCount) - before).toBe(2)
      yield* TestClock.setTime(second)

      const contact = yield* Fiber.join(fiber)
      expect(contact.id).toBe("c1")
      expect((yield* receivedCount) - before).toBe(3)
    }))

  it.effect("gives up after maxAttempts with the last error", () =>
    Effect.gen(function*() {
      yield* script([], { status: 500, body: errorList("server_error", "boom") })
      const before = yield* receivedCount
      const fiber = yield* Effect.fork(withClient(Effect.flip(getC1), { maxAttempts: 3, baseDelay: "1 second" }))
      yield* awaitRetryWait(before + 1)
      yield* TestClock.adjust("1500 millis")
      yield* awaitRetryWait(before + 2)
      yield* TestClock.adjust("3 seconds")
      const error = yield* Fiber.join(fiber)
      yield* script([], { status: 200, body: "{}" })
      expect(error._tag).toBe("ServerError")
      expect((yield* receivedCount) - before).toBe(3)
    }))

  it.effect("waits for X-RateLimit-Reset after a 429, then retries", () =>
    Effect.gen(function*() {
      // The TestClock starts at epoch 0; the window resets at UNIX second 100.
      yield* script([
        {
          status: 429,
          body: errorList("rate_limit_exceeded", "Exceeded rate limit of 100 in 10_seconds"),
          headers: { "x-ratelimit-limit": "100", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "100" }
        },
        { status: 200, body: contactJson }
      ])
      const before = yield* receivedCount
      const fiber = yield* Effect.fork(withClient(getC1))
      yield* awaitRetryWait(before + 1)
      yield* TestClock.adjust("99 seconds")
      expect((yield* receivedCount) - before).toBe(1)
      yield* TestClock.adjust("2 seconds")
      const contact = yield* Fiber.join(fiber)
      expect(contact.id).toBe("c1")
      expect((yield* receivedCount) - before).toBe(2)
    }))

  it.effect("honours Retry-After when no reset header is sent", () =>
    Effect.gen(function*() {
      yield* script([
        { status: 429, body: errorList("rate_limit_exceeded", "slow down"), headers: { "retry-after": "30" } },
        { status: 200, body: contactJson }
      ])
      const before = yield* receivedCount
      const fiber = yield* Effect.fork(withClient(getC1))
      yield* awaitRetryWait(before + 1)
      yield* TestClock.adjust("29 seconds")
      expect((yield* receivedCount) - before).toBe(1)
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(fiber)
      expect((yield* receivedCount) - before).toBe(2)
    }))

  it.effect("does not retry a non-idempotent POST after a 500", () =>
    Effect.gen(function*() {
      yield* script([{ status: 500, body: errorList("server_error", "boom") }, { status: 200, body: contactJson }])
      const before = yield* receivedCount
      const error = yield* withClient(Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        Effect.flip(client.execute(createContact, { body: { email: "x@y.z" } }))))
      expect(error._tag).toBe("ServerError")
      expect((yield* receivedCount) - before).toBe(1)
      yield* script([])
    }))

  it.effect("retries a POST after a 500 when the call says it is idempotent", () =>
    Effect.gen(function*() {
      yield* script([{ status: 500, body: errorList("server_error", "boom") }, { status: 200, body: contactJson }])
      const before = yield* receivedCount
      const fiber = yield* Effect.fork(withClient(Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        client.execute(createContact, { body: { email: "x@y.z" } }, { idempotent: true }))))
      yield* awaitRetryWait(before + 1)
      yield* TestClock.adjust("1 minute")
      expect((yield* Fiber.join(fiber)).id).toBe("c1")
      expect((yield* receivedCount) - before).toBe(2)
    }))

  it.effect("retries attaching a tag after a 500: the generated endpoint only sets state", () =>
    Effect.gen(function*() {
      const tagJson = JSON.stringify({ type: "tag", id: "t1", name: "vip" })
      yield* script([{ status: 500, body: errorList("server_error", "boom") }, { status: 200, body: tagJson }])
      const before = yield* receivedCount
      const fiber = yield* Effect.fork(withClient(Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        client.execute(Endpoints.Contacts.attachTag, { path: { contact_id: "c1" }, body: { id: "t1" } }))))
      yield* awaitRetryWait(before + 1)
      yield* TestClock.adjust("1 minute")
      expect((yield* Fiber.join(fiber)).id).toBe("t1")
      expect((yield* receivedCount) - before).toBe(2)
    }))

  it.effect("raw requests are retried by method as endpoints are: not a PATCH after a 500", () =>
    Effect.gen(function*() {
      yield* script([{ status: 500, body: errorList("server_error", "boom") }, { status: 200, body: contactJson }])
      const before = yield* receivedCount
      const error = yield* withClient(Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        Effect.flip(client.request({ method: "PATCH", path: "/contacts/c1", body: { name: "x" } }))))
      expect(error._tag).toBe("ServerError")
      expect((yield* receivedCount) - before).toBe(1)
      yield* script([])
    }))

  it.effect("does not retry a non-idempotent POST whose connection dropped after sending", () =>
    Effect.gen(function*() {
      yield* script([{ status: 0, destroy: true }, { status: 200, body: contactJson }])
      const before = yield* receivedCount
      const error = yield* withClient(Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        Effect.flip(client.execute(createContact, { body: { email: "x@y.z" } }))))
      assert(error._tag === "TransportError")
      expect(error.reachedServer).toBe(true)
      expect((yield* receivedCount) - before).toBe(1)
      yield* script([])
    }))

  it.effect("retries a non-idempotent POST on 429", () =>
    Effect.gen(function*() {
      yield* script([
        { status: 429, body: errorList("rate_limit_exceeded", "x"), headers: { "retry-after": "1" } },
        { status: 200, body: contactJson }
      ])
      const before = yield* receivedCount
      const fiber = yield* Effect.fork(withClient(Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        client.execute(createContact, { body: { email: "x@y.z" } }))))
      yield* awaitRetryWait(before + 1)
      yield* TestClock.adjust("5 seconds")
      expect((yield* Fiber.join(fiber)).id).toBe("c1")
      expect((yield* receivedCount) - before).toBe(2)
    }))

  const abandoned = Effect.flatten(Effect.map(ScriptedServer, (server) => server.abandoned))

  it.effect("times out a request that gets no answer, and closes its connection", () =>
    Effect.gen(function*() {
      yield* script([{ status: 0, hang: true }])
      const before = yield* receivedCount
      const abandonedBefore = yield* abandoned
      const fiber = yield* Effect.fork(withClient(Effect.flip(getC1), { timeout: "5 seconds", maxAttempts: 1 }))
      while ((yield* receivedCount) === before) yield* yieldToIo
      yield* TestClock.adjust("4999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const error = yield* Fiber.join(fiber)
      assert(error._tag === "TimeoutError")
      expect(error.timeoutMs).toBe(5000)
      while ((yield* abandoned) === abandonedBefore) yield* yieldToIo
      yield* script([])
    }))

  it.effect("times out a body that stops halfway", () =>
    Effect.gen(function*() {
      yield* script([{ status: 200, stallAfter: contactJson.slice(0, 10) }])
      const before = yield* receivedCount
      const abandonedBefore = yield* abandoned
      const fiber = yield* Effect.fork(withClient(Effect.flip(getC1), { timeout: "5 seconds", maxAttempts: 1 }))
      while ((yield* receivedCount) === before) yield* yieldToIo
      yield* TestClock.adjust("6 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("TimeoutError")
      while ((yield* abandoned) === abandonedBefore) yield* yieldToIo
      yield* script([])
    }))

  it.effect("a call's shorter timeout fires on time while a longer one is pending", () =>
    Effect.gen(function*() {
      yield* script([{ status: 0, hang: true }, { status: 0, hang: true }])
      const server = yield* ScriptedServer
      const received = Effect.map(server.received, (all) => all.length)
      const before = yield* received
      const [long, short] = yield* withClient(Effect.gen(function*() {
        const client = yield* IntercomClient.IntercomClient
        const call = (timeout: Duration.DurationInput) =>
          Effect.fork(Effect.flip(client.execute(getContact, { path: { contact_id: "c1" } }, { timeout, maxAttempts: 1 })))
        const long = yield* call("1 minute")
        while ((yield* received) === before) yield* yieldToIo
        const short = yield* call("5 seconds")
        while ((yield* received) === before + 1) yield* yieldToIo
        yield* TestClock.adjust("5 seconds")
        const shortError = yield* Fiber.join(short)
        expect(long.unsafePoll()).toBeNull()
        yield* TestClock.adjust("55 seconds")
        return [yield* Fiber.join(long), shortError] as const
      }), { throttle: false }) // else the second request waits for the first answer (the rate-limit probe)
      assert(long._tag === "TimeoutError" && short._tag === "TimeoutError")
      expect([long.timeoutMs, short.timeoutMs]).toEqual([60_000, 5_000])
      yield* script([])
    }))

  it.effect("does not count waiting for rate-limit budget against the timeout", () =>
    Effect.gen(function*() {
      // The first answer leaves no budget until the window resets 8 s from now.
      yield* script([
        { status: 200, body: contactJson, headers: { "x-ratelimit-limit": "2", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "8" } },
        { status: 200, body: contactJson }
      ])
      const before = yield* receivedCount
      const contact = yield* withClient(Effect.gen(function*() {
        yield* getC1
        const second = yield* Effect.fork(getC1)
        while ((yield* TestClock.sleeps()).length < 2) yield* yieldToIo // the budget wait and the watchdog's
        yield* TestClock.adjust("9 seconds")
        return yield* Fiber.join(second)
      }), { timeout: "5 seconds", maxAttempts: 1 })
      expect(contact.id).toBe("c1")
      expect((yield* receivedCount) - before).toBe(2)
    }))

  it.effect("makes each attempt one client span, and sends no trace headers to Intercom", () =>
    Effect.gen(function*() {
      yield* script([{ status: 503, body: errorList("unavailable", "x") }, { status: 200, body: contactJson }])
      const before = yield* receivedCount
      const { spans, tracer: recording } = yield* RecordingTracer.make
      const fiber = yield* Effect.fork(withClient(getC1).pipe(Effect.withTracer(recording)))
      yield* awaitRetryWait(before + 1)
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      const server = yield* ScriptedServer
      const url = new URL(server.baseUrl)
      expect(spans.map((span) => [span.name, span.kind, Object.fromEntries(span.attributes)])).toEqual([1, 2].map((attempt) => [
        "intercom.contacts.get",
        "client",
        {
          "server.address": url.host,
          "http.request.method": "GET",
          "url.template": "/contacts/{contact_id}",
          "intercom.operation": "contacts.get",
          "intercom.attempt": attempt,
          "http.response.status_code": attempt === 1 ? 503 : 200
        }
      ]))
      // Each span ends with its attempt's outcome but keeps no response: an ended span
      // holding its page kept every page of an export alive until a full GC.
      expect(spans.map((span) => span.status._tag === "Ended" ? Exit.isSuccess(span.status.exit) : "open")).toEqual([false, true])
      const ended = spans[1]?.status
      expect(ended?._tag === "Ended" && Exit.isSuccess(ended.exit) ? ended.exit.value : "not ended").toBeUndefined()
      const sent = (yield* server.received).slice(before)
      expect(sent.length).toBe(2)
      for (const request of sent) expect(Object.keys(request.headers).filter((name) => /^(traceparent|b3)/.test(name))).toEqual([])
    }))

  it.effect("records rate-limit headers in the shared RateLimit state", () =>
    Effect.gen(function*() {
      yield* script([{
        status: 200,
        body: contactJson,
        headers: { "x-ratelimit-limit": "1667", "x-ratelimit-remaining": "1600", "x-ratelimit-reset": "100" }
      }])
      const snapshot = yield* withClient(Effect.zipRight(getC1, Effect.flatMap(RateLimit.RateLimit, (r) => r.current)))
      expect(Option.getOrUndefined(snapshot)).toEqual({ limit: 1667, remaining: 1600, resetAt: 100_000 })
    }))

  it.effect("rejects a request whose body does not encode, before sending it", () =>
    Effect.gen(function*() {
      const before = yield* receivedCount
      const error = yield* withClient(Effect.flatMap(IntercomClient.IntercomClient, (client) =>
        // A caller outside TypeScript's reach (e.g. parsed JSON) can still pass a bad body.
        Effect.flip(client.execute(createContact, { body: JSON.parse(`{"email":5}`) }))))
      expect(error._tag).toBe("BadRequest")
      expect(error.status).toBeUndefined()
      expect((yield* receivedCount) - before).toBe(0)
    }))
})

describe("IntercomClient over @effect/platform-node's undici client", () => {
  const it = itOver(NodeHttpClient.layerUndici)

  // A page's body must not outlive its parsing on the response object: a cached string
  // ends in V8's old generation (see `parseJson` in IntercomClient.ts).
  it.effect("reads a 2xx body as bytes and leaves no text cached on the response", () =>
    Effect.gen(function*() {
      const server = yield* ScriptedServer
      yield* server.script([{ status: 200, body: contactJson }])
      const seen: Array<HttpClientResponse.HttpClientResponse> = []
      const recording = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, (client) =>
          HttpClient.transformResponse(client, Effect.tap((response) => Effect.sync(() => seen.push(response)))))
      )
      const layer = clientLayer(server.baseUrl).pipe(Layer.provide(recording))
      const contact = yield* Effect.provide(getC1, layer)
      expect(contact).toEqual({ type: "contact", id: "c1", email: "a@example.com" })
      expect(seen).toHaveLength(1)
      // The body was read as bytes, never as text: there is no string to find.
      const text = yield* Effect.either(seen[0]!.text)
      expect(text._tag).toBe("Left")
    }))
})

describe.each(httpClients)("IntercomClient over %s, without a server", (_name, http) => {
  vitest.effect("reports a refused connection as a transport failure that never reached the server", () =>
    Effect.gen(function*() {
      // Port 9 (discard) on loopback is closed on this machine and in CI.
      const error = yield* Effect.flip(getC1).pipe(Effect.provide(clientLayer("http://127.0.0.1:9", { maxAttempts: 1 })), Effect.provide(http))
      assert(error._tag === "TransportError")
      expect(error.reachedServer).toBe(false)
      expect(error.reason).toContain("ECONNREFUSED")
    }))

  vitest.effect("exit of a refused POST is a failure, not a defect", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Effect.flatMap(IntercomClient.IntercomClient, (client) =>
          client.execute(createContact, { body: { email: "x@y.z" } })).pipe(
            Effect.provide(clientLayer("http://127.0.0.1:9", { maxAttempts: 1 })),
            Effect.provide(http)
          )
      )
      expect(Exit.isFailure(exit) && exit.cause._tag).toBe("Fail")
    }))
})
