/** Command descriptions with examples and the exit-code table, for `--help`. */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ExitCode from "../ExitCode.js"

export const describe = (summary: string, examples: ReadonlyArray<string>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([
    HelpDoc.p(summary),
    HelpDoc.p("Examples:"),
    ...examples.map((example) => HelpDoc.p(`  $ ${example}`)),
    HelpDoc.p(ExitCode.helpText)
  ])
