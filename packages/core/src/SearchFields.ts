/**
 * The search field tables of Intercom's REST API 2.10: which fields `POST /contacts/search`,
 * `POST /conversations/search` and `POST /tickets/search` accept, the documented type of
 * each, which operators each type allows, and the nesting limits. Pure data transcribed
 * from the "Accepted Fields" / "Accepted Operators" sections of the spec, plus small pure
 * lookups, so the sandbox (validation) and the query builder (compile-time help and
 * early errors) agree on one source.
 */

/** The three searchable resources. */
export type Resource = "contacts" | "conversations" | "tickets"

export const resources: ReadonlyArray<Resource> = ["contacts", "conversations", "tickets"]

/** Field types as the tables name them ("Date (UNIX Timestamp)" is `date`). */
export type FieldType = "string" | "integer" | "float" | "boolean" | "date"

/** Every operator the search request schema knows. */
export type Operator = "=" | "!=" | "IN" | "NIN" | ">" | "<" | ">=" | "<=" | "~" | "!~" | "^" | "$"

export const operators: ReadonlyArray<Operator> = [
  "=", "!=", "IN", "NIN", ">", "<", ">=", "<=", "~", "!~", "^", "$"
]

export const isOperator = (u: unknown): u is Operator =>
  typeof u === "string" && (operators as ReadonlyArray<string>).includes(u)

/** Operators whose value must be an array. */
export const isListOperator = (op: Operator): boolean => op === "IN" || op === "NIN"

/** Boolean combinators of a nested group. */
export type GroupOperator = "AND" | "OR"

/** "There's a limit of max 2 nested filters": a group may hold groups, which hold filters. */
export const maxNestingDepth = 2

/** "There's a limit of max 15 filters for each AND or OR group". */
export const maxFiltersPerGroup = 15

/** Default and maximum `pagination.per_page` of search requests. */
export const defaultPerPage: Readonly<Record<Resource, number>> = {
  contacts: 50,
  conversations: 20,
  tickets: 20
}
export const maxPerPage = 150

/** One accepted field: its documented type(s) and, where documented, its allowed values. */
export interface FieldSpec {
  readonly field: string
  /** More than one type only for ticket attributes ("String or Boolean or Date ..."). */
  readonly types: ReadonlyArray<FieldType>
  readonly values?: ReadonlyArray<string>
}

/** A family of fields under a prefix, e.g. `custom_attributes.{attribute_name}`. */
export interface FieldPattern {
  readonly prefix: string
  readonly types: ReadonlyArray<FieldType>
}

const S: ReadonlyArray<FieldType> = ["string"]
const I: ReadonlyArray<FieldType> = ["integer"]
const D: ReadonlyArray<FieldType> = ["date"]
const B: ReadonlyArray<FieldType> = ["boolean"]

const table = (
  rows: ReadonlyArray<readonly [string, ReadonlyArray<FieldType>, ReadonlyArray<string>?]>
): ReadonlyMap<string, FieldSpec> =>
  new Map(rows.map(([field, types, values]) => [field, values ? { field, types, values } : { field, types }]))

/** POST /contacts/search "Accepted Fields" (the spec's `andoid_sdk_version` typo included). */
export const contactFields: ReadonlyMap<string, FieldSpec> = table([
  ["id", S], ["role", S, ["user", "lead"]], ["name", S], ["avatar", S], ["owner_id", I],
  ["email", S], ["email_domain", S], ["phone", S], ["external_id", S],
  ["created_at", D], ["signed_up_at", D], ["updated_at", D], ["last_seen_at", D],
  ["last_contacted_at", D], ["last_replied_at", D], ["last_email_opened_at", D],
  ["last_email_clicked_at", D], ["language_override", S], ["browser", S],
  ["browser_language", S], ["os", S], ["location.country", S], ["location.region", S],
  ["location.city", S], ["unsubscribed_from_emails", B], ["marked_email_as_spam", B],
  ["has_hard_bounced", B], ["ios_last_seen_at", D], ["ios_app_version", S],
  ["ios_device", S], ["ios_app_device", S], ["ios_os_version", S], ["ios_app_name", S],
  ["ios_sdk_version", S], ["android_last_seen_at", D], ["android_app_version", S],
  ["android_device", S], ["android_app_name", S], ["andoid_sdk_version", S],
  ["segment_id", S], ["tag_id", S]
])

