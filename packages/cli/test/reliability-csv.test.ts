/**
 * Issue #9, CSV: values that spreadsheets would run as formulas (starting with =, +, -, @,
 * tab or CR) come out neutralised with a leading ', and quotes, commas and line breaks
 * survive a round trip through an RFC 4180 parser — end to end, from records stored in
 * the workspace through `intercom-fx export --format csv` to the file.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Started, startSandbox, tempDir, TOKEN } from "./harness.js"
import { api, cli, envFor, neutralised, parseCsv } from "./reliability-support.js"

let sandbox: Started
let cwd: string
const transcript: Array<string> = []

const nasty = [
  "=1+2", "+SUM(A1:A9)", "-2+3", "@cmd", "\tTabbed", "\rCarriage", "=HYPERLINK(\"http://x.test\",\"y\")", "-", "=",
  "plain", "comma, inside", "quote \"inside\" twice \"\"", "\"starts with a quote", "line1\nline2", "crlf\r\nline", "ends in CR\r",
  " leading space", "trailing comma,", "ünïcödé ☃ 🎉", "'already quoted", "a;b|c", "x=1", "mid\ttab"
]

beforeAll(async () => {
  sandbox = await startSandbox({ contacts: 50, seed: 8, rateLimit: 0 })
  cwd = tempDir()
})

afterAll(async () => {
  await sandbox.close()
  for (const text of transcript) expect(text).not.toContain(TOKEN)
  for (const name of Fs.readdirSync(cwd)) expect(Fs.readFileSync(Path.join(cwd, name), "utf8")).not.toContain(TOKEN)
  Fs.rmSync(cwd, { recursive: true, force: true })
})

describe("CSV export round trip", () => {
  it("formula starts neutralised; quotes, commas and line breaks intact", async () => {
    const stored = new Map<string, { readonly name: string; readonly externalId: string }>()
    for (const [i, name] of nasty.entries()) {
      const externalId = nasty[(i + 7) % nasty.length] ?? ""
      const created = await api(sandbox.info, "POST", "/contacts", {
        role: "user", email: `csv${i}@csv-roundtrip.test`, name, external_id: externalId
      })
      stored.set(String(Reflect.get(Object(created), "id")), { name, externalId })
    }
    const result = await cli(
      ["export", "contacts", "--query", "email ~ \"@csv-roundtrip.test\"", "--format", "csv", "--fields", "id,name,external_id,email", "--out", "rt.csv"],
      { env: envFor(sandbox.info), cwd, transcript }
    )
    expect(result.code).toBe(0)
    const rows = parseCsv(Fs.readFileSync(Path.join(cwd, "rt.csv"), "utf8"))
    expect(rows[0]).toEqual(["id", "name", "external_id", "email"])
    const body = rows.slice(1)
    expect(body).toHaveLength(nasty.length)
    for (const row of body) {
      expect(row).toHaveLength(4)
      const [id = "", name, externalId] = row
      const want = stored.get(id)
      expect(want, `unknown id ${id}`).toBeDefined()
      expect({ id, name, externalId }).toEqual({ id, name: neutralised(want?.name ?? ""), externalId: neutralised(want?.externalId ?? "") })
    }
    // No cell a spreadsheet would evaluate.
    for (const cell of body.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
  })
})
