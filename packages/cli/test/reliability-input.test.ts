/**
 * Issue #9, bad input and secrets: a table of invalid commands (malformed queries, unknown
 * fields and operators, too deep/wide, bad flags and values, bad settings) each answered
 * with one line, exit 2, no stack trace and no request; ids files with junk lines, empty
 * and very large; a rejected token, an unreachable host. Every run uses the recognisable
 * test token, which must never appear in any output or file.
 */
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Started, startSandbox, tempDir, TOKEN } from "./harness.js"
import {
  badInputRequests, badInputs, cli, envFor, filesUnder, hasStackTrace, lastJson, lines, pool, runBadInput, searchIds, stats,
  taggedContactIds
} from "./reliability-support.js"

let sandbox: Started
const transcript: Array<string> = []
const dirs: Array<string> = []
const dir = () => {
  const made = tempDir()
  dirs.push(made)
  return made
}
/** A second recognisable secret: a token the workspace does not accept. */
const WRONG_TOKEN = "tok-SECRET-revoked-0b9d41"

beforeAll(async () => {
  sandbox = await startSandbox({ contacts: 400, seed: 21, rateLimit: 0 })
})

afterAll(async () => {
  await sandbox.close()
  for (const text of transcript) {
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(WRONG_TOKEN)
  }
  for (const made of dirs) {
    for (const file of filesUnder(made).filter((file) => !file.endsWith("token.txt"))) {
      const text = Fs.readFileSync(file, "utf8")
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain(WRONG_TOKEN)
    }
    Fs.rmSync(made, { recursive: true, force: true })
  }
})

describe("invalid input: one line, exit 2, no stack trace, no request", () => {
  it("the table's fast subset", async () => {
    const cwd = dir()
    const before = await stats(sandbox.info)
    const cases = badInputs.map((input, index) => ({ input, index })).filter(({ input }) => input.fast === true)
    expect(cases.length).toBe(29)
    const outcomes = await pool(2, cases.map(({ input, index }) => () => runBadInput(sandbox.info, cwd, index, input, transcript)))
    expect(outcomes.filter((outcome) => outcome.problems.length > 0)).toEqual([])
    // Not one request reached the sandbox, from any case.
    expect(await badInputRequests(sandbox.info)).toEqual([])
    expect((await stats(sandbox.info)).requests).toBe(before.requests)
  })
})

describe("ids files", () => {
  it("junk lines fail with a reason and go to the failed-ids file; the real ids are tagged", async () => {
    const cwd = dir()
    const real = (await searchIds(sandbox.info, { field: "role", operator: "=", value: "lead" })).slice(0, 5)
    expect(real).toHaveLength(5)
    const junk = ["hello world", "%%%", "../../admins", "x".repeat(3000), "ünïcödé-☃", "'; DROP TABLE contacts; --"]
    const text = [
      "id", "# a comment", "", ...real.slice(0, 3), "   ", ...junk, `${real[3]},extra,columns`, `"${real[4]}"`, real[0], "\t"
    ].join("\r\n")
    Fs.writeFileSync(Path.join(cwd, "ids.txt"), text)
    const result = await cli(["tag", "contacts", "--tag", "junk-mix", "--ids", "ids.txt", "--failed-ids", "failed.txt", "--json"], {
      env: envFor(sandbox.info), cwd, transcript
    })
    expect(result.code).toBe(1)
    expect(lastJson(result.stdout)).toMatchObject({ matched: real.length + junk.length, tagged: real.length, failed: junk.length })
    expect(hasStackTrace(result.stderr)).toBe(false)
    expect(Fs.readFileSync(Path.join(cwd, "failed.txt"), "utf8").split("\n").filter((l) => l !== "").sort()).toEqual([...junk].sort())
    expect((await taggedContactIds(sandbox.info, "junk-mix")).sort()).toEqual([...real].sort())
  })

  // An export's CSV fed back as it is: its header says which column holds the ids.
  it("a CSV whose header names an id column other than the first: that column is read", async () => {
    const cwd = dir()
    const real = (await searchIds(sandbox.info, { field: "role", operator: "=", value: "lead" })).slice(0, 4)
    const text = ["email,ID,name", ...real.map((id, i) => `person${i}@example.com,${id},Person ${i}`)].join("\n")
    Fs.writeFileSync(Path.join(cwd, "leads.csv"), text)
    const result = await cli(["tag", "contacts", "--tag", "from-csv", "--ids", "leads.csv", "--json"], { env: envFor(sandbox.info), cwd, transcript })
    expect(result.code).toBe(0)
    expect(lastJson(result.stdout)).toMatchObject({ matched: 4, tagged: 4, failed: 0 })
    expect((await taggedContactIds(sandbox.info, "from-csv")).sort()).toEqual([...real].sort())
  })

  it("an empty file: a usage error naming it (exit 2), no request, no tag", async () => {
    const cwd = dir()
    Fs.writeFileSync(Path.join(cwd, "empty.txt"), "")
    const before = await stats(sandbox.info)
    const result = await cli(["tag", "contacts", "--tag", "nobody", "--ids", "empty.txt", "--json"], { env: envFor(sandbox.info), cwd, transcript })
    expect(result.code).toBe(2)
    expect(lines(result.stderr)).toHaveLength(1)
    expect(result.stderr).toContain("empty.txt")
    expect(result.stderr).toContain("no ids")
    expect((await stats(sandbox.info)).requests).toBe(before.requests)
    expect(await taggedContactIds(sandbox.info, "nobody")).toEqual([])
  })

  it("a very large file (200,000 lines, 5 MB): each distinct id handled once", async () => {
    const cwd = dir()
    const real = await searchIds(sandbox.info, { field: "role", operator: "=", value: "user" })
    const distinct = real.slice(0, 120)
    const rows: Array<string> = ["id"]
    for (let i = 0; rows.length < 200_000; i++) rows.push(i % 50 === 0 ? `# row ${i}` : distinct[i % distinct.length] ?? "")
    Fs.writeFileSync(Path.join(cwd, "big.txt"), rows.join("\n"))
    expect(Fs.statSync(Path.join(cwd, "big.txt")).size).toBeGreaterThan(4_000_000)
    const before = await stats(sandbox.info)
    const result = await cli(["tag", "contacts", "--tag", "big", "--ids", "big.txt", "--dry-run", "--json"], { env: envFor(sandbox.info), cwd, transcript })
    expect(result.code).toBe(0)
    expect(lastJson(result.stdout)).toMatchObject({ matched: distinct.length, wouldTagged: distinct.length, failed: 0 })
    // One look-up per distinct id (plus the tag list): duplicates cost nothing.
    const after = await stats(sandbox.info)
    expect((after.byRoute["GET /contacts/{id}"] ?? 0) - (before.byRoute["GET /contacts/{id}"] ?? 0)).toBe(distinct.length)
  })
})

