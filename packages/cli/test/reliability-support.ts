/**
 * Reliability scenarios (issue #9), shared by the fast `npm test` cases
 * (`reliability-*.test.ts`) and the long `npm run chaos` runs (`chaos/run.ts`).
 *
 * Everything is black-box: the BUILT CLI runs as a subprocess against an in-process
 * sandbox; outcomes are checked through files, exit codes, stderr lines and the sandbox's
 * own API. Nothing depends on wall-clock timing: a "random" kill -9 lands after the k-th
 * progress line, with k drawn from a seeded PRNG. Scenarios do not assert themselves;
 * they return the list of problems they saw (empty = pass), so a vitest case and the
 * chaos runner can report them the same way.
 */
import type { Sandbox } from "@intercom-fx/sandbox"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { bin, TOKEN } from "./harness.js"

// ---------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a tiny deterministic PRNG; `next(n)` is an integer in [0, n). */
export const prng = (seed: number) => {
  let a = seed >>> 0
  return (n: number): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
  }
}

// ---------------------------------------------------------------------------------------
// Running the CLI

export interface CliResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** Whether we killed it (kill -9) before it finished by itself. */
  readonly killed: boolean
}

export interface CliOptions {
  readonly env: Readonly<Record<string, string>>
  readonly cwd: string
  /** kill -9 the CLI once this many stderr lines starting with `progress:` have appeared. */
  readonly killAfterProgress?: number
  /** Every stdout/stderr text is also pushed here (to prove the token never appears). */
  readonly transcript?: Array<string>
}

/** Runs the built CLI; optionally kill -9s it at a progress line (a crash at a seeded moment). */
export const cli = (args: ReadonlyArray<string>, options: CliOptions): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    let progress = 0
    let killed = false
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      const before = stderr
      stderr += chunk
      if (options.killAfterProgress === undefined || killed) return
      // Count complete progress lines only.
      const lines = stderr.split("\n").slice(0, -1)
      progress = lines.filter((line) => line.startsWith("progress:")).length
      if (progress >= options.killAfterProgress && before !== stderr) {
        killed = child.kill("SIGKILL")
      }
    })
    child.on("error", reject)
    child.on("close", (code, signal) => {
      options.transcript?.push(stdout, stderr)
      resolve({ code, signal, stdout, stderr, killed: killed && signal === "SIGKILL" })
    })
  })

/** The environment pointing the CLI at a sandbox with the recognisable test token. */
export const envFor = (info: Sandbox.SandboxInfo, extra: Readonly<Record<string, string>> = {}): Record<string, string> => ({
  INTERCOM_BASE_URL: info.baseUrl,
  INTERCOM_ACCESS_TOKEN: TOKEN,
  ...extra
})

/** The last line of `text` parsed as a JSON object (the `--json` summary). */
export const lastJson = (text: string): Record<string, unknown> => {
  const line = text.trim().split("\n").pop() ?? ""
  try {
    const parsed: unknown = JSON.parse(line)
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? Object.fromEntries(Object.entries(parsed)) : {}
  } catch {
    return {}
  }
}

// ---------------------------------------------------------------------------------------
// The sandbox's API (direct, for expected state) and inspection routes

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === "object" ? Reflect.get(value, key) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])

