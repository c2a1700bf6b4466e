/**
 * CSV encoding of records (RFC 4180): chosen columns by dotted path into nested objects
 * (`location.city`, `custom_attributes.plan`), CRLF line ends, a field is quoted when it
 * holds a comma, a quote, CR or LF (quotes doubled).
 *
 * Spreadsheet formula injection: a text cell beginning with `=`, `+`, `-`, `@`, tab or
 * CR is prefixed with a single quote (`'`), so Excel/Sheets/LibreOffice show it as text
 * instead of evaluating it. JSON numbers are written as numbers (a negative number is
 * not a formula); objects and arrays are written as their JSON text (and neutralised
 * like any other text); null and missing values are empty cells.
 *
 * @since 0.1.0
 */
import { closestName } from "./internal/closestName.js"

/** Reads a dotted path (`location.city`) from a record; a key containing dots wins over descent. */
export const readPath = (record: unknown, path: string): unknown => {
  if (record === null || typeof record !== "object") return undefined
  if (Object.prototype.hasOwnProperty.call(record, path)) return Reflect.get(record, path)
  const dot = path.indexOf(".")
  if (dot < 0) return undefined
  // Try every split point so keys that themselves contain dots still resolve.
  for (let i = dot; i >= 0; i = path.indexOf(".", i + 1)) {
    const head = path.slice(0, i)
    if (Object.prototype.hasOwnProperty.call(record, head)) {
      const found = readPath(Reflect.get(record, head), path.slice(i + 1))
      if (found !== undefined) return found
    }
  }
  return undefined
}

/**
 * The dotted paths `readPath` finds in a record: every property, and those of nested
 * objects (an array is a value, not descended into).
 */
export const paths = (record: unknown): ReadonlyArray<string> => {
  const found: Array<string> = []
  const walk = (value: unknown, prefix: string): void => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return
    for (const [key, child] of Object.entries(value)) {
      const path = prefix === "" ? key : `${prefix}.${key}`
      found.push(path)
      walk(child, path)
    }
  }
  walk(record, "")
  return found
}

/** The path of `record` that a misspelt `path` most likely meant (`emial` → `email`), if one is close enough. */
export const closestPath = (path: string, record: unknown): string | undefined => closestName(path, paths(record))

const FORMULA_START = /^[=+\-@\t\r]/

/** Prefixes text that a spreadsheet would evaluate as a formula. */
export const neutralise = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text)

/** Quotes a field when RFC 4180 requires it. */
export const quote = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text)

/** One cell's text, neutralised and quoted. */
export const cell = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : ""
  if (typeof value === "boolean") return value ? "true" : "false"
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? ""
  return quote(neutralise(text))
}

/** The header line (with CRLF). Column names are user input too, so they are escaped like cells. */
export const header = (columns: ReadonlyArray<string>): string => `${columns.map(cell).join(",")}\r\n`

/** One record as a line (with CRLF). */
export const row = (record: unknown, columns: ReadonlyArray<string>): string =>
  `${columns.map((column) => cell(readPath(record, column))).join(",")}\r\n`

/** The top-level keys of a record, for when no columns are chosen. */
export const defaultColumns = (record: unknown): ReadonlyArray<string> =>
  record !== null && typeof record === "object" && !Array.isArray(record) ? Object.keys(record) : ["value"]
