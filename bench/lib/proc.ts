/**
 * Processes of a benchmark: the sandbox (the CLI's `sandbox` command, its own process)
 * and one process per side run, whose last stdout line is its `Measurement`.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { Measurement } from "./measure.js"

/** The repository root (this file runs from .tsbuild/bench/lib/). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")

/** A compiled side script next to this module's build output. */
export const sideScript = (name: "fx" | "sdk"): string => fileURLToPath(new URL(`../sides/${name}.js`, import.meta.url))

const waitExit = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once("exit", (code) => resolve(code)))

/** Runs one side in a fresh `node` process and returns what it measured. */
export const runSide = async (script: string, job: unknown): Promise<Measurement> => {
  const child = spawn(process.execPath, [script, JSON.stringify(job)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s))
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s))
  const code = await waitExit(child)
  const last = stdout.trim().split("\n").at(-1) ?? ""
  if (code !== 0 || !last.startsWith("{")) {
    throw new Error(`${path.basename(script)} ${JSON.stringify(job)} exited ${code}: ${stderr.trim().slice(-2000)}`)
  }
  return JSON.parse(last) as Measurement
}

export interface SandboxSpec {
  readonly contacts: number
  readonly latencyMs: number
  /** Requests per 10-s window; 0 = off. */
  readonly rateLimit: number
  readonly seed?: number
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; NaN elsewhere). */
export const processCpuSeconds = (pid: number | undefined): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN
  }
}

export interface SandboxStats {
  /** CPU seconds of the sandbox process so far (read by the runner, not the sandbox). */
  readonly cpuSec: number
  readonly requests: number
  readonly byStatus: Readonly<Record<string, number>>
  readonly byRoute: Readonly<Record<string, number>>
}

export interface RunningSandbox {
  readonly baseUrl: string
  readonly token: string
  readonly startupMs: number
  /** Reseed and zero the counters (and the request numbering, so both sides see the same latency jitter). */
  readonly reset: () => Promise<void>
  readonly configure: (settings: { readonly rateLimit?: number; readonly latencyMs?: number }) => Promise<void>
  readonly stats: () => Promise<SandboxStats>
  /** An authenticated API call (setup only: ids, tags). */
  readonly api: (method: "GET" | "POST", pathAndQuery: string, body?: unknown) => Promise<unknown>
  readonly stop: () => Promise<void>
}

const TOKEN = "bench-token"

/** Starts `intercom-fx sandbox` on a free port and waits for its banner. */
export const startSandbox = async (spec: SandboxSpec): Promise<RunningSandbox> => {
  const t0 = performance.now()
  const args = [
    path.join(root, "packages/cli/bin/intercom-fx.js"), "sandbox", "--port", "0", "--token", TOKEN,
    "--contacts", String(spec.contacts), "--latency", String(spec.latencyMs), "--rate-limit", String(spec.rateLimit),
    "--seed", String(spec.seed ?? 42)
  ]
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start within 120 s: ${output}`)), 120_000)
    const onData = (s: string) => {
      output += s
      const found = /listening on (http:\/\/[^\s]+)/.exec(output)
      if (found?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(found[1])
      }
    }
    child.stdout.setEncoding("utf8").on("data", onData)
    child.stderr.setEncoding("utf8").on("data", (s: string) => (output += s))
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`sandbox exited ${code}: ${output}`))
    })
  })
  const startupMs = performance.now() - t0
  const call = async (method: "GET" | "POST", pathAndQuery: string, body?: unknown, auth = false): Promise<unknown> => {
    const res = await fetch(baseUrl + pathAndQuery, {
      method,
      headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${TOKEN}`, "intercom-version": "2.10" } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    if (!res.ok) throw new Error(`${method} ${pathAndQuery}: HTTP ${res.status} ${await res.text()}`)
    return res.json()
  }
  return {
    baseUrl,
    token: TOKEN,
    startupMs,
    reset: async () => void (await call("POST", "/__sandbox/reset", {})),
    configure: async (settings) => void (await call("POST", "/__sandbox/config", settings)),
    stats: async () => ({ ...((await call("GET", "/__sandbox/stats")) as Omit<SandboxStats, "cpuSec">), cpuSec: processCpuSeconds(child.pid) }),
    api: (method, pathAndQuery, body) => call(method, pathAndQuery, body, true),
    stop: async () => {
      child.removeAllListeners("exit")
      const exited = waitExit(child)
      child.kill("SIGINT")
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000)
      await exited
      clearTimeout(timer)
    }
  }
}

/** Counts of the sandbox between two snapshots. */
export const statsDelta = (before: SandboxStats, after: SandboxStats) => {
  const byStatus: Record<string, number> = {}
  for (const [status, n] of Object.entries(after.byStatus)) {
    const d = n - (before.byStatus[status] ?? 0)
    if (d !== 0) byStatus[status] = d
  }
  const requests = after.requests - before.requests
  const ok = Object.entries(byStatus).filter(([s]) => s.startsWith("2")).reduce((a, [, n]) => a + n, 0)
  return { requests, byStatus, status429: byStatus["429"] ?? 0, failed: requests - ok, cpuSec: after.cpuSec - before.cpuSec }
}