describe("workspace failures: one line, the documented exit code", () => {
  it("a rejected (invalid or revoked) token: exit 3 for export and tag, naming what to check", async () => {
    const cwd = dir()
    const env = envFor(sandbox.info, { INTERCOM_ACCESS_TOKEN: WRONG_TOKEN })
    for (const args of [
      ["export", "contacts", "--out", "c.ndjson"],
      ["tag", "contacts", "--tag", "x", "--query", "role = lead"]
    ]) {
      const result = await cli(args, { env, cwd, transcript })
      expect({ args, code: result.code }).toEqual({ args, code: 3 })
      expect(lines(result.stderr)).toHaveLength(1)
      expect(result.stderr).toContain("INTERCOM_ACCESS_TOKEN")
      expect(result.stderr).toContain("401")
      expect(hasStackTrace(result.stderr)).toBe(false)
    }
    expect(Fs.existsSync(Path.join(cwd, "c.ndjson"))).toBe(false)
  })

  it("an unreachable host: exit 1 after the retries, one line naming the host", async () => {
    const cwd = dir()
    const closed = await new Promise<number>((resolve) => {
      const server = Net.createServer().listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        server.close(() => resolve(port))
      })
    })
    const result = await cli(["export", "contacts", "--out", "c.ndjson"], {
      env: envFor(sandbox.info, { INTERCOM_BASE_URL: `http://127.0.0.1:${closed}`, INTERCOM_MAX_ATTEMPTS: "2" }), cwd, transcript
    })
    expect(result.code).toBe(1)
    expect(lines(result.stderr)).toHaveLength(1)
    expect(result.stderr).toContain(`127.0.0.1:${closed}`)
    expect(result.stderr).toContain("ECONNREFUSED")
    expect(result.stderr).toContain("check INTERCOM_BASE_URL")
    expect(hasStackTrace(result.stderr)).toBe(false)
    expect(Fs.existsSync(Path.join(cwd, "c.ndjson"))).toBe(false)
  })

  it("a malformed setting: exit 2, one line naming the variable once", async () => {
    const cwd = dir()
    const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
      [{ INTERCOM_BASE_URL: "notaurl" }, `intercom-fx: configuration: INTERCOM_BASE_URL is not a URL: "notaurl"`],
      [{ INTERCOM_MAX_ATTEMPTS: "many" }, "intercom-fx: configuration: INTERCOM_MAX_ATTEMPTS: Expected an integer value but received \"many\""]
    ]
    for (const [setting, line] of cases) {
      const result = await cli(["export", "tags"], { env: envFor(sandbox.info, setting), cwd, transcript })
      expect({ setting, code: result.code, stderr: result.stderr.trim() }).toEqual({ setting, code: 2, stderr: line })
    }
  })
})
