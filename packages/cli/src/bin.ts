/**
 * The `intercom-fx` executable: runs the command line, prints an expected failure as one
 * line on stderr, and maps the outcome to the documented exit code (see `ExitCode`).
 * Ctrl-C interrupts the command, whose scopes flush and close, then exits 4 (0 for
 * `intercom-fx sandbox`, whose normal end is Ctrl-C), after one line on stderr.
 */
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Cli from "./Cli.js"
import * as ExitCode from "./ExitCode.js"
import { CliFailure, oneLine, usage } from "./internal/cliFailure.js"
import { withTidyHelp } from "./internal/help.js"
import { withPlainOutput } from "./internal/plainConsole.js"
import * as UsageError from "./internal/usageError.js"
import { Shutdown } from "./Shutdown.js"

/** Set by a command whose normal end is Ctrl-C. */
const interruptIsNormalEnd = Ref.unsafeMake(false)
/** Set by a command that has said what its interruption left behind. */
const interruptionReported = Ref.unsafeMake(false)

/** A Ctrl-C before the command could say anything of its own (while it set up) still gets a line. */
const sayInterrupted = Effect.flatMap(
  Effect.zip(Ref.get(interruptIsNormalEnd), Ref.get(interruptionReported)),
  ([normalEnd, reported]) => (normalEnd || reported ? Effect.void : Effect.sync(() => void process.stderr.write("intercom-fx: interrupted\n")))
)

/** The line and exit code of a failed command; the full renderer (and the toolkit it knows) loads only when needed. */
const render = (cause: Cause.Cause<unknown>) => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure) && failure.value instanceof CliFailure) {
    return Effect.succeed({ code: failure.value.code, line: oneLine(failure.value.detail) })
  }
  if (Option.isSome(failure) && ValidationError.isValidationError(failure.value)) {
    return Effect.succeed({ code: ExitCode.usage, line: UsageError.line(failure.value, process.argv.slice(2), Cli.commandNames, Cli.commandFlags) })
  }
  return Effect.map(Effect.promise(() => import("./Failure.js")), (Failure) => Failure.renderCause(cause))
}

/** @effect/cli's wizard prompts on the terminal; without one it would wait forever on a pipe. */
const wizardWithoutTerminal = (argv: ReadonlyArray<string>): boolean =>
  argv.includes("--wizard") && (process.stdin.isTTY !== true || process.stdout.isTTY !== true)

const command = Effect.suspend(() =>
  wizardWithoutTerminal(process.argv.slice(2))
    ? Effect.fail(usage("--wizard needs a terminal (stdin and stdout); give the command its flags instead, see intercom-fx --help"))
    : Cli.run(process.argv)
)

const main: Effect.Effect<number, never> = withPlainOutput(withTidyHelp(UsageError.silenced(command), "intercom-fx")).pipe(
  Effect.as(ExitCode.done),
  Effect.catchAllCause((cause) => {
    if (Cause.isInterruptedOnly(cause)) return Effect.interrupt
    return Effect.flatMap(render(cause), (rendered) =>
      Effect.sync(() => {
        process.stderr.write(`intercom-fx: ${rendered.line}\n`)
        return rendered.code
      }))
  }),
  Effect.onInterrupt(() => sayInterrupted),
  Effect.provideService(Shutdown, {
    interruptIsNormalEnd: Ref.set(interruptIsNormalEnd, true),
    interruptionReported: Ref.set(interruptionReported, true)
  }),
  // Logs (retries, warnings) go to stderr: stdout carries the data (`export --out -`).
  // Quiet unless asked (`--log-level warning|debug`): progress and summaries count retries.
  Effect.provide(Logger.replace(Logger.defaultLogger, Logger.prettyLogger({ stderr: true }))),
  Logger.withMinimumLogLevel(LogLevel.Error),
  Effect.provide(NodeContext.layer)
)

// A reader that stops early (`intercom-fx export contacts | head`) closes the pipe: end
// quietly, as Unix tools do, instead of crashing on the write that follows. Any other
// failure to write stdout (a full disk behind `>`) ends the command with one line.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(ExitCode.done)
  process.stderr.write(`intercom-fx: cannot write to stdout: ${oneLine(error.message)}\n`)
  process.exit(ExitCode.failedItems)
})

NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  disablePrettyLogger: true,
  teardown: (exit, onExit) => {
    onExit(
      Exit.isSuccess(exit)
        ? (typeof exit.value === "number" ? exit.value : ExitCode.done)
        : Cause.isInterruptedOnly(exit.cause)
        ? (Effect.runSync(Ref.get(interruptIsNormalEnd)) ? ExitCode.done : ExitCode.interrupted)
        : ExitCode.failedItems
    )
  }
})
