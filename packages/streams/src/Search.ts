/**
 * A typed query builder for Intercom's search endpoints (`POST /contacts/search`,
 * `/conversations/search`, `/tickets/search`).
 *
 * - Fields, their types and the operators each type allows come from the documented
 *   "Accepted Fields" tables (`SearchFields` in core). The per-resource builders
 *   (`Search.contacts.where("email", "~", "@acme.com")`) check names, operators and value
 *   types at compile time; `compile` checks everything again at run time (queries also
 *   come from the text form, see `QueryText`), so an invalid query fails with
 *   `InvalidQuery` naming the field/operator before any request is sent.
 * - `IN`/`NIN` take arrays; every other operator a single value.
 * - At most 2 levels of nesting (a root group may hold groups, which hold filters) and at
 *   most 15 filters per AND/OR group. Groups nested under a group with the same operator
 *   are flattened first (`a AND (b AND c)` is `a AND b AND c`), single-member groups are
 *   unwrapped; neither changes the meaning.
 * - Dates accept a `Date`, an ISO string (`2024-01-01`, `2024-01-01T12:00:00Z`) or UNIX
 *   seconds, and are sent as UNIX seconds.
 *
 * Day granularity: Intercom compares timestamp fields by calendar day (UTC here, the
 * workspace timezone in production), not by second:
 *   - `created_at = d` matches the whole day of `d`;
 *   - `created_at > d` matches from the start of the day AFTER `d`;
 *   - `created_at < d` matches before the start of the day of `d`;
 *   - contacts reject `!=`, `>=`, `<=`, `IN`, `NIN` on dates.
 * So "on or after day D" is `> D - 1 day` and "before day E" is `< E`: use `onOrAfter`,
 * `before` and `dayRange`, which do this arithmetic, rather than writing it by hand.
 *
 * @since 0.1.0
 */
import { SearchFields } from "@intercom-fx/core"
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Schema from "effect/Schema"
import { closestName } from "./internal/closestName.js"
import type { contactFieldTypes, conversationFieldTypes, ticketFieldTypes } from "./internal/searchFieldTypes.js"

export type Resource = SearchFields.Resource
export type Operator = SearchFields.Operator
export type GroupOperator = SearchFields.GroupOperator
export type FieldType = SearchFields.FieldType

/** A point in time: a `Date`, an ISO-8601 string or UNIX seconds. */
export type DateInput = Date | string | number

export type Scalar = string | number | boolean | null

/** What a filter may carry before compilation. */
export type FilterValue = Scalar | Date | ReadonlyArray<Scalar | Date>

/** One comparison. */
export interface Filter {
  readonly _tag: "Filter"
  readonly field: string
  readonly operator: Operator
  readonly value: FilterValue
}

/** An AND/OR group of filters and groups. */
export interface Group {
  readonly _tag: "Group"
  readonly operator: GroupOperator
  readonly filters: ReadonlyArray<Query>
}

/** A query before validation. */
export type Query = Filter | Group

/** The API's single filter, as sent. */
export interface SingleFilterBody {
  readonly field: string
  readonly operator: Operator
  readonly value: Scalar | ReadonlyArray<Scalar>
}

/** The API's AND/OR group, as sent. */
export interface MultipleFilterBody {
  readonly operator: GroupOperator
  readonly value: ReadonlyArray<QueryBody>
}

/** The `query` member of a search request body. */
export type QueryBody = SingleFilterBody | MultipleFilterBody

/** Why a query is invalid. */
export type InvalidQueryReason =
  | "UnknownField"
  | "OperatorNotAllowed"
  | "InvalidValue"
  | "TooDeep"
  | "TooManyFilters"
  | "EmptyGroup"

/**
 * A query the API would reject, caught before any request. `path` locates the offending
 * part as indices from the root group (`[1, 0]` is the first member of the second member).
 */
export class InvalidQuery extends Schema.TaggedError<InvalidQuery>()("InvalidQuery", {
  resource: Schema.Literal("contacts", "conversations", "tickets"),
  reason: Schema.Literal("UnknownField", "OperatorNotAllowed", "InvalidValue", "TooDeep", "TooManyFilters", "EmptyGroup"),
  path: Schema.Array(Schema.Number),
  field: Schema.optionalWith(Schema.String, { exact: true }),
  operator: Schema.optionalWith(Schema.String, { exact: true }),
  detail: Schema.String
}) {
  override get message(): string {
    return `invalid ${this.resource} search query: ${this.detail}`
  }
}

