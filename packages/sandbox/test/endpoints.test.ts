/**
 * Every operation core generates, called through core's IntercomClient against a sandbox:
 * each must succeed and decode with the generated response schema. A check keeps the input
 * table and the operation list in step, so a new operation without an input fails here.
 */
import { IntercomClient, Operations, type OperationInfo } from "@intercom-fx/core"
import { NodeHttpClient } from "@effect/platform-node"
import { expect, layer } from "@effect/vitest"
import { Effect, Either, Layer, Option, Schema } from "effect"
import { Sandbox } from "../src/index.js"
import { api } from "./helpers.js"

/** Ids discovered from the sandbox before the run, and those created during it. */
type Ids = Record<string, string>

interface Input {
  readonly path?: Readonly<Record<string, string | number>>
  readonly query?: unknown
  readonly body?: unknown
}

interface Step {
  readonly input: (ids: Ids) => Input
  /** Remember something from the decoded answer for later steps. */
  readonly remember?: (result: unknown, ids: Ids) => void
}

const IdOf = Schema.Struct({ id: Schema.Union(Schema.String, Schema.Number) })
const rememberId = (key: string) => (result: unknown, ids: Ids) => {
  const found = Schema.decodeUnknownOption(IdOf)(result)
  if (Option.isSome(found)) ids[key] = String(found.value.id)
}
const JobOf = Schema.Struct({ job_identfier: Schema.String })
const ConversationOf = Schema.Struct({ id: Schema.String, conversation_id: Schema.String })

const SEED_START = 1546300800
const SEED_END = 1735689600
const admin = (ids: Ids) => ids.admin ?? ""

