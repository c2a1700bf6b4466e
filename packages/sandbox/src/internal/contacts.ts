/**
 * Contacts as a pure function of (seed, index) plus an overlay of mutations. Seeded record i
 * is never stored; only created, updated, deleted, archived and re-linked contacts are. Ids
 * carry the index (`<8 hex workspace prefix><16 hex index>`), so decoding is O(1), and list
 * order is index order, so cursors are stable under concurrent writes.
 */
import { below, hash3, hex8, pick, unit } from "./prng.js"
import * as W from "./words.js"

/** Seeded timestamps span 2019-01-01 .. 2025-01-01 (UTC); created_at grows with index. */
export const SEED_START = 1546300800
export const SEED_END = 1735689600

export interface Location {
  readonly type: "location"
  readonly country: string | null
  readonly region: string | null
  readonly city: string | null
}

/** The scalar part of a contact; tags, notes and companies are derived from link state. */
export interface ContactData {
  readonly external_id: string | null
  readonly role: "user" | "lead"
  readonly email: string
  readonly phone: string | null
  readonly name: string | null
  readonly avatar: string | null
  readonly owner_id: number | null
  readonly has_hard_bounced: boolean
  readonly marked_email_as_spam: boolean
  readonly unsubscribed_from_emails: boolean
  readonly created_at: number
  readonly updated_at: number
  readonly signed_up_at: number | null
  readonly last_seen_at: number | null
  readonly last_replied_at: number | null
  readonly last_contacted_at: number | null
  readonly last_email_opened_at: number | null
  readonly last_email_clicked_at: number | null
  readonly language_override: string | null
  readonly browser: string | null
  readonly browser_version: string | null
  readonly browser_language: string | null
  readonly os: string | null
  readonly custom_attributes: Readonly<Record<string, string | number | boolean | null>>
  readonly location: Location
}

export interface TagLink {
  readonly tagId: string
  readonly appliedAt: number
}

export const S = {
  role: 1, first: 2, last: 3, domain: 4, phone: 5, created: 6, updated: 7, seen: 8, place: 9,
  browser: 10, os: 11, lang: 12, plan: 13, seats: 14, beta: 15, source: 16, owner: 17, bounce: 18,
  spam: 19, unsub: 20, tags: 21, tagPick: 22, company: 23, notes: 24, replied: 25, contacted: 26,
  opened: 27, clicked: 28, phoneNull: 29
} as const

