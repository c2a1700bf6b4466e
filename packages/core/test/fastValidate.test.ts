/**
 * The fast path's one promise: predicate true ⇒ `Schema.decodeUnknown(schema)(u)` succeeds
 * and returns a value deep-equal to `u`. Checked on hand-written cases that pin effect's
 * semantics, then by property over every generated response schema: valid values (the
 * predicate must hold, else the fast path is useless) and values broken at a random path
 * (whenever the predicate holds, the decode must agree). The same harness is run with a
 * predicate that answers `true` blindly, which it must catch.
 */
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, FastCheck } from "effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { isDeepStrictEqual } from "node:util"
import * as FastValidate from "../src/internal/fastValidate.js"
import { Operations } from "../src/Operations.js"
import * as Schemas from "../src/generated/schemas.js"
import { Open, OpenEnum } from "../src/generated/tolerant.js"
import { specOperations, specText } from "./fixtures/IntercomSpec.js"

type Predicate = (u: unknown) => boolean

/** Why `predicate` is wrong about `u`, or undefined when it keeps its promise (or says false). */
const violation = (schema: Schema.Schema.AnyNoContext, predicate: Predicate, u: unknown): string | undefined => {
  if (!predicate(u)) return undefined
  const decoded = Schema.decodeUnknownEither(schema)(u)
  if (Either.isLeft(decoded)) return `predicate true, decode fails: ${decoded.left.message.slice(0, 300)}`
  if (!isDeepStrictEqual(decoded.right, u)) return "predicate true, decode returns a different value"
  return undefined
}

const compiled = (schema: Schema.Schema.AnyNoContext): Predicate => {
  const predicate = FastValidate.compile(schema)
  if (predicate === undefined) throw new Error("no fast path for this schema")
  return predicate
}

/** The predicate's answer, after checking it keeps its promise on that value. */
const sound = (schema: Schema.Schema.AnyNoContext, u: unknown): boolean => {
  const predicate = compiled(schema)
  expect(violation(schema, predicate, u)).toBeUndefined()
  return predicate(u)
}

