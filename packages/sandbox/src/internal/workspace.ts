/**
 * The seeded workspace and its mutation overlay. Small resources (admins, teams, tags,
 * segments, conversations, tickets, ...) are materialised at seed time; contacts and
 * companies are derived per index and only their mutations are stored. All methods are
 * synchronous and called from one fiber at a time per request, so each is atomic.
 */
import { SEED_END, SEED_START, SeedContacts, readPath, type ContactData, type TagLink } from "./contacts.js"
import { below, hash3, hex8, pick, unit } from "./prng.js"
import * as W from "./words.js"

export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }
export type JsonObject = { [k: string]: Json }

export interface WorkspaceSize {
  readonly seed: number
  readonly contacts: number
  readonly companies: number
  readonly conversations: number
  /** Seeded help center articles (default 20). */
  readonly articles?: number
}

/** A data export job; status advances one step per status poll. */
export interface ExportJob {
  readonly id: string
  readonly status: "pending" | "in_progress" | "failed" | "completed" | "no_data" | "canceled"
  readonly after: number
  readonly before: number
  readonly rows: number
  readonly expiresAt: number | null
}

export interface Tag { readonly id: string; readonly name: string }

/** A data event; `key` orders a contact's events (created_at in ms, unique per contact). */
export interface DataEvent {
  readonly event_name: string
  readonly created_at: number
  readonly key: number
  readonly metadata: Readonly<Record<string, string>>
}

export interface EventSummary { readonly count: number; readonly first: number; readonly last: number }

const eventNames = ["signed-in", "viewed-pricing", "invited-teammate", "exported-report", "updated-plan"]

export interface CompanyData {
  readonly name: string
  readonly company_id: string
  readonly plan: string | null
  readonly size: number
  readonly website: string | null
  readonly industry: string | null
  readonly monthly_spend: number
  readonly session_count: number
  readonly remote_created_at: number
  readonly created_at: number
  readonly updated_at: number
  readonly last_request_at: number
  readonly custom_attributes: Readonly<Record<string, string | number | boolean | null>>
}

export interface Note {
  readonly id: string
  readonly contactIndex: number
  readonly createdAt: number
  readonly adminId: number
  readonly body: string
}

/** A segment: a named predicate over contacts. */
export interface Segment {
  readonly id: string
  readonly name: string
  readonly person_type: "user" | "contact"
  readonly created_at: number
  readonly test: (ws: Workspace, i: number) => boolean
}

export const APP_ID = "sandbox-app"

export class Workspace {
  readonly seeded: SeedContacts
  readonly admins: Array<JsonObject>
  readonly adminIds: ReadonlyArray<number>
  readonly teams: ReadonlyArray<JsonObject>
  readonly tags: Map<string, Tag> = new Map()
  readonly seedTagIds: ReadonlyArray<string>
  readonly segments: ReadonlyArray<Segment>
  readonly companyPrefix: string
  // Contact overlay.
  readonly contactEdits = new Map<number, ContactData>()
  readonly contactDeleted = new Set<number>()
  readonly contactArchived = new Set<number>()
  readonly contactTags = new Map<number, ReadonlyArray<TagLink>>()
  readonly contactCompanies = new Map<number, ReadonlyArray<number>>()
  readonly contactCreatedAtMs = new Map<number, number>()
  readonly emailIndex = new Map<string, number>()
  readonly notes = new Map<number, Array<Note>>()
  readonly contactSubscriptions = new Map<number, Set<string>>()
  contactCount: number
  liveContacts: number
  // Company overlay.
  readonly companyEdits = new Map<number, CompanyData>()
  readonly companyDeleted = new Set<number>()
  readonly companyTags = new Map<number, Set<string>>()
  companyCount: number
  private userCounts: Array<number> | undefined
  // Materialised resources.
  readonly conversations: Array<JsonObject>
  readonly tickets: Array<JsonObject>
  readonly ticketTypes: Array<JsonObject>
  readonly dataAttributes: Array<JsonObject>
  readonly subscriptionTypes: ReadonlyArray<JsonObject>
  readonly articles: Array<JsonObject>
  readonly helpCenters: ReadonlyArray<JsonObject>
  readonly collections: Array<JsonObject>
  readonly newsItems: Array<JsonObject>
  readonly newsfeeds: ReadonlyArray<JsonObject>
  readonly visitors: Array<JsonObject>
  readonly exports = new Map<string, ExportJob>()
  /** Admin activity, oldest first; new entries are appended. */
  readonly activityLogs: Array<JsonObject>
  /** Submitted data events per contact index (seeded ones are derived, see `contactEvents`). */
  readonly events = new Map<number, Array<DataEvent>>()
  /** Event summaries posted to /events/summaries, per contact index and event name. */
  readonly eventSummaries = new Map<number, Map<string, EventSummary>>()
  nextId = 1_000_000
  nextTicketNumber: number