// ---------------------------------------------------------------------------------------
// Typed builders

type CustomAttribute = "custom"
type FieldTypeMap<R extends Resource> = R extends "contacts"
  ? typeof contactFieldTypes & { readonly [K in `custom_attributes.${string}`]: CustomAttribute }
  : R extends "conversations" ? typeof conversationFieldTypes
  : typeof ticketFieldTypes & { readonly [K in `ticket_attribute.${string}`]: CustomAttribute }

/** The accepted field names of a resource (with its `custom_attributes.*` family). */
export type FieldOf<R extends Resource> = keyof FieldTypeMap<R> & string

type TypeOf<R extends Resource, F extends FieldOf<R>> = FieldTypeMap<R>[F]

type StringOps = "=" | "!=" | "IN" | "NIN" | "~" | "!~" | "^" | "$"
type EqOps = "=" | "!=" | "IN" | "NIN"
type OpsByType<R extends Resource> = {
  readonly string: StringOps
  readonly custom: R extends "tickets" ? Operator : StringOps
  readonly boolean: EqOps
  readonly integer: R extends "contacts" ? EqOps | "<" | ">" | "<=" | ">=" : EqOps | "<" | ">"
  readonly float: R extends "contacts" ? EqOps | "<" | ">" | "<=" | ">=" : EqOps | "<" | ">"
  readonly date: R extends "contacts" ? "=" | "<" | ">" : EqOps | "<" | ">"
}

/** Operators a field allows, by its documented type. */
export type OperatorOf<R extends Resource, F extends FieldOf<R>> = TypeOf<R, F> extends keyof OpsByType<R>
  ? OpsByType<R>[TypeOf<R, F>]
  : never

type ScalarOf<T> = T extends "string" ? string
  : T extends "integer" | "float" ? number
  : T extends "boolean" ? boolean
  : T extends "date" ? DateInput
  : Scalar | Date

/** The value a field takes with an operator: an array for IN/NIN. */
export type ValueOf<R extends Resource, F extends FieldOf<R>, Op extends Operator> = Op extends "IN" | "NIN"
  ? ReadonlyArray<ScalarOf<TypeOf<R, F>>>
  : ScalarOf<TypeOf<R, F>>

/** Typed constructors for one resource. */
export interface Builder<R extends Resource> {
  readonly resource: R
  readonly where: <F extends FieldOf<R>, Op extends OperatorOf<R, F>>(
    field: F,
    operator: Op,
    value: ValueOf<R, F, Op>
  ) => Filter
  readonly and: (...members: ReadonlyArray<Query>) => Group
  readonly or: (...members: ReadonlyArray<Query>) => Group
  /** Records whose timestamp falls on or after the day of `day`: `field > (day - 1 day)`. */
  readonly onOrAfter: (field: DateFieldOf<R>, day: DateInput) => Filter
  /** Records whose timestamp falls before the day of `day`: `field < day`. */
  readonly before: (field: DateFieldOf<R>, day: DateInput) => Filter
  /** Whole days `[from, until)`: on or after the day of `from`, before the day of `until`. */
  readonly dayRange: (field: DateFieldOf<R>, from: DateInput, until: DateInput) => Group
}

/** The fields of a resource documented as dates. */
export type DateFieldOf<R extends Resource> = {
  readonly [F in FieldOf<R>]: TypeOf<R, F> extends "date" ? F : never
}[FieldOf<R>]

/** An untyped filter (the text parser and dynamic callers use this); `compile` validates it. */
export const where = (field: string, operator: Operator, value: FilterValue): Filter => ({
  _tag: "Filter",
  field,
  operator,
  value
})

/** All members must match. */
export const and = (...members: ReadonlyArray<Query>): Group => ({ _tag: "Group", operator: "AND", filters: members })

/** Any member must match. */
export const or = (...members: ReadonlyArray<Query>): Group => ({ _tag: "Group", operator: "OR", filters: members })