describe("FastValidate.compile mirrors effect's decoding", () => {
  const Nullable = Open({
    name: Schema.optionalWith(Schema.NullOr(Schema.String), { exact: true }),
    count: Schema.optionalWith(Schema.NullOr(Schema.Number), { exact: true }),
    state: Schema.optionalWith(Schema.NullOr(OpenEnum("open", "closed")), { exact: true })
  })

  it("accepts what decodes to itself: nulls, absent optional keys, unknown keys and enum values of open structs", () => {
    expect(sound(Nullable, { name: null, count: 3, state: "snoozed", extra: { deep: [1] } })).toBe(true)
    expect(sound(Nullable, {})).toBe(true)
    expect(sound(Nullable, { count: NaN })).toBe(true) // Schema.Number takes NaN
  })

  it("rejects what fails to decode", () => {
    expect(sound(Nullable, { name: 42 })).toBe(false)
    expect(sound(Nullable, { name: undefined })).toBe(false) // exact optional: a present undefined fails
    expect(sound(Nullable, null)).toBe(false)
    expect(sound(Nullable, [])).toBe(false)
    expect(sound(Schema.Int, 1.5)).toBe(false) // the refinement's own filter runs
    expect(sound(Schema.Literal("a", "b"), "c")).toBe(false)
    expect(sound(Schema.Struct({ a: Schema.String }), {})).toBe(false)
    expect(sound(Schema.Tuple(Schema.String), ["a", "b"])).toBe(false)
  })

  it("rejects what decodes to something else: excess keys a closed struct drops, an undefined it adds", () => {
    const Closed = Schema.Struct({ a: Schema.String })
    expect(sound(Closed, { a: "x" })).toBe(true)
    expect(sound(Closed, { a: "x", b: 1 })).toBe(false)
    expect(Schema.decodeUnknownSync(Closed)({ a: "x", b: 1 })).toStrictEqual({ a: "x" })
    // a required key that may be undefined: decode adds it
    expect(sound(Schema.Struct({ a: Schema.UndefinedOr(Schema.String) }), {})).toBe(false)
    expect(Schema.decodeUnknownSync(Schema.Struct({ a: Schema.UndefinedOr(Schema.String) }))({})).toStrictEqual({ a: undefined })
  })

  it("lets parse options flow down like effect does: an open struct's nested closed structs keep unknown keys", () => {
    const Nested = Open({ inner: Schema.Struct({ a: Schema.String }) })
    expect(sound(Nested, { inner: { a: "x", b: 1 } })).toBe(true)
    const Strict = Schema.Struct({ a: Schema.String }).annotations({ parseOptions: { onExcessProperty: "error" } })
    expect(sound(Strict, { a: "x", b: 1 })).toBe(false)
    expect(FastValidate.compile(Schema.Struct({ a: Schema.String }), { onExcessProperty: "preserve" })?.({ a: "x", b: 1 })).toBe(true)
  })

  it("does not vouch for a union whose first decoding member would return something else", () => {
    // effect picks the first member that decodes: { a } strips b
    const U = Schema.Union(Schema.Struct({ a: Schema.String }), Schema.Struct({ a: Schema.String, b: Schema.Number }))
    expect(sound(U, { a: "x", b: 1 })).toBe(false)
    expect(Schema.decodeUnknownSync(U)({ a: "x", b: 1 })).toStrictEqual({ a: "x" })
    expect(sound(U, { a: "x" })).toBe(true)
    // the first member fails, the second returns the input
    const V = Schema.Union(Schema.Struct({ a: Schema.Number }), Schema.Struct({ a: Schema.String, b: Schema.Number }))
    expect(sound(V, { a: "x", b: 1 })).toBe(true)
    // discriminated members: only the matching one decodes
    const D = Schema.Union(
      Schema.Struct({ type: Schema.Literal("a"), v: Schema.String }),
      Schema.Struct({ type: Schema.Literal("b"), v: Schema.Number })
    )
    expect(sound(D, { type: "b", v: 1 })).toBe(true)
    expect(sound(D, { type: "b", v: "1" })).toBe(false)
    expect(sound(Schema.NullOr(Nullable), null)).toBe(true)
  })

  it("checks records, named keys that are also record keys, and arrays", () => {
    const R = Schema.Record({ key: Schema.String, value: Schema.Number })
    expect(sound(R, { a: 1, b: 2 })).toBe(true)
    expect(sound(R, { a: 1, b: "2" })).toBe(false)
    const Both = Schema.Struct({ a: Schema.Number }, Schema.Record({ key: Schema.String, value: Schema.Number }))
    expect(sound(Both, { a: 1, b: 2 })).toBe(true)
    expect(sound(Schema.Array(Schema.String), ["a", "b"])).toBe(true)
    expect(sound(Schema.Array(Schema.String), ["a", 1])).toBe(false)
  })

  it("answers false for inputs outside plain data, where decode's copy differs", () => {
    const Anything = Open({ a: Schema.optionalWith(Schema.Unknown, { exact: true }) })
    expect(sound(Anything, Object.assign(Object.create(null), { a: 1 }))).toBe(false)
    expect(sound(Anything, new (class Point { a = 1 })())).toBe(false)
    // an own __proto__ key (JSON.parse makes one): decode's `output[key] = …` sets the prototype instead
    const polluted = JSON.parse("{\"a\":1,\"__proto__\":{\"b\":2}}") as unknown
    expect(sound(Anything, polluted)).toBe(false)
    expect(sound(Schema.Record({ key: Schema.String, value: Schema.Unknown }), polluted)).toBe(false)
    // eslint-disable-next-line no-sparse-arrays
    expect(sound(Schema.Array(Schema.Unknown), [1, , 3])).toBe(false)
  })

  it("reads presence like effect (hasOwnProperty), also for names Object.prototype has, and when it was polluted", () => {
    const Builtin = Schema.Struct({ constructor: Schema.optionalWith(Schema.String, { exact: true }), toString: Schema.optionalWith(Schema.Number, { exact: true }) })
    expect(sound(Builtin, {})).toBe(true)
    expect(sound(Builtin, JSON.parse("{\"constructor\":\"x\",\"toString\":1}"))).toBe(true)
    expect(sound(Builtin, JSON.parse("{\"constructor\":1}"))).toBe(false)
    const S = Schema.Struct({ name: Schema.optionalWith(Schema.String, { exact: true }) })
    const U = Schema.Union(S, Schema.Struct({ other: Schema.Number }))
    const proto = Object.prototype as unknown as Record<string, unknown>
    proto["name"] = 42
    try {
      // effect ignores the inherited value: S decodes {} and drops `other`, so U is not {other: 1}
      expect(sound(S, {})).toBe(false)
      expect(sound(U, { other: 1 })).toBe(false)
    } finally {
      delete proto["name"]
    }
    expect(sound(S, {})).toBe(true)
  })

  it("asks hasOwnProperty on objects whose prototype may lend values", () => {
    // (a schema of its own: checks are compiled once per schema, and the one above was compiled while polluted)
    const S = Schema.Struct({ name: Schema.optionalWith(Schema.String, { exact: true }) })
    class Lends {
      get name() {
        return 42
      }
    }
    // effect sees no own `name`: S decodes the instance (to a plain copy), so the union is not the instance
    expect(sound(Schema.Union(S, Schema.Unknown), new Lends())).toBe(false)
  })

  it("compiles recursive schemas lazily", () => {
    interface Tree {
      readonly value: number
      readonly children: ReadonlyArray<Tree>
    }
    const Tree: Schema.Schema<Tree> = Schema.Struct({
      value: Schema.Number,
      children: Schema.Array(Schema.suspend(() => Tree))
    })
    expect(sound(Tree, { value: 1, children: [{ value: 2, children: [] }] })).toBe(true)
    expect(sound(Tree, { value: 1, children: [{ value: "2", children: [] }] })).toBe(false)
  })

  it("has no fast path for transformations and declarations", () => {
    expect(FastValidate.compile(Schema.NumberFromString)).toBeUndefined()
    expect(FastValidate.compile(Schema.Struct({ a: Schema.optionalWith(Schema.String, { default: () => "" }) }))).toBeUndefined()
    expect(FastValidate.compile(Schema.Struct({ d: Schema.DateFromSelf }))).toBeUndefined()
    expect(FastValidate.compile(Schema.Array(Schema.Struct({ n: Schema.NumberFromString })))).toBeUndefined()
  })

  it("a decoding fallback can turn a failing member into a success: never answered false-as-failing", () => {
    const WithFallback = Schema.String.annotations({ decodingFallback: () => Either.right("fallback") })
    const U = Schema.Union(WithFallback, Schema.Number)
    expect(sound(U, 1)).toBe(false)
    expect(Schema.decodeUnknownSync(U)(1)).toBe("fallback")
  })
})

