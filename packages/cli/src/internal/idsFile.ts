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
 * Files of millions of rows are read in one pass that builds only the id cells. An
 * export of 1,000,000 contacts with six fields is 91 MB: read with an array per row it
 * took 1.5 GB and 12 s, read this way 260 MB (the text and the ids) and 1.5 to 2 s.
 *
 * @internal
 */

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13
const HASH = 35

/** What `eachRow` reports while it walks a CSV text. */
interface RowVisitor {
  /** A cell: its column in the row, and where its raw text starts and ends (quotes included when `quoted`). */
  readonly cell: (column: number, start: number, end: number, quoted: boolean) => void
  /** The end of a row; false stops the walk. */
  readonly rowEnd: () => boolean
}

/**
 * Walks the CSV rows of `text` from `from` to `to` (RFC 4180: quotes, doubled quotes,
 * line breaks inside quotes; a quote anywhere in a cell opens a quoted stretch) without
 * building any cell: the visitor reads the ones it wants (`cellText`). A last row
 * without a line break counts if it holds anything.
 */
const eachRow = (text: string, from: number, to: number, visit: RowVisitor): void => {
  let column = 0
  let start = from // where the current cell starts
  let hasQuote = false
  let quoted = false
  let i = from
  for (; i < to; i++) {
    const char = text.charCodeAt(i)
    if (char === QUOTE) {
      hasQuote = true
      if (quoted && i + 1 < to && text.charCodeAt(i + 1) === QUOTE) i++
      else quoted = !quoted
    } else if (quoted) continue
    else if (char === COMMA) {
      visit.cell(column++, start, i, hasQuote)
      start = i + 1
      hasQuote = false
    } else if (char === LF || char === CR) {
      visit.cell(column, start, i, hasQuote)
      if (char === CR && i + 1 < to && text.charCodeAt(i + 1) === LF) i++
      if (!visit.rowEnd()) return
      column = 0
      start = i + 1
      hasQuote = false
    }
  }
  if (i > start || column > 0) {
    visit.cell(column, start, i, hasQuote)
    visit.rowEnd()
  }
}

/** A cell's value: its raw text with quotes read (a quote opens or closes a stretch, a doubled one inside is a quote). */
const cellText = (text: string, start: number, end: number, quoted: boolean): string => {
  if (!quoted) return text.slice(start, end)
  let cell = ""
  let inQuotes = false
  for (let i = start; i < end; i++) {
    const char = text[i]
    if (char === "\"" && inQuotes && i + 1 < end && text[i + 1] === "\"") (cell += "\"", i++)
    else if (char === "\"") inQuotes = !inQuotes
    else cell += char
  }
  return cell
}

/** The cells of a line's first row (the header). */
const cellsOf = (line: string): Array<string> => {
  const cells: Array<string> = []
  eachRow(line, 0, line.length, {
    cell: (_, start, end, quoted) => cells.push(cellText(line, start, end, quoted)),
    rowEnd: () => false
  })
  return cells
}

const isHeader = (cell: string): boolean => {
  const trimmed = cell.trim()
  return trimmed.length === 2 && trimmed.toLowerCase() === "id"
}

/** Whether a line's first character other than white space is `#`. */
const isComment = (text: string, start: number, end: number): boolean => {
  const first = text.charCodeAt(start)
  if (first === HASH) return true
  // Only a line that starts with white space needs trimming (`trim` knows all of Unicode's).
  return first <= 32 || first > 126 ? text.slice(start, end).trim().startsWith("#") : false
}

/** Calls `f` with the start and end of each line (split at `\n` or `\r\n`) until it returns false. */
const eachLine = (text: string, f: (start: number, end: number) => boolean): void => {
  for (let start = 0; start <= text.length;) {
    const lf = text.indexOf("\n", start)
    const next = lf < 0 ? text.length : lf
    const end = next > start && text.charCodeAt(next - 1) === CR ? next - 1 : next
    if (!f(start, end) || lf < 0) return
    start = lf + 1
  }
}

/** The distinct ids of an ids file's text, in file order. */
export const idsIn = (text: string): Array<string> => {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  let header: Array<string> = []
  eachLine(body, (start, end) => {
    const line = body.slice(start, end)
    if (line.trim() === "") return true
    header = cellsOf(line)
    return false
  })
  const column = header.findIndex(isHeader)
  const ids = new Set<string>()
  const add = (cell: string | undefined) => {
    const id = cell === undefined ? "" : cell.trim()
    if (id !== "" && !isHeader(id)) ids.add(id)
  }
  // The cell wanted in the row being walked.
  let cell: string | undefined
  const visitor = (wanted: number, rowEnd: () => boolean): RowVisitor => ({
    cell: (index, start, end, quoted) => {
      if (index === wanted) cell = cellText(body, start, end, quoted)
    },
    rowEnd
  })
  if (column > 0 || (column === 0 && header.length > 1)) {
    let first = true // the header row
    eachRow(body, 0, body.length, visitor(column, () => {
      if (!first) add(cell)
      first = false
      cell = undefined
      return true
    }))
  } else {
    const firstCell = visitor(0, () => false)
    eachLine(body, (start, end) => {
      if (isComment(body, start, end)) return true
      cell = undefined
      eachRow(body, start, end, firstCell)
      add(cell)
      return true
    })
  }
  return [...ids]
}