/** In call order: creations before the reads and updates that use them, deletions last. */
const steps: ReadonlyArray<readonly [string, Step]> = [
  // admins & teams
  ["identifyAdmin", { input: () => ({}) }],
  ["listAdmins", { input: () => ({ query: { display_avatar: true } }) }],
  ["retrieveAdmin", { input: (s) => ({ path: { id: admin(s) } }) }],
  ["setAwayAdmin", { input: (s) => ({ path: { id: admin(s) }, body: { away_mode_enabled: true, away_mode_reassign: false } }) }],
  ["listActivityLogs", { input: () => ({ query: { created_at_after: String(SEED_START) } }) }],
  ["listTeams", { input: () => ({}) }],
  ["retrieveTeam", { input: (s) => ({ path: { id: s.team ?? "" } }) }],
  // articles, help center, news
  ["listArticles", { input: () => ({}) }],
  ["createArticle", { input: (s) => ({ body: { title: "Endpoint article", body: "<p>Hello</p>", author_id: Number(admin(s)), state: "published", parent_id: Number(s.collection) } }), remember: rememberId("article") }],
  ["retrieveArticle", { input: (s) => ({ path: { id: s.article ?? "" } }) }],
  ["updateArticle", { input: (s) => ({ path: { id: s.article ?? "" }, body: { title: "Endpoint article, renamed", state: "draft" } }) }],
  ["searchArticles", { input: () => ({ query: { phrase: "article", state: "all", highlight: true } }) }],
  ["listAllCollections", { input: () => ({}) }],
  ["createCollection", { input: () => ({ body: { name: "Endpoint collection", description: "made by a test" } }), remember: rememberId("newCollection") }],
  ["retrieveCollection", { input: (s) => ({ path: { id: s.newCollection ?? "" } }) }],
  ["updateCollection", { input: (s) => ({ path: { id: s.newCollection ?? "" }, body: { name: "Endpoint collection, renamed" } }) }],
  ["listHelpCenters", { input: () => ({}) }],
  ["retrieveHelpCenter", { input: (s) => ({ path: { id: s.helpCenter ?? "" } }) }],
  ["listNewsItems", { input: () => ({}) }],
  ["createNewsItem", { input: (s) => ({ body: { title: "Endpoint news", body: "<p>News</p>", sender_id: Number(admin(s)), state: "live", labels: ["Test"], newsfeed_assignments: [{ newsfeed_id: Number(s.newsfeed), published_at: SEED_END }] } }), remember: rememberId("news") }],
  ["retrieveNewsItem", { input: (s) => ({ path: { id: s.news ?? "" } }) }],
  ["updateNewsItem", { input: (s) => ({ path: { id: s.news ?? "" }, body: { title: "Endpoint news, renamed", sender_id: Number(admin(s)) } }) }],
  ["listNewsfeeds", { input: () => ({}) }],
  ["retrieveNewsfeed", { input: (s) => ({ path: { id: s.newsfeed ?? "" } }) }],
  ["listLiveNewsfeedItems", { input: (s) => ({ path: { id: s.newsfeed ?? "" } }) }],
  // companies
  ["createOrUpdateCompany", { input: () => ({ body: { company_id: "endpoint-co", name: "Endpoint Co", plan: "pro", size: 10, custom_attributes: { tier: "gold" } } }), remember: rememberId("newCompany") }],
  ["retrieveCompany", { input: (s) => ({ query: { company_id: s.companyRemote ?? "" } }) }],
  ["RetrieveACompanyById", { input: (s) => ({ path: { id: s.company ?? "" } }) }],
  ["UpdateCompany", { input: (s) => ({ path: { id: s.newCompany ?? "" } }) }],
  ["ListAttachedContacts", { input: (s) => ({ path: { id: s.company ?? "" } }) }],
  ["ListAttachedSegmentsForCompanies", { input: (s) => ({ path: { id: s.company ?? "" } }) }],
  ["listAllCompanies", { input: () => ({ query: { page: 1, per_page: 5, order: "asc" } }) }],
  ["scrollOverAllCompanies", { input: () => ({}) }],
  // contacts
  ["ListContacts", { input: () => ({ query: { per_page: 5 } }) }],
  ["CreateContact", { input: () => ({ body: { email: "endpoint.user@example.com", role: "user", name: "Endpoint User" } }), remember: rememberId("newContact") }],
  ["ShowContact", { input: (s) => ({ path: { id: s.contact ?? "" } }) }],
  ["UpdateContact", { input: (s) => ({ path: { id: s.newContact ?? "" }, body: { name: "Endpoint User, renamed", custom_attributes: { plan: "team" } } }) }],
  ["SearchContacts", { input: () => ({ body: { query: { operator: "AND", value: [{ field: "role", operator: "=", value: "user" }, { field: "email", operator: "~", value: "@" }] }, pagination: { per_page: 5 } } }) }],
  ["ArchiveContact", { input: (s) => ({ path: { id: s.newContact ?? "" } }) }],
  ["UnarchiveContact", { input: (s) => ({ path: { id: s.newContact ?? "" } }) }],
  ["MergeContact", { input: (s) => ({ body: { from: s.lead ?? "", into: s.newContact ?? "" } }) }],
  ["attachContactToACompany", { input: (s) => ({ path: { id: s.contact ?? "" }, body: { id: s.company ?? "" } }) }],
  ["listCompaniesForAContact", { input: (s) => ({ path: { id: s.contact ?? "" } }) }],
  ["detachContactFromACompany", { input: (s) => ({ path: { contact_id: s.contact ?? "", id: s.company ?? "" } }) }],
  ["listNotes", { input: (s) => ({ path: { id: s.contact ?? "" } }) }],
  ["createNote", { input: (s) => ({ path: { id: s.contact ?? "" }, body: { body: "<p>Endpoint note</p>", admin_id: admin(s) } }), remember: rememberId("note") }],
  ["retrieveNote", { input: (s) => ({ path: { id: s.note ?? "" } }) }],
  ["listSegmentsForAContact", { input: (s) => ({ path: { contact_id: s.contact ?? "" } }) }],
  ["listSubscriptionsForAContact", { input: (s) => ({ path: { contact_id: s.contact ?? "" } }) }],
  ["attachSubscriptionTypeToContact", { input: (s) => ({ path: { contact_id: s.contact ?? "" }, body: { id: s.subscription ?? "", consent_type: "opt_in" } }) }],
  ["detachSubscriptionTypeToContact", { input: (s) => ({ path: { contact_id: s.contact ?? "", id: s.subscription ?? "" } }) }],
  ["listTagsForAContact", { input: (s) => ({ path: { contact_id: s.contact ?? "" } }) }],
  ["attachTagToContact", { input: (s) => ({ path: { contact_id: s.contact ?? "" }, body: { id: s.tag ?? "" } }) }],
  ["detachTagFromContact", { input: (s) => ({ path: { contact_id: s.contact ?? "", id: s.tag ?? "" } }) }],
  // conversations
  ["listConversations", { input: () => ({ query: { per_page: 5 } }) }],
  ["createConversation", {
    input: (s) => ({ body: { from: { type: "user", id: s.contact ?? "" }, body: "Hello from a test", subject: "Endpoint" } }),
    remember: (result, s) => {
      const m = Schema.decodeUnknownOption(ConversationOf)(result)
      if (Option.isSome(m)) Object.assign(s, { conversation: m.value.conversation_id, source: m.value.id })
    }
  }],
  ["retrieveConversation", { input: (s) => ({ path: { id: s.conversation ?? "" }, query: { display_as: "plaintext" } }) }],
  ["updateConversation", { input: (s) => ({ path: { id: s.conversation ?? "" }, body: { read: true } }) }],
  ["searchConversations", { input: () => ({ body: { query: { field: "state", operator: "=", value: "open" }, pagination: { per_page: 5 } } }) }],
  ["replyConversation", { input: (s) => ({ path: { id: s.conversation ?? "" }, body: { message_type: "comment", type: "admin", admin_id: admin(s), body: "An admin reply" } }) }],
  ["manageConversation", { input: (s) => ({ path: { id: s.conversation ?? "" }, body: { message_type: "assignment", type: "admin", admin_id: admin(s), assignee_id: admin(s) } }) }],
  ["autoAssignConversation", { input: (s) => ({ path: { id: s.conversation ?? "" } }) }],
  ["attachContactToConversation", { input: (s) => ({ path: { id: s.conversation ?? "" }, body: { admin_id: admin(s), customer: { intercom_user_id: s.contact2 ?? "" } } }) }],
  ["detachContactFromConversation", { input: (s) => ({ path: { conversation_id: s.conversation ?? "", contact_id: s.contact2 ?? "" }, body: { admin_id: admin(s) } }) }],
  ["attachTagToConversation", { input: (s) => ({ path: { conversation_id: s.conversation ?? "" }, body: { id: s.tag ?? "", admin_id: admin(s) } }) }],
  ["detachTagFromConversation", { input: (s) => ({ path: { conversation_id: s.conversation ?? "", id: s.tag ?? "" }, body: { admin_id: admin(s) } }) }],
  ["redactConversation", { input: (s) => ({ body: { type: "source", conversation_id: s.conversation ?? "", source_id: s.source ?? "" } }) }],
  ["convertConversationToTicket", { input: (s) => ({ path: { id: s.conversation ?? "" }, body: { ticket_type_id: s.ticketType ?? "", attributes: { _default_title_: "From a conversation" } } }) }],
  // data attributes, events, exports
  ["lisDataAttributes", { input: () => ({ query: { model: "contact", include_archived: true } }) }],
  ["createDataAttribute", { input: () => ({ body: { name: "endpoint_score", model: "contact", data_type: "integer", description: "A score" } }), remember: rememberId("attribute") }],
  ["updateDataAttribute", { input: (s) => ({ path: { id: s.attribute ?? "" }, body: { description: "A better score" } }) }],
  ["createDataEvent", { input: (s) => ({ body: { event_name: "ran-endpoint-test", created_at: SEED_END, user_id: s.externalId ?? "", metadata: { suite: "endpoints" } } }) }],
  ["lisDataEvents", { input: (s) => ({ query: { type: "user", user_id: s.externalId ?? "" } }) }],
  ["dataEventSummaries", { input: (s) => ({ body: { user_id: s.externalId ?? "", event_summaries: { event_name: "ran-endpoint-test", count: 2, first: SEED_START, last: SEED_END } } }) }],
  ["createDataExport", {
    input: () => ({ body: { created_at_after: SEED_START, created_at_before: SEED_END } }),
    remember: (result, s) => {
      const job = Schema.decodeUnknownOption(JobOf)(result)
      if (Option.isSome(job)) s.job = job.value.job_identfier
    }
  }],
  // Each status poll advances the job a step; the second one completes it.
  ["getDataExport", { input: (s) => ({ path: { job_identifier: s.job ?? "" } }) }],
  ["downloadDataExport", { input: (s) => ({ path: { job_identifier: s.job ?? "" } }) }],
  ["cancelDataExport", { input: (s) => ({ path: { job_identifier: s.job ?? "" } }) }],
  // messages, phone, segments, subscriptions, tags
  ["createMessage", { input: (s) => ({ body: { message_type: "in_app", body: "A message", from: { type: "admin", id: Number(admin(s)) }, to: { type: "user", id: s.contact ?? "" } } }) }],
  ["createPhoneSwitch", { input: () => ({ body: { phone: "+353871234567" } }) }],
  ["listSegments", { input: () => ({ query: { include_count: true } }) }],
  ["retrieveSegment", { input: (s) => ({ path: { id: s.segment ?? "" } }) }],
  ["listSubscriptionTypes", { input: () => ({}) }],
  ["listTags", { input: () => ({}) }],
  ["createTag", { input: (s) => ({ body: { name: "Endpoint tag", users: [{ id: s.contact ?? "" }] } }), remember: rememberId("newTag") }],
  ["findTag", { input: (s) => ({ path: { id: s.newTag ?? "" } }) }],
  // tickets
  ["listTicketTypes", { input: () => ({}) }],
  ["createTicketType", { input: () => ({ body: { name: "Endpoint type", description: "made by a test", category: "Customer", icon: "🧪" } }), remember: rememberId("newTicketType") }],
  ["getTicketType", { input: (s) => ({ path: { id: s.newTicketType ?? "" } }) }],
  ["updateTicketType", { input: (s) => ({ path: { id: s.newTicketType ?? "" }, body: { description: "changed by a test" } }) }],
  ["createTicketTypeAttribute", { input: (s) => ({ path: { ticket_type_id: s.newTicketType ?? "" }, body: { name: "Severity", description: "How bad", data_type: "list", list_items: "Low,High" } }), remember: rememberId("ticketAttribute") }],
  ["updateTicketTypeAttribute", { input: (s) => ({ path: { ticket_type_id: s.newTicketType ?? "", id: s.ticketAttribute ?? "" }, body: { description: "How bad, really" } }) }],
  ["createTicket", { input: (s) => ({ body: { ticket_type_id: s.newTicketType ?? "", contacts: [{ id: s.contact ?? "" }], ticket_attributes: { _default_title_: "Broken", _default_description_: "It broke", Severity: "High" } } }), remember: rememberId("ticket") }],
  ["getTicket", { input: (s) => ({ path: { id: s.ticket ?? "" } }) }],
  ["updateTicket", { input: (s) => ({ path: { id: s.ticket ?? "" }, body: { state: "in_progress", assignment: { admin_id: admin(s), assignee_id: admin(s) } } }) }],
  ["replyTicket", { input: (s) => ({ path: { id: s.ticket ?? "" }, body: { message_type: "note", type: "admin", admin_id: admin(s), body: "A note" } }) }],
  ["attachTagToTicket", { input: (s) => ({ path: { ticket_id: s.ticket ?? "" }, body: { id: s.tag ?? "", admin_id: admin(s) } }) }],
  ["detachTagFromTicket", { input: (s) => ({ path: { ticket_id: s.ticket ?? "", id: s.tag ?? "" }, body: { admin_id: admin(s) } }) }],
  ["searchTickets", { input: () => ({ body: { query: { field: "open", operator: "=", value: true }, pagination: { per_page: 5 } } }) }],
  // visitors
  ["retrieveVisitorWithUserId", { input: () => ({ query: { user_id: "visitor-0" } }) }],
  ["updateVisitor", { input: () => ({ body: { user_id: "visitor-0", name: "Visiting Vera", custom_attributes: { source: "test" } } }) }],
  ["convertVisitor", { input: () => ({ body: { type: "user", user: { user_id: "endpoint-visitor", email: "endpoint.visitor@example.com" }, visitor: { user_id: "visitor-1" } } }) }],
  // deletions last
  ["deleteArticle", { input: (s) => ({ path: { id: s.article ?? "" } }) }],
  ["deleteCollection", { input: (s) => ({ path: { id: s.newCollection ?? "" } }) }],
  ["deleteNewsItem", { input: (s) => ({ path: { id: s.news ?? "" } }) }],
  ["deleteCompany", { input: (s) => ({ path: { id: s.newCompany ?? "" } }) }],
  ["deleteTag", { input: (s) => ({ path: { id: s.newTag ?? "" } }) }],
  ["DeleteContact", { input: (s) => ({ path: { id: s.newContact ?? "" } }) }]
]

