/**
 * `Effect.withSpan` for effects whose value is large (a parsed page of records).
 *
 * Effect's native span keeps the exit it ended with, value included, and an ended span
 * stays reachable past young-generation GCs. So every page a spanned effect returned was
 * copied into the old generation and freed only by a full GC (client requests over
 * 100,000 contacts: 45 MB promoted with the value kept, 28 MB without). Here the span
 * ends with the effect's outcome (success or its failure) but not its value, which is
 * handed on outside the span.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Tracer from "effect/Tracer"

export const withSpanKeepingNoValue = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  name: string,
  options: Tracer.SpanOptions
): Effect.Effect<A, E, Exclude<R, Tracer.ParentSpan>> =>
  Effect.suspend(() => {
    let value: A | undefined
    return Effect.map(
      Effect.withSpan(Effect.map(effect, (a) => void (value = a)), name, options),
      () => {
        const a = value as A
        value = undefined
        return a
      }
    )
  })
