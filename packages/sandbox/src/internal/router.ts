/**
 * A small route table keyed by method and path template (`/contacts/{id}`). Templates are
 * what the inspection counters report, so matching returns the template with the params.
 */
import type * as Effect from "effect/Effect"
import type { ApiError } from "./errors.js"
import type { Json } from "./workspace.js"

export interface Reply {
  readonly status: number
  readonly body?: Json
  /** A non-JSON body (the gzipped export download). */
  readonly raw?: { readonly contentType: string; readonly bytes: Uint8Array }
}

export interface Route<Ctx> {
  readonly method: string
  readonly template: string
  readonly segments: ReadonlyArray<string>
  readonly handler: (ctx: Ctx, params: Readonly<Record<string, string>>) => Effect.Effect<Reply, ApiError>
}

export const route = <Ctx>(
  method: string, template: string, handler: Route<Ctx>["handler"]
): Route<Ctx> => ({ method, template, segments: template.split("/").filter((s) => s !== ""), handler })

export interface Match<Ctx> {
  readonly route: Route<Ctx>
  readonly params: Readonly<Record<string, string>>
}

/** The best match: most static segments win, so `/companies/scroll` beats `/companies/{id}`. */
export const match = <Ctx>(routes: ReadonlyArray<Route<Ctx>>, method: string, path: string): Match<Ctx> | undefined => {
  const parts = path.split("/").filter((s) => s !== "")
  let best: Match<Ctx> | undefined
  let bestScore = -1
  for (const r of routes) {
    if (r.method !== method || r.segments.length !== parts.length) continue
    const params: Record<string, string> = {}
    let score = 0
    let ok = true
    for (let k = 0; k < parts.length; k++) {
      const seg = r.segments[k] ?? ""
      const part = parts[k] ?? ""
      if (seg.startsWith("{")) params[seg.slice(1, -1)] = decodeURIComponent(part)
      else if (seg === part) score++
      else { ok = false; break }
    }
    if (ok && score > bestScore) {
      best = { route: r, params }
      bestScore = score
    }
  }
  return best
}
