/**
 * Content data exports: jobs that advance one step per status poll, cancel, gzipped CSV download.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { gzipSync } from "node:zlib"
import { notFound } from "../errors.js"
import type { Reply } from "../router.js"
import type { ExportJob, JsonObject } from "../workspace.js"
import { decode, nowSec, ok, r, type Ctx } from "./common.js"
import { conversationField } from "./inbox.js"


const ExportBody = Schema.Struct({ created_at_after: Schema.Int, created_at_before: Schema.Int })

// ---- data export ----

const exportJson = (job: ExportJob): JsonObject => ({
  job_identifier: job.id,
  // The schema spells it `job_identfier`; the documented examples `job_identifier`. Send both.
  job_identfier: job.id,
  status: job.status,
  download_expires_at: job.expiresAt === null ? "" : String(job.expiresAt),
  download_url: job.status === "completed" ? `/download/content/data/${job.id}` : ""
})

const createExport = (ctx: Ctx) =>
  Effect.gen(function*() {
    const b = yield* decode(ExportBody, ctx.body)
    const ws = ctx.state.ws
    const id = `job${(ws.nextId++).toString(36)}`
    const rows = ws.conversations.filter((c) => typeof c.created_at === "number" && c.created_at >= b.created_at_after && c.created_at <= b.created_at_before).length
    const job: ExportJob = { id, status: "pending", after: b.created_at_after, before: b.created_at_before, rows, expiresAt: null }
    ws.exports.set(id, job)
    return yield* ok(exportJson(job))
  })

/** Each status poll advances a job one step: pending -> in_progress -> completed (or no_data). */
const exportStatus = (ctx: Ctx, id: string) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const job = ws.exports.get(id)
    if (!job) return yield* Effect.fail(notFound("Export job not found"))
    const status = job.status === "pending" ? "in_progress" : job.status === "in_progress" ? (job.rows === 0 ? "no_data" : "completed") : job.status
    const next: ExportJob = { ...job, status, expiresAt: status === "completed" ? nowSec(ctx) + 86_400 : job.expiresAt }
    ws.exports.set(id, next)
    return yield* ok(exportJson(next))
  })

const downloadExport = (ctx: Ctx, id: string) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const job = ws.exports.get(id)
    if (!job || job.status !== "completed") return yield* Effect.fail(notFound("Export not ready or not found"))
    const lines = ["conversation_id,created_at,contact_id,state"]
    for (const c of ws.conversations) {
      const t = Number(c.created_at)
      if (t >= job.after && t <= job.before) {
        const contact = conversationField(c, "contact_ids")
        lines.push([String(c.id), String(t), Array.isArray(contact) ? String(contact[0] ?? "") : "", String(c.state)].join(","))
      }
    }
    return { status: 200, raw: { contentType: "application/octet-stream", bytes: gzipSync(lines.join("\n") + "\n") } } satisfies Reply
  })

export const exportRoutes = [
  r("POST", "/export/content/data", createExport),
  r("GET", "/export/content/data/{job_identifier}", (ctx, p) => exportStatus(ctx, p.job_identifier ?? "")),
  r("POST", "/export/cancel/{job_identifier}", (ctx, p) => Effect.gen(function*() {
    const ws = ctx.state.ws
    const job = ws.exports.get(p.job_identifier ?? "")
    if (!job) return yield* Effect.fail(notFound("Export job not found"))
    const canceled: ExportJob = { ...job, status: "canceled" }
    ws.exports.set(p.job_identifier ?? "", canceled)
    return yield* ok(exportJson(canceled))
  })),
  r("GET", "/download/content/data/{job_identifier}", (ctx, p) => downloadExport(ctx, p.job_identifier ?? "")),
]
