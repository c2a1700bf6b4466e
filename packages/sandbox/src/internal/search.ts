/**
 * Search queries: decoding the request body with effect/Schema, validating it against the
 * documented field tables and limits (core's SearchFields), and compiling it into a
 * predicate over a lazy field accessor, with Intercom's day-granular timestamp rules.
 */
import * as SearchFields from "@intercom-fx/core/SearchFields"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { badRequest, type ApiError } from "./errors.js"

type Value = string | number | boolean | null | ReadonlyArray<string | number>

export interface Filter { readonly field: string; readonly operator: string; readonly value?: Value | undefined }
export interface Group { readonly operator: string; readonly value: ReadonlyArray<Query> }
export type Query = Filter | Group

const ValueSchema = Schema.Union(
  Schema.String, Schema.Number, Schema.Boolean, Schema.Null, Schema.Array(Schema.Union(Schema.String, Schema.Number))
)
const FilterSchema = Schema.Struct({ field: Schema.String, operator: Schema.String, value: Schema.optional(ValueSchema) })
const QuerySchema: Schema.Schema<Query> = Schema.Union(
  FilterSchema,
  Schema.Struct({ operator: Schema.String, value: Schema.Array(Schema.suspend((): Schema.Schema<Query> => QuerySchema)) })
)

export const SearchBody = Schema.Struct({
  query: QuerySchema,
  pagination: Schema.optional(Schema.NullOr(Schema.Struct({
    per_page: Schema.optional(Schema.Int),
    starting_after: Schema.optional(Schema.NullOr(Schema.String))
  })))
})
export type SearchBody = typeof SearchBody.Type

/** A compiled query: a predicate over a field accessor. */
export type Predicate = (get: (field: string) => unknown) => boolean

const isGroup = (q: Query): q is Group => !("field" in q)

/** Refines a field's documented type, e.g. from the workspace's data attribute definitions. */
export type TypeOverride = (field: string) => SearchFields.FieldType | undefined

const toNumber = (v: unknown): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined

const checkValue = (
  type: SearchFields.FieldType, field: string, value: unknown
): ApiError | undefined => {
  if (value === null || value === undefined) return undefined
  switch (type) {
    case "integer":
    case "float":
    case "date":
      return toNumber(value) === undefined ? badRequest(`${field} must be a ${type === "date" ? "date (UNIX timestamp)" : type}, got ${JSON.stringify(value)}`, field) : undefined
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false" ? undefined : badRequest(`${field} must be a boolean`, field)
    case "string":
      return typeof value === "string" || typeof value === "number" ? undefined : badRequest(`${field} must be a string`, field)
  }
}

/** Validate and compile a query for a resource. */
export const compile = (
  resource: SearchFields.Resource, query: Query, override: TypeOverride = () => undefined
): Effect.Effect<Predicate, ApiError> =>
  Effect.suspend(() => {
    const go = (q: Query, depth: number): Predicate | ApiError => {
      if (isGroup(q)) {
        if (q.operator !== "AND" && q.operator !== "OR") return badRequest(`Operator ${q.operator} is not a valid group operator (AND, OR)`, "query.operator")
        if (depth >= SearchFields.maxNestingDepth) return badRequest(`Search queries support at most ${SearchFields.maxNestingDepth} levels of nesting`, "query")
        if (q.value.length > SearchFields.maxFiltersPerGroup) return badRequest(`A ${q.operator} group supports at most ${SearchFields.maxFiltersPerGroup} filters, got ${q.value.length}`, "query")
        if (q.value.length === 0) return badRequest(`A ${q.operator} group needs at least one filter`, "query")
        const parts: Array<Predicate> = []
        for (const child of q.value) {
          const r = go(child, depth + 1)
          if (typeof r !== "function") return r
          parts.push(r)
        }
        return q.operator === "AND" ? (get) => parts.every((p) => p(get)) : (get) => parts.some((p) => p(get))
      }
      const spec = SearchFields.fieldSpec(resource, q.field)
      if (!spec) return badRequest(`${q.field} is not a searchable field for ${resource}`, q.field)
      if (!SearchFields.isOperator(q.operator)) return badRequest(`Operator ${q.operator} is not a valid operator`, q.field)
      const op = q.operator
      const type = override(q.field) ?? spec.types[0] ?? "string"
      const allowed = override(q.field) !== undefined
        ? SearchFields.operatorsFor(resource, type).includes(op)
        : SearchFields.operatorAllowedFor(resource, q.field, op)
      if (!allowed) return badRequest(`Operator ${op} is not supported for field ${q.field} of type ${type}`, q.field)
      const list = SearchFields.isListOperator(op)
      if (list !== Array.isArray(q.value)) return badRequest(list ? `Operator ${op} requires an array value` : `Operator ${op} does not accept an array value`, q.field)
      const values: ReadonlyArray<unknown> = Array.isArray(q.value) ? q.value : [q.value]
      for (const v of values) {
        const err = checkValue(type, q.field, v)
        if (err) return err
      }
      if (spec.values && type === "string") {
        const bad = values.find((v) => typeof v === "string" && !spec.values?.includes(v))
        if (bad !== undefined) return badRequest(`${q.field} accepts ${spec.values.join(", ")}`, q.field)
      }
      return filterPredicate(q.field, op, type, values)
    }
    const result = go(query, 0)
    return typeof result === "function" ? Effect.succeed(result) : Effect.fail(result)
  })