// ---- every generated response schema -------------------------------------------------------

/** Response schemas, each once: the success schemas of every endpoint and every exported schema. */
const responseSchemas: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> = (() => {
  const seen = new Map<Schema.Schema.AnyNoContext, string>()
  for (const op of Operations) {
    if (op.endpoint.responseKind === "json" && !seen.has(op.endpoint.schemas.success)) {
      seen.set(op.endpoint.schemas.success, op.endpoint.name)
    }
  }
  for (const [name, schema] of Object.entries(Schemas)) {
    if (Schema.isSchema(schema) && !seen.has(schema)) seen.set(schema, `Schemas.${name}`)
  }
  return [...seen].map(([schema, name]) => [name, schema] as const)
})()

type Mutation =
  | { readonly _tag: "replace"; readonly value: unknown }
  | { readonly _tag: "delete" }
  | { readonly _tag: "addKey"; readonly key: string; readonly value: unknown }

/** Values that break most things: wrong types, null, undefined, NaN, empty containers, unknown strings. */
const odd = FastCheck.oneof(
  FastCheck.constantFrom<unknown>(null, undefined, 0, -1, 1.5, NaN, "", "unknown_enum_value", true, false, [], {}, [null], { type: null }),
  FastCheck.jsonValue()
)

const mutation: FastCheck.Arbitrary<Mutation> = FastCheck.oneof(
  odd.map((value) => ({ _tag: "replace" as const, value })),
  FastCheck.constant({ _tag: "delete" as const }),
  FastCheck.tuple(FastCheck.constantFrom("extra", "type", "id", "data", "__proto__"), odd).map(([key, value]) => ({ _tag: "addKey" as const, key, value }))
)

const clone = (u: unknown): unknown =>
  Array.isArray(u)
    ? u.map(clone)
    : u !== null && typeof u === "object"
    ? Object.fromEntries(Object.entries(u).map(([k, v]) => [k, clone(v)]))
    : u

/**
 * Applies `m` at a path chosen by `steps` (each step picks a child of the current container,
 * modulo its size; the walk stops at a leaf or when the steps run out). Works on a copy.
 */
