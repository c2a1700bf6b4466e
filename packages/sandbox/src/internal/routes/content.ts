/**
 * Help center content and news: help centers, collections, articles (with search) and news
 * items, readable and writable; newsfeeds are read-only.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { apiError, badRequest } from "../errors.js"
import { perPage } from "../paging.js"
import { APP_ID, type Json, type JsonObject } from "../workspace.js"
import { decode, findBy, indexOr404, mutated, nowSec, ok, r, replaceAt, type Ctx, type P } from "./common.js"

const Translated = Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown })))
const ArticleWrite = Schema.Struct({
  title: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  body: Schema.optional(Schema.String),
  author_id: Schema.optional(Schema.Int),
  state: Schema.optional(Schema.Literal("published", "draft")),
  parent_id: Schema.optional(Schema.NullOr(Schema.Union(Schema.Int, Schema.String))),
  parent_type: Schema.optional(Schema.Literal("collection", "section")),
  translated_content: Translated
})
const CollectionWrite = Schema.Struct({
  name: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  parent_id: Schema.optional(Schema.NullOr(Schema.String)),
  help_center_id: Schema.optional(Schema.NullOr(Schema.Int)),
  translated_content: Translated
})
const NewsItemWrite = Schema.Struct({
  title: Schema.String,
  body: Schema.optional(Schema.String),
  sender_id: Schema.Int,
  state: Schema.optional(Schema.Literal("draft", "live")),
  deliver_silently: Schema.optional(Schema.Boolean),
  labels: Schema.optional(Schema.Array(Schema.String)),
  reactions: Schema.optional(Schema.Array(Schema.NullOr(Schema.String))),
  newsfeed_assignments: Schema.optional(Schema.Array(Schema.Struct({ newsfeed_id: Schema.optional(Schema.Int), published_at: Schema.optional(Schema.Int) })))
})

const zeroStatistics: JsonObject = {
  type: "article_statistics", views: 0, conversions: 0, reactions: 0,
  happy_reaction_percentage: 0, neutral_reaction_percentage: 0, sad_reaction_percentage: 0
}

const parentOf = (ctx: Ctx, raw: number | string | null | undefined) =>
  Effect.suspend(() => {
    if (raw === undefined || raw === null) return Effect.succeed(null)
    const id = String(raw)
    return ctx.state.ws.collections.some((c) => c.id === id)
      ? Effect.succeed(Number(id))
      : Effect.fail(apiError(404, "collection_not_found", "Collection not found", "parent_id"))
  })

const authorOk = (ctx: Ctx, id: number | undefined) =>
  id === undefined || ctx.state.ws.adminJson(id) !== undefined
    ? Effect.void
    : Effect.fail(badRequest("author_id must be an admin of this workspace", "author_id"))

const createArticle = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(ArticleWrite, ctx.body)
    if (b.title === undefined) return yield* Effect.fail(badRequest("title is a required parameter", "title", "parameter_not_found"))
    if (b.author_id === undefined) return yield* Effect.fail(badRequest("author_id must be in the main body or default locale translated_content object", "author_id", "parameter_not_found"))
    yield* authorOk(ctx, b.author_id)
    const parent = yield* parentOf(ctx, b.parent_id)
    const id = String(ws.nextId++)
    const now = nowSec(ctx)
    const article: JsonObject = {
      type: "article", id, workspace_id: APP_ID, title: b.title, description: b.description ?? "", body: b.body ?? "",
      author_id: b.author_id, state: b.state ?? "draft", created_at: now, updated_at: now,
      url: b.state === "published" ? `https://help.sandbox.test/articles/${id}` : null,
      parent_id: parent, parent_ids: parent === null ? [] : [parent], parent_type: parent === null ? null : b.parent_type ?? "collection",
      default_locale: "en", translated_content: null, statistics: zeroStatistics
    }
    ws.articles.push(article)
    mutated(ctx)
    return yield* ok(article)
  })

const updateArticle = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* indexOr404(ws.articles, p.id ?? "")
    const b = yield* decode(ArticleWrite, ctx.body ?? {})
    yield* authorOk(ctx, b.author_id)
    const parent = b.parent_id === undefined ? undefined : yield* parentOf(ctx, b.parent_id)
    const cur = ws.articles[k] ?? {}
    const state = b.state ?? cur.state ?? "draft"
    const next: JsonObject = {
      ...cur,
      ...(b.title === undefined ? {} : { title: b.title }),
      ...(b.description === undefined ? {} : { description: b.description }),
      ...(b.body === undefined ? {} : { body: b.body }),
      ...(b.author_id === undefined ? {} : { author_id: b.author_id }),
      ...(parent === undefined ? {} : { parent_id: parent, parent_ids: parent === null ? [] : [parent], parent_type: parent === null ? null : b.parent_type ?? "collection" }),
      state,
      url: state === "published" ? `https://help.sandbox.test/articles/${p.id ?? ""}` : null,
      statistics: cur.statistics ?? zeroStatistics,
      updated_at: nowSec(ctx)
    }
    mutated(ctx)
    return yield* ok(replaceAt(ws.articles, k, next))
  })

const deleteFrom = (pick: (ctx: Ctx) => Array<JsonObject>, object: string) => (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const items = pick(ctx)
    const k = yield* indexOr404(items, p.id ?? "")
    items.splice(k, 1)
    mutated(ctx)
    return yield* ok({ id: p.id ?? "", object, deleted: true })
  })

const plain = (html: Json | undefined): string => typeof html === "string" ? html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim() : ""

/** Articles whose title, description or body contain the phrase (case-insensitive). */
const searchArticles = (ctx: Ctx) =>
  Effect.gen(function*() {
    const phrase = (ctx.query.get("phrase") ?? "").toLowerCase()
    const state = ctx.query.get("state") ?? "all"
    if (state !== "all" && state !== "published" && state !== "draft") return yield* Effect.fail(badRequest("state must be published, draft or all", "state"))
    const found = ctx.state.ws.articles.filter((a) =>
      (state === "all" || a.state === state) &&
      [a.title, a.description, a.body].some((t) => plain(t).toLowerCase().includes(phrase)))
    const highlight = ctx.query.get("highlight") === "true"
    return yield* ok({
      type: "list", total_count: found.length,
      data: {
        articles: found,
        highlights: highlight && phrase !== "" ? found.map((a) => ({ article_id: a.id ?? null, highlighted_title: highlightRuns(plain(a.title), phrase), highlighted_summary: [highlightRuns(plain(a.body), phrase)] })) : []
      },
      pages: { type: "pages", page: 1, per_page: Math.max(10, found.length), total_pages: found.length === 0 ? 0 : 1 }
    })
  })

