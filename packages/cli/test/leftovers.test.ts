/**
 * What a run leaves behind when it cannot do anything, run as the built CLI against a real
 * sandbox: a rejected token, an unreachable host or Ctrl-C before the first record leave
 * only the inputs (no empty partial file, no journal holding only its header); an ids
 * file with no ids is a usage error that sends no request; a query that matches nothing
 * creates no tag; and a `--resume` run that fails at once keeps the earlier progress.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Sandbox } from "@intercom-fx/sandbox"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  api, contactTagIds, parseJsonLine, run, searchIds, type Started, startSandbox, tagIdByName, tempDir, TOKEN, transcript,
  workspaceEnv
} from "./harness.js"

let sandbox: Started
let env: Record<string, string>
const dirs: Array<string> = []
const dir = () => {
  const made = tempDir()
  dirs.push(made)
  return made
}
/** A token the workspace rejects, recognisable so it can be looked for in every output. */
const WRONG_TOKEN = "tok-SECRET-revoked-5e2a90"

const configure = (settings: Sandbox.RuntimeSettings) =>
  Effect.runPromise(Sandbox.configure(sandbox.info, settings).pipe(Effect.provide(NodeHttpClient.layerUndici)))

/** Requests the sandbox has answered so far (its inspection route, which it does not count). */
const requests = async (): Promise<number> =>
  Number(Reflect.get(Object(await (await fetch(`${sandbox.info.baseUrl}/__sandbox/stats`)).json()), "requests"))

const lines = (text: string): Array<string> => text.split("\n").filter((line) => line.trim() !== "")
const hasStackTrace = (text: string): boolean => /\n\s+at /.test(text)
const listing = (cwd: string): Array<string> => Fs.readdirSync(cwd).sort()