const norm = (type: SearchFields.FieldType, v: unknown): unknown => {
  if (v === null || v === undefined) return null
  switch (type) {
    case "integer": case "float": case "date": return toNumber(v) ?? null
    case "boolean": return v === true || v === "true"
    case "string": return typeof v === "string" ? v.toLowerCase() : typeof v === "number" ? String(v) : null
  }
}

const filterPredicate = (
  field: string, op: SearchFields.Operator, type: SearchFields.FieldType, rawValues: ReadonlyArray<unknown>
): Predicate => {
  const values = rawValues.map((v) => norm(type, v))
  const target = values[0] ?? null
  const day = SearchFields.isDayGranular(type)
  // Array-valued fields (tag_ids, contact_ids) match when any element matches.
  const one = (actual: unknown): boolean => {
    const a = norm(type, actual)
    switch (op) {
      case "=":
        if (day && typeof a === "number" && typeof target === "number") {
          const start = SearchFields.startOfDayUtc(target)
          return a >= start && a < start + 86_400
        }
        return a === target
      case "!=": return a !== target
      case "IN": return values.includes(a)
      case "NIN": return !values.includes(a)
      case ">":
        if (typeof a !== "number" || typeof target !== "number") return false
        return day ? a >= SearchFields.startOfDayUtc(target) + 86_400 : a > target
      case "<":
        if (typeof a !== "number" || typeof target !== "number") return false
        return day ? a < SearchFields.startOfDayUtc(target) : a < target
      case ">=": return typeof a === "number" && typeof target === "number" && (day ? a >= SearchFields.startOfDayUtc(target) : a >= target)
      case "<=": return typeof a === "number" && typeof target === "number" && (day ? a < SearchFields.startOfDayUtc(target) + 86_400 : a <= target)
      case "~": return typeof a === "string" && typeof target === "string" && a.includes(target)
      case "!~": return !(typeof a === "string" && typeof target === "string" && a.includes(target))
      case "^": return typeof a === "string" && typeof target === "string" && a.startsWith(target)
      case "$": return typeof a === "string" && typeof target === "string" && a.endsWith(target)
    }
  }
  const negative = op === "!=" || op === "NIN" || op === "!~"
  return (get) => {
    const actual = get(field)
    if (Array.isArray(actual)) return negative ? actual.every(one) : actual.some(one)
    return one(actual)
  }
}

/** Decode a search body, mapping schema failures to a 400 naming the offending field. */
export const decodeSearchBody = (u: unknown): Effect.Effect<SearchBody, ApiError> =>
  Schema.decodeUnknown(SearchBody)(u).pipe(
    Effect.mapError((e) => {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
      return badRequest(issue?.message ?? "Invalid search request", issue ? issue.path.join(".") || "query" : "query")
    })
  )