  constructor(readonly size: WorkspaceSize) {
    const seed = size.seed
    this.adminIds = Array.from({ length: 8 }, (_, k) => 991_000 + k)
    this.teams = Array.from({ length: 3 }, (_, t) => ({
      type: "team",
      id: String(5_000 + t),
      name: ["Support", "Sales", "Success"][t] ?? "Team",
      admin_ids: this.adminIds.filter((_, k) => k % 3 === t),
      admin_priority_level: { primary_admin_ids: [], secondary_admin_ids: [] }
    }))
    this.admins = this.adminIds.map((id, k) => ({
      type: "admin",
      id: String(id),
      name: `${W.firstNames[k] ?? "Admin"} ${W.lastNames[k] ?? "Sandbox"}`,
      email: `${(W.firstNames[k] ?? "admin").toLowerCase()}@sandbox.intercom.test`,
      job_title: ["Support Engineer", "Account Executive", "Customer Success"][k % 3] ?? "Admin",
      away_mode_enabled: false,
      away_mode_reassign: false,
      has_inbox_seat: true,
      team_ids: [5_000 + (k % 3)],
      avatar: null,
      team_priority_level: { primary_team_ids: [5_000 + (k % 3)], secondary_team_ids: [] }
    }))
    this.seeded = new SeedContacts(seed, size.contacts, this.adminIds)
    this.contactCount = size.contacts
    this.liveContacts = size.contacts
    this.companyCount = size.companies
    this.companyPrefix = hex8(hash3(seed, 1, 0xc1))
    this.seedTagIds = W.tagNames.map((_, k) => String(100 + k))
    W.tagNames.forEach((name, k) => this.tags.set(String(100 + k), { id: String(100 + k), name }))
    const segTime = SEED_START + 86_400
    this.segments = [
      { id: "seg-users", name: "All users", person_type: "user", created_at: segTime, test: (ws, i) => ws.contactRole(i) === "user" },
      { id: "seg-leads", name: "All leads", person_type: "contact", created_at: segTime, test: (ws, i) => ws.contactRole(i) === "lead" },
      { id: "seg-us", name: "United States", person_type: "user", created_at: segTime, test: (ws, i) => ws.contactValue(i, "location.country") === "United States" },
      { id: "seg-pro", name: "Paying (pro+)", person_type: "user", created_at: segTime, test: (ws, i) => ws.contactValue(i, "custom_attributes.plan") !== "free" },
      { id: "seg-unsubscribed", name: "Unsubscribed", person_type: "user", created_at: segTime, test: (ws, i) => ws.contactValue(i, "unsubscribed_from_emails") === true }
    ]
    this.dataAttributes = [
      ...["name", "email", "phone", "external_id", "role", "created_at", "last_seen_at"].map((n, k) =>
        dataAttribute(k + 1, "contact", n, n === "created_at" || n === "last_seen_at" ? "date" : "string", false)),
      dataAttribute(20, "contact", "plan", "string", true, ["free", "pro", "team", "enterprise"]),
      dataAttribute(21, "contact", "seats", "integer", true),
      dataAttribute(22, "contact", "beta_tester", "boolean", true),
      dataAttribute(23, "contact", "signup_source", "string", true),
      dataAttribute(30, "company", "name", "string", false),
      dataAttribute(31, "company", "company_id", "string", false),
      dataAttribute(32, "company", "tier", "string", true, ["bronze", "silver", "gold"])
    ]
    this.subscriptionTypes = ["Newsletter", "Product updates"].map((label, k) => ({
      type: "subscription",
      id: String(70 + k),
      state: "live",
      default_translation: { name: label, description: `${label} emails`, locale: "en" },
      translations: [{ name: label, description: `${label} emails`, locale: "en" }],
      consent_type: k === 0 ? "opt_in" : "opt_out",
      content_types: ["email"]
    }))
    this.ticketTypes = ["Bug report", "Feature request"].map((name, k) => ({
      type: "ticket_type",
      id: String(300 + k),
      name,
      description: `${name} from customers`,
      icon: k === 0 ? "🐞" : "💡",
      workspace_id: APP_ID,
      archived: false,
      created_at: SEED_START,
      updated_at: SEED_START,
      is_internal: false,
      category: "Customer",
      ticket_type_attributes: { type: "list", data: [] }
    }))
    this.conversations = Array.from({ length: size.conversations }, (_, k) => this.seedConversation(k))
    this.tickets = Array.from({ length: Math.ceil(size.conversations / 4) }, (_, k) => this.seedTicket(k))
    this.nextTicketNumber = this.tickets.length + 1
    this.activityLogs = Array.from({ length: 60 }, (_, k) => this.seedActivityLog(k))
    this.helpCenters = [{
      id: "1", workspace_id: APP_ID, created_at: SEED_START, updated_at: SEED_START,
      identifier: "sandbox", website_turned_on: true, display_name: "Sandbox Help Center"
    }]
    this.collections = ["Getting started", "Billing", "Integrations", "Troubleshooting"].map((name, k) => ({
      id: String(400 + k), workspace_id: APP_ID, name, url: `https://help.sandbox.test/${k}`,
      order: k, created_at: SEED_START, updated_at: SEED_START, description: `${name} articles`,
      icon: "book", parent_id: null, help_center_id: 1, default_locale: "en", translated_content: null
    }))
    this.articles = Array.from({ length: size.articles ?? 20 }, (_, k) => ({
      type: "article", id: String(500 + k), workspace_id: APP_ID, title: `How to ${["start", "pay", "integrate", "debug"][k % 4]} #${k}`,
      description: "A seeded article", body: `<p>Article body ${k}</p>`, author_id: this.adminIds[k % 8] ?? 0,
      state: k % 5 === 0 ? "draft" : "published", created_at: SEED_START + k * 86_400, updated_at: SEED_START + k * 86_400,
      url: `https://help.sandbox.test/articles/${500 + k}`, parent_id: 400 + (k % 4), parent_ids: [400 + (k % 4)],
      parent_type: "collection", default_locale: "en", translated_content: null
    }))
    this.newsfeeds = ["Product news", "Company news"].map((name, k) => ({
      id: String(600 + k), type: "newsfeed", name, created_at: SEED_START, updated_at: SEED_START
    }))
    this.newsItems = Array.from({ length: 6 }, (_, k) => ({
      type: "news-item", id: String(700 + k), workspace_id: APP_ID, title: `Release ${k + 1}`,
      body: `<p>What's new in ${k + 1}</p>`, sender_id: this.adminIds[0] ?? 0, state: "live",
      newsfeed_assignments: [{ newsfeed_id: 600 + (k % 2), published_at: SEED_START + k * 86_400 }],
      labels: [], cover_image_url: null, reactions: [], deliver_silently: false,
      created_at: SEED_START + k * 86_400, updated_at: SEED_START + k * 86_400
    }))
    this.visitors = Array.from({ length: 5 }, (_, k) => ({
      type: "visitor", id: hex8(hash3(seed, k, 0xa1)) + String(k).padStart(16, "0"), user_id: `visitor-${k}`,
      anonymous: true, email: "", phone: null, name: null, pseudonym: `Visitor ${k}`, app_id: APP_ID,
      created_at: SEED_START + k, updated_at: SEED_START + k, signed_up_at: null, last_request_at: SEED_START + k,
      location_data: { type: "location_data", city_name: "Dublin", country_name: "Ireland" },
      custom_attributes: {}, tags: { type: "tag.list", tags: [] }, segments: { type: "segment.list", segments: [] },
      companies: { type: "company.list", companies: [] }
    }))
  }

