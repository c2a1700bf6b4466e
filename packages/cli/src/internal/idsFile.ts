/**
 * The ids in an `--ids` file. Two shapes are accepted:
 *
 * - a CSV whose first row names an `id` column (in any case: spreadsheets write `ID`),
 *   such as `export --format csv` writes whatever the `--fields` order: that column of
 *   every later row, read as CSV (quoted cells, doubled quotes, line breaks in quotes);
 * - otherwise one id per line: the first comma-separated cell, quotes dropped, with blank
 *   lines and `#` comments skipped (a failed-ids file, a hand-written list).
 *
 * In both, a byte-order mark is dropped and a cell that reads `id` (the header of files
 * joined together) is not an id. Any other cell is an id; one that does not exist fails
 * as its own item.
 *
 * @internal
 */

/** The rows of a CSV text (RFC 4180: quotes, doubled quotes, line breaks inside quotes). */
const csvRows = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let cell = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (quoted) {
      if (char === "\"" && text[i + 1] === "\"") (cell += "\"", i++)
      else if (char === "\"") quoted = false
      else cell += char
    } else if (char === "\"") quoted = true
    else if (char === ",") (row.push(cell), cell = "")
    else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ""
    } else cell += char
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell])
  return rows
}

const isHeader = (cell: string): boolean => cell.trim().toLowerCase() === "id"

/** The distinct ids of an ids file's text, in file order. */
export const idsIn = (text: string): Array<string> => {
  const body = text.replace(/^\uFEFF/, "")
  const firstLine = body.split(/\r?\n/).find((line) => line.trim() !== "") ?? ""
  const header = csvRows(firstLine)[0] ?? []
  const column = header.findIndex(isHeader)
  const ids = column > 0 || (column === 0 && header.length > 1)
    ? csvRows(body).slice(1).map((row) => (row[column] ?? "").trim())
    : body.split(/\r?\n/).filter((line) => !line.trim().startsWith("#")).map((line) => (csvRows(line)[0]?.[0] ?? "").trim())
  return [...new Set(ids.filter((id) => id !== "" && !isHeader(id)))]
}
