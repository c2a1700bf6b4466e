/**
 * The built `intercom-fx` run as a subprocess against an in-process sandbox: files with
 * exact ids, sandbox state after tag/untag, exit codes per error class, --dry-run,
 * Ctrl-C then --resume, and the token never printed or written.
 */
import { Sandbox } from "@intercom-fx/sandbox"
import * as Effect from "effect/Effect"
import { NodeHttpClient } from "@effect/platform-node"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Http from "node:http"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  api, bin, contactTagIds, csvIds, parseJsonLine, run, searchIds, type Started, startSandbox, tagIdByName, tempDir, TOKEN,
  transcript, workspaceEnv
} from "./harness.js"

let sandbox: Started
let env: Record<string, string>
const dirs: Array<string> = []
const dir = () => {
  const made = tempDir()
  dirs.push(made)
  return made
}

const configure = (settings: Sandbox.RuntimeSettings) =>
  Effect.runPromise(Sandbox.configure(sandbox.info, settings).pipe(Effect.provide(NodeHttpClient.layerUndici)))

beforeAll(async () => {
  sandbox = await startSandbox({ contacts: 600, companies: 40, seed: 7, rateLimit: 0 })
  env = workspaceEnv(sandbox.info)
})

afterAll(async () => {
  await sandbox.close()
  // The token is never printed, whatever the command or outcome, and never written to a file.
  for (const text of transcript) expect(text).not.toContain(TOKEN)
  for (const made of dirs) {
    for (const name of Fs.readdirSync(made).filter((name) => name !== "token")) {
      expect(Fs.readFileSync(Path.join(made, name), "utf8")).not.toContain(TOKEN)
    }
    Fs.rmSync(made, { recursive: true, force: true })
  }
})

