/**
 * Per-sandbox mutable state beyond the workspace: runtime config, the rate-limit window,
 * the open scroll, request counters and log, and the search count cache. One instance per
 * running sandbox (never module-global); mutated only inside `Effect.sync` blocks.
 */
import type { FaultSpec } from "../Faults.js"
import { Workspace, type WorkspaceSize } from "./workspace.js"

export interface RuntimeConfig {
  rateLimit: number
  latencyMs: number
  faults: FaultSpec
  searchIndexLagSeconds: number
}

export interface LogEntry {
  readonly id: number
  readonly requestId: string
  readonly method: string
  readonly path: string
  readonly route: string
  readonly status: number
  readonly fault?: string
  readonly at: number
}

export interface Scroll {
  readonly param: string
  position: number
  lastUsedMs: number
}

export class State {
  ws: Workspace
  version = 0
  requests = 0
  readonly byRoute = new Map<string, number>()
  readonly byStatus = new Map<string, number>()
  readonly log: Array<LogEntry> = []
  window = { start: 0, used: 0 }
  scroll: Scroll | undefined
  scrollCounter = 0
  readonly countCache = new Map<string, number>()
  constructor(public size: WorkspaceSize, readonly config: RuntimeConfig, readonly token: string) {
    this.ws = new Workspace(size)
  }
  reseed(seed: number): void {
    this.size = { ...this.size, seed }
    this.ws = new Workspace(this.size)
    this.version++
    this.scroll = undefined
    this.countCache.clear()
  }
  record(entry: LogEntry): void {
    this.byRoute.set(entry.route, (this.byRoute.get(entry.route) ?? 0) + 1)
    this.byStatus.set(String(entry.status), (this.byStatus.get(String(entry.status)) ?? 0) + 1)
    this.log.push(entry)
    if (this.log.length > 1000) this.log.splice(0, this.log.length - 1000)
  }
}
