import { describe, expect, it } from "@effect/vitest"
import * as SearchFields from "../src/SearchFields.js"

describe("SearchFields", () => {
  it("knows the documented field types", () => {
    expect(SearchFields.fieldType("contacts", "created_at")).toBe("date")
    expect(SearchFields.fieldType("contacts", "owner_id")).toBe("integer")
    expect(SearchFields.fieldType("contacts", "custom_attributes.plan")).toBe("string")
    expect(SearchFields.fieldType("contacts", "custom_attributes.")).toBeUndefined()
    expect(SearchFields.fieldType("contacts", "nope")).toBeUndefined()
    expect(SearchFields.fieldType("conversations", "admin_assignee_id")).toBe("integer")
    expect(SearchFields.fieldType("tickets", "admin_assignee_id")).toBe("string")
    expect(SearchFields.fieldSpec("tickets", "ticket_attribute.12")?.types).toContain("float")
    expect(SearchFields.fieldSpec("contacts", "role")?.values).toEqual(["user", "lead"])
  })

  it("applies the contacts operator rules", () => {
    expect(SearchFields.operatorAllowed("string", "~")).toBe(true)
    expect(SearchFields.operatorAllowed("string", ">")).toBe(false)
    for (const op of ["!=", "IN", "NIN", ">=", "<="] as const) {
      expect(SearchFields.operatorAllowed("date", op)).toBe(false)
    }
    expect(SearchFields.operatorAllowed("date", ">")).toBe(true)
    expect(SearchFields.operatorAllowed("integer", ">=")).toBe(true)
    expect(SearchFields.operatorAllowedFor("contacts", "tag_id", "!=")).toBe(true)
    expect(SearchFields.operatorAllowedFor("contacts", "tag_id", "IN")).toBe(false)
    expect(SearchFields.operatorAllowedFor("contacts", "email", "IN")).toBe(true)
  })

  it("applies the conversation and ticket operator rules", () => {
    expect(SearchFields.operatorAllowedFor("conversations", "created_at", "!=")).toBe(true)
    expect(SearchFields.operatorAllowedFor("conversations", "created_at", ">=")).toBe(false)
    expect(SearchFields.operatorAllowedFor("tickets", "created_at", ">=")).toBe(true)
    expect(SearchFields.operatorAllowedFor("tickets", "updated_at", ">=")).toBe(false)
    expect(SearchFields.operatorAllowedFor("tickets", "title", "<")).toBe(false)
    expect(SearchFields.operatorAllowedFor("tickets", "ticket_attribute.7", ">")).toBe(true)
  })

  it("truncates timestamps to the UTC day", () => {
    expect(SearchFields.startOfDayUtc(1577869200)).toBe(1577836800)
    expect(SearchFields.startOfDayUtc(1577836800)).toBe(1577836800)
    expect(SearchFields.maxNestingDepth).toBe(2)
    expect(SearchFields.maxFiltersPerGroup).toBe(15)
  })
})
