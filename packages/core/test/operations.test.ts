import { describe, expect, it } from "@effect/vitest"
import type { Endpoint } from "../src/Endpoint.js"
import * as Endpoints from "../src/generated/endpoints.js"
import { Operations } from "../src/Operations.js"
import { skipReason, specOperations, specText } from "./fixtures/IntercomSpec.js"

const key = (op: { readonly method: string; readonly path: string }) => `${op.method} ${op.path}`

const groups = new Map<string, Record<string, Endpoint.Any>>(Object.entries(Endpoints))

describe("Operations", () => {
  it("lists each endpoint once, named <service>.<method> after the group that holds it", () => {
    expect(new Set(Operations.map((op) => op.operationId)).size).toBe(Operations.length)
    expect(new Set(Operations.map((op) => op.name)).size).toBe(Operations.length)
    expect(new Set(Operations.map(key)).size).toBe(Operations.length)
    for (const op of Operations) {
      const [service, method] = op.name.split(".")
      expect(service).toBe(op.service[0]!.toLowerCase() + op.service.slice(1))
      expect(groups.get(op.service)?.[method ?? ""]).toBe(op.endpoint)
      expect([op.method, op.path, op.operationId]).toEqual([op.endpoint.method, op.endpoint.path, op.endpoint.operationId])
      expect(op.endpoint.pathParams).toEqual([...op.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name))
    }
  })

  it("marks GET/PUT/DELETE, read-only POSTs and state-setting POSTs idempotent, other POSTs, PATCH and the scroll not", () => {
    // POSTs whose repeat leaves the workspace as one success would.
    const setsState = new Set([
      "contacts.attachTag", "conversations.attachTag", "tickets.attachTag",
      "contacts.attachCompany", "contacts.attachSubscription", "tags.create"
    ])
    for (const op of Operations) {
      const readOnly = op.method === "POST" && (op.path.endsWith("/search") || op.path === "/companies/list")
      // Each scroll request advances the server's cursor: repeating one could skip a page.
      const advancing = op.path === "/companies/scroll"
      const safe = ["GET", "PUT", "DELETE"].includes(op.method) || readOnly || setsState.has(op.name)
      expect([op.name, op.endpoint.idempotent]).toEqual([op.name, !advancing && safe])
    }
    expect(Operations.filter((op) => setsState.has(op.name))).toHaveLength(setsState.size)
    expect(Operations.filter((op) => op.endpoint.responseKind === "bytes").map((op) => op.name)).toEqual([
      "dataExport.download"
    ])
  })

  it.skipIf(specText === undefined)(
    specText === undefined ? `covers every operation of the spec (${skipReason})` : "covers every operation of the spec",
    () => {
      const spec = specOperations(specText ?? "")
      expect(spec).toHaveLength(108)
      const implemented = new Set(Operations.map(key))
      expect(spec.map(key).filter((k) => !implemented.has(k))).toEqual([])
      const described = new Set(spec.map(key))
      expect(Operations.map(key).filter((k) => !described.has(k))).toEqual([])
      const ids = new Map(spec.map((op) => [key(op), op.operationId]))
      for (const op of Operations) expect(op.operationId).toBe(ids.get(key(op)))
    }
  )
})