const DAY = 86_400

/** `field > (start of day(day) - 1 day)`: from the start of the day of `day`. */
export const onOrAfter = (field: string, day: DateInput): Filter =>
  where(field, ">", dayStartMinus(day, 1))

/** `field < day`: before the start of the day of `day`. */
export const before = (field: string, day: DateInput): Filter => where(field, "<", dayStartMinus(day, 0))

/** Whole days from the day of `from` up to, not including, the day of `until`. */
export const dayRange = (field: string, from: DateInput, until: DateInput): Group =>
  and(onOrAfter(field, from), before(field, until))

const dayStartMinus = (day: DateInput, days: number): number | Date => {
  const seconds = toUnixSeconds(day)
  // An unparseable input stays as it is, so `compile` reports it with its field.
  return seconds === undefined ? (day instanceof Date ? day : Number.NaN) : SearchFields.startOfDayUtc(seconds) - days * DAY
}

const builder = <R extends Resource>(resource: R): Builder<R> => ({
  resource,
  where: (field, operator, value) => where(field, operator, value),
  and,
  or,
  onOrAfter: (field, day) => onOrAfter(field, day),
  before: (field, day) => before(field, day),
  dayRange: (field, from, until) => dayRange(field, from, until)
})

/** Typed builders for `POST /contacts/search`. */
export const contacts: Builder<"contacts"> = builder("contacts")
/** Typed builders for `POST /conversations/search`. */
export const conversations: Builder<"conversations"> = builder("conversations")
/** Typed builders for `POST /tickets/search`. */
export const tickets: Builder<"tickets"> = builder("tickets")

// ---------------------------------------------------------------------------------------
// Dates

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/

/** Whether `YYYY-MM-DD` names a day of the calendar (`Date.parse` reads 2024-02-30 as March 1). */
const isCalendarDay = (text: string): boolean => {
  const [year = 0, month = 0, day = 0] = text.split("-").map(Number)
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/**
 * UNIX seconds of a `Date`, an ISO string or a number of seconds; `undefined` when it is
 * none of these (nor a day of the calendar: 2024-02-30). A date-only string is midnight
 * UTC; a date-time without an offset is UTC.
 */
export const toUnixSeconds = (input: DateInput): number | undefined => {
  if (typeof input === "number") return Number.isFinite(input) ? Math.floor(input) : undefined
  if (input instanceof Date) {
    const ms = input.getTime()
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000)
  }
  const text = input.trim()
  if (/^\d+$/.test(text)) return Number(text)
  if (!ISO_DATE.test(text) && !ISO_DATETIME.test(text)) return undefined
  if (!isCalendarDay(text.slice(0, 10))) return undefined
  const normalised = ISO_DATE.test(text)
    ? `${text}T00:00:00Z`
    : /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text.replace(" ", "T") : `${text.replace(" ", "T")}Z`
  const ms = Date.parse(normalised)
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000)
}

// ---------------------------------------------------------------------------------------
// Validation and compilation

/** Merges same-operator subgroups into their parent and unwraps single-member groups. */
export const normalize = (query: Query): Query => {
  if (query._tag === "Filter") return query
  const members: Array<Query> = []
  for (const member of query.filters.map(normalize)) {
    if (member._tag === "Group" && member.operator === query.operator) members.push(...member.filters)
    else members.push(member)
  }
  const only = members[0]
  return members.length === 1 && only !== undefined ? only : { _tag: "Group", operator: query.operator, filters: members }
}

/** A problem with one filter, located by the caller. */
export interface FilterIssue {
  readonly reason: "UnknownField" | "OperatorNotAllowed" | "InvalidValue"
  /** Which part of the filter is at fault (for pointing at a token). */
  readonly part: "field" | "operator" | "value"
  /** Index into an IN/NIN array, when one element is at fault. */
  readonly index?: number
  readonly detail: string
}

const isCustomField = (resource: Resource, field: string): boolean =>
  SearchFields.fieldPatterns[resource].some((p) => field.startsWith(p.prefix) && field.length > p.prefix.length)

const describeType = (types: ReadonlyArray<FieldType>): string => types.join(" or ")

