/**
 * @effect/cli styles help and usage errors with ANSI escapes whatever the output is. This
 * console drops them when the output is not a terminal (`--help > help.txt`, `| less`)
 * or `NO_COLOR` is set, as command-line tools are expected to.
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

// CSI sequences: ESC [ parameters, intermediates, final byte (colours, bold, cursor moves).
const escapes = /\x1b\[[0-?]*[ -/]*[@-~]/g

/** `text` without terminal styling. */
export const withoutEscapes = (text: string): string => text.replace(escapes, "")

const plain = (args: ReadonlyArray<unknown>): Array<unknown> =>
  args.map((arg) => (typeof arg === "string" ? withoutEscapes(arg) : arg))

/** The console in use, minus escapes on whichever of stdout and stderr wants plain text. */
const plainer = (console: Console.Console, noColor: boolean): Console.Console => {
  const out = noColor || process.stdout.isTTY !== true
  const err = noColor || process.stderr.isTTY !== true
  return {
    ...console,
    log: (...args) => console.log(...(out ? plain(args) : args)),
    info: (...args) => console.info(...(out ? plain(args) : args)),
    error: (...args) => console.error(...(err ? plain(args) : args)),
    warn: (...args) => console.warn(...(err ? plain(args) : args))
  }
}

// https://no-color.org: set and not empty.
const noColor = Effect.orElseSucceed(Config.withDefault(Config.string("NO_COLOR"), ""), () => "")

/** Runs `effect` with escapes dropped from output that is not a terminal. */
export const withPlainOutput = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(noColor, (value) =>
    Console.consoleWith((console) => Console.withConsole(effect, plainer(console, value !== ""))))