const highlightRuns = (text: string, phrase: string): Array<JsonObject> => {
  const at = text.toLowerCase().indexOf(phrase)
  if (at < 0) return [{ type: "plain", text }]
  return [
    ...(at > 0 ? [{ type: "plain", text: text.slice(0, at) }] : []),
    { type: "highlight", text: text.slice(at, at + phrase.length) },
    ...(at + phrase.length < text.length ? [{ type: "plain", text: text.slice(at + phrase.length) }] : [])
  ]
}

const createCollection = (ctx: Ctx) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const b = yield* decode(CollectionWrite, ctx.body ?? {})
    if (b.name === undefined || b.name.trim() === "") return yield* Effect.fail(badRequest("Name is a required parameter.", "name", "parameter_not_found"))
    if (b.parent_id !== undefined && b.parent_id !== null && !ws.collections.some((c) => c.id === b.parent_id)) {
      return yield* Effect.fail(apiError(404, "collection_not_found", "Collection not found", "parent_id"))
    }
    const helpCenter = b.help_center_id ?? 1
    if (!ws.helpCenters.some((h) => h.id === String(helpCenter))) return yield* Effect.fail(apiError(404, "not_found", "Resource Not Found", "help_center_id"))
    const id = String(ws.nextId++)
    const now = nowSec(ctx)
    const collection: JsonObject = {
      id, workspace_id: APP_ID, name: b.name, url: `https://help.sandbox.test/collections/${id}`,
      order: ws.collections.length + 1, created_at: now, updated_at: now, description: b.description ?? "",
      icon: "book-bookmark", parent_id: b.parent_id ?? null, help_center_id: helpCenter, default_locale: "en", translated_content: null
    }
    ws.collections.push(collection)
    mutated(ctx)
    return yield* ok(collection)
  })

const updateCollection = (ctx: Ctx, p: P) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = yield* indexOr404(ws.collections, p.id ?? "")
    const b = yield* decode(CollectionWrite, ctx.body ?? {})
    const next: JsonObject = {
      ...ws.collections[k],
      ...(b.name === undefined ? {} : { name: b.name }),
      ...(b.description === undefined ? {} : { description: b.description }),
      ...(b.parent_id === undefined ? {} : { parent_id: b.parent_id }),
      updated_at: nowSec(ctx)
    }
    mutated(ctx)
    return yield* ok(replaceAt(ws.collections, k, next))
  })

