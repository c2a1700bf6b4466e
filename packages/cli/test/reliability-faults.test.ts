/**
 * Issue #9, faults: exports from a sandbox injecting 5xx, connection resets, truncated
 * bodies and spurious 429s hold exactly the expected ids, none missing, none repeated —
 * listing, search, partitioned search, the companies scroll (1,000 companies: 10 scroll
 * pages) and page numbers (500 articles: 10 pages) (the chaos run: 20,000 contacts and
 * more seeds). Retry logs are on (--log-level debug) and must not show the token.
 */
import * as Fs from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Started, startSandbox, tempDir, TOKEN } from "./harness.js"
import { faultExport, type FaultExportKind, filesUnder } from "./reliability-support.js"

let sandbox: Started
const transcript: Array<string> = []
let cwd: string

beforeAll(async () => {
  sandbox = await startSandbox({ contacts: 2000, companies: 1000, articles: 500, seed: 3, rateLimit: 0 })
  cwd = tempDir()
})

afterAll(async () => {
  await sandbox.close()
  for (const text of transcript) expect(text).not.toContain(TOKEN)
  for (const file of filesUnder(cwd)) expect(Fs.readFileSync(file, "utf8")).not.toContain(TOKEN)
  Fs.rmSync(cwd, { recursive: true, force: true })
})

describe("exports under 5xx=0.1,reset=0.02,truncate=0.01,429=0.02", () => {
  const runs: ReadonlyArray<readonly [number, FaultExportKind]> = [
    [3, "list"],
    [3, "search"],
    [917_504_017, "parallel"],
    [3, "scroll"],
    [917_504_017, "scroll"],
    [3, "pages"]
  ]
  for (const [seed, kind] of runs) {
    it(`${kind} export, seed ${seed}: exactly the expected ids`, async () => {
      const report = await faultExport({ info: sandbox.info, cwd, seed, kind, transcript })
      expect(report.problems).toEqual([])
      expect(report.records).toBeGreaterThan(100)
      // The run did meet faults; otherwise it would prove nothing.
      expect(report.faults).toBeGreaterThan(0)
    })
  }

  it("the retry logs went to the transcript (so the token check above covers them)", () => {
    expect(transcript.join("\n")).toMatch(/retrying/)
  })
})
