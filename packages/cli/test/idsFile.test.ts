/** What `--ids` reads from a file: the shapes people feed back (exports, failed-ids files, spreadsheets). */
import { FastCheck } from "effect"
import { describe, expect, it } from "vitest"
import { idsIn } from "../src/internal/idsFile.js"

/**
 * A reference reader, slow and plain: every row of every line split into cells, as the
 * module read files before its one-pass reader (which builds only the id cells). Kept
 * here as the oracle the fast reader must agree with, character for character.
 */
const referenceIdsIn = (text: string): Array<string> => {
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
  const isHeader = (cell: string) => cell.trim().toLowerCase() === "id"
  const body = text.replace(/^\uFEFF/, "")
  const firstLine = body.split(/\r?\n/).find((line) => line.trim() !== "") ?? ""
  const header = csvRows(firstLine)[0] ?? []
  const column = header.findIndex(isHeader)
  const ids = column > 0 || (column === 0 && header.length > 1)
    ? csvRows(body).slice(1).map((row) => (row[column] ?? "").trim())
    : body.split(/\r?\n/).filter((line) => !line.trim().startsWith("#")).map((line) => (csvRows(line)[0]?.[0] ?? "").trim())
  return [...new Set(ids.filter((id) => id !== "" && !isHeader(id)))]
}

describe("idsIn", () => {
  it("one id per line: blank lines, # comments, quotes, extra columns and id headers aside", () => {
    expect(idsIn("\uFEFFid\r\n# spring campaign\n\na1\n\"a2\"\na3,extra,columns\nID\na1\n  a4  \n")).toEqual(["a1", "a2", "a3", "a4"])
  })

  it("a CSV export: the column its header names id, wherever it is", () => {
    expect(idsIn("email,ID,name\nx@example.com,a1,X\ny@example.com,a2,Y\n")).toEqual(["a1", "a2"])
  })

  it("a CSV export with quoted cells: commas, doubled quotes and line breaks inside quotes", () => {
    const text = [
      "location,id",
      "\"{\"\"country\"\":\"\"Germany\"\",\"\"city\"\":\"\"Berlin\"\"}\",a1",
      "\"two\nlines\",a2",
      "\"#1 fan\",a3"
    ].join("\n")
    expect(idsIn(text)).toEqual(["a1", "a2", "a3"])
  })

  it("a header naming no id column: the first column of each line", () => {
    expect(idsIn("contact,note\na1,hello\na2,bye\n")).toEqual(["contact", "a1", "a2"])
  })

  it("nothing but headers, comments and blanks: no ids", () => {
    expect(idsIn("id,email\r\n\r\n")).toEqual([])
    expect(idsIn("# none yet\n\n  \n")).toEqual([])
  })

  it("reads any text as the reference reader does (quotes, CR, LF, commas, comments, headers, BOM)", () => {
    expect(disagreement(idsIn)).toBeUndefined()
  })

  it("the comparison catches a reader that gets quotes wrong", () => {
    const ignoringQuotes = (text: string) => referenceIdsIn(text.replaceAll("\"", ""))
    expect(disagreement(ignoringQuotes)).toBeDefined()
  })
})

/** A text on which `reader` and the reference disagree, if 20,000 generated ones hold one. */
const disagreement = (reader: (text: string) => Array<string>): string | undefined => {
  const pieces = FastCheck.constantFrom("a", "b7", " ", ",", "\"", "\"\"", "\n", "\r", "\r\n", "#", "id", "ID", "\u00a0", "\uFEFF")
  const headers = FastCheck.constantFrom("", "", "email,ID,name\n", "\"id\",x\r\n", "id\n", "\n\nx,id\n", "# ids\n")
  const texts = FastCheck.tuple(headers, FastCheck.array(pieces, { maxLength: 30 })).map(([header, rest]) => header + rest.join(""))
  const result = FastCheck.check(
    FastCheck.property(texts, (text) => JSON.stringify(reader(text)) === JSON.stringify(referenceIdsIn(text))),
    { numRuns: 20_000, seed: 42 }
  )
  return result.failed ? String(result.counterexample?.[0]) : undefined
}
