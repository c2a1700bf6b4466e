/**
 * Spans for effects whose value is large: a parsed page of records, or a bulk item with
 * its record.
 *
 * Effect's native span keeps the exit it ended with, value included, and an ended span
 * stays reachable past young-generation GCs. So every value a spanned effect returned was
 * copied into the old generation and freed only by a full GC (client requests over
 * 100,000 contacts: 45 MB promoted with the value kept, 28 MB without). The client's
 * request spans and the bulk runner's item spans use `withSpanKeepingNoValue`; so can
 * an application's own spans around large values.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import type * as Tracer from "effect/Tracer"

/**
 * `Effect.withSpan`, except that the span ends with the effect's outcome (success, or its
 * failure) but not its value, which is handed on outside the span.
 *
 * @since 0.1.0
 */
export const withSpanKeepingNoValue: {
  (name: string, options?: Tracer.SpanOptions): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, Exclude<R, Tracer.ParentSpan>>
  <A, E, R>(self: Effect.Effect<A, E, R>, name: string, options?: Tracer.SpanOptions): Effect.Effect<A, E, Exclude<R, Tracer.ParentSpan>>
} = dual(
  (args) => Effect.isEffect(args[0]),
  <A, E, R>(self: Effect.Effect<A, E, R>, name: string, options?: Tracer.SpanOptions) =>
    Effect.suspend(() => {
      let value: A | undefined
      return Effect.map(
        Effect.withSpan(Effect.map(self, (a) => void (value = a)), name, options),
        () => {
          const a = value as A
          value = undefined
          return a
        }
      )
    })
)
