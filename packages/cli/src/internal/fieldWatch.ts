/**
 * Which `--fields` no exported record had. A misspelt field (`emial`) exports a column of
 * nulls without complaint, and the schemas cannot rule a name out (records carry
 * properties the spec does not list), so the export watches the records themselves and
 * says at the end which fields it never found, and what each most likely meant.
 */
import { Csv } from "@intercom-fx/streams"

export interface FieldWatch {
  /** Notes which of the fields not yet found this record has (a `null` value counts as had). */
  readonly observe: (record: unknown) => void
  /** The fields absent from every record observed, in the order given. */
  readonly unmatched: () => ReadonlyArray<string>
  /** The path of the first record observed that an unmatched field most likely meant. */
  readonly suggestion: (field: string) => string | undefined
}

export const make = (fields: ReadonlyArray<string>): FieldWatch => {
  const missing = new Set(fields)
  // Records of one resource share their shape (absent values are null), so the first
  // record's paths are enough to say what a misspelt field meant.
  let first: { readonly record: unknown } | undefined
  return {
    observe: (record) => {
      first ??= { record }
      for (const field of missing) {
        if (Csv.readPath(record, field) !== undefined) missing.delete(field)
      }
    },
    unmatched: () => fields.filter((field) => missing.has(field)),
    suggestion: (field) => (first === undefined ? undefined : Csv.closestPath(field, first.record))
  }
}

/** What each unmatched field most likely meant (`{ emial: "email" }`); fields with nothing close are left out. */
export const suggestions = (watch: FieldWatch): Readonly<Record<string, string>> =>
  Object.fromEntries(watch.unmatched().flatMap((field) => {
    const near = watch.suggestion(field)
    return near === undefined ? [] : [[field, near]]
  }))

/** The end-of-export warning, or nothing when every field was found or no record was exported. */
export const warning = (watch: FieldWatch, records: number): ReadonlyArray<string> => {
  const unmatched = watch.unmatched()
  if (unmatched.length === 0 || records === 0) return []
  const list = unmatched.join(", ")
  const near = Object.entries(suggestions(watch))
  const hint = near.length === 0
    ? "check the spelling, nested fields are dotted paths such as location.city"
    : unmatched.length === 1
    ? `did you mean ${near[0]?.[1]}?`
    : `did you mean ${near.map(([field, path]) => `${path} (for ${field})`).join(", ")}?`
  return [
    `warning: --fields ${list}: no exported record has ${unmatched.length === 1 ? "this field" : "these fields"} ` +
    `(written as null); ${hint}`
  ]
}
