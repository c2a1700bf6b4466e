/**
 * Shared pieces of the route handlers: the request context, replies, body decoding,
 * lookups that answer Intercom's 404s, and the small helpers several resource families use.
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { apiError, badRequest, notFound, type ApiError } from "../errors.js"
import { route, type Reply, type Route } from "../router.js"
import type { State } from "../state.js"
import type { Json, JsonObject, Workspace } from "../workspace.js"


export interface Ctx {
  readonly state: State
  readonly query: URLSearchParams
  readonly body: unknown
  readonly nowMs: number
  /** `http://host:port` as the client addressed it, for links such as `pages.next`. */
  readonly origin: string
}

export const ok = (body: Json, status = 200): Effect.Effect<Reply> => Effect.succeed({ status, body })
export const nowSec = (ctx: Ctx) => Math.floor(ctx.nowMs / 1000)

export const decode = <A, I>(schema: Schema.Schema<A, I>, u: unknown): Effect.Effect<A, ApiError> =>
  Schema.decodeUnknown(schema, { onExcessProperty: "ignore" })(u).pipe(
    Effect.mapError((e) => {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
      const field = issue ? issue.path.join(".") : ""
      return badRequest(issue ? `${field || "body"}: ${issue.message}` : "Invalid request body", field || undefined)
    })
  )

export const contactOr404 = (ws: Workspace, id: string) =>
  Effect.suspend(() => {
    const i = ws.contactIndex(id)
    return i < 0 ? Effect.fail(notFound("User Not Found")) : Effect.succeed(i)
  })
export const companyOr404 = (ws: Workspace, id: string) =>
  Effect.suspend(() => {
    const c = ws.companyIndex(id)
    return c < 0 ? Effect.fail(apiError(404, "company_not_found", "Company Not Found")) : Effect.succeed(c)
  })
export const tagOr404 = (ws: Workspace, id: string) =>
  ws.tags.has(id) ? Effect.succeed(id) : Effect.fail(apiError(404, "tag_not_found", "Tag not found"))

export const mutated = (ctx: Ctx) => {
  ctx.state.version++
  ctx.state.countCache.clear()
}

export const IdBody = Schema.Struct({ id: Schema.Union(Schema.String, Schema.Number) })

export const countMatches = (state: State, key: string, end: number, keep: (i: number) => boolean): number => {
  const cached = state.countCache.get(key)
  if (cached !== undefined) return cached
  let n = 0
  for (let i = 0; i < end; i++) if (keep(i)) n++
  if (state.countCache.size > 200) state.countCache.clear()
  state.countCache.set(key, n)
  return n
}


export const tagIdsOf = (o: JsonObject): Array<string> => {
  const list = readObjPath(o, "tags.tags")
  if (!Array.isArray(list)) return []
  return list.flatMap((t: unknown) => {
    const id = readObjPath(t as Json, "id")
    return typeof id === "string" ? [id] : []
  })
}

export const readObjPath = (o: Json, field: string): unknown => {
  let cur: unknown = o
  for (const part of field.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined
    cur = Object.getOwnPropertyDescriptor(cur, part)?.value
  }
  return cur
}

export const findBy = (items: ReadonlyArray<JsonObject>, id: string, code: string, message: string) => {
  const o = items.find((x) => x.id === id)
  return o ? ok(o) : Effect.fail(apiError(404, code, message))
}

export type P = Readonly<Record<string, string>>
export const r = (m: string, t: string, h: (ctx: Ctx, p: P) => Effect.Effect<Reply, ApiError>): Route<Ctx> => route(m, t, h)

/** An admin by id, or Intercom's 404 (codes differ by endpoint). */
export const adminOr404 = (ws: Workspace, id: string | number, code = "admin_not_found", message = "Admin not found") => {
  const a = ws.adminJson(id)
  return a ? Effect.succeed(a) : Effect.fail(apiError(404, code, message))
}

/** The index of an object in a mutable list by id, or a 404. */
export const indexOr404 = (items: ReadonlyArray<JsonObject>, id: string, code = "not_found", message = "Resource Not Found") => {
  const k = items.findIndex((x) => x.id === id)
  return k < 0 ? Effect.fail(apiError(404, code, message)) : Effect.succeed(k)
}

/** How the API names a contact: Intercom id (`id`/`intercom_user_id`), your `user_id` (external id) or email. */
export interface ContactKey {
  readonly id?: string | undefined
  readonly intercom_user_id?: string | undefined
  readonly user_id?: string | undefined
  readonly external_id?: string | undefined
  readonly email?: string | undefined
}

export const findContact = (ws: Workspace, key: ContactKey): number => {
  const id = key.id ?? key.intercom_user_id
  if (id !== undefined) return ws.contactIndex(id)
  const ext = key.user_id ?? key.external_id
  if (ext !== undefined) return ws.contactByExternalId(ext)
  if (key.email !== undefined) return ws.contactByEmail(key.email)
  return -1
}

export const contactKeyOr404 = (ws: Workspace, key: ContactKey) =>
  Effect.suspend(() => {
    const i = findContact(ws, key)
    return i < 0 ? Effect.fail(notFound("User Not Found")) : Effect.succeed(i)
  })

/** Replace an object in a mutable list and return the new version. */
export const replaceAt = (items: Array<JsonObject>, k: number, next: JsonObject): JsonObject => {
  items[k] = next
  return next
}