export const api = async (info: Sandbox.SandboxInfo, method: string, path: string, body?: unknown): Promise<unknown> => {
  const response = await fetch(info.baseUrl + path, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", Accept: "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 200)}`)
  return text === "" ? undefined : JSON.parse(text)
}

/** Changes the sandbox's faults, latency or rate limit at runtime. */
export const configure = async (info: Sandbox.SandboxInfo, settings: Sandbox.RuntimeSettings): Promise<void> => {
  const response = await fetch(`${info.baseUrl}/__sandbox/config`, { method: "POST", body: JSON.stringify(settings) })
  if (!response.ok) throw new Error(`configure → ${response.status}`)
}

export interface Stats {
  readonly requests: number
  readonly byRoute: Readonly<Record<string, number>>
  readonly byStatus: Readonly<Record<string, number>>
}

export const stats = async (info: Sandbox.SandboxInfo): Promise<Stats> => {
  const body: unknown = await (await fetch(`${info.baseUrl}/__sandbox/stats`)).json()
  const record = (value: unknown): Record<string, number> =>
    Object.fromEntries(Object.entries(Object(value)).map(([k, v]) => [k, Number(v)]))
  return { requests: Number(field(body, "requests")), byRoute: record(field(body, "byRoute")), byStatus: record(field(body, "byStatus")) }
}

/** Faulted requests seen by the sandbox so far (from its request log, last 1,000). */
export const faultCount = async (info: Sandbox.SandboxInfo): Promise<number> => {
  const body: unknown = await (await fetch(`${info.baseUrl}/__sandbox/log?limit=1000`)).json()
  return list(field(body, "data")).filter((entry) => field(entry, "fault") !== undefined).length
}

/** Every contact id in listing order (cursor pages, no faults expected). */
export const allContactIds = async (info: Sandbox.SandboxInfo): Promise<Array<string>> => {
  const ids: Array<string> = []
  let cursor: unknown = undefined
  do {
    const page = await api(info, "GET", `/contacts?per_page=150${typeof cursor === "string" ? `&starting_after=${cursor}` : ""}`)
    for (const record of list(field(page, "data"))) ids.push(String(field(record, "id")))
    cursor = field(field(field(page, "pages"), "next"), "starting_after")
  } while (typeof cursor === "string")
  return ids
}

/** Ids of every contact a search body matches. */
export const searchIds = async (info: Sandbox.SandboxInfo, query: unknown): Promise<Array<string>> => {
  const ids: Array<string> = []
  let cursor: unknown = undefined
  do {
    const page = await api(info, "POST", "/contacts/search", {
      query,
      pagination: typeof cursor === "string" ? { per_page: 150, starting_after: cursor } : { per_page: 150 }
    })
    for (const record of list(field(page, "data"))) ids.push(String(field(record, "id")))
    cursor = field(field(field(page, "pages"), "next"), "starting_after")
  } while (typeof cursor === "string")
  return ids
}

/** Every company id, through one fault-free scroll (the company lists only show companies with users). */
export const allCompanyIds = async (info: Sandbox.SandboxInfo): Promise<Array<string>> => {
  const ids: Array<string> = []
  let param: unknown = undefined
  for (;;) {
    const body = await api(info, "GET", typeof param === "string" ? `/companies/scroll?scroll_param=${encodeURIComponent(param)}` : "/companies/scroll")
    const data = list(field(body, "data"))
    for (const record of data) ids.push(String(field(record, "id")))
    param = field(body, "scroll_param")
    if (data.length === 0 || typeof param !== "string") return ids
  }
}

/** Every article id, page by page (page numbers, 50 per page, no faults expected). */
export const allArticleIds = async (info: Sandbox.SandboxInfo): Promise<Array<string>> => {
  const ids: Array<string> = []
  for (let page = 1; ; page++) {
    const body = await api(info, "GET", `/articles?page=${page}&per_page=50`)
    const data = list(field(body, "data"))
    for (const record of data) ids.push(String(field(record, "id")))
    const total = Number(field(field(body, "pages"), "total_pages"))
    if (data.length === 0 || !(page < total)) return ids
  }
}

export const tagIdByName = async (info: Sandbox.SandboxInfo, name: string): Promise<string | undefined> => {
  const found = list(field(await api(info, "GET", "/tags"), "data")).find((tag) => field(tag, "name") === name)
  return found === undefined ? undefined : String(field(found, "id"))
}

/** Ids of the contacts that carry a tag, by search on `tag_id`. */
export const taggedContactIds = async (info: Sandbox.SandboxInfo, tagName: string): Promise<Array<string>> => {
  const tagId = await tagIdByName(info, tagName)
  return tagId === undefined ? [] : searchIds(info, { field: "tag_id", operator: "=", value: tagId })
}

// ---------------------------------------------------------------------------------------
// Comparing id lists

/** The ids of an NDJSON text (one record per line). */
export const ndjsonIds = (text: string): Array<string> =>
  text.split("\n").filter((line) => line.trim() !== "").map((line) => String(field(JSON.parse(line), "id")))

/** What is wrong with `actual` as a duplicate-free permutation of `expected`. */
export const idProblems = (label: string, actual: ReadonlyArray<string>, expected: ReadonlyArray<string>): Array<string> => {
  const problems: Array<string> = []
  const seen = new Set<string>()
  const duplicates = new Set<string>()
  for (const id of actual) (seen.has(id) ? duplicates : seen).add(id)
  const wanted = new Set(expected)
  const missing = expected.filter((id) => !seen.has(id))
  const extra = [...seen].filter((id) => !wanted.has(id))
  const sample = (ids: Iterable<string>) => [...ids].slice(0, 3).join(", ")
  if (duplicates.size > 0) problems.push(`${label}: ${duplicates.size} duplicate ids (e.g. ${sample(duplicates)})`)
  if (missing.length > 0) problems.push(`${label}: ${missing.length} of ${expected.length} ids missing (e.g. ${sample(missing)})`)
  if (extra.length > 0) problems.push(`${label}: ${extra.length} unexpected ids (e.g. ${sample(extra)})`)
  return problems
}

/** Stack-trace lines (`    at f (file:1:2)`) in a text. */
export const hasStackTrace = (text: string): boolean => /\n\s+at\s/.test(`\n${text}`)

/** The non-blank lines of a text. */
export const lines = (text: string): Array<string> => text.split(/\r?\n/).filter((line) => line.trim() !== "")

// ---------------------------------------------------------------------------------------
// Files

/** Every file in a directory (dotfiles included, recursively), for the token check. */
export const filesUnder = (dir: string): Array<string> =>
  Fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(Path.join(dir, entry.name)) : [Path.join(dir, entry.name)])

/** Where `--out FILE` keeps its partial output and checkpoint (README: `.FILE.intercom-fx.partial|journal`). */
export const partialOf = (out: string): string => Path.join(Path.dirname(out), `.${Path.basename(out)}.intercom-fx.partial`)
export const journalOf = (out: string): string => Path.join(Path.dirname(out), `.${Path.basename(out)}.intercom-fx.journal`)

// ---------------------------------------------------------------------------------------
// Scenario: kill -9 an export at seeded moments, then --resume

export interface CrashExportOptions {
  readonly info: Sandbox.SandboxInfo
  readonly cwd: string
  /** The export's arguments without --out/--resume/--progress, e.g. ["export", "contacts", "--format", "csv"]. */
  readonly args: ReadonlyArray<string>
  readonly seed: number
  /** How many times to crash it before letting a run finish. */
  readonly crashes: number
  /** Upper bound for the progress line to crash at (≈ the number of pages). */
  readonly pages: number
  readonly extraEnv?: Readonly<Record<string, string>>
  readonly transcript?: Array<string>
  /** After each kill, also append seeded junk to the partial file (half a page written, never checkpointed). */
  readonly tamper?: boolean
}

export interface CrashReport {
  readonly problems: Array<string>
  /** Runs that we actually killed (the others finished before the signal). */
  readonly kills: number
  readonly runs: number
}

/**
 * An uninterrupted run writes `reference`; then the same export is killed (SIGKILL) after
 * the k-th progress line, `crashes` times, each rerun with --resume; the last rerun must
 * finish. The result must equal the reference byte for byte; after every kill there must
 * be no file under the final name; --resume must never refuse the journal; at the end only
 * the final file (and the reference) are left.
 */
export const crashExport = async (options: CrashExportOptions): Promise<CrashReport> => {
  const problems: Array<string> = []
  const env = envFor(options.info, options.extraEnv)
  const run = (args: ReadonlyArray<string>, killAfterProgress?: number) =>
    cli([...options.args, ...args, "--progress", "lines"], {
      env, cwd: options.cwd,
      ...(killAfterProgress === undefined ? {} : { killAfterProgress }),
      ...(options.transcript === undefined ? {} : { transcript: options.transcript })
    })
  const reference = Path.join(options.cwd, "reference.out")
  const out = Path.join(options.cwd, "crashed.out")
  const whole = await run(["--out", "reference.out"])
  if (whole.code !== 0) return { problems: [`uninterrupted run: exit ${whole.code}: ${lines(whole.stderr).slice(-2).join(" | ")}`], kills: 0, runs: 1 }
  const random = prng(options.seed)
  let kills = 0
  let runs = 1
  let finished = false
  for (let crash = 0; crash < options.crashes && !finished; crash++) {
    // Progress line 1 is the resumed count on a rerun. Each run has about half the pages
    // of the one before left, so the range halves too (most runs are then really killed).
    const at = 1 + random(Math.max(1, Math.floor(options.pages / 2 ** crash)))
    const result = await run(["--out", "crashed.out", ...(crash === 0 ? [] : ["--resume"])], at)
    runs++
    if (result.killed) {
      kills++
      if (Fs.existsSync(out)) problems.push(`crash ${crash} (after progress line ${at}): a file exists under the final name`)
      const partial = partialOf(out)
      if (options.tamper === true && Fs.existsSync(partial)) {
        Fs.appendFileSync(partial, "{\"id\":\"half-written\",\"email\":\"x@y\"}\n1,\"two\",thr".slice(0, 1 + random(50)))
      }
    } else if (result.code === 0) {
      finished = true
    } else {
      problems.push(`crash ${crash}: run ended by itself with exit ${result.code}: ${lines(result.stderr).slice(-2).join(" | ")}`)
    }
  }
  if (!finished) {
    const last = await run(["--out", "crashed.out", "--resume"])
    runs++
    if (last.code !== 0) problems.push(`final --resume: exit ${last.code}: ${lines(last.stderr).slice(-2).join(" | ")}`)
  }
  if (!Fs.existsSync(out)) {
    problems.push("no output file after the final run")
  } else {
    const got = Fs.readFileSync(out)
    const want = Fs.readFileSync(reference)
    if (!got.equals(want)) {
      problems.push(`resumed file differs from the uninterrupted run (${got.length} vs ${want.length} bytes)`)
    }
  }
  const left = Fs.readdirSync(options.cwd).filter((name) => name !== "reference.out" && name !== "crashed.out")
  if (left.length > 0) problems.push(`left behind: ${left.join(", ")}`)
  return { problems, kills, runs }
}

// ---------------------------------------------------------------------------------------
// Scenario: kill -9 a bulk tag at seeded moments, then --resume

export interface CrashTagOptions {
  readonly info: Sandbox.SandboxInfo
  readonly cwd: string
  readonly tag: string
  /** The selection, e.g. ["--query", "role = user"] or ["--ids", "ids.txt"]. */
  readonly select: ReadonlyArray<string>
  /** The ids the selection must tag. */
  readonly expected: ReadonlyArray<string>
  readonly seed: number
  readonly crashes: number
  readonly concurrency: number
  readonly extraEnv?: Readonly<Record<string, string>>
  readonly transcript?: Array<string>
  /** After each kill, also tear the journal's last line (a write cut short by the kill). */
  readonly tearJournal?: boolean
}

/**
 * Tags, killing the job `crashes` times after a seeded progress line and rerunning with
 * --resume. At the end every expected id carries the tag and no other contact does; the
 * final summary counts every target once (tagged + already tagged = matched = expected,
 * 0 failed); --resume never refused the journal; nothing is left in the directory.
 */
export const crashTag = async (options: CrashTagOptions): Promise<CrashReport> => {
  const problems: Array<string> = []
  const env = envFor(options.info, options.extraEnv)
  const args = ["tag", "contacts", "--tag", options.tag, ...options.select, "--concurrency", String(options.concurrency), "--progress", "lines"]
  const run = (extra: ReadonlyArray<string>, killAfterProgress?: number) =>
    cli([...args, ...extra], {
      env, cwd: options.cwd,
      ...(killAfterProgress === undefined ? {} : { killAfterProgress }),
      ...(options.transcript === undefined ? {} : { transcript: options.transcript })
    })
  const random = prng(options.seed)
  let kills = 0
  let runs = 0
  let final: CliResult | undefined
  for (let crash = 0; crash < options.crashes && final === undefined; crash++) {
    const at = 1 + random(Math.max(1, Math.floor(options.expected.length / 2 ** (crash + 1))))
    const result = await run([...(crash === 0 ? [] : ["--resume"]), "--json"], at)
    runs++
    if (result.killed) {
      kills++
      if (options.tearJournal === true) {
        for (const name of Fs.readdirSync(options.cwd).filter((name) => name.endsWith(".journal"))) {
          Fs.appendFileSync(Path.join(options.cwd, name), "{\"id\":\"torn-by-kill\",\"outcome\":\"done\"}".slice(0, 1 + random(30)))
        }
      }
    } else if (result.code === 0) final = result
    else problems.push(`crash ${crash}: run ended by itself with exit ${result.code}: ${lines(result.stderr).slice(-2).join(" | ")}`)
  }
  if (final === undefined) {
    final = await run(["--resume", "--json"])
    runs++
    if (final.code !== 0) problems.push(`final --resume: exit ${final.code}: ${lines(final.stderr).slice(-2).join(" | ")}`)
  }
  const summary = lastJson(final.stdout)
  const total = Number(summary.tagged) + Number(summary.alreadyTagged)
  if (summary.matched !== options.expected.length || total !== options.expected.length || summary.failed !== 0) {
    problems.push(`summary ${JSON.stringify({ matched: summary.matched, tagged: summary.tagged, alreadyTagged: summary.alreadyTagged, failed: summary.failed })}, expected ${options.expected.length} matched, all tagged, 0 failed`)
  }
  problems.push(...idProblems("tagged contacts", await taggedContactIds(options.info, options.tag), options.expected))
  const left = Fs.readdirSync(options.cwd).filter((name) => !name.endsWith(".txt"))
  if (left.length > 0) problems.push(`left behind: ${left.join(", ")}`)
  return { problems, kills, runs }
}

// ---------------------------------------------------------------------------------------
// CSV: a tiny RFC 4180 reader (no dependency), for round trips

/** Parses RFC 4180 CSV (CRLF or LF records, `"`-quoted fields with `""` escapes) into rows. */
export const parseCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let cell = ""
  let quoted = false
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (quoted) {
      if (c === "\"") {
        if (text[i + 1] === "\"") {
          cell += "\""
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      cell += c
      i++
      continue
    }
    if (c === "\"" && cell === "") {
      quoted = true
      i++
    } else if (c === ",") {
      row.push(cell)
      cell = ""
      i++
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ""
      i += 2
    } else if (c === "\n") {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ""
      i++
    } else {
      if (c === "\"") throw new Error(`stray quote at offset ${i}`)
      cell += c
      i++
    }
  }
  if (quoted) throw new Error("unterminated quoted field")
  if (cell !== "" || row.length > 0) {
    row.push(cell)
    rows.push(row)
  }
  return rows
}