/** Converts one value for a field of the given types, or explains why it cannot. */
const convertValue = (
  types: ReadonlyArray<FieldType>,
  custom: boolean,
  field: string,
  value: Scalar | Date
): Either.Either<Scalar, string> => {
  if (custom) {
    if (value instanceof Date) {
      const s = toUnixSeconds(value)
      return s === undefined ? Either.left(`invalid date for ${field}`) : Either.right(s)
    }
    return Either.right(value)
  }
  const type = types[0] ?? "string"
  switch (type) {
    case "string":
      if (typeof value === "string" || value === null) return Either.right(value)
      if (typeof value === "number" || typeof value === "boolean") return Either.right(String(value))
      return Either.left(`${field} is a string field, got a date`)
    case "integer":
    case "float": {
      if (value === null) return Either.right(null)
      const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN
      if (!Number.isFinite(n)) return Either.left(`${field} is ${type === "integer" ? "an integer" : "a number"} field, got ${show(value)}`)
      if (type === "integer" && !Number.isInteger(n)) return Either.left(`${field} is an integer field, got ${n}`)
      return Either.right(n)
    }
    case "boolean":
      if (typeof value === "boolean") return Either.right(value)
      if (value === "true" || value === "false") return Either.right(value === "true")
      return Either.left(`${field} is a boolean field, got ${show(value)}`)
    case "date": {
      if (value === null || typeof value === "boolean") return Either.left(`${field} is a date field, got ${show(value)}`)
      const s = toUnixSeconds(value)
      return s === undefined
        ? Either.left(`${field} is a date field: use a Date, an ISO date such as 2024-01-01 or UNIX seconds, got ${show(value)}`)
        : Either.right(s)
    }
  }
}

const isList = (value: FilterValue): value is ReadonlyArray<Scalar | Date> => Array.isArray(value)

const show = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : typeof value === "string" ? JSON.stringify(value) : String(value)

/** What an unknown field probably meant: a near spelling, or the same name as a custom attribute. */
const unknownFieldHint = (resource: Resource, field: string): string => {
  const near = closestName(field, SearchFields.fields(resource).keys())
  if (near !== undefined) return ` (did you mean ${near}?)`
  const family = SearchFields.fieldPatterns[resource][0]
  return family !== undefined && !field.includes(".") ? ` (a custom attribute is ${family.prefix}${field})` : ""
}

/**
 * Validates one filter against a resource's field table and converts its value to what
 * the API expects (dates to UNIX seconds).
 */
export const checkFilter = (resource: Resource, filter: Filter): Either.Either<SingleFilterBody, FilterIssue> => {
  const { field, operator } = filter
  const spec = SearchFields.fieldSpec(resource, field)
  if (!spec) {
    return Either.left({ reason: "UnknownField", part: "field", detail: `${field} is not a searchable ${resource} field${unknownFieldHint(resource, field)}` })
  }
  if (!SearchFields.isOperator(operator)) {
    return Either.left({ reason: "OperatorNotAllowed", part: "operator", detail: `${String(operator)} is not an operator` })
  }
  if (!SearchFields.operatorAllowedFor(resource, field, operator)) {
    const allowed = SearchFields.operators.filter((op) => SearchFields.operatorAllowedFor(resource, field, op))
    const dateHint = spec.types.includes("date") && resource === "contacts" && (operator === ">=" || operator === "<=")
      ? ` (dates compare by day: for "on or after D" use > the day before D, for "on or before D" use < the day after D)`
      : ""
    return Either.left({
      reason: "OperatorNotAllowed",
      part: "operator",
      detail: `operator ${operator} is not allowed on ${field} (${describeType(spec.types)}); allowed: ${allowed.join(" ")}${dateHint}`
    })
  }
  const list = SearchFields.isListOperator(operator)
  const custom = isCustomField(resource, field)
  const value = filter.value
  if (list) {
    if (!isList(value)) {
      return Either.left({ reason: "InvalidValue", part: "value", detail: `${operator} on ${field} takes an array of values` })
    }
    const out: Array<Scalar> = []
    for (const [index, item] of value.entries()) {
      const converted = convertValue(spec.types, custom, field, item)
      if (Either.isLeft(converted)) return Either.left({ reason: "InvalidValue", part: "value", index, detail: converted.left })
      const allowedValues = checkAllowedValues(spec, converted.right)
      if (allowedValues) return Either.left({ reason: "InvalidValue", part: "value", index, detail: allowedValues })
      out.push(converted.right)
    }
    return Either.right({ field, operator, value: out })
  }
  if (isList(value)) {
    return Either.left({ reason: "InvalidValue", part: "value", detail: `${operator} on ${field} takes a single value, not an array` })
  }
  const converted = convertValue(spec.types, custom, field, value)
  if (Either.isLeft(converted)) return Either.left({ reason: "InvalidValue", part: "value", detail: converted.left })
  const allowedValues = checkAllowedValues(spec, converted.right)
  if (allowedValues) return Either.left({ reason: "InvalidValue", part: "value", detail: allowedValues })
  return Either.right({ field, operator, value: converted.right })
}