/** POST /conversations/search "Accepted Fields". */
export const conversationFields: ReadonlyMap<string, FieldSpec> = table([
  ["id", S], ["created_at", D], ["updated_at", D],
  ["source.type", S, [
    "conversation", "email", "facebook", "instagram", "phone_call", "phone_switch",
    "push", "sms", "twitter", "whatsapp"
  ]],
  ["source.id", S], ["source.delivered_as", S], ["source.subject", S], ["source.body", S],
  ["source.author.id", S], ["source.author.type", S], ["source.author.name", S],
  ["source.author.email", S], ["source.url", S], ["contact_ids", S], ["teammate_ids", S],
  ["admin_assignee_id", I], ["team_assignee_id", I], ["channel_initiated", S],
  ["open", B], ["read", B], ["state", S], ["waiting_since", D], ["snoozed_until", D],
  ["tag_ids", S], ["priority", S],
  ["statistics.time_to_assignment", I], ["statistics.time_to_admin_reply", I],
  ["statistics.time_to_first_close", I], ["statistics.time_to_last_close", I],
  ["statistics.median_time_to_reply", I], ["statistics.first_contact_reply_at", D],
  ["statistics.first_assignment_at", D], ["statistics.first_admin_reply_at", D],
  ["statistics.first_close_at", D], ["statistics.last_assignment_at", D],
  ["statistics.last_assignment_admin_reply_at", D], ["statistics.last_contact_reply_at", D],
  ["statistics.last_admin_reply_at", D], ["statistics.last_close_at", D],
  ["statistics.last_closed_by_id", S], ["statistics.count_reopens", I],
  ["statistics.count_assignments", I], ["statistics.count_conversation_parts", I],
  ["conversation_rating.requested_at", D], ["conversation_rating.replied_at", D],
  ["conversation_rating.score", I], ["conversation_rating.remark", S],
  ["conversation_rating.contact_id", S], ["conversation_rating.admin_d", S],
  ["ai_agent_participated", B], ["ai_agent.resolution_state", S],
  ["ai_agent.last_answer_type", S], ["ai_agent.rating", I], ["ai_agent.rating_remark", S],
  ["ai_agent.source_type", S], ["ai_agent.source_title", S]
])

/** POST /tickets/search "Accepted Fields" (assignee ids are Strings here, unlike conversations). */
export const ticketFields: ReadonlyMap<string, FieldSpec> = table([
  ["id", S], ["created_at", D], ["updated_at", D], ["title", S], ["description", S],
  ["category", S], ["ticket_type_id", S], ["contact_ids", S], ["teammate_ids", S],
  ["admin_assignee_id", S], ["team_assignee_id", S], ["open", B], ["state", S],
  ["snoozed_until", D]
])

/** Field families: the documented type of every field under the prefix. */
export const fieldPatterns: Readonly<Record<Resource, ReadonlyArray<FieldPattern>>> = {
  contacts: [{ prefix: "custom_attributes.", types: S }],
  conversations: [],
  tickets: [{ prefix: "ticket_attribute.", types: ["string", "boolean", "date", "float", "integer"] }]
}

const tables: Readonly<Record<Resource, ReadonlyMap<string, FieldSpec>>> = {
  contacts: contactFields,
  conversations: conversationFields,
  tickets: ticketFields
}

/** The accepted fields of a resource (patterns excluded). */
export const fields = (resource: Resource): ReadonlyMap<string, FieldSpec> => tables[resource]

/** The spec of a field, or `undefined` when the resource does not accept it. */
export const fieldSpec = (resource: Resource, field: string): FieldSpec | undefined => {
  const exact = tables[resource].get(field)
  if (exact) return exact
  const pattern = fieldPatterns[resource].find((p) => field.startsWith(p.prefix) && field.length > p.prefix.length)
  return pattern ? { field, types: pattern.types } : undefined
}

/** The (first) documented type of a field, or `undefined` when it is not accepted. */
export const fieldType = (resource: Resource, field: string): FieldType | undefined =>
  fieldSpec(resource, field)?.types[0]

const contactOps: Readonly<Record<FieldType, ReadonlyArray<Operator>>> = {
  string: ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"],
  boolean: ["=", "!=", "IN", "NIN"],
  integer: ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="],
  float: ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="],
  // "!=, <=, >=, IN and NIN are not supported on Date fields and return an error."
  date: ["=", "<", ">"]
}
// Conversations and tickets: "=, !=, IN, NIN: All; >, <: Integer, Date; ~ !~ ^ $: String".
const sharedOps: Readonly<Record<FieldType, ReadonlyArray<Operator>>> = {
  string: ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"],
  boolean: ["=", "!=", "IN", "NIN"],
  integer: ["=", "!=", "IN", "NIN", "<", ">"],
  float: ["=", "!=", "IN", "NIN", "<", ">"],
  date: ["=", "!=", "IN", "NIN", "<", ">"]
}

/** Operators a resource allows on a field type (field-specific rules: `operatorAllowedFor`). */
export const operatorsFor = (resource: Resource, type: FieldType): ReadonlyArray<Operator> =>
  resource === "contacts" ? contactOps[type] : sharedOps[type]

/** Whether `op` is allowed on fields of `type` (contacts rules unless a resource is given). */
export const operatorAllowed = (type: FieldType, op: Operator, resource: Resource = "contacts"): boolean =>
  operatorsFor(resource, type).includes(op)

/**
 * Whether `op` is allowed on a specific field, including the per-field exceptions:
 * contacts' `tag_id` takes only `=` and `!=`; tickets' `created_at` also takes `<=`/`>=`.
 * Multi-typed fields accept an operator that any of their types accepts.
 */
export const operatorAllowedFor = (resource: Resource, field: string, op: Operator): boolean => {
  const spec = fieldSpec(resource, field)
  if (!spec) return false
  if (resource === "contacts" && field === "tag_id") return op === "=" || op === "!="
  if (resource === "tickets" && field === "created_at" && (op === "<=" || op === ">=")) return true
  return spec.types.some((t) => operatorsFor(resource, t).includes(op))
}

/** Types compared by calendar day rather than by second (documented for timestamps). */
export const isDayGranular = (type: FieldType): boolean => type === "date"

/** Start (UNIX seconds) of the UTC day containing `seconds`. */
export const startOfDayUtc = (seconds: number): number => seconds - (((seconds % 86_400) + 86_400) % 86_400)