/** What a spreadsheet-safe CSV cell of `text` should read back as (README: formula starts get a `'`). */
export const neutralised = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text)

// ---------------------------------------------------------------------------------------
// Bad input: a table of invalid commands, each answered with one line and exit 2, before any request

export interface BadInput {
  readonly name: string
  readonly args: ReadonlyArray<string>
  /** Environment on top of the sandbox's (URL and token); a key set to "" is removed. */
  readonly env?: Readonly<Record<string, string | null>>
  /** Files to create in the working directory first. */
  readonly files?: Readonly<Record<string, string>>
  /** Text the one line must contain (what to fix). */
  readonly mentions: ReadonlyArray<string>
  /** In the fast `npm test` subset (the chaos run takes all). */
  readonly fast?: boolean
}

const tooDeep = `role = lead AND (email ~ "a" OR (name ~ "b" AND (phone ~ "1" OR phone ~ "2")))`
const tooWide = Array.from({ length: 16 }, (_, i) => `name ~ "n${i}"`).join(" AND ")

export const badInputs: ReadonlyArray<BadInput> = [
  // --query: malformed, unknown fields and operators, too deep / too wide
  { name: "unknown field", args: ["export", "contacts", "--query", "location.planet = Mars"], mentions: ["invalid --query", "column 1"], fast: true },
  { name: "unknown operator word", args: ["export", "contacts", "--query", "role LIKE lead"], mentions: ["invalid --query", "column 6"] },
  { name: "doubled operator", args: ["export", "contacts", "--query", "role ~~ lead"], mentions: ["invalid --query", "column 7"] },
  { name: "missing value", args: ["export", "contacts", "--query", "role = "], mentions: ["invalid --query", "end of input"] },
  { name: "unclosed group", args: ["export", "contacts", "--query", "(role = lead"], mentions: ["invalid --query", "expected )"] },
  { name: "unterminated string", args: ["export", "contacts", "--query", "email ~ \"unterminated"], mentions: ["invalid --query", "unterminated", "column 9"] },
  { name: "operator wrong for the field's type", args: ["export", "contacts", "--query", "role > lead"], mentions: ["invalid --query", "not allowed on role"] },
  { name: ">= on a date", args: ["export", "contacts", "--query", "created_at >= 2024-01-01"], mentions: ["invalid --query", "by day"] },
  { name: "not a date", args: ["export", "contacts", "--query", "created_at > yesterday"], mentions: ["invalid --query", "column"] },
  { name: "dangling AND", args: ["export", "contacts", "--query", "role = lead AND AND role = user"], mentions: ["invalid --query", "column 17"] },
  { name: "unclosed IN list", args: ["export", "contacts", "--query", "custom_attributes.plan IN [\"a\","], mentions: ["invalid --query"] },
  { name: "too deep (3 levels)", args: ["export", "contacts", "--query", tooDeep], mentions: ["invalid --query", "deep"], fast: true },
  { name: "too wide (16 filters)", args: ["export", "contacts", "--query", tooWide], mentions: ["invalid --query", "15"], fast: true },
  { name: "contact field on conversations", args: ["export", "conversations", "--query", "role = lead"], mentions: ["invalid --query"] },
  { name: "bad query on tag", args: ["tag", "contacts", "--tag", "x", "--query", "emial = y"], mentions: ["invalid --query", "column 1"], fast: true },
  { name: "bad query on untag --dry-run", args: ["untag", "contacts", "--tag", "x", "--dry-run", "--query", "role = "], mentions: ["invalid --query"] },
  // flags and values
  { name: "--wizard without a terminal", args: ["export", "--wizard"], mentions: ["--wizard needs a terminal"], fast: true },
  { name: "unknown flag", args: ["tag", "contacts", "--tag", "x", "--ids", "ids.txt", "--frobnicate"], mentions: ["frobnicate", "see intercom-fx tag --help"] },
  { name: "--limit not a number", args: ["export", "contacts", "--limit", "abc"], mentions: ['--limit "abc"', "whole number"], fast: true },
  { name: "--limit negative", args: ["export", "contacts", "--limit", "-1"], mentions: ["--limit"] },
  { name: "--parallel 0", args: ["export", "contacts", "--parallel", "0"], mentions: ["--parallel"] },
  { name: "--parallel on a non-searchable resource", args: ["export", "companies", "--parallel", "2"], mentions: ["--parallel"] },
  { name: "unknown resource", args: ["export", "widgets"], mentions: ['resource "widgets"', "contacts"], fast: true },
  { name: "--since not a date", args: ["export", "contacts", "--since", "banana"], mentions: ["--since", "YYYY-MM-DD"], fast: true },
  { name: "--since on records without dates", args: ["export", "admins", "--since", "2020-01-01"], mentions: ["--since cannot select admins", "no updated_at"], fast: true },
  { name: "--progress value", args: ["export", "contacts", "--progress", "loud"], mentions: ['--progress "loud"', "auto, lines or off"] },
  { name: "--resume to stdout", args: ["export", "contacts", "--resume"], mentions: ["--resume", "--out"] },
  { name: "notes without --contact", args: ["export", "notes"], mentions: ["--contact"] },
  { name: "--contact on contacts", args: ["export", "contacts", "--contact", "abc"], mentions: ["--contact selects whose notes"], fast: true },
  { name: "--data on a GET", args: ["request", "GET", "/contacts", "--data", "{}"], mentions: ["a GET sends no body"] },
  { name: "empty --tag", args: ["tag", "contacts", "--tag", " ", "--query", "role = lead"], mentions: ["--tag"] },
  { name: "--query and --ids", args: ["tag", "contacts", "--tag", "x", "--query", "role = lead", "--ids", "ids.txt"], mentions: ["--query", "--ids"], files: { "ids.txt": "a\n" } },
  { name: "--concurrency 0", args: ["tag", "contacts", "--tag", "x", "--ids", "ids.txt", "--concurrency", "0"], mentions: ["--concurrency"], files: { "ids.txt": "a\n" } },
  { name: "--query on companies", args: ["tag", "companies", "--tag", "x", "--query", "name = x"], mentions: ["--ids"] },
  { name: "untaggable resource", args: ["tag", "tags", "--tag", "x", "--ids", "ids.txt"], mentions: ["contacts"], files: { "ids.txt": "a\n" } },
  { name: "--ids missing file", args: ["tag", "contacts", "--tag", "x", "--ids", "missing.txt"], mentions: ["missing.txt", "does not exist"], fast: true },
  { name: "--ids file with no ids", args: ["tag", "contacts", "--tag", "x", "--ids", "blank.txt"], mentions: ["blank.txt", "no ids"], files: { "blank.txt": "id\n\n# nothing here\n" } },
  { name: "sandbox --port out of range", args: ["sandbox", "--port", "99999"], mentions: ["--port 99999 is out of range", "0 to 65535"], fast: true },
  { name: "sandbox --latency negative", args: ["sandbox", "--latency", "-1"], mentions: ["--latency -1", "0 or more"] },
  { name: "--journal is not a journal", args: ["tag", "contacts", "--tag", "x", "--ids", "ids.txt", "--journal", "notes.md"], mentions: ["notes.md", "not a journal", "left as it is"], files: { "ids.txt": "a\n", "notes.md": "# notes\nkeep me\n" }, fast: true },
  { name: "--out is a device", args: ["export", "tags", "--out", "/dev/null"], mentions: ["--out /dev/null", "not a regular file"], fast: true },
  { name: "--out followed by a flag", args: ["export", "tags", "--out", "--json"], mentions: ["--out --json looks like a flag"], fast: true },
  // Named before the missing token, whose line would say to add the --sandbox that was given.
  { name: "--out followed by --sandbox, no token", args: ["export", "contacts", "--out", "--sandbox"], env: { INTERCOM_ACCESS_TOKEN: null }, mentions: ["--out --sandbox looks like a flag"], fast: true },
  { name: "--data followed by --sandbox, no token", args: ["request", "POST", "/contacts", "--data", "--sandbox"], env: { INTERCOM_ACCESS_TOKEN: null }, mentions: ['--data "--sandbox" looks like a flag'], fast: true },
  { name: "--tag followed by --sandbox, no token", args: ["tag", "contacts", "--query", "role = lead", "--tag", "--sandbox"], env: { INTERCOM_ACCESS_TOKEN: null }, mentions: ['--tag "--sandbox" looks like a flag'], fast: true },
  { name: "a value flag given last", args: ["export", "contacts", "--limit"], mentions: ["--limit needs a value", "see intercom-fx export --help"], fast: true },
  { name: "a value flag given last, after a switch", args: ["export", "contacts", "--json", "-o"], mentions: ["-o needs a value"], fast: true },
  { name: "--tag followed by a flag (the run would be real)", args: ["tag", "contacts", "--query", "role = lead", "--tag", "--dry-run"], mentions: ['--tag "--dry-run" looks like a flag'], fast: true },
  { name: "--fields followed by a flag", args: ["export", "contacts", "--fields", "--json"], mentions: ['--fields "--json" looks like a flag'] },
  { name: "--failed-ids -", args: ["tag", "contacts", "--tag", "x", "--ids", "ids.txt", "--failed-ids", "-"], mentions: ['--failed-ids - would write a file named "-"'], files: { "ids.txt": "a\n" } },
  { name: "--out names no file", args: ["export", "tags", "--out", ""], mentions: ["--out names no file"], fast: true },
  { name: "--ids is a directory", args: ["untag", "contacts", "--tag", "x", "--ids", "adir"], mentions: ["--ids adir is a directory"], files: { "adir/keep": "" } },
  { name: "--token-file is a directory", args: ["export", "tags", "--token-file", "adir"], env: { INTERCOM_ACCESS_TOKEN: null }, mentions: ["--token-file adir is a directory"], files: { "adir/keep": "" }, fast: true },
  { name: "request path without /", args: ["request", "GET", "me"], mentions: ["PATH", "/"] },
  { name: "request --data not JSON", args: ["request", "POST", "/contacts", "--data", "{bad"], mentions: ["--data", "JSON"] },
  { name: "--token-file with two lines", args: ["export", "tags", "--token-file", "token.txt"], env: { INTERCOM_ACCESS_TOKEN: null }, files: { "token.txt": "tok-SECRET-a\r\nsecond line\n" }, mentions: ["--token-file token.txt", "more than one line"], fast: true },
  { name: "a token holding a line break", args: ["export", "tags"], env: { INTERCOM_ACCESS_TOKEN: "tok-SECRET-b\nX" }, mentions: ["INTERCOM_ACCESS_TOKEN", "line break"], fast: true },
  { name: "--token-file with --sandbox", args: ["export", "tags", "--sandbox", "--token-file", "token.txt"], files: { "token.txt": "tok-SECRET-c\n" }, mentions: ["--token-file and --sandbox conflict"], fast: true },
  { name: "--token-file empty", args: ["export", "tags", "--token-file", "token.txt"], env: { INTERCOM_ACCESS_TOKEN: null }, files: { "token.txt": "  \n" }, mentions: ["--token-file", "empty"] },
  // settings: regions, URLs, limits (non-loopback hosts are TEST-NET / .invalid: never reachable, should a check fail)
  { name: "unknown region", args: ["export", "tags"], env: { INTERCOM_REGION: "mars" }, mentions: ["INTERCOM_REGION"], fast: true },
  { name: "http to a private host", args: ["export", "tags"], env: { INTERCOM_BASE_URL: "http://192.0.2.1" }, mentions: ["INTERCOM_BASE_URL", "https"], fast: true },
  { name: "http to a look-alike of localhost", args: ["export", "tags"], env: { INTERCOM_BASE_URL: "http://localhost.invalid" }, mentions: ["INTERCOM_BASE_URL", "https"] },
  { name: "http to a non-loopback host, port given", args: ["request", "GET", "/me"], env: { INTERCOM_BASE_URL: "http://192.0.2.7:8080" }, mentions: ["INTERCOM_BASE_URL", "https"] },
  { name: "non-http scheme", args: ["export", "tags"], env: { INTERCOM_BASE_URL: "ftp://127.0.0.1" }, mentions: ["INTERCOM_BASE_URL"] },
  { name: "credentials in the URL", args: ["export", "tags"], env: { INTERCOM_BASE_URL: "https://user:pw-SECRET@127.0.0.1" }, mentions: ["INTERCOM_BASE_URL", "credentials"], fast: true },
  { name: "not a URL", args: ["export", "tags"], env: { INTERCOM_BASE_URL: "notaurl" }, mentions: ["INTERCOM_BASE_URL"] },
  { name: "INTERCOM_MAX_ATTEMPTS 0", args: ["export", "tags"], env: { INTERCOM_MAX_ATTEMPTS: "0" }, mentions: ["INTERCOM_MAX_ATTEMPTS"] },
  { name: "INTERCOM_TIMEOUT not a duration", args: ["export", "tags"], env: { INTERCOM_TIMEOUT: "banana" }, mentions: ["INTERCOM_TIMEOUT"] },
  { name: "empty token", args: ["export", "tags"], env: { INTERCOM_ACCESS_TOKEN: "" }, mentions: ["INTERCOM_ACCESS_TOKEN"] }
]

