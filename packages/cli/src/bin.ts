/**
 * The `intercom-fx` executable: runs the command line, prints an expected failure as one
 * line on stderr, and maps the outcome to the documented exit code (see `ExitCode`).
 * Ctrl-C interrupts the command, whose scopes flush and close, then exits 4.
 */
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Cli from "./Cli.js"
import * as ExitCode from "./ExitCode.js"
import * as Failure from "./Failure.js"

const main: Effect.Effect<number, never> = Effect.suspend(() => Cli.run(process.argv)).pipe(
  Effect.as(ExitCode.done),
  Effect.catchAllCause((cause) => {
    if (Cause.isInterruptedOnly(cause)) return Effect.interrupt
    const rendered = Failure.renderCause(cause)
    return Effect.as(
      Option.match(rendered.line, {
        onNone: () => Effect.void,
        onSome: (line) => Effect.sync(() => void process.stderr.write(`intercom-fx: ${line}\n`))
      }),
      rendered.code
    )
  }),
  Effect.provide(NodeContext.layer)
)

NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  teardown: (exit, onExit) => {
    onExit(Exit.isSuccess(exit) ? (typeof exit.value === "number" ? exit.value : ExitCode.done) : Cause.isInterruptedOnly(exit.cause) ? ExitCode.interrupted : ExitCode.failedItems)
  }
})
