import { describe, expect, it } from "@effect/vitest"
import { SearchFields } from "@intercom-fx/core"
import { Either } from "effect"
import { contactFieldTypes, conversationFieldTypes, ticketFieldTypes } from "../src/internal/searchFieldTypes.js"
import { QueryText, Search } from "../src/index.js"

describe("Search.compile", () => {
  it("the literal field types agree with core's tables", () => {
    const pairs = [["contacts", contactFieldTypes], ["conversations", conversationFieldTypes], ["tickets", ticketFieldTypes]] as const
    for (const [resource, types] of pairs) {
      const table = SearchFields.fields(resource)
      expect(Object.keys(types).sort()).toEqual([...table.keys()].sort())
      for (const [field, type] of Object.entries(types)) expect(table.get(field)?.types[0]).toBe(type)
    }
  })

  it("builds the API body: nested groups, IN arrays, dates as UNIX seconds", () => {
    const q = Search.contacts.and(
      Search.contacts.where("email", "~", "@acme.com"),
      Search.contacts.or(Search.contacts.where("role", "=", "user"), Search.contacts.where("role", "=", "lead")),
      Search.contacts.where("created_at", ">", "2024-01-01"),
      Search.contacts.where("custom_attributes.plan", "IN", ["pro", "team"])
    )
    expect(Either.getOrThrow(Search.compile(q, "contacts"))).toEqual({
      operator: "AND",
      value: [
        { field: "email", operator: "~", value: "@acme.com" },
        { operator: "OR", value: [{ field: "role", operator: "=", value: "user" }, { field: "role", operator: "=", value: "lead" }] },
        { field: "created_at", operator: ">", value: 1704067200 },
        { field: "custom_attributes.plan", operator: "IN", value: ["pro", "team"] }
      ]
    })
    expect(Either.getOrThrow(Search.compile(Search.where("created_at", "=", new Date("2024-01-01T10:00:00Z")), "contacts")))
      .toEqual({ field: "created_at", operator: "=", value: 1704103200 })
    expect(Either.getOrThrow(Search.compile(Search.where("created_at", "<", 1704103200), "contacts")))
      .toEqual({ field: "created_at", operator: "<", value: 1704103200 })
  })

  it("dayRange: > the day before the first day, < the day after the last", () => {
    expect(Either.getOrThrow(Search.compile(Search.dayRange("created_at", "2024-01-10T15:00:00Z", "2024-01-12"), "contacts"))).toEqual({
      operator: "AND",
      value: [
        { field: "created_at", operator: ">", value: Date.UTC(2024, 0, 9) / 1000 },
        { field: "created_at", operator: "<", value: Date.UTC(2024, 0, 12) / 1000 }
      ]
    })
  })

  const invalid: ReadonlyArray<readonly [string, Search.Resource, Search.Query, Search.InvalidQueryReason, string | undefined]> = [
    ["unknown field", "contacts", Search.where("emale", "=", "x"), "UnknownField", "emale"],
    ["string op on integer", "contacts", Search.where("owner_id", "~", "1"), "OperatorNotAllowed", "owner_id"],
    [">= on a contact date", "contacts", Search.where("created_at", ">=", 1), "OperatorNotAllowed", "created_at"],
    ["IN on a contact date", "contacts", Search.where("created_at", "IN", [1]), "OperatorNotAllowed", "created_at"],
    ["tag_id only = and !=", "contacts", Search.where("tag_id", "IN", ["1"]), "OperatorNotAllowed", "tag_id"],
    ["> on boolean", "conversations", Search.where("open", ">", true), "OperatorNotAllowed", "open"],
    ["IN without array", "contacts", Search.where("email", "IN", "a"), "InvalidValue", "email"],
    ["= with array", "contacts", Search.where("email", "=", ["a"]), "InvalidValue", "email"],
    ["bad date", "contacts", Search.where("created_at", ">", "yesterday"), "InvalidValue", "created_at"],
    ["non-integer", "conversations", Search.where("admin_assignee_id", "=", "abc"), "InvalidValue", "admin_assignee_id"],
    ["role outside its values", "contacts", Search.where("role", "=", "admin"), "InvalidValue", "role"],
    ["conversation field on contacts", "contacts", Search.where("source.type", "=", "email"), "UnknownField", "source.type"],
    ["too deep", "contacts", Search.and(Search.where("name", "=", "a"), Search.or(Search.where("name", "=", "b"), Search.and(Search.where("name", "=", "c"), Search.or(Search.where("name", "=", "d"), Search.where("name", "=", "e"))))), "TooDeep", undefined],
    ["too wide", "contacts", Search.or(...Array.from({ length: 16 }, (_, i) => Search.where("name", "=", `n${i}`))), "TooManyFilters", undefined],
    ["empty group", "contacts", Search.and(), "EmptyGroup", undefined]
  ]
  for (const [name, resource, query, reason, field] of invalid) {
    it(`rejects: ${name}`, () => {
      const result = Search.compile(query, resource)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left.reason).toBe(reason)
        expect(result.left.field).toBe(field)
        if (field) expect(result.left.message).toContain(field)
      }
    })
  }

  it("an unknown field's message names what it probably meant", () => {
    const message = (resource: Search.Resource, field: string) => {
      const result = Search.compile(Search.where(field, "=", "x"), resource)
      return Either.isLeft(result) ? result.left.message : "accepted"
    }
    expect(message("contacts", "emial")).toContain("(did you mean email?)") // swapped letters
    expect(message("contacts", "emale")).toContain("(did you mean email?)")
    expect(message("contacts", "locaton.city")).toContain("(did you mean location.city?)")
    expect(message("conversations", "stat")).toContain("(did you mean state?)")
    expect(message("contacts", "plan")).toContain("(a custom attribute is custom_attributes.plan)")
    expect(message("tickets", "priority")).toContain("(a custom attribute is ticket_attribute.priority)")
    // Nothing close, and no custom attributes on conversations: no hint rather than a wrong one.
    expect(message("conversations", "role")).toMatch(/role is not a searchable conversations field$/)
    expect(message("contacts", "location.planet")).toMatch(/field$/)
  })

  it("15 filters in a group and 2 levels are fine; same-operator nesting flattens", () => {
    const wide = Search.or(...Array.from({ length: 15 }, (_, i) => Search.where("name", "=", `n${i}`)))
    expect(Either.isRight(Search.compile(wide, "contacts"))).toBe(true)
    const flat = Search.and(Search.where("name", "=", "a"), Search.and(Search.where("name", "=", "b"), Search.and(Search.where("name", "=", "c"))))
    expect(Either.getOrThrow(Search.compile(flat, "contacts"))).toEqual({
      operator: "AND",
      value: ["a", "b", "c"].map((v) => ({ field: "name", operator: "=", value: v }))
    })
  })
})