export interface BadInputOutcome {
  readonly name: string
  readonly problems: Array<string>
}

/**
 * Runs one bad-input case in its own directory. The base URL carries a per-case path
 * prefix, so a request it wrongly sends shows up in the sandbox log under that prefix.
 */
export const runBadInput = async (
  info: Sandbox.SandboxInfo,
  dir: string,
  index: number,
  input: BadInput,
  transcript?: Array<string>
): Promise<BadInputOutcome> => {
  const cwd = Path.join(dir, `case-${index}`)
  Fs.mkdirSync(cwd, { recursive: true })
  for (const [name, content] of Object.entries(input.files ?? {})) {
    Fs.mkdirSync(Path.dirname(Path.join(cwd, name)), { recursive: true })
    Fs.writeFileSync(Path.join(cwd, name), content)
  }
  const env: Record<string, string> = envFor({ ...info, baseUrl: `${info.baseUrl}/bad-input-${index}` })
  for (const [key, value] of Object.entries(input.env ?? {})) {
    if (value === null) delete env[key]
    else env[key] = value
  }
  const result = await cli(input.args, { env, cwd, ...(transcript === undefined ? {} : { transcript }) })
  const problems: Array<string> = []
  const said = lines(result.stderr)
  if (result.code !== 2) problems.push(`exit ${result.code}, expected 2`)
  if (said.length !== 1) problems.push(`${said.length} stderr lines, expected one: ${JSON.stringify(said.slice(0, 4))}`)
  if (!(said[0] ?? "").startsWith("intercom-fx: ")) problems.push(`the line does not start with "intercom-fx: ": ${JSON.stringify(said[0] ?? "")}`)
  if (hasStackTrace(result.stderr)) problems.push("stack trace on stderr")
  for (const mention of input.mentions) if (!result.stderr.includes(mention)) problems.push(`stderr does not mention ${JSON.stringify(mention)}: ${JSON.stringify(said[0] ?? "")}`)
  if (result.stdout.trim() !== "") problems.push(`stdout not empty: ${JSON.stringify(result.stdout.slice(0, 80))}`)
  if (result.stderr.includes("SECRET")) problems.push("stderr repeats a secret (a token or the URL's password)")
  // A refused command changes none of the files it was given.
  for (const [name, content] of Object.entries(input.files ?? {})) {
    const at = Path.join(cwd, name)
    if (!Fs.existsSync(at) || Fs.readFileSync(at, "utf8") !== content) problems.push(`${name} was changed or removed`)
  }
  return { name: input.name, problems }
}

