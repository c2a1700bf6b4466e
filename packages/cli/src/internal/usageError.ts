/**
 * Command-line errors @effect/cli finds (an unknown flag, a missing option or argument,
 * a bad value) as the CLI's one line: `intercom-fx: <what is wrong>; see intercom-fx
 * <command> --help`. @effect/cli prints these itself, styled and without the prefix every
 * other error line has; `silenced` turns that print off so the CLI prints `line` instead.
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import type * as ValidationError from "@effect/cli/ValidationError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { oneLine } from "./cliFailure.js"
import { withoutEscapes } from "./plainConsole.js"

/** Runs `effect` without @effect/cli's print of usage errors (its only use of `Console.error`). */
export const silenced = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Console.consoleWith((console) => Console.withConsole(effect, { ...console, error: () => Effect.void }))

/** The line for a usage error, pointing at the help of the command (one of `commands`) on the command line. */
export const line = (
  error: ValidationError.ValidationError,
  args: ReadonlyArray<string>,
  commands: ReadonlyArray<string>
): string => {
  const first = args.find((arg) => !arg.startsWith("-"))
  const command = first !== undefined && commands.includes(first) ? first : undefined
  const what = oneLine(withoutEscapes(HelpDoc.toAnsiText(error.error)))
  return `${what}; see intercom-fx ${command === undefined ? "" : `${command} `}--help`
}