const writeNewsItem = (ctx: Ctx, p: P | undefined) =>
  Effect.gen(function*() {
    const ws = ctx.state.ws
    const k = p === undefined ? -1 : yield* indexOr404(ws.newsItems, p.id ?? "")
    const b = yield* decode(NewsItemWrite, ctx.body)
    if (ws.adminJson(b.sender_id) === undefined) return yield* Effect.fail(badRequest("sender_id must be an admin of this workspace", "sender_id"))
    for (const a of b.newsfeed_assignments ?? []) {
      if (a.newsfeed_id !== undefined && !ws.newsfeeds.some((f) => f.id === String(a.newsfeed_id))) {
        return yield* Effect.fail(apiError(404, "not_found", "Newsfeed not found", "newsfeed_assignments"))
      }
    }
    const now = nowSec(ctx)
    const cur = k >= 0 ? ws.newsItems[k] ?? {} : undefined
    const item: JsonObject = {
      type: "news-item", id: cur?.id ?? String(ws.nextId++), workspace_id: APP_ID, title: b.title,
      body: b.body ?? cur?.body ?? "", sender_id: b.sender_id, state: b.state ?? cur?.state ?? "draft",
      newsfeed_assignments: b.newsfeed_assignments?.map((a) => ({ newsfeed_id: a.newsfeed_id ?? null, published_at: a.published_at ?? now })) ?? cur?.newsfeed_assignments ?? [],
      labels: b.labels ? [...b.labels] : cur?.labels ?? [], cover_image_url: cur?.cover_image_url ?? null,
      reactions: b.reactions ? [...b.reactions] : cur?.reactions ?? [], deliver_silently: b.deliver_silently ?? cur?.deliver_silently ?? false,
      created_at: cur?.created_at ?? now, updated_at: now
    }
    if (k >= 0) replaceAt(ws.newsItems, k, item)
    else ws.newsItems.push(item)
    mutated(ctx)
    return yield* ok(item)
  })

/** Articles by page number (`page`, `per_page`, default 50). */
const listArticles = (ctx: Ctx) =>
  Effect.gen(function*() {
    const all = ctx.state.ws.articles
    const per = yield* perPage(ctx.query.get("per_page"), 50)
    const page = Number(ctx.query.get("page") ?? "1")
    if (!Number.isInteger(page) || page < 1) return yield* Effect.fail(badRequest("page must be a positive integer", "page"))
    return yield* ok({
      type: "list", pages: { type: "pages", page, per_page: per, total_pages: Math.max(1, Math.ceil(all.length / per)) },
      total_count: all.length, data: all.slice((page - 1) * per, page * per)
    })
  })

export const contentRoutes = [
  r("GET", "/articles", listArticles),
  r("POST", "/articles", createArticle),
  r("GET", "/articles/search", searchArticles),
  r("GET", "/articles/{id}", (ctx, p) => findBy(ctx.state.ws.articles, p.id ?? "", "not_found", "Resource Not Found")),
  r("PUT", "/articles/{id}", updateArticle),
  r("DELETE", "/articles/{id}", deleteFrom((ctx) => ctx.state.ws.articles, "article")),
  r("GET", "/help_center/help_centers", (ctx) => ok({ type: "list", data: [...ctx.state.ws.helpCenters] })),
  r("GET", "/help_center/help_centers/{id}", (ctx, p) => findBy(ctx.state.ws.helpCenters, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/help_center/collections", (ctx) => ok({ type: "list", data: [...ctx.state.ws.collections], total_count: ctx.state.ws.collections.length, pages: { type: "pages", page: 1, per_page: 50, total_pages: 1 } })),
  r("POST", "/help_center/collections", createCollection),
  r("GET", "/help_center/collections/{id}", (ctx, p) => findBy(ctx.state.ws.collections, p.id ?? "", "not_found", "Resource Not Found")),
  r("PUT", "/help_center/collections/{id}", updateCollection),
  r("DELETE", "/help_center/collections/{id}", deleteFrom((ctx) => ctx.state.ws.collections, "collection")),
  r("GET", "/news/news_items", (ctx) => ok({ type: "list", data: [...ctx.state.ws.newsItems], total_count: ctx.state.ws.newsItems.length, pages: { type: "pages", page: 1, per_page: 10, total_pages: 1 } })),
  r("POST", "/news/news_items", (ctx) => writeNewsItem(ctx, undefined)),
  r("GET", "/news/news_items/{id}", (ctx, p) => findBy(ctx.state.ws.newsItems, p.id ?? "", "not_found", "Resource Not Found")),
  r("PUT", "/news/news_items/{id}", writeNewsItem),
  r("DELETE", "/news/news_items/{id}", deleteFrom((ctx) => ctx.state.ws.newsItems, "news-item")),
  r("GET", "/news/newsfeeds", (ctx) => ok({ type: "list", data: [...ctx.state.ws.newsfeeds], total_count: ctx.state.ws.newsfeeds.length, pages: { type: "pages", page: 1, per_page: 10, total_pages: 1 } })),
  r("GET", "/news/newsfeeds/{id}", (ctx, p) => findBy(ctx.state.ws.newsfeeds, p.id ?? "", "not_found", "Resource Not Found")),
  r("GET", "/news/newsfeeds/{id}/items", (ctx, p) => {
    const items = ctx.state.ws.newsItems.filter((n) => JSON.stringify(n.newsfeed_assignments).includes(`"newsfeed_id":${p.id}`))
    return ok({ type: "list", data: items, total_count: items.length, pages: { type: "pages", page: 1, per_page: 10, total_pages: 1 } })
  })
]