  // ---- contacts ----

  contactExists(i: number): boolean {
    return i >= 0 && i < this.contactCount && !this.contactDeleted.has(i)
  }
  /** Whether a contact appears in list and search results. */
  contactListed(i: number): boolean {
    return this.contactExists(i) && !this.contactArchived.has(i)
  }
  contactId(i: number): string {
    return this.seeded.idOf(i)
  }
  contactIndex(id: string): number {
    const i = this.seeded.indexOf(id)
    return this.contactExists(i) ? i : -1
  }
  contactData(i: number): ContactData {
    return this.contactEdits.get(i) ?? this.seeded.data(i)
  }
  contactRole(i: number): "user" | "lead" {
    return this.contactEdits.get(i)?.role ?? this.seeded.role(i)
  }
  contactTagLinks(i: number): ReadonlyArray<TagLink> {
    const links = this.contactTags.get(i) ?? (i < this.size.contacts ? this.seeded.tags(i, this.seedTagIds) : [])
    return links.filter((l) => this.tags.has(l.tagId))
  }
  contactCompanyIndexes(i: number): ReadonlyArray<number> {
    const over = this.contactCompanies.get(i)
    const list = over ?? (i < this.size.contacts ? [this.seeded.company(i, this.size.companies)].filter((c) => c >= 0) : [])
    return list.filter((c) => this.companyExists(c))
  }
  contactNotes(i: number): ReadonlyArray<Note> {
    const seeded: Array<Note> = []
    if (i < this.size.contacts) {
      const n = this.seeded.noteCount(i)
      for (let k = 0; k < n; k++) {
        seeded.push({
          id: String(i * 3 + k + 1), contactIndex: i, createdAt: this.seeded.createdAt(i) + 86_400 * (k + 1),
          adminId: pick(this.size.seed, i, 900 + k, this.adminIds), body: `<p>Seeded note ${k + 1} about ${this.seeded.name(i)}</p>`
        })
      }
    }
    return [...seeded, ...(this.notes.get(i) ?? [])]
  }
  /** A searchable field of contact i, computed lazily for seeded contacts. */
  contactValue(i: number, field: string): unknown {
    const edited = this.contactEdits.get(i)
    if (edited) return field === "email_domain" ? edited.email.split("@")[1] ?? null : readPath(edited, field)
    const s = this.seeded
    switch (field) {
      case "role": return s.role(i)
      case "name": return s.name(i)
      case "email": return s.email(i)
      case "email_domain": return s.emailDomain(i)
      case "phone": return s.phone(i)
      case "created_at": return s.createdAt(i)
      case "updated_at": return s.updatedAt(i)
      case "signed_up_at": return s.role(i) === "user" ? s.createdAt(i) : null
      case "last_seen_at": return s.lastSeenAt(i)
      case "external_id": return s.role(i) === "user" ? `user-${i}` : null
      case "location.country": return s.place(i)[0]
      case "location.region": return s.place(i)[1]
      case "location.city": return s.place(i)[2]
      default:
        if (field.startsWith("custom_attributes.")) return s.customAttributes(i)[field.slice(18)] ?? null
        return readPath(s.data(i), field)
    }
  }
  /** Find a live contact by email (seeded emails are invertible; edits are indexed). */
  contactByEmail(email: string): number {
    const lower = email.toLowerCase()
    const edited = this.emailIndex.get(lower)
    if (edited !== undefined && this.contactExists(edited) && this.contactData(edited).email === lower) return edited
    const i = this.seeded.indexOfEmail(lower)
    return i >= 0 && this.contactExists(i) && !this.contactEdits.has(i) ? i : -1
  }
  contactByExternalId(externalId: string): number {
    const m = /^user-(\d+)$/.exec(externalId)
    if (m && m[1] !== undefined) {
      const i = Number(m[1])
      if (this.contactExists(i) && this.contactData(i).external_id === externalId) return i
    }
    for (const [i, d] of this.contactEdits) if (d.external_id === externalId && this.contactExists(i)) return i
    return -1
  }
  putContact(i: number, data: ContactData): void {
    this.contactEdits.set(i, data)
    this.emailIndex.set(data.email.toLowerCase(), i)
  }
  createContact(data: ContactData, nowMs: number): number {
    const i = this.contactCount++
    this.liveContacts++
    this.putContact(i, data)
    this.contactCreatedAtMs.set(i, nowMs)
    return i
  }
  deleteContact(i: number): void {
    if (this.contactDeleted.has(i)) return
    this.contactDeleted.add(i)
    this.liveContacts--
    this.userCounts = undefined
  }
  contactSegments(i: number): ReadonlyArray<Segment> {
    return this.segments.filter((s) => s.test(this, i))
  }