describe("export", () => {
  it("writes exactly the contacts a query matches, as CSV with the chosen columns", async () => {
    const cwd = dir()
    const result = await run(
      ["export", "contacts", "--query", "role = lead", "--format", "csv", "--fields", "id,email,location.city", "--out", "leads.csv"],
      { env, cwd }
    )
    expect(result.code).toBe(0)
    const text = Fs.readFileSync(Path.join(cwd, "leads.csv"), "utf8")
    expect(text.split("\r\n")[0]).toBe("id,email,location.city")
    const expected = await searchIds(sandbox.info, { field: "role", operator: "=", value: "lead" })
    expect(expected.length).toBeGreaterThan(0)
    expect(csvIds(text)).toEqual(expected)
    // Nothing left behind but the file itself.
    expect(Fs.readdirSync(cwd)).toEqual(["leads.csv"])
  })

  it("streams NDJSON to stdout with --limit and --fields, and a JSON summary with --json", async () => {
    const result = await run(["export", "contacts", "--limit", "5", "--fields", "id,email", "--json"], { env })
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split("\n").map((line): unknown => JSON.parse(line))
    expect(lines).toHaveLength(5)
    const all = await api(sandbox.info, "GET", "/contacts?per_page=5")
    const firstIds = (Reflect.get(Object(all), "data") as ReadonlyArray<{ id: string; email: string }>).map((c) => ({ id: c.id, email: c.email }))
    expect(lines).toEqual(firstIds)
    // stdout carries the data, so the --json summary goes to stderr.
    expect(parseJsonLine(result.stderr)).toMatchObject({ command: "export", resource: "contacts", records: 5 })
  })

  it("says at the end which --fields no exported record had, and exports them as empty", async () => {
    const toStdout = await run(["export", "contacts", "--limit", "5", "--fields", "id,emial,location.city"], { env })
    expect(toStdout.code).toBe(0)
    const lines = toStdout.stdout.trim().split("\n").map((line): unknown => JSON.parse(line))
    expect(lines).toHaveLength(5)
    for (const line of lines) expect(line).toMatchObject({ id: expect.any(String), emial: null })
    const warnings = toStdout.stderr.split("\n").filter((line) => line.startsWith("warning:"))
    expect(warnings).toEqual([
      "warning: --fields emial: no exported record has this field (written as null); did you mean email?"
    ])

    const cwd = dir()
    const toFile = await run(["export", "contacts", "--format", "csv", "--fields", "id,emial,nme,zzz", "--out", "c.csv", "--json"], { env, cwd })
    expect(toFile.code).toBe(0)
    expect(parseJsonLine(toFile.stdout)).toMatchObject({
      command: "export",
      records: 600,
      unmatchedFields: ["emial", "nme", "zzz"],
      fieldSuggestions: { emial: "email", nme: "name" }
    })
    const rows = Fs.readFileSync(Path.join(cwd, "c.csv"), "utf8").trim().split("\r\n")
    expect(rows[0]).toBe("id,emial,nme,zzz")
    expect(rows).toHaveLength(601)
    for (const row of rows.slice(1)) expect(row).toMatch(/^[^,]+,,,$/)

    const several = await run(["export", "contacts", "--limit", "2", "--fields", "id,emial,nme,zzz"], { env })
    expect(several.stderr.split("\n").filter((line) => line.startsWith("warning:"))).toEqual([
      "warning: --fields emial, nme, zzz: no exported record has these fields (written as null); did you mean email (for emial), name (for nme)?"
    ])
  })

  // Both encode each page into one reused buffer; stdout must carry every page, in order.
  it("writes to stdout the same bytes it writes to a file, page after page", async () => {
    for (const format of ["ndjson", "csv"]) {
      const cwd = dir()
      const toFile = await run(["export", "contacts", "--format", format, "--out", `all.${format}`], { env, cwd })
      const toStdout = await run(["export", "contacts", "--format", format], { env, cwd })
      expect([toFile.code, toStdout.code]).toEqual([0, 0])
      const file = Fs.readFileSync(Path.join(cwd, `all.${format}`), "utf8")
      expect(file.split("\n").filter((line) => line !== "").length).toBe(format === "csv" ? 601 : 600)
      expect(toStdout.stdout).toBe(file)
    }
  })

  // Counted as records pass and reported once their page is written (Sink.toStdout's afterWrite).
  it("a stdout export reports progress per page written, and the total once", async () => {
    const result = await run(["export", "contacts", "--format", "json", "--limit", "400", "--progress", "lines"], { env })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toHaveLength(400)
    const counts = result.stderr.split("\n").filter((line) => line.startsWith("progress:")).map((line) => line.match(/ (\d+)\/400 items/)?.[1])
    expect(counts).toEqual(["150", "300", "400"]) // no line for the closing bracket
    expect(result.stderr).toContain("exported 400 contacts to stdout (json)")
  })

  // The listing's total_count (capped by --limit) is the expected total; the ETA follows from it.
  it("progress says how many records to expect, and an ETA until the last", async () => {
    const cwd = dir()
    const progressOf = (stderr: string) => stderr.split("\n").filter((line) => line.startsWith("progress:"))
    const toFile = await run(["export", "contacts", "--out", "all.ndjson", "--progress", "lines"], { env, cwd })
    expect(toFile.code).toBe(0)
    const lines = progressOf(toFile.stderr)
    expect(lines.map((line) => line.match(/ (\d+\/\d+) items/)?.[1])).toEqual(["150/600", "300/600", "450/600", "600/600"])
    expect(lines.slice(0, -1).every((line) => / items, \d+\/s, ETA \d+(m\d+)?s,/.test(line))).toBe(true)
    expect(lines.at(-1)).not.toContain("ETA")

    const limited = await run(["export", "contacts", "--limit", "200", "--progress", "lines"], { env })
    expect(progressOf(limited.stderr).map((line) => line.match(/ (\d+\/\d+) items/)?.[1])).toEqual(["150/200", "200/200"])
  })

  it("writes every contact as one JSON array", async () => {
    const cwd = dir()
    const result = await run(["export", "contacts", "--format", "json", "--out", "all.json"], { env, cwd })
    expect(result.code).toBe(0)
    const records: unknown = JSON.parse(Fs.readFileSync(Path.join(cwd, "all.json"), "utf8"))
    expect(Array.isArray(records) && records.length).toBe(600)
  })

  it("exports companies through the scroll API", async () => {
    const cwd = dir()
    const result = await run(["export", "companies", "--out", "companies.ndjson"], { env, cwd })
    expect(result.code).toBe(0)
    const lines = Fs.readFileSync(Path.join(cwd, "companies.ndjson"), "utf8").trim().split("\n")
    expect(lines).toHaveLength(40)
    expect(new Set(lines.map((line) => Reflect.get(Object(JSON.parse(line)), "id"))).size).toBe(40)
  })

  it("--parallel exports the same records as a sequential run, each once", async () => {
    const cwd = dir()
    const result = await run(["export", "contacts", "--query", "role = user", "--parallel", "3", "--fields", "id", "--out", "p.ndjson", "--progress", "lines"], { env, cwd })
    expect(result.code).toBe(0)
    const ids = Fs.readFileSync(Path.join(cwd, "p.ndjson"), "utf8").trim().split("\n").map((line) => String(Reflect.get(Object(JSON.parse(line)), "id")))
    const expected = await searchIds(sandbox.info, { field: "role", operator: "=", value: "user" })
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual([...expected].sort())
    // The slices' totals add up to the expected total once every slice has answered.
    const progress = result.stderr.split("\n").filter((line) => line.startsWith("progress:"))
    expect(progress.at(-1)).toContain(` ${expected.length}/${expected.length} items`)
    expect(progress.every((line) => !line.includes(": 0 items"))).toBe(true)
  })

  it("Ctrl-C stops cleanly and --resume gives the same file as an uninterrupted run", async () => {
    const cwd = dir()
    const args = ["export", "contacts", "--format", "csv", "--fields", "id,email,role", "--out", "all.csv", "--progress", "lines"]
    const whole = await run([...args.slice(0, -4), "--out", "whole.csv"], { env, cwd })
    expect(whole.code).toBe(0)

    // Each request is slow; once the first page is written, requests stall so the signal lands mid-export.
    await configure({ latencyMs: 20 })
    const stopped = await run(args, {
      env, cwd,
      onStderr: { text: "progress:", then: async (signal) => {
        await configure({ latencyMs: 30_000 })
        signal()
      } }
    })
    await configure({ latencyMs: 0 })
    expect(stopped.code).toBe(4)
    expect(stopped.stderr).toContain("--resume")
    expect(Fs.existsSync(Path.join(cwd, "all.csv"))).toBe(false)
    expect(Fs.existsSync(Path.join(cwd, ".all.csv.intercom-fx.journal"))).toBe(true)

    const resumed = await run([...args, "--resume", "--json"], { env, cwd })
    expect(resumed.code).toBe(0)
    const summary = parseJsonLine(resumed.stdout)
    expect(summary.records).toBe(600)
    expect(summary.resumedFrom).toBeGreaterThan(0)
    expect(Fs.readFileSync(Path.join(cwd, "all.csv"), "utf8")).toBe(Fs.readFileSync(Path.join(cwd, "whole.csv"), "utf8"))
    expect(Fs.readdirSync(cwd).sort()).toEqual(["all.csv", "whole.csv"])
  })
})

