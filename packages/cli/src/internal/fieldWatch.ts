/**
 * Which `--fields` no exported record had. A misspelt field (`emial`) exports a column of
 * nulls without complaint, and the schemas cannot rule a name out (records carry
 * properties the spec does not list), so the export watches the records themselves and
 * says at the end which fields it never found.
 */
import { Csv } from "@intercom-fx/streams"

export interface FieldWatch {
  /** Notes which of the fields not yet found this record has (a `null` value counts as had). */
  readonly observe: (record: unknown) => void
  /** The fields absent from every record observed, in the order given. */
  readonly unmatched: () => ReadonlyArray<string>
}

export const make = (fields: ReadonlyArray<string>): FieldWatch => {
  const missing = new Set(fields)
  return {
    observe: (record) => {
      for (const field of missing) {
        if (Csv.readPath(record, field) !== undefined) missing.delete(field)
      }
    },
    unmatched: () => fields.filter((field) => missing.has(field))
  }
}

/** The end-of-export warning, or nothing when every field was found or no record was exported. */
export const warning = (watch: FieldWatch, records: number): ReadonlyArray<string> => {
  const unmatched = watch.unmatched()
  if (unmatched.length === 0 || records === 0) return []
  const list = unmatched.join(", ")
  return [
    `warning: --fields ${list}: no exported record has ${unmatched.length === 1 ? "this field" : "these fields"} ` +
    `(written as null); check the spelling, nested fields are dotted paths such as location.city`
  ]
}
