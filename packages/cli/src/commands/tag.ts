/**
 * `intercom-fx tag|untag <contacts|companies|conversations|tickets> --tag NAME
 * (--query TEXT | --ids FILE)`: applies or removes one tag on every matching record,
 * `--concurrency` at a time under the shared rate-limit budget. Creates the tag once if
 * missing. Reports matched / tagged / already tagged / failed with reasons, writes failed
 * ids to a file that `--ids` takes back, and journals outcomes so `--resume` continues
 * an interrupted job. (The implementation, `run/tag`, is loaded only when the command runs.)
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Failure from "../internal/cliFailure.js"
import { describe } from "../internal/help.js"
import * as NamedValues from "../internal/namedValues.js"
import { progress, taggable, workspace } from "../internal/options.js"
import * as Report from "../Report.js"

export type Action = "tag" | "untag"

const options = {
  resource: NamedValues.choiceArg("resource", taggable).pipe(Args.withDescription(`What to change: ${taggable.join(", ")}.`)),
  tag: Options.text("tag").pipe(Options.withAlias("t"), Options.withDescription("The tag's name.")),
  query: Options.text("query").pipe(
    Options.withAlias("q"),
    Options.withDescription("Search query selecting the records (contacts, conversations, tickets)."),
    Options.optional
  ),
  ids: Options.text("ids").pipe(
    Options.withDescription("File with one id per line (blank lines and # comments ignored), e.g. a failed-ids file."),
    Options.optional
  ),
  dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Report what would change; change nothing (not even create the tag).")),
  concurrency: NamedValues.integer("concurrency").pipe(
    Options.withAlias("c"),
    Options.withDescription("Requests in flight at once (all share the rate-limit budget)."),
    Options.withDefault(8)
  ),
  resume: Options.boolean("resume").pipe(Options.withDescription("Continue an interrupted run of the same command from its journal.")),
  failedFile: Options.text("failed-ids").pipe(
    Options.withDescription("Where to write the ids that failed (only written when some did)."),
    Options.withDefault("intercom-fx-failed-ids.txt")
  ),
  journal: Options.text("journal").pipe(
    Options.withDescription("Journal file for --resume (default: .intercom-fx-<action>-<resource>-<hash>.journal in the current directory)."),
    Options.optional
  ),
  progress,
  json: Report.jsonOption
}

const make = (action: Action) =>
  Command.make(action, { ...options, workspace }, ({ workspace, ...rest }) =>
    Effect.gen(function*() {
      const [Tag, Workspace] = yield* Effect.promise(() => Promise.all([import("../run/tag.js"), import("../Workspace.js")]))
      const checked = yield* Tag.check(action, rest)
      return yield* Tag.run(checked).pipe(
        Effect.tap(({ summary, human }) => Report.emit({ json: rest.json, stdoutBusy: false, summary, human })),
        Effect.flatMap(({ failed }) => (failed ? Effect.fail(Failure.failed("some items failed (see above)")) : Effect.void)),
        Effect.provide(Workspace.layer(workspace))
      )
    })).pipe(
      Command.withDescription(describe(
        action === "tag"
          ? "Apply a tag to every record matched by --query or listed in --ids; creates the tag once if missing."
          : "Remove a tag from every record matched by --query or listed in --ids.",
        [
          `intercom-fx ${action} contacts --tag vip --query 'email ~ "@acme.com"' --dry-run`,
          `intercom-fx ${action} contacts --tag vip --query 'custom_attributes.plan = pro' --concurrency 16 --json`,
          `intercom-fx ${action} companies --tag churn-risk --ids companies.txt`,
          `intercom-fx ${action} contacts --tag vip --ids intercom-fx-failed-ids.txt   # retry the failures`,
          `intercom-fx ${action} contacts --tag vip --query 'role = lead' --resume     # after Ctrl-C`
        ]
      ))
    )

export const tag = make("tag")
export const untag = make("untag")
