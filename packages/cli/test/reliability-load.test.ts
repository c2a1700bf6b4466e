/**
 * Issue #9, load (scaled): a bulk tag against a sandbox that allows only 80 requests per
 * 10-second window finishes with 0 failed items — the client waits for the window instead
 * of exhausting its retries on 429s. (`npm run chaos`: 10,000 contacts at 500 / 10 s.)
 */
import * as Fs from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Started, startSandbox, tempDir, TOKEN } from "./harness.js"
import { cli, configure, envFor, idProblems, lastJson, searchIds, taggedContactIds } from "./reliability-support.js"

let sandbox: Started
let cwd: string
const transcript: Array<string> = []

beforeAll(async () => {
  sandbox = await startSandbox({ contacts: 200, seed: 12, rateLimit: 0 })
  cwd = tempDir()
})

afterAll(async () => {
  await sandbox.close()
  for (const text of transcript) expect(text).not.toContain(TOKEN)
  Fs.rmSync(cwd, { recursive: true, force: true })
})

describe("bulk tag under a tight rate limit", () => {
  it("200 contacts at 80 requests / 10 s: every one tagged, 0 failed", async () => {
    const query = { operator: "OR", value: [{ field: "role", operator: "=", value: "user" }, { field: "role", operator: "=", value: "lead" }] }
    const expected = await searchIds(sandbox.info, query)
    expect(expected).toHaveLength(200)
    await configure(sandbox.info, { rateLimit: 80 })
    const result = await cli(["tag", "contacts", "--tag", "load", "--query", "role = user OR role = lead", "--json"], {
      env: envFor(sandbox.info), cwd, transcript
    })
    await configure(sandbox.info, { rateLimit: 0 })
    expect(result.code).toBe(0)
    expect(lastJson(result.stdout)).toMatchObject({ matched: 200, tagged: 200, failed: 0 })
    expect(idProblems("tagged", await taggedContactIds(sandbox.info, "load"), expected)).toEqual([])
  })
})
