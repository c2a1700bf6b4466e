/**
 * Test harness: an in-process sandbox, the BUILT CLI run as a subprocess against it, and
 * direct API calls to check the sandbox's state.
 */
import { Sandbox } from "@intercom-fx/sandbox"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

export const TOKEN = "tok-SECRET-cli-test-7c1f9e"
export const bin = Path.resolve(import.meta.dirname, "../bin/intercom-fx.js")

export interface Started {
  readonly info: Sandbox.SandboxInfo
  readonly close: () => Promise<void>
}

export const startSandbox = async (options: Sandbox.SandboxOptions): Promise<Started> => {
  const scope = Effect.runSync(Scope.make())
  const info = await Effect.runPromise(Scope.extend(Sandbox.start({ token: TOKEN, ...options }), scope))
  return { info, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

export interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Everything any run printed, to prove the token never appears. */
export const transcript: Array<string> = []

export interface RunOptions {
  readonly env?: Readonly<Record<string, string>>
  readonly cwd?: string
  /** Called with the child once stderr contains this text (e.g. to send SIGINT). */
  readonly onStderr?: { readonly text: string; readonly then: (signal: () => void) => void | Promise<void> }
}

export const workspaceEnv = (info: Sandbox.SandboxInfo, token = TOKEN): Record<string, string> => ({
  INTERCOM_BASE_URL: info.baseUrl,
  INTERCOM_ACCESS_TOKEN: token
})

export const run = (args: ReadonlyArray<string>, options: RunOptions = {}): Promise<Result> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    let fired = false
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk
      const hook = options.onStderr
      if (hook && !fired && stderr.includes(hook.text)) {
        fired = true
        void Promise.resolve(hook.then(() => child.kill("SIGINT"))).catch(reject)
      }
    })
    child.on("error", reject)
    child.on("close", (code) => {
      transcript.push(stdout, stderr)
      resolve({ code, stdout, stderr })
    })
  })

export const tempDir = (): string => Fs.mkdtempSync(Path.join(Os.tmpdir(), "intercom-fx-cli-"))

/** A direct API call to the sandbox. */
export const api = async (info: Sandbox.SandboxInfo, method: string, path: string, body?: unknown): Promise<unknown> => {
  const response = await fetch(info.baseUrl + path, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", Accept: "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}`)
  return response.json()
}

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === "object" ? Reflect.get(value, key) : undefined

const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])

/** Ids of every contact matching a search query body, straight from the API. */
export const searchIds = async (info: Sandbox.SandboxInfo, query: unknown): Promise<Array<string>> => {
  const ids: Array<string> = []
  let cursor: unknown = undefined
  do {
    const page = await api(info, "POST", "/contacts/search", {
      query,
      pagination: cursor === undefined ? { per_page: 150 } : { per_page: 150, starting_after: cursor }
    })
    for (const record of list(field(page, "data"))) ids.push(String(field(record, "id")))
    cursor = field(field(field(page, "pages"), "next"), "starting_after")
  } while (typeof cursor === "string")
  return ids
}

/** The tag ids on a contact. */
export const contactTagIds = async (info: Sandbox.SandboxInfo, id: string): Promise<Array<string>> =>
  list(field(await api(info, "GET", `/contacts/${id}/tags`), "data")).map((tag) => String(field(tag, "id")))

/** The id of the tag with this name, if it exists. */
export const tagIdByName = async (info: Sandbox.SandboxInfo, name: string): Promise<string | undefined> => {
  const found = list(field(await api(info, "GET", "/tags"), "data")).find((tag) => field(tag, "name") === name)
  return found === undefined ? undefined : String(field(found, "id"))
}

export const csvIds = (text: string): Array<string> =>
  text.trim().split(/\r?\n/).slice(1).map((line) => line.split(",")[0] ?? "")

export const parseJsonLine = (text: string): Record<string, unknown> => {
  const line = text.trim().split("\n").pop() ?? ""
  const parsed: unknown = JSON.parse(line)
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`not a JSON object: ${line}`)
  return Object.fromEntries(Object.entries(parsed))
}