  // ---- companies ----

  companyExists(c: number): boolean {
    return c >= 0 && c < this.companyCount && !this.companyDeleted.has(c)
  }
  companyId(c: number): string {
    return this.companyPrefix + c.toString(16).padStart(16, "0")
  }
  companyIndex(id: string): number {
    if (id.length !== 24 || !id.startsWith(this.companyPrefix)) return -1
    const tail = id.slice(8)
    if (!/^[0-9a-f]{16}$/.test(tail)) return -1
    const c = parseInt(tail, 16)
    return this.companyExists(c) ? c : -1
  }
  companyByRemoteId(companyId: string): number {
    const m = /^company-(\d+)$/.exec(companyId)
    if (m && m[1] !== undefined) {
      const c = Number(m[1])
      if (this.companyExists(c) && this.companyData(c).company_id === companyId) return c
    }
    for (const [c, d] of this.companyEdits) if (d.company_id === companyId && this.companyExists(c)) return c
    return -1
  }
  companyByName(name: string): number {
    for (let c = 0; c < this.companyCount; c++) if (this.companyExists(c) && this.companyData(c).name === name) return c
    return -1
  }
  companyData(c: number): CompanyData {
    const edited = this.companyEdits.get(c)
    if (edited) return edited
    const seed = this.size.seed
    const created = SEED_START + Math.floor(((c + unit(seed, c, 51)) * (SEED_END - SEED_START)) / Math.max(this.size.companies, 1))
    const word = pick(seed, c, 52, W.companyWords)
    return {
      name: `${word} ${pick(seed, c, 53, W.companySuffixes)} ${c}`,
      company_id: `company-${c}`,
      plan: pick(seed, c, 54, W.plans),
      size: 1 + below(seed, c, 55, 5000),
      website: `https://${word.toLowerCase().replace(/\s+/g, "")}${c}.example.com`,
      industry: pick(seed, c, 56, W.industries),
      monthly_spend: below(seed, c, 57, 20_000),
      session_count: below(seed, c, 58, 10_000),
      remote_created_at: created,
      created_at: created,
      updated_at: created + Math.floor(unit(seed, c, 59) * (SEED_END - created)),
      last_request_at: created + Math.floor(unit(seed, c, 60) * (SEED_END - created)),
      custom_attributes: { tier: pick(seed, c, 61, ["bronze", "silver", "gold"]) }
    }
  }
  companyTagIds(c: number): ReadonlyArray<string> {
    const over = this.companyTags.get(c)
    const ids = over ? [...over] : c < this.size.companies && unit(this.size.seed, c, 62) < 0.3 ? [pick(this.size.seed, c, 63, this.seedTagIds)] : []
    return ids.filter((id) => this.tags.has(id))
  }
  /** Members of company c, seeded (i = c, c + C, ...) and re-linked. */
  companyMembers(c: number): ReadonlyArray<number> {
    const C = this.size.companies
    const out: Array<number> = []
    if (c < C) {
      for (let i = c; i < this.size.contacts; i += C) {
        if (this.contactCompanies.has(i) || !this.contactExists(i)) continue
        if (this.seeded.company(i, C) === c) out.push(i)
      }
    }
    for (const [i, cs] of this.contactCompanies) if (cs.includes(c) && this.contactExists(i)) out.push(i)
    return out.sort((a, b) => a - b)
  }
  userCount(c: number): number {
    if (!this.userCounts) {
      const counts = new Array<number>(this.companyCount).fill(0)
      const C = this.size.companies
      for (let i = 0; i < this.size.contacts; i++) {
        if (this.contactCompanies.has(i) || this.contactDeleted.has(i)) continue
        const k = this.seeded.company(i, C)
        if (k >= 0) counts[k] = (counts[k] ?? 0) + 1
      }
      for (const [i, cs] of this.contactCompanies) {
        if (this.contactDeleted.has(i)) continue
        for (const k of cs) counts[k] = (counts[k] ?? 0) + 1
      }
      this.userCounts = counts
    }
    return this.userCounts[c] ?? 0
  }
  invalidateCounts(): void {
    this.userCounts = undefined
  }
  setContactCompanies(i: number, cs: ReadonlyArray<number>): void {
    this.contactCompanies.set(i, cs)
    this.userCounts = undefined
  }

