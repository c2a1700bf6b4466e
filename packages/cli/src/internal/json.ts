/** Reading parsed JSON of unknown shape without casts. */
import { Csv } from "@intercom-fx/streams"

/** The value at a dotted path, when there is one. */
export const at = (value: unknown, path: string): unknown => Csv.readPath(value, path)

export const stringAt = (value: unknown, path: string): string | undefined => {
  const found = at(value, path)
  return typeof found === "string" ? found : typeof found === "number" ? String(found) : undefined
}

export const numberAt = (value: unknown, path: string): number | undefined => {
  const found = at(value, path)
  return typeof found === "number" ? found : undefined
}

export const arrayAt = (value: unknown, path: string): ReadonlyArray<unknown> => {
  const found = at(value, path)
  return Array.isArray(found) ? found : []
}

/** The `id` of a record, as text. */
export const idOf = (record: unknown): string | undefined => stringAt(record, "id")

export const booleanAt = (value: unknown, path: string): boolean | undefined => {
  const found = at(value, path)
  return typeof found === "boolean" ? found : undefined
}