const First = Schema.Struct({ id: Schema.Union(Schema.String, Schema.Number) })
const firstId = (list: unknown): string => {
  const found = Schema.decodeUnknownOption(Schema.Array(First))(list)
  return Option.isSome(found) && found.value[0] !== undefined ? String(found.value[0].id) : ""
}

/** Ids to start from, read with plain HTTP. */
const discover = (info: Sandbox.SandboxInfo) =>
  Effect.gen(function*() {
    const ids: Ids = {}
    const admins = yield* api(info, "GET", "/admins")
    ids.admin = firstId(admins.body.admins)
    ids.team = firstId((yield* api(info, "GET", "/teams")).body.teams)
    const users = yield* api(info, "POST", "/contacts/search", { query: { field: "role", operator: "=", value: "user" }, pagination: { per_page: 2 } })
    ids.contact = firstId(users.body.data)
    ids.contact2 = String(users.body.data[1].id)
    ids.externalId = String(users.body.data[0].external_id)
    const lead = yield* api(info, "POST", "/contacts", { role: "lead", name: "Endpoint lead" })
    ids.lead = String(lead.body.id)
    const companies = yield* api(info, "POST", "/companies/list?per_page=1")
    ids.company = firstId(companies.body.data)
    ids.companyRemote = String(companies.body.data[0].company_id)
    ids.tag = firstId((yield* api(info, "GET", "/tags")).body.data)
    ids.segment = firstId((yield* api(info, "GET", "/segments")).body.segments)
    ids.subscription = firstId((yield* api(info, "GET", "/subscription_types")).body.data)
    ids.collection = firstId((yield* api(info, "GET", "/help_center/collections")).body.data)
    ids.helpCenter = firstId((yield* api(info, "GET", "/help_center/help_centers")).body.data)
    ids.newsfeed = firstId((yield* api(info, "GET", "/news/newsfeeds")).body.data)
    ids.ticketType = firstId((yield* api(info, "GET", "/ticket_types")).body.ticket_types)
    return ids
  })