/** A port nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = Net.createServer().listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

beforeAll(async () => {
  sandbox = await startSandbox({ contacts: 300, companies: 20, seed: 13, rateLimit: 0 })
  env = workspaceEnv(sandbox.info)
})

afterAll(async () => {
  await sandbox.close()
  for (const text of transcript) {
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(WRONG_TOKEN)
  }
  for (const made of dirs) {
    for (const name of Fs.readdirSync(made)) {
      const text = Fs.readFileSync(Path.join(made, name), "utf8")
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain(WRONG_TOKEN)
    }
    Fs.rmSync(made, { recursive: true, force: true })
  }
})

describe("a run that fails before its first record leaves only its inputs", () => {
  it("a rejected token: export (ndjson, csv, json), tag and untag exit 3 with one line; no partial file, no journal", async () => {
    const cwd = dir()
    const [real = ""] = await searchIds(sandbox.info, { field: "role", operator: "=", value: "user" })
    Fs.writeFileSync(Path.join(cwd, "ids.txt"), `${real}\n`)
    const wrong = workspaceEnv(sandbox.info, WRONG_TOKEN)
    for (
      const args of [
        ["export", "contacts", "--out", "c.ndjson"],
        ["export", "contacts", "--format", "csv", "--fields", "id,email", "--out", "c.csv"],
        ["export", "companies", "--format", "json", "--out", "c.json"],
        ["export", "contacts", "--query", "role = lead", "--parallel", "2", "--out", "p.ndjson"],
        ["tag", "contacts", "--tag", "never-401", "--ids", "ids.txt"],
        ["tag", "contacts", "--tag", "never-401", "--query", "role = lead"],
        ["untag", "contacts", "--tag", "VIP", "--ids", "ids.txt"]
      ]
    ) {
      const result = await run(args, { env: wrong, cwd })
      expect({ args, code: result.code }).toEqual({ args, code: 3 })
      expect(lines(result.stderr)).toHaveLength(1)
      expect(result.stderr).toMatch(/^intercom-fx: the workspace rejected the access token \(401\): check INTERCOM_ACCESS_TOKEN or --token-file/)
      expect(hasStackTrace(result.stderr)).toBe(false)
      expect({ args, files: listing(cwd) }).toEqual({ args, files: ["ids.txt"] })
    }
    expect(await tagIdByName(sandbox.info, "never-401")).toBeUndefined()
  })

  it("an unreachable host: exit 1 with one line naming it; no partial file, no journal", async () => {
    const cwd = dir()
    Fs.writeFileSync(Path.join(cwd, "ids.txt"), "some-id\n")
    const port = await closedPort()
    const unreachable = { ...env, INTERCOM_BASE_URL: `http://127.0.0.1:${port}`, INTERCOM_MAX_ATTEMPTS: "2" }
    for (const args of [["export", "contacts", "--format", "csv", "--out", "c.csv"], ["tag", "contacts", "--tag", "t", "--ids", "ids.txt"]]) {
      const result = await run(args, { env: unreachable, cwd })
      expect({ args, code: result.code }).toEqual({ args, code: 1 })
      expect(lines(result.stderr)).toHaveLength(1)
      expect(result.stderr).toContain(`127.0.0.1:${port}`)
      expect(hasStackTrace(result.stderr)).toBe(false)
      expect({ args, files: listing(cwd) }).toEqual({ args, files: ["ids.txt"] })
    }
  })

  it("Ctrl-C before the first record: exit 4, nothing left, and the message says there is nothing to resume", async () => {
    const cwd = dir()
    // Every request fails and is retried; the retry's warning is the moment to press Ctrl-C.
    await configure({ faults: "5xx=1" })
    const stopped = await run(["export", "contacts", "--out", "c.ndjson", "--log-level", "warning"], {
      env, cwd, onStderr: { text: "retrying", then: (signal) => signal() }
    }).finally(() => configure({ faults: "" }))
    expect(stopped.code).toBe(4)
    expect(stopped.stderr).toContain("intercom-fx: interrupted before the first record was written; nothing to resume\n")
    expect(stopped.stderr).not.toContain("--resume")
    // The export said it itself: the executable's generic line does not repeat it.
    expect(stopped.stderr).not.toMatch(/^intercom-fx: interrupted$/m)
    expect(listing(cwd)).toEqual([])
  })

  it("Ctrl-C in a command with nothing to report of its own (request): exit 4 and one line saying it was interrupted", async () => {
    await configure({ faults: "5xx=1" })
    const stopped = await run(["request", "GET", "/me", "--log-level", "warning"], {
      env, cwd: dir(), onStderr: { text: "retrying", then: (signal) => signal() }
    }).finally(() => configure({ faults: "" }))
    expect(stopped.code).toBe(4)
    expect(stopped.stderr.endsWith("intercom-fx: interrupted\n")).toBe(true)
    expect(hasStackTrace(stopped.stderr)).toBe(false)
  })
})

describe("an ids file with no ids", () => {
  it("empty, blank, comment-only or header-only: exit 2, one line naming the file, no request sent, no tag created", async () => {
    const cwd = dir()
    const files: ReadonlyArray<readonly [string, string]> = [
      ["empty.txt", ""],
      ["blank.txt", "\n\n   \r\n\t\n"],
      ["comments.txt", "# the ids of the spring campaign\n# (none yet)\n"],
      ["header.csv", "id,email\r\n"],
      ["quoted-header.csv", "\"id\",\"email\"\n\n"],
      ["excel.csv", "\uFEFFid,email\r\n"],
      ["capitalised.csv", "ID,Email\n"]
    ]
    for (const [name, text] of files) Fs.writeFileSync(Path.join(cwd, name), text)
    const cases: Array<ReadonlyArray<string>> = [
      ...files.map(([name]) => ["tag", "contacts", "--tag", "from-empty-file", "--ids", name]),
      ["untag", "contacts", "--tag", "VIP", "--ids", "blank.txt"],
      ["tag", "companies", "--tag", "from-empty-file", "--ids", "header.csv", "--json"],
      ["tag", "contacts", "--tag", "from-empty-file", "--ids", "comments.txt", "--dry-run"],
      ["tag", "conversations", "--tag", "from-empty-file", "--ids", "excel.csv", "--resume"]
    ]
    const before = await requests()
    const results = await Promise.all(cases.map((args) => run(args, { env, cwd }).then((result) => ({ args, result }))))
    for (const { args, result } of results) {
      const name = args[args.indexOf("--ids") + 1]
      expect({ args, code: result.code }).toEqual({ args, code: 2 })
      expect(result.stdout).toBe("")
      expect(lines(result.stderr)).toEqual([
        `intercom-fx: --ids ${name} holds no ids (only blank lines, # comments or an "id" header): check the file, one id per line`
      ])
    }
    expect(await requests()).toBe(before)
    expect(listing(cwd)).toEqual(files.map(([name]) => name).sort())
    expect(await tagIdByName(sandbox.info, "from-empty-file")).toBeUndefined()
  })

  it("a query that matches nothing is a legitimate empty result: exit 0, matched 0, and no tag is created", async () => {
    const cwd = dir()
    const result = await run(["tag", "contacts", "--tag", "matched-nobody", "--query", "email = \"nobody@nowhere.invalid\"", "--json"], { env, cwd })
    expect(result.code).toBe(0)
    expect(parseJsonLine(result.stdout)).toMatchObject({ matched: 0, tagged: 0, failed: 0 })
    expect(await tagIdByName(sandbox.info, "matched-nobody")).toBeUndefined()
    expect(listing(cwd)).toEqual([])
    // A query that matches: the tag is created (once) and put on every match.
    const expected = await searchIds(sandbox.info, { field: "role", operator: "=", value: "lead" })
    const tagged = await run(["tag", "contacts", "--tag", "matched-leads", "--query", "role = lead", "--concurrency", "4", "--json"], { env, cwd })
    expect(tagged.code).toBe(0)
    expect(parseJsonLine(tagged.stdout)).toMatchObject({ matched: expected.length, tagged: expected.length, failed: 0 })
    const tags = Reflect.get(Object(await api(sandbox.info, "GET", "/tags")), "data") as ReadonlyArray<{ readonly name: string }>
    expect(tags.filter((tag) => tag.name === "matched-leads")).toHaveLength(1)
    const tagId = await tagIdByName(sandbox.info, "matched-leads")
    for (const id of expected) expect(await contactTagIds(sandbox.info, id)).toContain(tagId)
  })
})

describe("a --resume run that fails at once keeps the earlier progress", () => {
  it("export: the partial file and journal are kept byte for byte, and the next --resume finishes the same file", async () => {
    const cwd = dir()
    const args = ["export", "contacts", "--format", "csv", "--fields", "id,email,role", "--out", "all.csv", "--progress", "lines"]
    const whole = await run([...args.slice(0, -4), "--out", "whole.csv"], { env, cwd })
    expect(whole.code).toBe(0)

    // Stopped after its first page: requests stall once it is written, so Ctrl-C lands mid-export.
    await configure({ latencyMs: 20 })
    const stopped = await run(args, {
      env, cwd,
      onStderr: { text: "progress:", then: async (signal) => {
        await configure({ latencyMs: 30_000 })
        signal()
      } }
    }).finally(() => configure({ latencyMs: 0 }))
    expect(stopped.code).toBe(4)
    const partial = Path.join(cwd, ".all.csv.intercom-fx.partial")
    const journal = Path.join(cwd, ".all.csv.intercom-fx.journal")
    const savedPartial = Fs.readFileSync(partial)
    const savedJournal = Fs.readFileSync(journal)
    expect(savedPartial.length).toBeGreaterThan(0)

    for (const failing of [workspaceEnv(sandbox.info, WRONG_TOKEN), { ...env, INTERCOM_BASE_URL: `http://127.0.0.1:${await closedPort()}`, INTERCOM_MAX_ATTEMPTS: "1" }]) {
      // Without --progress lines, so the resumed count is not printed: the failure is the one line.
      const failed = await run([...args.slice(0, -2), "--resume"], { env: failing, cwd })
      expect([1, 3]).toContain(failed.code)
      expect(lines(failed.stderr)).toHaveLength(1)
      expect(Fs.readFileSync(partial)).toEqual(savedPartial)
      expect(Fs.readFileSync(journal)).toEqual(savedJournal)
    }

    const resumed = await run([...args, "--resume", "--json"], { env, cwd })
    expect(resumed.code).toBe(0)
    expect(parseJsonLine(resumed.stdout)).toMatchObject({ records: 300 })
    expect(Number(parseJsonLine(resumed.stdout).resumedFrom)).toBeGreaterThan(0)
    expect(Fs.readFileSync(Path.join(cwd, "all.csv"), "utf8")).toBe(Fs.readFileSync(Path.join(cwd, "whole.csv"), "utf8"))
    expect(listing(cwd)).toEqual(["all.csv", "whole.csv"])
  })

  it("tag: the journal is kept byte for byte, and the next --resume tags the rest, each once", async () => {
    const cwd = dir()
    const ids = (await searchIds(sandbox.info, { field: "role", operator: "=", value: "user" })).slice(0, 40)
    expect(ids).toHaveLength(40)
    Fs.writeFileSync(Path.join(cwd, "ids.txt"), `id\n${ids.join("\n")}\n`)
    const args = ["tag", "contacts", "--tag", "kept-journal", "--ids", "ids.txt", "--journal", "tag.journal", "--concurrency", "1", "--progress", "lines"]
    // Ctrl-C once the first item is done; the item in flight finishes and is journalled.
    await configure({ latencyMs: 20 })
    const stopped = await run(args, { env, cwd, onStderr: { text: "progress:", then: (signal) => signal() } })
      .finally(() => configure({ latencyMs: 0 }))
    expect(stopped.code).toBe(4)
    const journal = Path.join(cwd, "tag.journal")
    const saved = Fs.readFileSync(journal)
    const done = saved.toString("utf8").split("\n").filter((line) => line.includes("\"outcome\":\"ok\"")).length
    expect(done).toBeGreaterThan(0)
    expect(done).toBeLessThan(ids.length)

    const failed = await run([...args.slice(0, -2), "--resume"], { env: workspaceEnv(sandbox.info, WRONG_TOKEN), cwd })
    expect(failed.code).toBe(3)
    expect(lines(failed.stderr)).toHaveLength(1)
    expect(Fs.readFileSync(journal)).toEqual(saved)

    const resumed = await run([...args, "--resume", "--json"], { env, cwd })
    expect(resumed.code).toBe(0)
    expect(parseJsonLine(resumed.stdout)).toMatchObject({ matched: ids.length, tagged: ids.length, alreadyTagged: 0, failed: 0 })
    const tagId = await tagIdByName(sandbox.info, "kept-journal")
    for (const id of ids) expect(await contactTagIds(sandbox.info, id)).toContain(tagId)
    expect(listing(cwd)).toEqual(["ids.txt"])
  })
})
