/**
 * `intercom-fx export <resource>`: streams a listing or search page by page into NDJSON,
 * JSON or CSV, on stdout or in a file. A file export is written under a partial name with
 * a journal entry after every page, renamed into place at the end; after Ctrl-C,
 * `--resume` continues it from the last complete page. (The implementation, `run/export`,
 * is loaded only when the command runs.)
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import { describe } from "../internal/help.js"
import * as NamedValues from "../internal/namedValues.js"
import { exportable, progress, workspace } from "../internal/options.js"
import * as Report from "../Report.js"

export const options = {
  resource: NamedValues.choiceArg("resource", exportable).pipe(
    Args.withDescription(`What to export: ${exportable.join(", ")}.`)
  ),
  query: Options.text("query").pipe(
    Options.withAlias("q"),
    Options.withDescription(`Search query (contacts, conversations, tickets), e.g. 'email ~ "@acme.com" AND role = user'.`),
    Options.optional
  ),
  since: Options.text("since").pipe(
    Options.withDescription("Only records updated on or after this day (YYYY-MM-DD, ISO time or UNIX seconds)."),
    Options.optional
  ),
  format: NamedValues.choice("format", ["ndjson", "csv", "json"]).pipe(
    Options.withAlias("f"),
    Options.withDescription("Output format: ndjson (one JSON object per line), csv or json (one array)."),
    Options.withDefault("ndjson" as const)
  ),
  fields: Options.text("fields").pipe(
    Options.withDescription("Comma-separated dotted paths to keep, e.g. id,email,location.city (CSV columns)."),
    Options.optional
  ),
  out: Options.text("out").pipe(
    Options.withAlias("o"),
    Options.withDescription("Output file, or - for stdout. A file is written atomically and can be resumed."),
    Options.withDefault("-")
  ),
  limit: NamedValues.integer("limit").pipe(Options.withDescription("Stop after N records."), Options.optional),
  parallel: NamedValues.integer("parallel").pipe(
    Options.withDescription("Partitioned search: N concurrent searches over disjoint created_at ranges (contacts, conversations, tickets)."),
    Options.optional
  ),
  resume: Options.boolean("resume").pipe(
    Options.withDescription("Continue an interrupted export to the same --out file with the same options.")
  ),
  contact: Options.text("contact").pipe(Options.withDescription("The contact whose notes to export (notes only)."), Options.optional),
  progress,
  json: Report.jsonOption
}

export const command = Command.make(
  "export",
  { ...options, workspace },
  ({ workspace, ...rest }) =>
    Effect.gen(function*() {
      const [Export, Workspace] = yield* Effect.promise(() => Promise.all([import("../run/export.js"), import("../Workspace.js")]))
      const checked = yield* Export.check(rest)
      return yield* Export.run(checked).pipe(
        Effect.flatMap(({ summary, human }) => Report.emit({ json: rest.json, stdoutBusy: rest.out === "-", summary, human })),
        Effect.provide(Workspace.layer(workspace))
      )
    })
).pipe(
  Command.withDescription(describe(
    "Export a resource to NDJSON, JSON or CSV. Contacts, conversations and tickets take --query; companies use the scroll API.",
    [
      "intercom-fx export contacts --query 'email ~ \"@example.com\"' --format csv --fields id,email,location.city --out acme.csv",
      "intercom-fx export companies --out companies.ndjson",
      "intercom-fx export contacts --since 2024-01-01 --out recent.ndjson --resume",
      "intercom-fx export tags --sandbox --format json"
    ]
  ))
)