/** Derivations of seeded contact fields, each cheap on its own so search can evaluate lazily. */
export class SeedContacts {
  readonly prefix: string
  constructor(readonly seed: number, readonly count: number, readonly adminIds: ReadonlyArray<number>) {
    this.prefix = hex8(hash3(seed, 0, 0xc0))
  }
  idOf(i: number): string {
    return this.prefix + i.toString(16).padStart(16, "0")
  }
  /** The index an id names, or -1 when the id is not one of this workspace's contact ids. */
  indexOf(id: string): number {
    if (id.length !== 24 || !id.startsWith(this.prefix)) return -1
    const tail = id.slice(8)
    if (!/^[0-9a-f]{16}$/.test(tail)) return -1
    return parseInt(tail, 16)
  }
  role(i: number): "user" | "lead" {
    return unit(this.seed, i, S.role) < 0.75 ? "user" : "lead"
  }
  createdAt(i: number): number {
    const step = (SEED_END - SEED_START) / Math.max(this.count, 1)
    return SEED_START + Math.floor((i + 0.9 * unit(this.seed, i, S.created)) * step)
  }
  updatedAt(i: number): number {
    const c = this.createdAt(i)
    return c + Math.floor(unit(this.seed, i, S.updated) * (SEED_END - c))
  }
  first(i: number): string {
    return pick(this.seed, i, S.first, W.firstNames)
  }
  last(i: number): string {
    return pick(this.seed, i, S.last, W.lastNames)
  }
  name(i: number): string {
    return `${this.first(i)} ${this.last(i)}`
  }
  emailDomain(i: number): string {
    return pick(this.seed, i, S.domain, W.emailDomains)
  }
  /** The index is part of the local part, which keeps seeded emails unique and invertible. */
  email(i: number): string {
    return `${this.first(i)}.${this.last(i)}${i}@${this.emailDomain(i)}`.toLowerCase()
  }
  /** The index a seeded email belongs to, or -1. */
  indexOfEmail(email: string): number {
    const m = /(\d+)@/.exec(email)
    if (!m || m[1] === undefined) return -1
    const i = Number(m[1])
    return i < this.count && this.email(i) === email.toLowerCase() ? i : -1
  }
  phone(i: number): string | null {
    if (unit(this.seed, i, S.phoneNull) < 0.3) return null
    return "+1555" + String(hash3(this.seed, i, S.phone) % 10_000_000).padStart(7, "0")
  }
  place(i: number): readonly [string, string, string] {
    return pick(this.seed, i, S.place, W.places)
  }
  lastSeenAt(i: number): number | null {
    if (unit(this.seed, i, S.seen) < 0.1) return null
    const c = this.createdAt(i)
    return c + Math.floor(unit(this.seed, i, S.seen + 100) * (SEED_END - c))
  }
  optionalAfterCreated(i: number, salt: number, pNull: number): number | null {
    if (unit(this.seed, i, salt) < pNull) return null
    const c = this.createdAt(i)
    return c + Math.floor(unit(this.seed, i, salt + 100) * (SEED_END - c))
  }
  customAttributes(i: number): Record<string, string | number | boolean | null> {
    return {
      plan: pick(this.seed, i, S.plan, W.plans),
      seats: 1 + below(this.seed, i, S.seats, 200),
      beta_tester: unit(this.seed, i, S.beta) < 0.2,
      signup_source: pick(this.seed, i, S.source, W.sources)
    }
  }
  data(i: number): ContactData {
    const role = this.role(i)
    const created = this.createdAt(i)
    const [country, region, city] = this.place(i)
    const ownerPick = below(this.seed, i, S.owner, this.adminIds.length + 2)
    return {
      external_id: role === "user" ? `user-${i}` : null,
      role,
      email: this.email(i),
      phone: this.phone(i),
      name: this.name(i),
      avatar: null,
      owner_id: this.adminIds[ownerPick] ?? null,
      has_hard_bounced: unit(this.seed, i, S.bounce) < 0.02,
      marked_email_as_spam: unit(this.seed, i, S.spam) < 0.01,
      unsubscribed_from_emails: unit(this.seed, i, S.unsub) < 0.1,
      created_at: created,
      updated_at: this.updatedAt(i),
      signed_up_at: role === "user" ? created : null,
      last_seen_at: this.lastSeenAt(i),
      last_replied_at: this.optionalAfterCreated(i, S.replied, 0.6),
      last_contacted_at: this.optionalAfterCreated(i, S.contacted, 0.5),
      last_email_opened_at: this.optionalAfterCreated(i, S.opened, 0.5),
      last_email_clicked_at: this.optionalAfterCreated(i, S.clicked, 0.7),
      language_override: null,
      browser: pick(this.seed, i, S.browser, W.browsers),
      browser_version: `${100 + below(this.seed, i, S.browser + 100, 25)}.0`,
      browser_language: pick(this.seed, i, S.lang, W.languages),
      os: pick(this.seed, i, S.os, W.oses),
      custom_attributes: this.customAttributes(i),
      location: { type: "location", country, region, city }
    }
  }
  /** 0-3 seeded tags per contact, drawn from the seeded tag ids. */
  tags(i: number, tagIds: ReadonlyArray<string>): ReadonlyArray<TagLink> {
    const n = below(this.seed, i, S.tags, 4)
    const out: Array<TagLink> = []
    for (let k = 0; k < n; k++) {
      const tagId = pick(this.seed, i, S.tagPick + k * 1000, tagIds)
      if (!out.some((t) => t.tagId === tagId)) out.push({ tagId, appliedAt: this.createdAt(i) + 3600 * (k + 1) })
    }
    return out
  }
  /** Seeded company link: about 60% of contacts belong to company `i % companies`. */
  company(i: number, companies: number): number {
    if (companies === 0 || unit(this.seed, i, S.company) >= 0.6) return -1
    return i % companies
  }
  noteCount(i: number): number {
    return unit(this.seed, i, S.notes) < 0.3 ? 1 + below(this.seed, i, S.notes + 1, 2) : 0
  }
}

/** Read a dotted path (`location.country`, `custom_attributes.plan`) from a contact's data. */
export const readPath = (data: ContactData, field: string): unknown => {
  let cur: unknown = data
  for (const part of field.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}