const checkAllowedValues = (spec: SearchFields.FieldSpec, value: Scalar): string | undefined =>
  spec.values && typeof value === "string" && !spec.values.includes(value)
    ? `${spec.field} accepts ${spec.values.join(", ")}, got ${JSON.stringify(value)}`
    : undefined

/** A problem with the shape of a query (depth, width), located by path. */
export interface ShapeIssue {
  readonly reason: "TooDeep" | "TooManyFilters" | "EmptyGroup"
  readonly path: ReadonlyArray<number>
  readonly detail: string
}

/**
 * Checks depth and width of a normalised query: groups at most 2 levels deep (the root
 * group is level 1), at most 15 members per group, none empty.
 */
export const checkShape = (query: Query): ShapeIssue | undefined => {
  const go = (q: Query, level: number, path: ReadonlyArray<number>): ShapeIssue | undefined => {
    if (q._tag === "Filter") return undefined
    if (level > SearchFields.maxNestingDepth) {
      return { reason: "TooDeep", path, detail: `queries nest at most ${SearchFields.maxNestingDepth} levels of AND/OR groups` }
    }
    if (q.filters.length === 0) return { reason: "EmptyGroup", path, detail: `an ${q.operator} group needs at least one filter` }
    if (q.filters.length > SearchFields.maxFiltersPerGroup) {
      return {
        reason: "TooManyFilters",
        path: [...path, SearchFields.maxFiltersPerGroup],
        detail: `an ${q.operator} group holds at most ${SearchFields.maxFiltersPerGroup} filters, this one has ${q.filters.length}`
      }
    }
    for (const [i, member] of q.filters.entries()) {
      const issue = go(member, level + 1, [...path, i])
      if (issue) return issue
    }
    return undefined
  }
  return go(query, 1, [])
}

const compileQuery = (query: Query, resource: Resource): Either.Either<QueryBody, InvalidQuery> => {
  const normalised = normalize(query)
  const shape = checkShape(normalised)
  if (shape) return Either.left(new InvalidQuery({ resource, reason: shape.reason, path: shape.path, detail: shape.detail }))
  const go = (q: Query, path: ReadonlyArray<number>): Either.Either<QueryBody, InvalidQuery> => {
    if (q._tag === "Filter") {
      return Either.mapLeft(checkFilter(resource, q), (issue) =>
        new InvalidQuery({ resource, reason: issue.reason, path, field: q.field, operator: q.operator, detail: issue.detail }))
    }
    const members: Array<QueryBody> = []
    for (const [i, member] of q.filters.entries()) {
      const compiled = go(member, [...path, i])
      if (Either.isLeft(compiled)) return compiled
      members.push(compiled.right)
    }
    return Either.right({ operator: q.operator, value: members })
  }
  return go(normalised, [])
}

/**
 * Validates a query for a resource and produces the `query` member of the request body.
 * Fails with `InvalidQuery` naming the field/operator; sends nothing.
 */
export const compile: {
  (resource: Resource): (query: Query) => Either.Either<QueryBody, InvalidQuery>
  (query: Query, resource: Resource): Either.Either<QueryBody, InvalidQuery>
} = dual(2, compileQuery)

/** Every field a resource accepts (without the `custom_attributes.*` family), for help texts. */
export const fieldNames = (resource: Resource): ReadonlyArray<string> => [...SearchFields.fields(resource).keys()]