  // ---- conversations & tickets ----

  private seedConversation(k: number): JsonObject {
    const seed = this.size.seed
    const n = Math.max(this.size.contacts, 1)
    const contact = below(seed, k, 71, n)
    const created = SEED_START + Math.floor(((k + unit(seed, k, 72)) * (SEED_END - SEED_START)) / Math.max(this.size.conversations, 1))
    const updated = created + Math.floor(unit(seed, k, 73) * 30 * 86_400)
    const state = pick(seed, k, 74, ["open", "closed", "closed", "snoozed"])
    const admin = pick(seed, k, 75, this.adminIds)
    const partsCount = 1 + below(seed, k, 76, 4)
    const tagIds = unit(seed, k, 77) < 0.4 ? [pick(seed, k, 78, this.seedTagIds)] : []
    const sourceType = pick(seed, k, 79, ["conversation", "email", "conversation", "push", "sms"])
    const body = pick(seed, k, 80, ["I need support with billing", "How do I export my data", "The app is slow today", "Please reset my password"])
    const contactId = this.size.contacts > 0 ? this.contactId(contact) : null
    const parts: Array<JsonObject> = Array.from({ length: partsCount }, (_, p) => ({
      type: "conversation_part", id: String(k * 10 + p + 1), part_type: p % 2 === 0 ? "comment" : "assignment",
      body: p % 2 === 0 ? `<p>Reply ${p + 1}</p>` : null, created_at: created + 600 * (p + 1), updated_at: created + 600 * (p + 1),
      notified_at: created + 600 * (p + 1), assigned_to: null,
      author: { type: "admin", id: String(admin), name: "Admin", email: "admin@sandbox.intercom.test" },
      attachments: [], external_id: null, redacted: false
    }))
    return {
      type: "conversation", id: String(10_000 + k), title: null, created_at: created, updated_at: updated,
      waiting_since: state === "open" ? updated : null, snoozed_until: state === "snoozed" ? updated + 86_400 : null,
      open: state !== "closed", state, read: unit(seed, k, 81) < 0.7,
      priority: unit(seed, k, 82) < 0.1 ? "priority" : "not_priority",
      admin_assignee_id: admin, team_assignee_id: 5_000 + (k % 3),
      tags: { type: "tag.list", tags: tagIds.map((id) => this.tagJson(id, created + 60)) },
      conversation_rating: null,
      source: {
        type: sourceType, id: String(400_000 + k), delivered_as: "customer_initiated", subject: "", body: `<p>${body}</p>`,
        author: { type: "user", id: contactId ?? "", name: this.size.contacts > 0 ? this.seeded.name(contact) : "", email: this.size.contacts > 0 ? this.seeded.email(contact) : "" },
        attachments: [], url: null, redacted: false
      },
      contacts: { type: "contact.list", contacts: contactId ? [{ type: "contact", id: contactId, external_id: null }] : [] },
      teammates: { type: "admin.list", teammates: [{ type: "admin", id: String(admin) }] },
      first_contact_reply: { created_at: created, type: sourceType, url: null },
      statistics: {
        type: "conversation_statistics", time_to_assignment: 60, time_to_admin_reply: 600, time_to_first_close: state === "closed" ? 3600 : null,
        time_to_last_close: state === "closed" ? 3600 : null, median_time_to_reply: 600, first_contact_reply_at: created,
        first_assignment_at: created + 60, first_admin_reply_at: created + 600, first_close_at: state === "closed" ? created + 3600 : null,
        last_assignment_at: created + 60, last_assignment_admin_reply_at: created + 600, last_contact_reply_at: created,
        last_admin_reply_at: created + 600, last_close_at: state === "closed" ? created + 3600 : null,
        last_closed_by_id: state === "closed" ? String(admin) : null, count_reopens: 0, count_assignments: 1,
        count_conversation_parts: partsCount
      },
      conversation_parts: { type: "conversation_part.list", conversation_parts: parts, total_count: partsCount },
      linked_objects: { type: "list", data: [], total_count: 0, has_more: false },
      custom_attributes: {}
    }
  }

