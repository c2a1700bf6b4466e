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
  commands: ReadonlyArray<string>,
  flagsOf: (command: string) => CommandFlags = () => ({ all: [], withValue: [] })
): string => {
  const first = args.find((arg) => !arg.startsWith("-"))
  const command = first !== undefined && commands.includes(first) ? first : undefined
  const what = oneLine(withoutEscapes(HelpDoc.toAnsiText(error.error)))
  return `${(command === undefined ? undefined : valueMissing(what, args, flagsOf(command))) ?? what}; see intercom-fx ${
    command === undefined ? "" : `${command} `
  }--help`
}

/**
 * @effect/cli reports a flag given without its value (`--limit` last, or followed by
 * another flag) as an unknown argument, which sends the user looking for a typo.
 */
const valueMissing = (what: string, args: ReadonlyArray<string>, flags: CommandFlags): string | undefined => {
  // It names whichever argument it could not place: often a switch before the bare flag,
  // but a flag the command lacks is the real problem.
  const named = /^Received unknown argument: '(.*)'$/.exec(what)?.[1]
  if (named === undefined || (named.startsWith("-") && !flags.all.includes(named))) return undefined
  const bare = args.find((arg, i) => flags.withValue.includes(arg) && (args[i + 1] === undefined || /^--?[a-z]/i.test(args[i + 1] ?? "")))
  return bare === undefined ? undefined : `${bare} needs a value`
}

/** A command's flags: all of them, and those that take a value. */
export interface CommandFlags {
  readonly all: ReadonlyArray<string>
  readonly withValue: ReadonlyArray<string>
}