describe("tag and untag", () => {
  const query = "role = lead AND location.country = Germany"
  const queryBody = {
    operator: "AND",
    value: [{ field: "role", operator: "=", value: "lead" }, { field: "location.country", operator: "=", value: "Germany" }]
  }

  it("untag by a name the workspace lacks is refused, naming a tag that differs only in case", async () => {
    const result = await run(["untag", "contacts", "--tag", "vip", "--query", query], { env })
    expect(result.code).toBe(2)
    expect(result.stderr.trim()).toBe(
      "intercom-fx: no tag named \"vip\" in this workspace, so nothing to untag (tag names are case-sensitive: did you mean \"VIP\"?)"
    )
    const unknown = await run(["untag", "contacts", "--tag", "no-such-tag", "--query", query], { env })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim()).toBe("intercom-fx: no tag named \"no-such-tag\" in this workspace, so nothing to untag")
  })

  it("--dry-run reports the matches and changes nothing, not even the tag", async () => {
    const expected = await searchIds(sandbox.info, queryBody)
    const result = await run(["tag", "contacts", "--tag", "dry", "--query", query, "--dry-run", "--json", "--progress", "lines"], { env })
    expect(result.code).toBe(0)
    expect(parseJsonLine(result.stdout)).toMatchObject({ matched: expected.length, wouldTagged: expected.length, failed: 0, wouldCreateTag: true })
    expect(await tagIdByName(sandbox.info, "dry")).toBeUndefined()
    const human = await run(["tag", "contacts", "--tag", "dry", "--query", query, "--dry-run"], { env })
    expect(human.stderr).toContain('the tag "dry" does not exist yet: a real run would create it')
    // The search's total_count is the expected total from the first match on.
    const progress = result.stderr.split("\n").filter((line) => line.startsWith("progress:"))
    expect(progress).toHaveLength(expected.length)
    expect(progress.every((line, i) => line.includes(` ${i + 1}/${expected.length} items`))).toBe(true)
  })

  it("a new tag whose name differs only in case from an existing one is created, and the summary says so", async () => {
    const result = await run(["tag", "contacts", "--tag", "NEWSLETTER", "--query", query], { env })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('created the tag "NEWSLETTER"')
    expect(result.stderr).toContain('note: the workspace also has a tag "Newsletter"; tag names are case-sensitive, so "NEWSLETTER" is another tag')
    const newsletter = await tagIdByName(sandbox.info, "Newsletter")
    const created = await tagIdByName(sandbox.info, "NEWSLETTER")
    expect(created).toBeDefined()
    expect(created).not.toBe(newsletter)
    const again = await run(["tag", "contacts", "--tag", "NEWSLETTER", "--query", query, "--json"], { env })
    expect(parseJsonLine(again.stdout)).toMatchObject({ createdTag: false, otherCaseTag: null, alreadyTagged: (await searchIds(sandbox.info, queryBody)).length })
    // Nothing matched, so nothing created: no note either.
    const nobody = await run(["tag", "contacts", "--tag", "newsletter", "--query", "email = \"nobody@nowhere.invalid\""], { env })
    expect([nobody.code, nobody.stderr]).toEqual([0, "tag \"newsletter\" on contacts: matched 0, tagged 0, already tagged 0, failed 0\n"])
  })

  // A real run creates the tag when the first target arrives, even one that then fails.
  it("a dry run over ids that do not exist still says the tag would be created", async () => {
    const cwd = dir()
    Fs.writeFileSync(Path.join(cwd, "ids.txt"), "no-such-contact\n")
    const dry = await run(["tag", "contacts", "--tag", "for-ghosts", "--ids", "ids.txt", "--dry-run", "--json"], { env, cwd })
    expect(parseJsonLine(dry.stdout)).toMatchObject({ matched: 1, failed: 1, wouldCreateTag: true })
    const real = await run(["tag", "contacts", "--tag", "for-ghosts", "--ids", "ids.txt", "--json"], { env, cwd })
    expect(parseJsonLine(real.stdout)).toMatchObject({ matched: 1, failed: 1, createdTag: true })
  })

  // GET /me answers both the admin a conversation tag is attributed to and the journal's workspace.
  it("tagging conversations asks GET /me once, and the conversation carries the tag", async () => {
    const cwd = dir()
    const listed = await api(sandbox.info, "GET", "/conversations?per_page=2")
    const ids = (Reflect.get(Object(listed), "conversations") as Array<{ id: string }>).map((conversation) => conversation.id)
    expect(ids).toHaveLength(2)
    Fs.writeFileSync(Path.join(cwd, "ids.txt"), ids.join("\n"))
    const meCalls = async () => (await Effect.runPromise(Sandbox.stats(sandbox.info).pipe(Effect.provide(NodeHttpClient.layerUndici)))).byRoute["GET /me"] ?? 0
    const before = await meCalls()
    const result = await run(["tag", "conversations", "--tag", "escalated", "--ids", "ids.txt", "--json"], { env, cwd })
    expect(result.code).toBe(0)
    expect(parseJsonLine(result.stdout)).toMatchObject({ matched: 2, tagged: 2, failed: 0 })
    expect(await meCalls()).toBe(before + 1)
    const tagId = await tagIdByName(sandbox.info, "escalated")
    for (const id of ids) {
      const tags = Reflect.get(Object(Reflect.get(Object(await api(sandbox.info, "GET", `/conversations/${id}`)), "tags")), "tags") as Array<{ id: string }>
      expect(tags.map((tag) => tag.id)).toContain(tagId)
    }
  })

  it("tags every match once, reports already-tagged on a rerun, and untag removes it", async () => {
    const expected = await searchIds(sandbox.info, queryBody)
    expect(expected.length).toBeGreaterThan(1)
    const first = await run(["tag", "contacts", "--tag", "germany-leads", "--query", query, "--json"], { env })
    expect(first.code).toBe(0)
    expect(parseJsonLine(first.stdout)).toMatchObject({ matched: expected.length, tagged: expected.length, alreadyTagged: 0, failed: 0 })
    const tagId = await tagIdByName(sandbox.info, "germany-leads")
    expect(tagId).toBeDefined()
    for (const id of expected) expect(await contactTagIds(sandbox.info, id)).toContain(tagId)

    const again = await run(["tag", "contacts", "--tag", "germany-leads", "--query", query, "--json"], { env })
    expect(parseJsonLine(again.stdout)).toMatchObject({ matched: expected.length, tagged: 0, alreadyTagged: expected.length })

    const untag = await run(["untag", "contacts", "--tag", "germany-leads", "--query", query, "--json"], { env })
    expect(untag.code).toBe(0)
    expect(parseJsonLine(untag.stdout)).toMatchObject({ matched: expected.length, untagged: expected.length })
    for (const id of expected) expect(await contactTagIds(sandbox.info, id)).not.toContain(tagId)
  })

  it("--ids: unknown ids fail with a reason, go to the failed-ids file, and that file feeds back in", async () => {
    const cwd = dir()
    const [good1 = "", good2 = ""] = await searchIds(sandbox.info, { field: "role", operator: "=", value: "user" })
    Fs.writeFileSync(Path.join(cwd, "ids.txt"), `# two real, one not\n${good1}\nnope-404\n${good2}\n`)
    const result = await run(["tag", "contacts", "--tag", "from-file", "--ids", "ids.txt", "--failed-ids", "failed.txt"], { env, cwd })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("matched 3, tagged 2, already tagged 0, failed 1")
    expect(result.stderr).toContain("not found")
    expect(Fs.readFileSync(Path.join(cwd, "failed.txt"), "utf8")).toBe("nope-404\n")
    const tagId = await tagIdByName(sandbox.info, "from-file")
    expect(await contactTagIds(sandbox.info, good1)).toContain(tagId)
    expect(await contactTagIds(sandbox.info, good2)).toContain(tagId)

    const retry = await run(["tag", "contacts", "--tag", "from-file", "--ids", "failed.txt", "--json", "--failed-ids", "failed2.txt"], { env, cwd })
    expect(retry.code).toBe(1)
    expect(parseJsonLine(retry.stdout)).toMatchObject({ matched: 1, failed: 1, failedIdsFile: "failed2.txt" })
  })

  it("--resume with nothing to resume says so and runs the whole job", async () => {
    const cwd = dir()
    const exported = await run(["export", "contacts", "--limit", "10", "--out", "ten.ndjson", "--resume"], { env, cwd })
    expect([exported.code, exported.stderr.trim()]).toEqual([
      0,
      "exported 10 contacts to ten.ndjson (ndjson); there was nothing to resume, so it started from the beginning"
    ])
    expect(Fs.readFileSync(Path.join(cwd, "ten.ndjson"), "utf8").trim().split("\n")).toHaveLength(10)

    const expected = await searchIds(sandbox.info, { field: "role", operator: "=", value: "lead" })
    const tagged = await run(["tag", "contacts", "--tag", "nothing-to-resume", "--query", "role = lead", "--resume", "--journal", "job.journal"], { env, cwd })
    expect(tagged.code).toBe(0)
    expect(tagged.stderr).toContain(`matched ${expected.length}, tagged ${expected.length}, already tagged 0, failed 0`)
    expect(tagged.stderr).toContain("there was nothing to resume (no journal job.journal), so the job started from the beginning")
    const tagId = await tagIdByName(sandbox.info, "nothing-to-resume")
    for (const id of expected) expect(await contactTagIds(sandbox.info, id)).toContain(tagId)
  })

  it("Ctrl-C then --resume tags exactly the same contacts as an uninterrupted run", async () => {
    const cwd = dir()
    const expected = await searchIds(sandbox.info, { field: "role", operator: "=", value: "lead" })
    const args = ["tag", "contacts", "--tag", "resumed", "--query", "role = lead", "--concurrency", "1", "--progress", "lines"]
    await configure({ latencyMs: 20 })
    const stopped = await run(args, {
      env, cwd,
      // The write in flight at Ctrl-C stalls (5-15 s with the sandbox's jitter), within the client's
      // 30 s timeout: the CLI waits for it and journals it. (A stall past the timeout would make the
      // write's outcome unknowable, and the count depend on which request number the stall hit.)
      onStderr: { text: "progress:", then: async (signal) => {
        await configure({ latencyMs: 10_000 })
        signal()
      } }
    })
    await configure({ latencyMs: 0 })
    expect(stopped.code).toBe(4)
    expect(stopped.stderr).toContain("--resume")
    const tagId = await tagIdByName(sandbox.info, "resumed")
    const taggedSoFar = (await Promise.all(expected.map((id) => contactTagIds(sandbox.info, id)))).filter((ids) => ids.includes(tagId ?? "")).length
    expect(taggedSoFar).toBeGreaterThan(0)
    expect(taggedSoFar).toBeLessThan(expected.length)

    // The journal records its workspace: resuming it against another one is refused, and it is kept.
    const [journal] = Fs.readdirSync(cwd).filter((name) => name.endsWith(".journal"))
    const kept = Fs.readFileSync(Path.join(cwd, journal ?? ""), "utf8")
    const other = await startSandbox({ contacts: 50, seed: 4242, rateLimit: 0 })
    try {
      const elsewhere = await run([...args, "--resume"], { env: workspaceEnv(other.info), cwd })
      expect(elsewhere.code).toBe(2)
      expect(elsewhere.stderr.trim()).toBe(
        `intercom-fx: the journal ${journal} belongs to another job or workspace: rerun that job's exact command with its token, or drop --resume`
      )
    } finally {
      await other.close()
    }
    expect(Fs.readFileSync(Path.join(cwd, journal ?? ""), "utf8")).toBe(kept)

    const resumed = await run([...args, "--resume", "--json"], { env, cwd })
    expect(resumed.code).toBe(0)
    // The same summary as one uninterrupted run: every match tagged once, none "already".
    expect(parseJsonLine(resumed.stdout)).toMatchObject({ matched: expected.length, tagged: expected.length, alreadyTagged: 0, failed: 0 })
    for (const id of expected) expect(await contactTagIds(sandbox.info, id)).toContain(tagId)
    expect(Fs.readdirSync(cwd)).toEqual([])
  })
})

