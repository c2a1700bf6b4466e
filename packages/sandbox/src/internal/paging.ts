/** Cursor encoding and page envelopes for the documented pagination styles. */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { badRequest, type ApiError } from "./errors.js"
import type { JsonObject } from "./workspace.js"

const Cursor = Schema.parseJson(Schema.Struct({ i: Schema.Int, p: Schema.Int }))

/** Opaque `starting_after` cursors: base64 of the next index and page number. */
export const encodeCursor = (i: number, p: number): string =>
  Buffer.from(JSON.stringify({ i, p })).toString("base64url")

export const decodeCursor = (s: string | null | undefined): Effect.Effect<{ i: number; p: number }, ApiError> =>
  s === undefined || s === null || s === ""
    ? Effect.succeed({ i: 0, p: 1 })
    : Schema.decodeUnknown(Cursor)(Buffer.from(s, "base64url").toString("utf8")).pipe(
      Effect.map((c) => ({ i: c.i, p: c.p })),
      Effect.mapError(() => badRequest("starting_after is invalid", "starting_after"))
    )

export const perPage = (raw: string | number | null | undefined, def: number, max = 150): Effect.Effect<number, ApiError> => {
  if (raw === undefined || raw === null || raw === "") return Effect.succeed(def)
  const n = typeof raw === "number" ? raw : Number(raw)
  if (!Number.isInteger(n) || n < 1) return Effect.fail(badRequest("per_page must be a positive integer", "per_page"))
  if (n > max) return Effect.fail(badRequest(`per_page must be ${max} or less`, "per_page"))
  return Effect.succeed(n)
}

export const cursorPages = (page: number, per: number, total: number, next: number | undefined): JsonObject => ({
  type: "pages",
  ...(next === undefined ? {} : { next: { page: page + 1, starting_after: encodeCursor(next, page + 1) } }),
  page,
  per_page: per,
  total_pages: Math.ceil(total / per)
})

export interface CursorPage {
  readonly items: ReadonlyArray<number>
  readonly next: number | undefined
}

/** Scan indexes from `start` collecting up to `per` that pass `keep`; `next` is where to resume. */
export const scan = (start: number, end: number, per: number, keep: (i: number) => boolean): CursorPage => {
  const items: Array<number> = []
  let i = start
  for (; i < end && items.length < per; i++) if (keep(i)) items.push(i)
  if (items.length < per) return { items, next: undefined }
  // Only promise a next page when one more match exists, so the last page has no `next`.
  for (let j = i; j < end; j++) if (keep(j)) return { items, next: j }
  return { items, next: undefined }
}
