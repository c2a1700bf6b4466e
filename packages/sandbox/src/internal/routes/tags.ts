/**
 * Tags (create, rename, tag and untag companies and users; tags on conversations and tickets) and segments.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { apiError, notFound } from "../errors.js"
import { segmentJson } from "../render.js"
import type { JsonObject, Workspace } from "../workspace.js"
import { countMatches, decode, IdBody, mutated, nowSec, ok, r, tagIdsOf, tagOr404, type Ctx } from "./common.js"


const Ref = Schema.Struct({ id: Schema.optional(Schema.String), company_id: Schema.optional(Schema.String), untag: Schema.optional(Schema.Boolean) })
const TagBody = Schema.Struct({
  name: Schema.String, id: Schema.optional(Schema.String),
  companies: Schema.optional(Schema.Array(Ref)), users: Schema.optional(Schema.Array(Ref))
})

// ---- tags ----

const tagsPost = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(TagBody, ctx.body)
    let id = b.id
    if (id !== undefined) {
      yield* tagOr404(ws, id)
      ws.tags.set(id, { id, name: b.name })
    } else {
      id = [...ws.tags.values()].find((t) => t.name === b.name)?.id
      if (id === undefined) {
        id = String(ws.nextId++)
        ws.tags.set(id, { id, name: b.name })
      }
    }
    const tagId = id
    for (const ref of b.companies ?? []) {
      const c = ref.id !== undefined ? ws.companyIndex(ref.id) : ws.companyByRemoteId(ref.company_id ?? "")
      if (c < 0) return yield* Effect.fail(apiError(404, "company_not_found", "Company Not Found"))
      const set = new Set(ws.companyTagIds(c))
      if (ref.untag === true) set.delete(tagId)
      else set.add(tagId)
      ws.companyTags.set(c, set)
    }
    for (const ref of b.users ?? []) {
      const i = ws.contactIndex(ref.id ?? "")
      if (i < 0) return yield* Effect.fail(notFound("User Not Found"))
      const links = ws.contactTagLinks(i).filter((l) => l.tagId !== tagId)
      ws.contactTags.set(i, ref.untag === true ? links : [...links, { tagId, appliedAt: nowSec(ctx) }])
    }
    mutated(ctx)
    return yield* ok(ws.tagJson(tagId))
  })

export const objectTag = (pickList: (ws: Workspace) => Array<JsonObject>, what: string, attach: boolean) =>
  (ctx: Ctx, p: Readonly<Record<string, string>>) =>
    Effect.gen(function*() {
      const ws = ctx.state.ws
      const list = () => pickList(ws)
      const objectId = p.conversation_id ?? p.ticket_id ?? ""
      const idx = list().findIndex((o) => o.id === objectId)
      const obj = list()[idx]
      if (!obj) return yield* Effect.fail(apiError(404, what === "ticket" ? "ticket_not_found" : "not_found", `${what} not found`))
      const tagId = attach ? String((yield* decode(IdBody, ctx.body)).id) : p.id ?? ""
      yield* tagOr404(ws, tagId)
      const current = tagIdsOf(obj).filter((t) => t !== tagId)
      const next = attach ? [...current, tagId] : current
      list()[idx] = { ...obj, tags: { type: "tag.list", tags: next.map((t) => ws.tagJson(t, nowSec(ctx))) }, updated_at: nowSec(ctx) }
      mutated(ctx)
      return yield* ok(ws.tagJson(tagId))
    })

export const tagRoutes = [
  r("GET", "/tags", (ctx) => ok({ type: "list", data: [...ctx.state.ws.tags.keys()].map((id) => ctx.state.ws.tagJson(id)) })),
  r("POST", "/tags", tagsPost),
  r("GET", "/tags/{id}", (ctx, p) => Effect.flatMap(tagOr404(ctx.state.ws, p.id ?? ""), (id) => ok(ctx.state.ws.tagJson(id)))),
  r("DELETE", "/tags/{id}", (ctx, p) => Effect.flatMap(tagOr404(ctx.state.ws, p.id ?? ""), (id) => {
    ctx.state.ws.tags.delete(id)
    mutated(ctx)
    return Effect.succeed({ status: 200 })
  })),
  // segments
  r("GET", "/segments", (ctx) => {
    const ws = ctx.state.ws
    const withCount = ctx.query.get("include_count") === "true"
    return ok({
      type: "segment.list",
      segments: ws.segments.map((s) => segmentJson(s, withCount ? countMatches(ctx.state, `segment:${s.id}`, ws.contactCount, (i) => ws.contactListed(i) && s.test(ws, i)) : undefined)),
      pages: {}
    })
  }),
  r("GET", "/segments/{id}", (ctx, p) => {
    const s = ctx.state.ws.segments.find((x) => x.id === p.id)
    return s ? ok(segmentJson(s)) : Effect.fail(notFound("Segment Not Found"))
  }),
]