describe("demo", () => {
  it("--json: one JSON object holding both summaries; an empty --tag is refused before anything is written", async () => {
    const cwd = dir()
    const result = await run(["demo", "--sandbox", "--json"], { cwd })
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split("\n")
    expect(lines).toHaveLength(1)
    const summary = parseJsonLine(result.stdout)
    expect(summary).toMatchObject({ command: "demo", export: { command: "export", records: 629 }, tag: { command: "tag", matched: 629, tagged: 629 } })
    expect(Fs.readFileSync(Path.join(cwd, "intercom-fx-demo.csv"), "utf8").trim().split("\r\n")).toHaveLength(630)

    const empty = dir()
    const refused = await run(["demo", "--sandbox", "--tag", " "], { cwd: empty })
    expect(refused.code).toBe(2)
    expect(refused.stderr.trim()).toBe("intercom-fx: --tag must not be empty")
    expect(Fs.readdirSync(empty)).toEqual([])
  })
})

describe("request", () => {
  it("an answer without a body (204) prints nothing on stdout, exit 0", async () => {
    const server = Http.createServer((_, response) => response.writeHead(204).end())
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const { port } = server.address() as { readonly port: number }
    try {
      const result = await run(["request", "DELETE", "/contacts/c1"], { env: { INTERCOM_BASE_URL: `http://127.0.0.1:${port}`, INTERCOM_ACCESS_TOKEN: TOKEN } })
      expect([result.code, result.stdout, result.stderr]).toEqual([0, "", ""])
    } finally {
      server.close()
    }
  })
})

