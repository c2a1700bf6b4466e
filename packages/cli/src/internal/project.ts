/** `--fields` for NDJSON and JSON: keep only the chosen dotted paths of a record, nested as in the source. */
import { Csv } from "@intercom-fx/streams"
import * as Predicate from "effect/Predicate"

const assign = (target: Readonly<Record<string, unknown>>, parts: ReadonlyArray<string>, value: unknown): Record<string, unknown> => {
  const [head, ...rest] = parts
  if (head === undefined) return { ...target }
  if (rest.length === 0) return { ...target, [head]: value }
  const existing = target[head]
  return { ...target, [head]: assign(Predicate.isRecord(existing) ? existing : {}, rest, value) }
}

/** Keeps only the chosen dotted paths of a record (absent ones as `null`). */
export const project = (record: unknown, fields: ReadonlyArray<string>): Record<string, unknown> =>
  fields.reduce<Record<string, unknown>>((out, field) => {
    const value = Csv.readPath(record, field)
    return assign(out, field.split("."), value === undefined ? null : value)
  }, {})
