/**
 * How a command tells the executable what Ctrl-C means for it: `intercom-fx sandbox`
 * serves until Ctrl-C, then closes cleanly and exits 0 (other commands exit 4, "rerun
 * with --resume"); `export` and `tag` say on stderr what an interruption left behind, and
 * the executable says "interrupted" for any command that did not. Optional: an embedder
 * that does not provide it gets exit-code-free interruption as usual.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"

export class Shutdown extends Context.Tag("@intercom-fx/cli/Shutdown")<Shutdown, {
  /** From now on, an interruption (Ctrl-C, SIGTERM) is a normal end: exit 0 once closed. */
  readonly interruptIsNormalEnd: Effect.Effect<void>
  /** The command has told the user what the interruption left behind. */
  readonly interruptionReported: Effect.Effect<void>
}>() {}

/** Marks interruption as this command's normal end, when the executable listens. */
export const interruptIsNormalEnd: Effect.Effect<void> = Effect.flatMap(
  Effect.serviceOption(Shutdown),
  (shutdown) => (shutdown._tag === "Some" ? shutdown.value.interruptIsNormalEnd : Effect.void)
)

/** Notes that the command has told the user about its interruption, when the executable listens. */
export const interruptionReported: Effect.Effect<void> = Effect.flatMap(
  Effect.serviceOption(Shutdown),
  (shutdown) => (shutdown._tag === "Some" ? shutdown.value.interruptionReported : Effect.void)
)
