/** What `--ids` reads from a file: the shapes people feed back (exports, failed-ids files, spreadsheets). */
import { describe, expect, it } from "vitest"
import { idsIn } from "../src/internal/idsFile.js"

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
})
