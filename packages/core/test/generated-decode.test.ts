import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { Endpoint } from "../src/Endpoint.js"
import * as Endpoints from "../src/generated/endpoints.js"
import * as Schemas from "../src/generated/schemas.js"
import { Operations } from "../src/Operations.js"
import { skipReason, specOperations, specText } from "./fixtures/IntercomSpec.js"

describe("spec response examples", () => {
  if (specText === undefined) {
    it.skip(`decode with their endpoint's schema (${skipReason})`, () => {})
    return
  }
  const byOperationId = new Map(Operations.map((op) => [op.operationId, op.endpoint]))
  const operations = specOperations(specText)
  const withExamples = operations.filter((op) => op.examples.length > 0)

  it("exist for every operation that answers with JSON", () => {
    const answersJson = (operationId: string) => {
      const endpoint = byOperationId.get(operationId)
      return endpoint?.responseKind === "json" && endpoint.schemas.success.ast._tag !== "VoidKeyword"
    }
    const withoutExamples = operations.filter((op) => op.examples.length === 0).map((op) => op.operationId)
    expect(withoutExamples.filter(answersJson)).toEqual([])
    expect(withExamples.length + withoutExamples.length).toBe(108)
  })

  for (const op of withExamples) {
    it.effect(`${op.operationId}: decode and encode back unchanged`, () =>
      Effect.gen(function*() {
        const endpoint = byOperationId.get(op.operationId)
        expect(endpoint, `no endpoint for ${op.operationId}`).toBeDefined()
        if (!endpoint) return
        for (const example of op.examples) {
          const decoded = yield* endpoint.decodeSuccess(example.value)
          const encoded = yield* Schema.encodeUnknown(endpoint.schemas.success)(decoded)
          expect(encoded, `${example.status} ${example.name}`).toStrictEqual(example.value)
        }
      }))
  }
})

describe("response decoding is tolerant", () => {
  const contact = {
    type: "contact",
    id: "c1",
    role: "user",
    email: "ada@example.com",
    name: null,
    brand_new_field: { nested: [1, 2] },
    location: { type: "location", country: "France", city: null, planet: "Earth" },
    social_profiles: { type: "list", data: [{ type: "social_profile", name: "X", url: "https://x.example", since: 2024 }] }
  }

  it.effect("keeps properties the schema does not name, top-level and nested, through decode and encode", () =>
    Effect.gen(function*() {
      const decoded = yield* Endpoints.Contacts.get.decodeSuccess(contact)
      expect(JSON.parse(JSON.stringify(decoded))).toStrictEqual(contact)
      const encoded = yield* Schema.encode(Schemas.Contact)(decoded)
      expect(JSON.parse(JSON.stringify(encoded))).toStrictEqual(contact)
    }))

  it.effect("keeps unknown properties of records inside lists", () =>
    Effect.gen(function*() {
      const page = { type: "list", data: [contact], total_count: 1, pages: { type: "pages", page: 1, next: null, per_page: 50, total_pages: 1, cursor_hint: "x" } }
      const decoded = yield* Endpoints.Contacts.search.decodeSuccess(page)
      expect(JSON.parse(JSON.stringify(decoded))).toStrictEqual(page)
    }))

  it.effect("decodes enum values the spec does not list", () =>
    Effect.gen(function*() {
      const decoded = yield* Endpoints.Conversations.get.decodeSuccess({ type: "conversation", id: "1", state: "escalated", priority: "urgent" })
      expect([decoded.state, decoded.priority]).toEqual(["escalated", "urgent"])
    }))

  it.effect("still rejects a value of the wrong type", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(Endpoints.Contacts.get.decodeSuccess({ ...contact, email: 42 }))
      expect(Either.isLeft(result)).toBe(true)
    }))
})

describe("request encoding is strict", () => {
  type SearchBody = Endpoint.InputOf<typeof Endpoints.Contacts.search>["body"]

  it.effect("encodes a request built from the typed API", () =>
    Effect.gen(function*() {
      const body: SearchBody = {
        query: { operator: "AND", value: [{ field: "role", operator: "=", value: "user" }, { field: "email", operator: "~", value: "@acme.com" }] },
        pagination: { per_page: 50 }
      }
      expect(yield* Endpoints.Contacts.search.encodeBody(body)).toStrictEqual(body)
    }))

  it.effect("refuses an operator the spec does not list, at compile time and at run time", () =>
    Effect.gen(function*() {
      // @ts-expect-error "LIKE" is not a search operator
      const body: SearchBody = { query: { field: "email", operator: "LIKE", value: "a" } }
      const result = yield* Effect.either(Endpoints.Contacts.search.encodeBody(body))
      expect(Either.isLeft(result)).toBe(true)
    }))

  it.effect("refuses a body without a required property", () =>
    Effect.gen(function*() {
      // @ts-expect-error `id` is required
      const body: Endpoint.InputOf<typeof Endpoints.Contacts.attachTag>["body"] = {}
      const result = yield* Effect.either(Endpoints.Contacts.attachTag.encodeBody(body))
      expect(Either.isLeft(result)).toBe(true)
    }))

  it.effect("refuses a non-integer where the spec wants an integer", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(Endpoints.Conversations.list.encodeQuery({ per_page: 2.5 }))
      expect(Either.isLeft(result)).toBe(true)
      expect(yield* Endpoints.Conversations.list.encodeQuery({ per_page: 20, starting_after: "abc" })).toEqual([
        ["per_page", "20"],
        ["starting_after", "abc"]
      ])
    }))

  it.effect("flattens the exploded `filter` of GET /events into top-level query parameters", () =>
    Effect.gen(function*() {
      expect(yield* Endpoints.DataEvents.list.encodeQuery({ type: "user", user_id: "u1" })).toEqual([
        ["type", "user"],
        ["user_id", "u1"]
      ])
    }))
})
