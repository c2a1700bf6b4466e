/**
 * How a command tells the executable that Ctrl-C is its normal end: `intercom-fx sandbox`
 * serves until Ctrl-C, then closes cleanly and exits 0 (other commands exit 4, "rerun
 * with --resume"). Optional: an embedder that does not provide it gets exit-code-free
 * interruption as usual.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"

export class Shutdown extends Context.Tag("@intercom-fx/cli/Shutdown")<Shutdown, {
  /** From now on, an interruption (Ctrl-C, SIGTERM) is a normal end: exit 0 once closed. */
  readonly interruptIsNormalEnd: Effect.Effect<void>
}>() {}

/** Marks interruption as this command's normal end, when the executable listens. */
export const interruptIsNormalEnd: Effect.Effect<void> = Effect.flatMap(
  Effect.serviceOption(Shutdown),
  (shutdown) => (shutdown._tag === "Some" ? shutdown.value.interruptIsNormalEnd : Effect.void)
)
