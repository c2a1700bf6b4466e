/**
 * Page-at-a-time encoding of records as NDJSON, one JSON array, or CSV. Unlike a
 * whole-stream encoder it takes the state of the output so far (records written, CSV
 * columns), so a resumed export continues the same file without a second header or a
 * broken array.
 */
import type { Sink } from "@intercom-fx/streams"
import { Csv } from "@intercom-fx/streams"
import * as Predicate from "effect/Predicate"

export interface OutputState {
  readonly records: number
  readonly columns: ReadonlyArray<string> | null
}

const assign = (target: Readonly<Record<string, unknown>>, parts: ReadonlyArray<string>, value: unknown): Record<string, unknown> => {
  const [head, ...rest] = parts
  if (head === undefined) return { ...target }
  if (rest.length === 0) return { ...target, [head]: value }
  const existing = target[head]
  return { ...target, [head]: assign(Predicate.isRecord(existing) ? existing : {}, rest, value) }
}

/** Keeps only the chosen dotted paths of a record, nesting them as in the source. */
export const project = (record: unknown, fields: ReadonlyArray<string>): Record<string, unknown> =>
  fields.reduce<Record<string, unknown>>((out, field) => {
    const value = Csv.readPath(record, field)
    return assign(out, field.split("."), value === undefined ? null : value)
  }, {})

/** The text of one page and the state after it. */
export const page = (
  format: Sink.Format,
  fields: ReadonlyArray<string> | null,
  state: OutputState,
  records: ReadonlyArray<unknown>
): { readonly text: string; readonly state: OutputState } => {
  if (records.length === 0) return { text: "", state }
  let text = ""
  let columns = state.columns
  let count = state.records
  for (const record of records) {
    switch (format) {
      case "ndjson":
        text += `${JSON.stringify(fields === null ? record : project(record, fields))}\n`
        break
      case "json":
        text += `${count === 0 ? "[\n" : ",\n"}${JSON.stringify(fields === null ? record : project(record, fields))}`
        break
      case "csv": {
        if (columns === null) columns = fields ?? Csv.defaultColumns(record)
        if (count === 0) text += Csv.header(columns)
        text += Csv.row(record, columns)
        break
      }
    }
    count++
  }
  return { text, state: { records: count, columns } }
}

/** What closes the output after the last page. */
export const finish = (format: Sink.Format, fields: ReadonlyArray<string> | null, state: OutputState): string => {
  switch (format) {
    case "ndjson":
      return ""
    case "json":
      return state.records === 0 ? "[]\n" : "\n]\n"
    case "csv":
      return state.records === 0 && fields !== null ? Csv.header(fields) : ""
  }
}
