/**
 * Issue #9, CSV: seeded random records made of the awkward characters (formula starts,
 * quotes, commas, CR, LF, tabs, non-ASCII) go through `Sink.csv` and come back through an
 * RFC 4180 parser as exactly the input, with formula starts neutralised by a leading '.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import { Sink } from "../src/index.js"

/** mulberry32. */
const prng = (seed: number) => {
  let a = seed >>> 0
  return (n: number): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
  }
}

/** A tiny RFC 4180 reader: CRLF or LF records, "-quoted fields with "" escapes. */
const parseCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let cell = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === "\"" && text[i + 1] === "\"") {
        cell += "\""
        i++
      } else if (c === "\"") quoted = false
      else cell += c
    } else if (c === "\"" && cell === "") quoted = true
    else if (c === ",") {
      row.push(cell)
      cell = ""
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      if (c === "\r") i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ""
    } else if (c === "\"") throw new Error(`stray quote at ${i}`)
    else cell += c
  }
  if (quoted) throw new Error("unterminated quoted field")
  if (cell !== "" || row.length > 0) rows.push([...row, cell])
  return rows
}

const neutralised = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text)

const alphabet = ["=", "+", "-", "@", "\t", "\r", "\n", "\r\n", ",", "\"", "\"\"", "'", " ", "a", "Z", "0", "é", "☃", "🎉", ";", "|"]

describe("CSV round trip (seeded random records)", () => {
  it("2,000 records: every cell reads back as written, formula starts neutralised, numbers untouched", () => {
    const random = prng(20261122)
    const text = () => Array.from({ length: random(12) }, () => alphabet[random(alphabet.length)] ?? "").join("")
    const records = Array.from({ length: 2000 }, (_, i) => ({
      id: `c${i}`, name: text(), nested: { note: text() }, n: random(3) === 0 ? -random(1000) : random(1000)
    }))
    const columns = ["id", "name", "nested.note", "n"]
    const csv = Chunk.join(Effect.runSync(Stream.runCollect(Sink.csv(Stream.fromIterable(records), { columns }))), "")
    const rows = parseCsv(csv)
    expect(rows[0]).toEqual(columns)
    expect(rows.slice(1)).toEqual(records.map((r) => [r.id, neutralised(r.name), neutralised(r.nested.note), String(r.n)]))
    // The generator did produce the awkward cases.
    expect(records.some((r) => /^[=+\-@\t\r]/.test(r.name))).toBe(true)
    expect(records.some((r) => /[",\r\n]/.test(r.name))).toBe(true)
    expect(records.some((r) => r.n < 0)).toBe(true)
  })
})
