/**
 * The `intercom-fx` command tree: the root command and its subcommands, and `run`, which
 * parses the command line and executes the chosen command. Only the command
 * definitions load up front; each command imports its implementation (streams, core,
 * the sandbox) when it runs, so `--help` and `--version` start fast.
 */
import * as Command from "@effect/cli/Command"
import * as Descriptor from "@effect/cli/CommandDescriptor"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Usage from "@effect/cli/Usage"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as DemoCommand from "./commands/demo.js"
import * as ExportCommand from "./commands/export.js"
import * as RequestCommand from "./commands/request.js"
import * as SandboxCommand from "./commands/sandbox.js"
import * as TagCommand from "./commands/tag.js"
import * as Failure from "./internal/cliFailure.js"
import { describe } from "./internal/help.js"
import type * as UsageError from "./internal/usageError.js"

export const version = "0.1.0"

export const root = Command.make("intercom-fx", {}, () =>
  Effect.fail(Failure.usage("missing command: see intercom-fx --help"))).pipe(
    Command.withDescription(describe(
      "Bulk jobs on an Intercom workspace (REST API 2.10): export, tag/untag, raw requests, and a local sandbox. " +
        "The workspace comes from INTERCOM_ACCESS_TOKEN (or --token-file), INTERCOM_REGION (us|eu|au) and INTERCOM_BASE_URL; " +
        "--sandbox runs any command against an in-process seeded sandbox.",
      [
        "npm start   # the demo: export + tag on the embedded sandbox",
        "intercom-fx export contacts --query 'role = lead' --format csv --out leads.csv",
        "intercom-fx tag contacts --tag vip --query 'custom_attributes.plan = pro' --dry-run",
        "intercom-fx sandbox --port 4010 --token dev-token",
        "intercom-fx --completions bash > intercom-fx.bash"
      ]
    )),
    Command.withSubcommands([
      ExportCommand.command,
      TagCommand.tag,
      TagCommand.untag,
      RequestCommand.command,
      SandboxCommand.command,
      DemoCommand.command
    ])
  )

/** The subcommands' names. */
export const commandNames: ReadonlyArray<string> = Array.from(HashMap.keys(Command.getSubcommands(root)))

/**
 * The flags of `command`, read off its usage line: all of them, and those that take a
 * value (`--limit integer`, `(-o, --out text)`; not `[--resume]`).
 */
export const commandFlags = (command: string): UsageError.CommandFlags =>
  Option.match(HashMap.get(Command.getSubcommands(root), command), {
    onNone: () => ({ all: [], withValue: [] }),
    onSome: (descriptor) => {
      const usage = HelpDoc.toAnsiText(Usage.getHelp(Descriptor.getUsage(descriptor)))
      const defined = (flag: string | undefined): flag is string => flag !== undefined
      return {
        all: Array.from(usage.matchAll(/(?<![\w-])--?[a-z][\w-]*/gi), (match) => match[0]),
        withValue: Array.from(usage.matchAll(/(?:(-\w), )?(--[\w-]+) [^\s[\]()|]/g), (match) => [match[1], match[2]]).flat().filter(defined)
      }
    }
  })

/** Parses `argv` (as `process.argv`: runtime, script, arguments) and runs the command. */
export const run = Command.run(root, { name: "intercom-fx", version })
