/**
 * `intercom-fx demo`: a real bulk job, end to end: export the contacts matching a query
 * to CSV, then tag them, and print both summaries. `npm start` runs it on the embedded
 * sandbox (`--sandbox`).
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Failure from "../internal/cliFailure.js"
import { describe } from "../internal/help.js"
import { workspace } from "../internal/options.js"
import * as Report from "../Report.js"

export const command = Command.make(
  "demo",
  {
    query: Options.text("query").pipe(
      Options.withDescription("Which contacts to export and tag."),
      Options.withDefault("role = user AND email ~ \".com\" AND created_at > 2020-01-01")
    ),
    tag: Options.text("tag").pipe(Options.withDescription("The tag to apply."), Options.withDefault("intercom-fx-demo")),
    out: Options.text("out").pipe(Options.withDescription("Where the CSV goes."), Options.withDefault("intercom-fx-demo.csv")),
    json: Report.jsonOption,
    workspace
  },
  ({ query, tag, out, json, workspace }) =>
    Effect.gen(function*() {
      const [Export, Tag, Workspace] = yield* Effect.promise(() =>
        Promise.all([import("../run/export.js"), import("../run/tag.js"), import("../Workspace.js")])
      )
      // Checked before the export, which would otherwise run (and overwrite its CSV) first.
      if (tag.trim() === "") return yield* Failure.usage("--tag must not be empty")
      return yield* Effect.gen(function*() {
        yield* Report.note(`intercom-fx demo: export contacts matching '${query}' to ${out}, then tag them "${tag}"`)
        const exported = yield* Effect.flatMap(
          Export.check({
            resource: "contacts", query: Option.some(query), since: Option.none(), format: "csv",
            fields: Option.some("id,email,name,role,location.city,created_at"), out, limit: Option.none(), parallel: Option.none(),
            resume: false, contact: Option.none(), progress: "auto", json
          }),
          Export.run
        )
        if (!json) yield* Report.emit({ json, stdoutBusy: false, summary: exported.summary, human: exported.human })
        const tagged = yield* Effect.flatMap(
          Tag.check("tag", {
            resource: "contacts", tag, query: Option.some(query), ids: Option.none(), dryRun: false, concurrency: 8,
            resume: false, failedFile: "intercom-fx-failed-ids.txt", journal: Option.none(), progress: "auto", json
          }),
          Tag.run
        )
        // With --json, one object holding both summaries.
        yield* json
          ? Report.emit({ json, stdoutBusy: false, summary: { command: "demo", export: exported.summary, tag: tagged.summary }, human: [] })
          : Report.emit({ json, stdoutBusy: false, summary: tagged.summary, human: tagged.human })
      }).pipe(Effect.provide(Workspace.layer(workspace)))
    })
).pipe(
  Command.withDescription(describe(
    "Run a real bulk job: export the contacts matching a query to CSV, then tag them; prints both summaries.",
    ["npm start                      # = intercom-fx demo --sandbox", "intercom-fx demo --sandbox --query 'role = lead' --tag leads"]
  ))
)
