/**
 * Issue #9, crashes: the CLI is killed with SIGKILL at seeded moments (after the k-th
 * progress line) during an export and during a bulk tag, then rerun with --resume. The
 * export file equals an uninterrupted run's byte for byte and never appears half-written
 * under its final name; every target gets tagged and counted once; --resume accepts the
 * journal even with a torn last line or half a page written past the checkpoint.
 */
import * as Fs from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Started, startSandbox, tempDir, TOKEN } from "./harness.js"
import { crashExport, crashTag, filesUnder, searchIds } from "./reliability-support.js"

let sandbox: Started
const transcript: Array<string> = []
const dirs: Array<string> = []
const dir = () => {
  const made = tempDir()
  dirs.push(made)
  return made
}

beforeAll(async () => {
  sandbox = await startSandbox({ contacts: 2000, seed: 5, rateLimit: 0 })
})

afterAll(async () => {
  await sandbox.close()
  for (const text of transcript) expect(text).not.toContain(TOKEN)
  for (const made of dirs) {
    for (const file of filesUnder(made)) expect(Fs.readFileSync(file, "utf8")).not.toContain(TOKEN)
    Fs.rmSync(made, { recursive: true, force: true })
  }
})

describe("kill -9, then --resume", () => {
  it("a CSV export killed twice (half a page past the checkpoint each time) resumes to the uninterrupted run's bytes", async () => {
    const report = await crashExport({
      info: sandbox.info, cwd: dir(), seed: 9, crashes: 2, pages: 14, tamper: true, transcript,
      args: ["export", "contacts", "--format", "csv", "--fields", "id,email,role,location.city"]
    })
    expect(report.problems).toEqual([])
    expect(report.kills).toBeGreaterThan(0)
  })

  it("a bulk tag killed twice (journal's last line torn each time): every target tagged, each counted once", async () => {
    const expected = await searchIds(sandbox.info, { field: "role", operator: "=", value: "lead" })
    expect(expected.length).toBeGreaterThan(100)
    const report = await crashTag({
      info: sandbox.info, cwd: dir(), seed: 4, crashes: 2, concurrency: 4, tearJournal: true, transcript,
      tag: "crash-tag", select: ["--query", "role = lead"], expected
    })
    expect(report.problems).toEqual([])
    expect(report.kills).toBeGreaterThan(0)
  })
})