/** The sandbox requests whose path carries a bad-input case's prefix (there must be none). */
export const badInputRequests = async (info: Sandbox.SandboxInfo): Promise<Array<string>> => {
  const body: unknown = await (await fetch(`${info.baseUrl}/__sandbox/log?limit=1000`)).json()
  return list(field(body, "data"))
    .map((entry) => `${String(field(entry, "method"))} ${String(field(entry, "path"))}`)
    .filter((line) => line.includes("/bad-input-"))
}

/** Runs `tasks` with at most `limit` at once, keeping their order in the results. */
export const pool = async <A>(limit: number, tasks: ReadonlyArray<() => Promise<A>>): Promise<Array<A>> => {
  const results: Array<A> = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++
      const task = tasks[index]
      if (task !== undefined) results[index] = await task()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return results
}

// ---------------------------------------------------------------------------------------
// Scenario: exports under injected faults hold exactly the expected ids

export const issueFaults = "5xx=0.1,reset=0.02,truncate=0.01,429=0.02"

/**
 * `list`: contacts by cursor; `search`: a contact search; `parallel`: the search split in
 * three; `scroll`: companies through the scroll API; `pages`: articles by page number.
 */
export type FaultExportKind = "list" | "search" | "parallel" | "scroll" | "pages"

export interface FaultExportReport {
  readonly kind: FaultExportKind
  readonly problems: Array<string>
  readonly records: number
  readonly faults: number
  readonly ms: number
}