  private seedTicket(k: number): JsonObject {
    const seed = this.size.seed
    const n = Math.max(this.size.contacts, 1)
    const contact = below(seed, k, 91, n)
    const created = SEED_START + Math.floor(((k + unit(seed, k, 92)) * (SEED_END - SEED_START)) / Math.max(Math.ceil(this.size.conversations / 4), 1))
    const state = pick(seed, k, 93, ["submitted", "in_progress", "waiting_on_customer", "resolved"])
    const type = this.ticketTypes[k % this.ticketTypes.length] ?? {}
    const title = pick(seed, k, 94, ["Export is broken", "Add dark mode", "Invoice is wrong", "Cannot log in"])
    return {
      type: "ticket", id: String(20_000 + k), ticket_id: String(k + 1), category: "Customer",
      ticket_attributes: { _default_title_: title, _default_description_: `Reported issue: ${title}` },
      ticket_state: state, ticket_state_internal_label: state, ticket_state_external_label: state,
      ticket_type: type,
      contacts: { type: "contact.list", contacts: this.size.contacts > 0 ? [{ type: "contact", id: this.contactId(contact), external_id: null }] : [] },
      admin_assignee_id: String(pick(seed, k, 95, this.adminIds)), team_assignee_id: String(5_000 + (k % 3)),
      created_at: created, updated_at: created + 3600, open: state !== "resolved", snoozed_until: null,
      linked_objects: { type: "list", data: [], total_count: 0, has_more: false },
      ticket_parts: { type: "ticket_part.list", ticket_parts: [], total_count: 0 },
      is_shared: false,
      tags: { type: "tag.list", tags: [] }
    }
  }

