/**
 * Export the contacts matching a search to CSV, with the columns you choose.
 *
 * For: anyone who needs a spreadsheet of "who matches X" (support ops, sales ops, data).
 *
 * Run:   npx tsx examples/export-csv.ts [out.csv] [query]
 *        npx tsx examples/export-csv.ts acme.csv 'email ~ "@acme" AND role = user'
 * Real:  INTERCOM_ACCESS_TOKEN=… npx tsx examples/export-csv.ts
 *
 * Without a query it runs a typed one: users on the pro plan who signed up in 2024.
 * A text query is checked before any request (unknown field, wrong operator: a message
 * with a caret under the bad token). The file appears only once the export is complete.
 */
import { NodeFileSystem, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { IntercomClient } from "@intercom-fx/core"
import { Contacts, QueryText, Search, Sink } from "@intercom-fx/streams"
import { Console, Effect, Layer } from "effect"
import * as Workspace from "./workspace.js"

/** Dotted paths reach into nested objects; a missing value is an empty cell. */
export const columns = ["id", "email", "name", "role", "custom_attributes.plan", "location.city", "created_at"]

/** The typed builder checks field names, operators and value types at compile time. */
export const proUsersOf2024 = Search.contacts.and(
  Search.contacts.where("role", "=", "user"),
  Search.contacts.where("custom_attributes.plan", "=", "pro"),
  Search.contacts.dayRange("created_at", "2024-01-01", "2025-01-01")
)

/** Writes the matching contacts to `out`; `query` is the text form, as a CLI flag or a form field would give it. */
export const exportCsv = (options: { readonly out: string; readonly query?: string | undefined }) =>
  Effect.gen(function*() {
    const query = options.query === undefined ? proUsersOf2024 : yield* QueryText.parse(options.query, "contacts")
    const written = yield* Contacts.search(query).pipe(
      Sink.csv({ columns }),
      Sink.toFile(options.out) // a temp file, fsync'd, renamed into place when the stream completes
    )
    yield* Console.log(`wrote ${written.path} (${written.bytes} bytes)`)
    return written
  })

/** Intercom from Config (a local sandbox unless INTERCOM_ACCESS_TOKEN is set), Node's HTTP client and file system. */
export const MainLive = Layer.mergeAll(
  IntercomClient.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici)),
  NodeFileSystem.layer
).pipe(Layer.provideMerge(Workspace.layer({ contacts: 2000 })))

// Run as a program (not when imported, e.g. by examples.test.ts).
if (process.argv[1] === import.meta.filename) {
  const [out = "contacts.csv", query] = process.argv.slice(2)
  exportCsv({ out, query }).pipe(
    // A bad query is the user's mistake, not a crash: show the message and exit with 2.
    Effect.catchTag("QueryTextError", (error) =>
      Console.error(error.message).pipe(Effect.andThen(Effect.sync(() => (process.exitCode = 2))))),
    Effect.provide(MainLive),
    NodeRuntime.runMain
  )
}