/**
 * Reseeds the sandbox (faults are a function of its seed and request number), reads the
 * expected ids without faults, then exports with `faults` on and compares: exactly the
 * expected ids, no duplicates, none missing (sequential exports: in the same order too).
 * Runs with --log-level debug so retry logs are part of the transcript.
 */
export const faultExport = async (options: {
  readonly info: Sandbox.SandboxInfo
  readonly cwd: string
  readonly seed: number
  readonly kind: FaultExportKind
  readonly faults?: string
  readonly extraEnv?: Readonly<Record<string, string>>
  readonly transcript?: Array<string>
}): Promise<FaultExportReport> => {
  const { info, kind } = options
  const started = Date.now()
  const resetResponse = await fetch(`${info.baseUrl}/__sandbox/reset`, { method: "POST", body: JSON.stringify({ seed: options.seed }) })
  if (!resetResponse.ok) throw new Error(`reset → ${resetResponse.status}`)
  await configure(info, { faults: "" })
  const query = { field: "role", operator: "=", value: "user" }
  const expected = kind === "list"
    ? await allContactIds(info)
    : kind === "scroll"
    ? await allCompanyIds(info)
    : kind === "pages"
    ? await allArticleIds(info)
    : await searchIds(info, query)
  await configure(info, { faults: options.faults ?? issueFaults })
  const out = `${kind}-${options.seed}.ndjson`
  const args = kind === "scroll"
    ? ["export", "companies"]
    : kind === "pages"
    ? ["export", "articles"]
    : kind === "list"
    ? ["export", "contacts"]
    : ["export", "contacts", "--query", "role = user", ...(kind === "parallel" ? ["--parallel", "3"] : [])]
  const result = await cli(["--log-level", "debug", ...args, "--fields", "id", "--out", out, "--json"], {
    env: envFor(info, options.extraEnv), cwd: options.cwd,
    ...(options.transcript === undefined ? {} : { transcript: options.transcript })
  })
  await configure(info, { faults: "" })
  const problems: Array<string> = []
  // The sandbox log is cleared by the reset, so every faulted request in it is this run's.
  const faulted = await faultCount(info)
  if (result.code !== 0) problems.push(`exit ${result.code}: ${lines(result.stderr).filter((l) => !l.includes("WARN")).slice(-2).join(" | ")}`)
  const path = Path.join(options.cwd, out)
  const ids = Fs.existsSync(path) ? ndjsonIds(Fs.readFileSync(path, "utf8")) : []
  if (result.code === 0) {
    problems.push(...idProblems(`${kind} export (seed ${options.seed})`, ids, expected))
    if (kind !== "parallel" && kind !== "scroll" && problems.length === 0 && ids.join() !== expected.join()) {
      problems.push(`${kind} export (seed ${options.seed}): same ids, different order`)
    }
    if (lastJson(result.stderr).records !== expected.length && lastJson(result.stdout).records !== expected.length) {
      problems.push(`summary does not count ${expected.length} records`)
    }
  }
  if (expected.length === 0) problems.push("nothing expected: the scenario would prove nothing")
  return { kind, problems, records: ids.length, faults: faulted, ms: Date.now() - started }
}