  private seedActivityLog(k: number): JsonObject {
    const seed = this.size.seed
    const admin = this.admins[below(seed, k, 111, this.admins.length)] ?? {}
    const kinds = ["admin_login_success", "admin_logout", "app_name_change", "message_state_change", "admin_away_mode_change"] as const
    const kind = pick(seed, k, 112, kinds)
    const at = SEED_START + Math.floor(((k + unit(seed, k, 113)) * (SEED_END - SEED_START)) / 60)
    return activityLog(`${hex8(hash3(seed, k, 114))}-${hex8(hash3(seed, k, 115)).slice(0, 4)}-4a8d-be79-${hex8(hash3(seed, k, 116))}${String(k).padStart(4, "0")}`, admin, kind, at)
  }

  /** Data events of contact i, oldest first: 0-5 seeded ones, then those submitted. */
  contactEvents(i: number): ReadonlyArray<DataEvent> {
    const seeded: Array<DataEvent> = []
    if (i < this.size.contacts) {
      const n = below(this.size.seed, i, 120, 6)
      const base = this.seeded.createdAt(i)
      for (let k = 0; k < n; k++) {
        const at = base + 86_400 * (k + 1) + below(this.size.seed, i, 121 + k, 3600)
        seeded.push({ event_name: pick(this.size.seed, i, 130 + k, eventNames), created_at: at, key: at * 1000 + k, metadata: {} })
      }
    }
    return [...seeded, ...(this.events.get(i) ?? [])]
  }

  adminJson(id: string | number): JsonObject | undefined {
    return this.admins.find((a) => a.id === String(id))
  }

  tagJson(id: string, appliedAt?: number): JsonObject {
    const tag = this.tags.get(id)
    const base: JsonObject = { type: "tag", id, name: tag?.name ?? "" }
    return appliedAt === undefined ? base : { ...base, applied_at: appliedAt, applied_by: { type: "admin", id: String(this.adminIds[0] ?? 0) } }
  }
}

/** An admin activity log entry in the spec's activity_log shape. */
export const activityLog = (id: string, admin: JsonObject, kind: string, at: number, metadata: JsonObject = {}): JsonObject => ({
  id,
  performed_by: { type: "admin", id: admin.id ?? null, email: admin.email ?? null, ip: "127.0.0.1" },
  metadata,
  created_at: at,
  activity_type: kind,
  activity_description: `${String(admin.name ?? "An admin")}: ${kind.replace(/_/g, " ")}.`
})

const dataAttribute = (
  id: number, model: "contact" | "company", name: string, dataType: string, custom: boolean, options?: ReadonlyArray<string>
): JsonObject => ({
  type: "data_attribute", id, model, name, full_name: custom ? `custom_attributes.${name}` : name, label: name,
  description: `${custom ? "Custom" : "Standard"} ${model} attribute ${name}`, data_type: dataType,
  ...(options ? { options: [...options] } : {}),
  api_writable: true, messenger_writable: false, ui_writable: true, custom, archived: false,
  created_at: SEED_START, updated_at: SEED_START, admin_id: "991000"
})