const byId = new Map(Operations.map((op) => [op.operationId, op] as const))

layer(Sandbox.layer({ contacts: 300, companies: 30, conversations: 40, rateLimit: 0, seed: 11 }))("generated endpoints against the sandbox", (it) => {
  it.effect("the input table names every generated operation exactly once", () =>
    Effect.sync(() => {
      const names = steps.map(([id]) => id)
      expect(new Set(names).size).toBe(names.length)
      expect([...names].sort()).toEqual(Operations.map((op) => op.operationId).sort())
      expect(Operations.length).toBe(108)
    }))

  it.effect("every operation succeeds and decodes with the generated response schema", () =>
    Effect.gen(function*() {
      const info = yield* Sandbox.Sandbox
      const ids = yield* discover(info)
      const client = yield* IntercomClient.IntercomClient
      const failures: Array<string> = []
      let statusPolls = 0
      for (const [operationId, step] of steps) {
        const op: OperationInfo | undefined = byId.get(operationId)
        if (op === undefined) {
          failures.push(`${operationId}: not a generated operation`)
          continue
        }
        // The export must be completed before the download: poll its status twice.
        const times = operationId === "getDataExport" ? 2 : 1
        for (let n = 0; n < times; n++) {
          if (operationId === "getDataExport") statusPolls++
          const input = step.input(ids)
          const result = yield* Effect.either(client.execute(op.endpoint, input as never))
          if (Either.isLeft(result)) {
            const e = result.left
            failures.push(`${operationId} (${op.method} ${op.path}): ${e._tag} ${e.message}`)
          } else {
            step.remember?.(result.right, ids)
          }
        }
      }
      expect(failures).toEqual([])
      expect(statusPolls).toBe(2)
      // Spot checks that the calls did what they say, through the same client.
      const show = byId.get("ShowContact")
      expect(show).toBeDefined()
      if (show !== undefined) {
        const deleted = yield* Effect.either(client.execute(show.endpoint, { path: { id: ids.newContact ?? "" } } as never))
        expect(Either.isLeft(deleted) && deleted.left._tag).toBe("NotFound")
      }
      const download = yield* api(info, "GET", `/export/content/data/${ids.job ?? ""}`)
      expect(download.body.status).toBe("canceled")
    }).pipe(
      Effect.provide(Layer.unwrapEffect(Effect.map(Sandbox.Sandbox, (info) =>
        IntercomClient.layer({ accessToken: info.token, baseUrl: info.baseUrl, maxAttempts: 1, throttle: false }).pipe(
          Layer.provide(NodeHttpClient.layerUndici)
        ))))
    ))
})