describe("Search.toUnixSeconds", () => {
  it("reads days of the calendar only: 2024-02-30 is not rolled over to March", () => {
    expect(Search.toUnixSeconds("2024-02-29")).toBe(Date.UTC(2024, 1, 29) / 1000)
    expect(Search.toUnixSeconds("2024-01-31T23:00:00-05:00")).toBe(Date.UTC(2024, 1, 1, 4) / 1000)
    for (const notADay of ["2024-02-30", "2023-02-29", "2024-13-01", "2024-04-31T10:00:00Z", "2024-00-10"]) {
      expect([notADay, Search.toUnixSeconds(notADay)]).toEqual([notADay, undefined])
    }
  })
})

describe("QueryText.parse", () => {
  it("parses the design's example into the same body as the builder", () => {
    const text = `email ~ "@acme.com" AND (role = user OR role = lead) AND created_at > 2024-01-01`
    const body = Either.getOrThrow(QueryText.compile(text, "contacts"))
    expect(body).toEqual({
      operator: "AND",
      value: [
        { field: "email", operator: "~", value: "@acme.com" },
        { operator: "OR", value: [{ field: "role", operator: "=", value: "user" }, { field: "role", operator: "=", value: "lead" }] },
        { field: "created_at", operator: ">", value: 1704067200 }
      ]
    })
    expect(Either.getOrThrow(QueryText.compile(`custom_attributes.plan IN ["pro","team"]`, "contacts")))
      .toEqual({ field: "custom_attributes.plan", operator: "IN", value: ["pro", "team"] })
    expect(Either.getOrThrow(QueryText.compile(`custom_attributes.seats = 5 or custom_attributes.paid = true`, "contacts")))
      .toEqual({ operator: "OR", value: [{ field: "custom_attributes.seats", operator: "=", value: 5 }, { field: "custom_attributes.paid", operator: "=", value: true }] })
    // AND binds tighter than OR
    expect(Either.getOrThrow(QueryText.compile(`name = a OR name = b AND email ^ c`, "contacts"))).toEqual({
      operator: "OR",
      value: [
        { field: "name", operator: "=", value: "a" },
        { operator: "AND", value: [{ field: "name", operator: "=", value: "b" }, { field: "email", operator: "^", value: "c" }] }
      ]
    })
    expect(Either.getOrThrow(QueryText.compile(`open = true AND admin_assignee_id NIN [1, 2]`, "conversations"))).toEqual({
      operator: "AND",
      value: [{ field: "open", operator: "=", value: true }, { field: "admin_assignee_id", operator: "NIN", value: [1, 2] }]
    })
  })

  const errors: ReadonlyArray<readonly [string, string, string]> = [
    // [input, the token the error must point at, words the message must contain]
    [`emale = "x"`, "emale", "emale"],
    [`email = "x" AND owner_id ~ 3`, "~", "owner_id"],
    [`created_at >= 2024-01-01`, ">=", "created_at"],
    [`created_at > tomorrow`, "tomorrow", "date"],
    [`role = admin`, "admin", "role"],
    [`email IN ["a", 3, "c"] AND owner_id IN [1, x]`, "x", "owner_id"],
    [`email = "x" AND`, "", "expected"],
    [`(email = "x"`, "", "expected )"],
    [`email = "x")`, ")", "unbalanced"],
    [`email "x"`, `"x"`, "operator"],
    [`email = "unterminated`, `"unterminated`, "unterminated"],
    [`name = a AND (name = b OR (name = c AND (name = d OR name = e)))`, "(", "nested"]
  ]
  for (const [input, token, words] of errors) {
    it(`points at the token: ${input}`, () => {
      const result = QueryText.parse(input, "contacts")
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        const e = result.left
        expect(input.slice(e.position, e.position + e.length)).toBe(token)
        expect(e.message).toContain(words)
      }
    })
  }

  it("too wide points at the 16th filter", () => {
    const input = Array.from({ length: 16 }, (_, i) => `name = n${i}`).join(" OR ")
    const result = QueryText.parse(input, "contacts")
    expect(Either.isLeft(result) && input.slice(result.left.position, result.left.position + result.left.length)).toBe("name = n15")
  })
})