const mutate = (value: unknown, steps: ReadonlyArray<number>, m: Mutation): unknown => {
  const root = { value: clone(value) }
  let parent: Record<string, unknown> | Array<unknown> = root
  let key: string | number = "value"
  for (const step of steps) {
    const current: unknown = (parent as Record<string | number, unknown>)[key]
    if (current === null || typeof current !== "object") break
    const keys: Array<string | number> = Array.isArray(current) ? current.map((_, i) => i) : Object.keys(current)
    if (keys.length === 0) break
    parent = current as Record<string, unknown>
    key = keys[step % keys.length]!
  }
  const target = parent as Record<string | number, unknown>
  switch (m._tag) {
    case "replace":
      target[key] = m.value
      break
    case "delete":
      if (Array.isArray(target)) target.splice(Number(key), 1)
      else delete target[key]
      break
    case "addKey": {
      const at = target[key]
      if (at !== null && typeof at === "object" && !Array.isArray(at)) {
        Object.defineProperty(at, m.key, { value: m.value, enumerable: true, writable: true, configurable: true })
      } else {
        target[key] = m.value
      }
    }
  }
  return root.value
}

/** Runs the soundness property for one schema and predicate; returns the first counterexample found. */
const counterexample = (schema: Schema.Schema.AnyNoContext, predicate: Predicate, numRuns: number, seed: number): string | undefined => {
  const property = FastCheck.property(
    Arbitrary.make(schema),
    FastCheck.array(FastCheck.nat(), { minLength: 0, maxLength: 8 }),
    mutation,
    (valid, steps, m) => {
      const broken = mutate(valid, steps, m)
      const problem = violation(schema, predicate, broken)
      if (problem !== undefined) throw new Error(problem)
    }
  )
  const details = FastCheck.check(property, { numRuns, seed })
  return details.failed ? String(details.errorInstance ?? details.counterexample) : undefined
}

describe("every generated response schema", () => {
  it("has a fast path (none needs a transformation)", () => {
    const without = responseSchemas.filter(([, schema]) => FastValidate.compile(schema) === undefined).map(([name]) => name)
    expect(without).toEqual([])
    expect(responseSchemas.length).toBeGreaterThan(100)
  })

  it("valid values (effect's Arbitrary): the predicate holds whenever decode returns them unchanged", () => {
    const failures: Array<string> = []
    let roundTrips = 0
    for (const [name, schema] of responseSchemas) {
      const predicate = compiled(schema)
      const decode = Schema.decodeUnknownEither(schema)
      const details = FastCheck.check(
        FastCheck.property(Arbitrary.make(schema), (valid) => {
          const problem = violation(schema, predicate, valid)
          if (problem !== undefined) throw new Error(problem)
          // Not every valid value decodes to itself: a union of closed structs may pick a member that drops keys.
          const decoded = decode(valid)
          if (Either.isRight(decoded) && isDeepStrictEqual(decoded.right, valid)) {
            roundTrips++
            if (!predicate(valid)) throw new Error("decode returns the value unchanged, the predicate is false")
          }
        }),
        { numRuns: 30, seed: 20260108 }
      )
      if (details.failed) failures.push(`${name}: ${String(details.errorInstance)} on ${JSON.stringify(details.counterexample)}`)
    }
    expect(failures).toEqual([])
    expect(roundTrips).toBeGreaterThan(responseSchemas.length * 25)
  })

  it("values broken at a random path: whenever the predicate holds, decode succeeds with the same value", () => {
    const failures: Array<string> = []
    for (const [name, schema] of responseSchemas) {
      const found = counterexample(schema, compiled(schema), 60, 20260108)
      if (found !== undefined) failures.push(`${name}: ${found}`)
    }
    expect(failures).toEqual([])
  })

  it("the harness catches a predicate that answers true blindly", () => {
    const blind: Predicate = () => true
    const caught = responseSchemas.filter(([, schema]) => counterexample(schema, blind, 60, 20260108) !== undefined)
    // every schema with at least one typed property has values that fail to decode
    expect(caught.length).toBeGreaterThan(responseSchemas.length * 0.9)
    expect(violation(Schemas.Contact, blind, { id: 42 })).toBeDefined()
    expect(violation(Schemas.ContactList, blind, { data: [{ email: ["not", "a", "string"] }] })).toBeDefined()
  })

  it.runIf(specText !== undefined)("the spec's response examples take the fast path", () => {
    const byOperationId = new Map(Operations.map((op) => [op.operationId, op.endpoint]))
    const slow: Array<string> = []
    for (const op of specOperations(specText ?? "")) {
      const endpoint = byOperationId.get(op.operationId)
      if (endpoint === undefined || endpoint.responseKind !== "json") continue
      const predicate = compiled(endpoint.schemas.success)
      for (const example of op.examples) {
        expect(violation(endpoint.schemas.success, predicate, example.value)).toBeUndefined()
        if (!predicate(example.value)) slow.push(`${op.operationId} ${example.name}`)
      }
    }
    expect(slow).toEqual([])
  })
})
