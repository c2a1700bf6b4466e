/**
 * A composed pipeline: scroll every company, fetch each company's contacts, and tag the
 * contacts nobody has seen for 90 days. Every stage has bounded concurrency.
 *
 * For: developers writing a re-engagement or clean-up job that walks relationships
 * (companies -> contacts) rather than one search.
 *
 * Run:   npx tsx examples/dormant-contacts.ts [--days=90] [--tag=NAME]
 * Real:  INTERCOM_ACCESS_TOKEN=… npx tsx examples/dormant-contacts.ts
 *
 * "Dormant" here: seen at least once, but not in the last N days. Contacts never seen at
 * all (`last_seen_at` empty) are left alone; they belong to a different campaign.
 */
import { NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Contacts, Intercom, IntercomClient, Tags } from "@intercom-fx/core"
import { Bulk, Companies } from "@intercom-fx/streams"
import { Clock, Console, Effect, Layer, Option, Stream } from "effect"
import * as Workspace from "./workspace.js"

export interface Options {
  readonly days: number
  readonly tag: string
}

/** Drops ids already seen (kept in memory, a few bytes each). */
const distinct = <E, R>(ids: Stream.Stream<string, E, R>): Stream.Stream<string, E, R> =>
  Stream.suspend(() => {
    const seen = new Set<string>()
    return Stream.filter(ids, (id) => {
      if (seen.has(id)) return false
      seen.add(id)
      return true
    })
  })

export const tagDormantContacts = (options: Options) =>
  Effect.gen(function*() {
    const contacts = yield* Contacts
    const tags = yield* Tags
    const cutoff = Math.floor((yield* Clock.currentTimeMillis) / 1000) - options.days * 86_400
    const tag = yield* tags.create({ name: options.tag }) // create-or-update by name
    const tagId = tag.id ?? ""

    const dormantIds = Companies.scroll().pipe(
      Stream.filterMap((company) => Option.fromNullable(company.id)),
      // Up to 4 companies' contact lists are fetched at once; the scroll keeps prefetching.
      Stream.flatMap((companyId) => Companies.contacts(companyId), { concurrency: 4 }),
      Stream.filter((contact) => typeof contact.last_seen_at === "number" && contact.last_seen_at < cutoff),
      Stream.filterMap((contact) => Option.fromNullable(contact.id)),
      distinct // a contact in two companies shows up twice; tag it once
    )

    // At most 8 tag requests in flight; all of them share the client's rate-limit budget.
    const summary = yield* Bulk.runSummary(dormantIds, (contactId) => contacts.attachTag(contactId, { id: tagId }), {
      id: (contactId) => contactId,
      concurrency: 8
    })
    yield* Console.log(
      `tagged ${summary.ok} contacts not seen for ${options.days} days with "${options.tag}"` +
        ` (${summary.failed} failed, throttled ${summary.throttled}, 429s ${summary.rateLimited})`
    )
    return { tagId, cutoff, summary }
  })

/** The resource services over a client configured from Config. */
export const MainLive = Intercom.layer.pipe(
  Layer.provideMerge(IntercomClient.layerConfig()),
  Layer.provide(NodeHttpClient.layerUndici),
  Layer.provideMerge(Workspace.layer({ contacts: 600 }))
)

// Run as a program (not when imported, e.g. by examples.test.ts).
if (process.argv[1] === import.meta.filename) {
  const value = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
  tagDormantContacts({ days: Number(value("days") ?? 90), tag: value("tag") ?? "Dormant 90d" }).pipe(
    Effect.provide(MainLive),
    NodeRuntime.runMain
  )
}