describe("errors and exit codes", () => {
  it("no token and no --sandbox: one line naming INTERCOM_ACCESS_TOKEN and --sandbox, exit 2", async () => {
    const result = await run(["export", "contacts"], { env: { INTERCOM_BASE_URL: sandbox.info.baseUrl } })
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split("\n")).toHaveLength(1)
    expect(result.stderr).toContain("INTERCOM_ACCESS_TOKEN")
    expect(result.stderr).toContain("--sandbox")
  })

  it.skipIf(!Fs.existsSync("/dev/full"))("stdout that cannot be written (a full disk behind >): one line, exit 1", async () => {
    // Spawned, not spawnSync: the sandbox answering the child runs in this process.
    const full = Fs.openSync("/dev/full", "w")
    const child = ChildProcess.spawn(process.execPath, [bin, "export", "contacts", "--limit", "5"], {
      env: { PATH: process.env.PATH ?? "", INTERCOM_BASE_URL: sandbox.info.baseUrl, INTERCOM_ACCESS_TOKEN: TOKEN },
      stdio: ["ignore", full, "pipe"]
    })
    let stderr = ""
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
    Fs.closeSync(full)
    expect(code).toBe(1)
    expect(stderr.trim().split("\n")).toEqual(["intercom-fx: cannot write to stdout: ENOSPC: no space left on device, write"])
  })

  // ulimit -f stands in for a full disk: the write fails with EFBIG once the partial file reaches 300 KB (after the first page).
  it("an --out that fills the disk: one line, exit 1, the old file kept, and --resume finishes the same file", async () => {
    const cwd = dir()
    Fs.writeFileSync(Path.join(cwd, "all.ndjson"), "last week's export\n")
    const child = ChildProcess.spawn("bash", ["-c", "ulimit -f 300; exec \"$0\" \"$@\"", process.execPath, bin, "export", "contacts", "--out", "all.ndjson"], {
      cwd, env: { PATH: process.env.PATH ?? "", INTERCOM_BASE_URL: sandbox.info.baseUrl, INTERCOM_ACCESS_TOKEN: TOKEN }, stdio: ["ignore", "ignore", "pipe"]
    })
    let stderr = ""
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
    expect(code).toBe(1)
    expect(stderr.trim().split("\n")).toEqual([
      "intercom-fx: cannot write .all.ndjson.intercom-fx.partial: file too large (EFBIG): raise the file-size limit (ulimit -f), then rerun the same command with --resume (it starts afresh if nothing was kept)"
    ])
    expect(Fs.existsSync(Path.join(cwd, ".all.ndjson.intercom-fx.journal"))).toBe(true)
    expect(Fs.readFileSync(Path.join(cwd, "all.ndjson"), "utf8")).toBe("last week's export\n")

    const resumed = await run(["export", "contacts", "--out", "all.ndjson", "--resume", "--json"], { env, cwd })
    expect(resumed.code).toBe(0)
    expect(parseJsonLine(resumed.stdout).resumedFrom).toBeGreaterThan(0)
    const whole = await run(["export", "contacts", "--out", "whole.ndjson"], { env, cwd })
    expect(whole.code).toBe(0)
    expect(Fs.readFileSync(Path.join(cwd, "all.ndjson"), "utf8")).toBe(Fs.readFileSync(Path.join(cwd, "whole.ndjson"), "utf8"))
  })

  it("a sandbox that cannot start (its port is taken): one line, exit 2", async () => {
    const port = new URL(sandbox.info.baseUrl).port
    const result = await run(["sandbox", "--port", port, "--contacts", "10"])
    expect(result.code).toBe(2)
    expect(result.stderr.trim()).toBe(`intercom-fx: sandbox: Cannot listen on 127.0.0.1:${port}: the port is already in use`)
  })

  it("--fields that names no field (an empty shell variable): one line, exit 2, nothing written", async () => {
    const cwd = dir()
    const result = await run(["export", "contacts", "--fields", " , ", "--out", "all.ndjson"], { env, cwd })
    expect([result.code, result.stderr.trim()]).toEqual([
      2,
      "intercom-fx: --fields names no field: give dotted paths such as id,email,location.city, or leave it out for every field"
    ])
    expect(Fs.readdirSync(cwd)).toEqual([])
  })

  it("a file it cannot write: one line naming the option, exit 2, before any request", async () => {
    const cwd = dir()
    const intoDirectory = await run(["export", "contacts", "--out", cwd], { env })
    expect([intoDirectory.code, intoDirectory.stderr.trim()]).toEqual([2, `intercom-fx: --out ${cwd} is a directory: name a file`])
    const missing = Path.join(cwd, "no-such-dir")
    const noDirectory = await run(["export", "contacts", "--out", Path.join(missing, "all.ndjson")], { env })
    expect(noDirectory.code).toBe(2)
    expect(noDirectory.stderr.trim()).toBe(`intercom-fx: --out ${Path.join(missing, "all.ndjson")}: directory ${missing} does not exist`)
    // A tag job would otherwise tag every contact, then fail to write the ids that failed.
    const tag = await run(
      ["tag", "contacts", "--tag", "never-created", "--query", "role = lead", "--failed-ids", Path.join(missing, "failed.txt")],
      { env, cwd }
    )
    expect(tag.code).toBe(2)
    expect(tag.stderr.trim()).toBe(`intercom-fx: --failed-ids ${Path.join(missing, "failed.txt")}: directory ${missing} does not exist`)
    expect(await tagIdByName(sandbox.info, "never-created")).toBeUndefined()
    expect(Fs.readdirSync(cwd)).toEqual([])
  })

  it("a token the workspace rejects: exit 3", async () => {
    const result = await run(["request", "GET", "/me"], { env: workspaceEnv(sandbox.info, "wrong-token") })
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/^intercom-fx: .*401/)
    expect(result.stderr.trim().split("\n")).toHaveLength(1)
  })

  it("bad flags, bad queries, bad settings and bad files: exit 2 with one line", async () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, Record<string, string>, string]> = [
      [["export", "contacts", "--frobnicate"], env, "frobnicate"],
      [["export", "contacts", "--query", "emial = x"], env, "column 1"],
      [["export", "companies", "--query", "name = x"], env, "--query"],
      [["export", "contacts", "--format", "xml"], env, '--format "xml" is not allowed: use ndjson, csv or json'],
      [["export"], env, "Missing argument <resource>; see intercom-fx export --help"],
      [["sandbox", "--port", "abc"], env, '--port "abc" is not a whole number'],
      [["export", "contacts", "--token-file", "/nonexistent/token"], { INTERCOM_BASE_URL: sandbox.info.baseUrl }, "--token-file"],
      [["export", "contacts"], { ...env, INTERCOM_BASE_URL: "http://example.com" }, "https"],
      [["tag", "contacts", "--tag", "x"], env, "--query"],
      [["request", "FETCH", "/me"], env, "METHOD"]
    ]
    for (const [args, caseEnv, mention] of cases) {
      const result = await run(args, { env: caseEnv })
      expect({ args, code: result.code }).toEqual({ args, code: 2 })
      expect(result.stderr).toContain(mention)
      expect(result.stderr).toMatch(/^intercom-fx: [^\n]+\n$/) // one line, prefixed
    }
  })

  it("--token-file supplies the token", async () => {
    const cwd = dir()
    Fs.writeFileSync(Path.join(cwd, "token"), `${TOKEN}\n`)
    const result = await run(["request", "GET", "/me", "--token-file", "token"], { env: { INTERCOM_BASE_URL: sandbox.info.baseUrl }, cwd })
    expect(result.code).toBe(0)
    expect(Reflect.get(Object(JSON.parse(result.stdout)), "type")).toBe("admin")
  })

  it("an API error on request: one line with the status, exit 1", async () => {
    const result = await run(["request", "GET", "/contacts/does-not-exist"], { env })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^intercom-fx: .*404/)
  })

  it("--help documents examples and exit codes", async () => {
    const result = await run(["tag", "--help"])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("Examples:")
    expect(result.stdout).toContain("4 interrupted")
    // The usage line can be run as shown; flags are described by what they do, not their type.
    expect(result.stdout).toContain("\n$ intercom-fx tag (-t, --tag text)")
    expect(result.stdout).toContain("(-t, --tag text)\n\n  The tag's name.")
    expect(result.stdout).not.toContain("A user-defined piece of text")

    // The sandbox's normal end is Ctrl-C: no "interrupted" code to document.
    const sandboxHelp = await run(["sandbox", "--help"])
    expect(sandboxHelp.stdout).toContain("Exit codes: 0 stopped (Ctrl-C or SIGTERM); 2 usage error")
    expect(sandboxHelp.stdout).not.toContain("4 interrupted")
  })

  // The subprocess's stdout and stderr are pipes: no terminal styling should reach them.
  it("prints help and usage errors without ANSI escapes when the output is not a terminal", async () => {
    const help = await run(["export", "--help"])
    expect(help.stdout).toContain("USAGE")
    expect(help.stdout).not.toContain("\x1b[")
    const usage = await run(["export", "contacts", "--format", "xml"])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--format "xml" is not allowed')
    expect(usage.stderr).not.toContain("\x1b[")
  })
})

describe("--sandbox", () => {
  it("runs a command against the embedded sandbox without any token", async () => {
    const result = await run(["export", "tags", "--sandbox", "--format", "json"])
    expect(result.code).toBe(0)
    expect(Array.isArray(JSON.parse(result.stdout))).toBe(true)
  })
})
