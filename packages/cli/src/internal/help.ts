/** Command descriptions with examples and the exit-code table, and tidier `--help` output. */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as ExitCode from "../ExitCode.js"
import { withoutEscapes } from "./plainConsole.js"

export const describe = (summary: string, examples: ReadonlyArray<string>, exits: string = ExitCode.helpText): HelpDoc.HelpDoc =>
  HelpDoc.blocks([
    HelpDoc.p(summary),
    HelpDoc.p("Examples:"),
    ...examples.map((example) => HelpDoc.p(`  $ ${example}`)),
    HelpDoc.p(exits)
  ])

/** What @effect/cli says of every text flag; ours all parse as text (see namedValues.ts), so it says nothing. */
const textPrimitive = "  A user-defined piece of text."

/**
 * `--help` as @effect/cli prints it, minus two blemishes: a subcommand's usage line lacks
 * the program (`$ export …`, not runnable as shown), and every flag that parses as text
 * is described as "A user-defined piece of text." above its real description.
 */
export const tidy = (text: string, program: string): string => {
  const lines = text.split("\n")
  // Only help, which opens with the program's name as a heading (not, say, a `request` body).
  if (withoutEscapes(lines[0] ?? "").trim() !== program || !text.includes("USAGE")) return text
  const kept: Array<string> = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ""
    if (line.replace(/\r$/, "") === textPrimitive) {
      if ((lines[i + 1] ?? "").trim() === "") i++ // and the blank line after it
      continue
    }
    kept.push(line.startsWith("$ ") && !line.startsWith(`$ ${program}`) ? `$ ${program} ${line.slice(2)}` : line)
  }
  return kept.join("\n")
}

/** Runs `effect` with help text tidied on its way to the console. */
export const withTidyHelp = <A, E, R>(effect: Effect.Effect<A, E, R>, program: string): Effect.Effect<A, E, R> =>
  Console.consoleWith((console) =>
    Console.withConsole(effect, {
      ...console,
      log: (...args) => console.log(...args.map((arg) => (typeof arg === "string" ? tidy(arg, program) : arg)))
    }))
